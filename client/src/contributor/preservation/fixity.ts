// Fixity state as the admin pages show it (GET /api/preservation/fixity): pure helpers, tested without a browser.
import type { FixityEvent, FixityOutcome } from '../../../../server/store/types.js';

/** An open alert: the newest event of a file that did not pass (the server's FixityEvent as JSON). */
export type FixityProblem = Pick<
  FixityEvent,
  'id' | 'at' | 'path' | 'fileKind' | 'mediaId' | 'interviewId' | 'expectedSha256' | 'actualSha256' | 'detail'
> & {
  outcome: Exclude<FixityOutcome, 'pass'>;
};

export interface FixityState {
  problems: FixityProblem[];
}

/** Originals first (they are never repaired automatically), then renditions; oldest first within each. */
export function sortProblems(problems: readonly FixityProblem[]): FixityProblem[] {
  return [...problems].sort((a, b) =>
    a.fileKind === b.fileKind ? (a.at < b.at ? -1 : a.at > b.at ? 1 : 0) : a.fileKind === 'original' ? -1 : 1,
  );
}

export function problemsOf(state: FixityState | null, interviewId?: string): FixityProblem[] {
  const all = state?.problems ?? [];
  return sortProblems(interviewId ? all.filter((p) => p.interviewId === interviewId) : all);
}

/** The bag download of an interview (admins), optionally with its consent records. */
export function bagUrl(interviewId: string, withConsent: boolean): string {
  return `/api/interviews/${encodeURIComponent(interviewId)}/bag.zip${withConsent ? '?consent=1' : ''}`;
}
