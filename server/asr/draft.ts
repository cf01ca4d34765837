// Automatic transcripts are drafts: a version made by an engine (`asr:<engine>:<model>`), and every edit built on it,
// stays a draft until a person marks it reviewed (a new version with source `review:asr`). The public — transcript
// JSON, captions, exports and search — gets the newest version that is not a draft (or none); the interview's team
// and the narrator get the current version, with the draft marked.
import type { Viewer } from '../access/viewer.js';
import { isNarratorOf, isStaff } from '../access/policy.js';
import type { Interview } from '../store/types.js';

export const REVIEWED_SOURCE = 'review:asr';

export interface DraftInfo {
  /** The version the engine made, e.g. 3 … */
  origin: number;
  /** … and its source, `asr:http:large-v3-turbo`. */
  source: string;
}

/**
 * Draft state of every version, from the sources alone (newest-first or any order). Edits inherit the state of the
 * version they were made on (the one before), restores that of the restored version, a review ends it.
 */
export function draftStates(versions: readonly { version: number; source: string }[]): Map<number, DraftInfo | null> {
  const byVersion = new Map(versions.map((v) => [v.version, v.source]));
  const memo = new Map<number, DraftInfo | null>();
  const sorted = [...byVersion.keys()].sort((a, b) => a - b);
  for (const v of sorted) {
    const source = byVersion.get(v)!;
    let state: DraftInfo | null;
    if (source.startsWith('asr:')) state = { origin: v, source };
    else if (source === REVIEWED_SOURCE) state = null;
    else if (source.startsWith('edit:') || source.startsWith('align:') || source.startsWith('correction'))
      state = memo.get(v - 1) ?? null;
    else if (source.startsWith('restore:')) state = memo.get(Number(source.slice('restore:'.length))) ?? null;
    else state = null;
    memo.set(v, state);
  }
  return memo;
}

/** The newest version that is not a draft (what the public sees and search indexes), or null. */
export function publicVersionOf(versions: readonly { version: number; source: string }[]): number | null {
  const states = draftStates(versions);
  const candidates = [...states.entries()].filter(([, d]) => d === null).map(([v]) => v);
  return candidates.length ? Math.max(...candidates) : null;
}

/** The interview's team (staff, its creator) and its narrator see drafts; everybody else only reviewed text. */
export function canSeeDrafts(viewer: Viewer, interview: Pick<Interview, 'id' | 'createdBy'>): boolean {
  return (
    isStaff(viewer) ||
    isNarratorOf(viewer, interview) ||
    (viewer.kind === 'user' && interview.createdBy !== null && viewer.user.id === interview.createdBy)
  );
}
