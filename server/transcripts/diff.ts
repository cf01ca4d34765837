// Segment-level diff between two transcript versions: jsdiff's Myers diff (`diffArrays`) on (speaker, text), then the
// removals and additions of one hunk paired in order as changes, and equal text with other times reported as retimed.
// Myers needs memory in proportion to the edits, not to n × m as a longest-common-subsequence table does
// (3,000 segments: bench/diff.ts).
import { diffArrays } from 'diff';
import type { TranscriptSegment } from '../store/types.js';

export type DiffOp =
  | { op: 'equal'; from: number; to: number }
  | { op: 'retimed'; from: number; to: number; before: TranscriptSegment; after: TranscriptSegment }
  | { op: 'changed'; from: number; to: number; before: TranscriptSegment; after: TranscriptSegment }
  | { op: 'removed'; from: number; before: TranscriptSegment }
  | { op: 'added'; to: number; after: TranscriptSegment };

export interface SegmentDiff {
  ops: DiffOp[];
  stats: { equal: number; retimed: number; changed: number; removed: number; added: number };
}

const key = (s: TranscriptSegment) => `${s.speaker ?? ''}\u0000${s.text}`;

/**
 * Beyond this many removed + added segments (say, a different transcript imported over the old one) Myers' cost
 * grows with n × edits; the versions are then compared position by position instead (bench/diff.ts, worst case).
 */
export const MAX_DIFF_EDITS = 1000;

type Change = { count: number; added?: boolean; removed?: boolean };

/** Segment k against segment k: the answer when the versions have too little in common for a minimal diff. */
function positional(a: readonly string[], b: readonly string[]): Change[] {
  const changes: Change[] = [];
  const common = Math.min(a.length, b.length);
  for (let k = 0; k < common; k++) {
    if (a[k] === b[k]) changes.push({ count: 1 });
    else changes.push({ count: 1, removed: true }, { count: 1, added: true });
  }
  if (a.length > common) changes.push({ count: a.length - common, removed: true });
  if (b.length > common) changes.push({ count: b.length - common, added: true });
  return changes;
}

export function diffSegments(a: TranscriptSegment[], b: TranscriptSegment[]): SegmentDiff {
  const ops: DiffOp[] = [];
  let i = 0;
  let j = 0;
  // a hunk of removals and additions not yet written out
  let removed: number[] = [];
  let added: number[] = [];
  const flushHunk = () => {
    const paired = Math.min(removed.length, added.length);
    for (let k = 0; k < paired; k++)
      ops.push({ op: 'changed', from: removed[k]!, to: added[k]!, before: a[removed[k]!]!, after: b[added[k]!]! });
    for (const from of removed.slice(paired)) ops.push({ op: 'removed', from, before: a[from]! });
    for (const to of added.slice(paired)) ops.push({ op: 'added', to, after: b[to]! });
    removed = [];
    added = [];
  };
  const keysA = a.map(key);
  const keysB = b.map(key);
  const changes: Change[] = diffArrays(keysA, keysB, { maxEditLength: MAX_DIFF_EDITS }) ?? positional(keysA, keysB);
  for (const change of changes) {
    const count = change.count;
    if (change.removed) {
      for (let k = 0; k < count; k++) removed.push(i++);
    } else if (change.added) {
      for (let k = 0; k < count; k++) added.push(j++);
    } else {
      flushHunk();
      for (let k = 0; k < count; k++, i++, j++) {
        const before = a[i]!;
        const after = b[j]!;
        const retimed = before.start !== after.start || before.end !== after.end;
        ops.push(retimed ? { op: 'retimed', from: i, to: j, before, after } : { op: 'equal', from: i, to: j });
      }
    }
  }
  flushHunk();
  const stats = { equal: 0, retimed: 0, changed: 0, removed: 0, added: 0 };
  for (const op of ops) stats[op.op]++;
  return { ops, stats };
}
