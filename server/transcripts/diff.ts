// Segment-level diff between two transcript versions: longest common subsequence on (speaker, text), then adjacent
// removals and additions paired as changes, and equal text with other times reported as retimed.
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

export function diffSegments(a: TranscriptSegment[], b: TranscriptSegment[]): SegmentDiff {
  const n = a.length;
  const m = b.length;
  // LCS lengths from the end; transcripts have at most a few thousand segments
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = key(a[i]!) === key(b[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const raw: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && key(a[i]!) === key(b[j]!)) {
      const retimed = a[i]!.start !== b[j]!.start || a[i]!.end !== b[j]!.end;
      raw.push(retimed ? { op: 'retimed', from: i, to: j, before: a[i]!, after: b[j]! } : { op: 'equal', from: i, to: j });
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      raw.push({ op: 'added', to: j, after: b[j]! });
      j++;
    } else {
      raw.push({ op: 'removed', from: i, before: a[i]! });
      i++;
    }
  }
  // a removal next to an addition is an edit of that segment
  const ops: DiffOp[] = [];
  for (let k = 0; k < raw.length; k++) {
    const cur = raw[k]!;
    const next = raw[k + 1];
    if (cur.op === 'removed' && next?.op === 'added') {
      ops.push({ op: 'changed', from: cur.from, to: next.to, before: cur.before, after: next.after });
      k++;
    } else if (cur.op === 'added' && next?.op === 'removed') {
      ops.push({ op: 'changed', from: next.from, to: cur.to, before: next.before, after: cur.after });
      k++;
    } else {
      ops.push(cur);
    }
  }
  const stats = { equal: 0, retimed: 0, changed: 0, removed: 0, added: 0 };
  for (const op of ops) stats[op.op]++;
  return { ops, stats };
}
