// Fixity state as the admin pages show it (GET /api/preservation/fixity): pure helpers, tested without a browser.
export interface FixityProblem {
  id: string;
  at: string;
  outcome: 'fail' | 'missing';
  path: string;
  fileKind: 'original' | 'rendition';
  mediaId: string;
  interviewId: string;
  expectedSha256: string | null;
  actualSha256: string | null;
  detail: string | null;
}

export interface FixityState {
  problems: FixityProblem[];
}

/** Originals first (they are never repaired automatically), then renditions; oldest first within each. */
export function sortProblems(problems: readonly FixityProblem[]): FixityProblem[] {
  return [...problems].sort((a, b) => (a.fileKind === b.fileKind ? (a.at < b.at ? -1 : a.at > b.at ? 1 : 0) : a.fileKind === 'original' ? -1 : 1));
}

export function problemsOf(state: FixityState | null, interviewId?: string): FixityProblem[] {
  const all = state?.problems ?? [];
  return sortProblems(interviewId ? all.filter((p) => p.interviewId === interviewId) : all);
}

/** The bag download of an interview (admins), optionally with its consent records. */
export function bagUrl(interviewId: string, withConsent: boolean): string {
  return `/api/interviews/${encodeURIComponent(interviewId)}/bag.zip${withConsent ? '?consent=1' : ''}`;
}
