// Timing helpers for the transcript editor.

export interface Timed {
  start: number;
  end: number;
}

/** The last segment that starts at or before `time` (binary search; segments are in time order); -1 before the first. */
export function lastStartedIndex(segments: readonly Timed[], time: number): number {
  if (!Number.isFinite(time)) return -1;
  let lo = 0;
  let hi = segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid]!.start <= time) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * The segment being spoken at `time`: the last one that has started and not yet ended; -1 in a gap or outside.
 * Called on every timeupdate, so it searches instead of scanning.
 */
export function currentSegmentIndex(segments: readonly Timed[], time: number): number {
  const found = lastStartedIndex(segments, time);
  // overlapping cues: an earlier, longer one may still be running
  for (let i = found; i >= 0 && i >= found - 3; i--) {
    const s = segments[i]!;
    if (time >= s.start && time < s.end) return i;
  }
  return -1;
}

/** Seconds as the API wants them: two decimals are plenty (10 ms). */
export function roundTime(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}

export type DraftOp = { kind: 'split'; n: number } | { kind: 'merge'; n: number };

/**
 * Unsaved edits are kept per segment number; a split or merge renumbers the segments after it. The segments the
 * operation touched lose their drafts (the editor does not allow the operation while they have any).
 */
export function renumberDrafts<T>(drafts: ReadonlyMap<number, T>, op: DraftOp): Map<number, T> {
  const out = new Map<number, T>();
  for (const [n, draft] of drafts) {
    if (op.kind === 'split') {
      if (n < op.n) out.set(n, draft);
      else if (n > op.n) out.set(n + 1, draft);
    } else {
      if (n < op.n) out.set(n, draft);
      else if (n > op.n + 1) out.set(n - 1, draft);
    }
  }
  return out;
}
