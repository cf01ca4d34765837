// The segment diff between two transcript versions (jsdiff's Myers diff underneath): what is equal, retimed, changed,
// removed and added, with indexes into both versions.
import { describe, expect, it } from 'vitest';
import { diffSegments, MAX_DIFF_EDITS } from '../../server/transcripts/diff.js';
import type { TranscriptSegment } from '../../server/store/types.js';

const seg = (n: number, text: string, speaker: string | null = 'Herr K.', start = n * 4): TranscriptSegment =>
  ({ start, end: start + 3, speaker, text }) as TranscriptSegment;
const opsOf = (a: TranscriptSegment[], b: TranscriptSegment[]) =>
  diffSegments(a, b).ops.map((o) => [o.op, 'from' in o ? o.from : null, 'to' in o ? o.to : null]);

describe('diffSegments', () => {
  const a = [
    seg(0, 'Glück auf.'),
    seg(1, 'Wir fuhren zur Schicht.'),
    seg(2, 'Der Bagger stand still.'),
    seg(3, 'Dann kam die Wende.'),
  ];

  it('reports equal, retimed, changed, removed and added segments', () => {
    const b = [
      seg(0, 'Glück auf.'),
      seg(1, 'Wir fuhren zur Frühschicht.'),
      seg(2, 'Der Bagger stand still.', 'Herr K.', 9),
      seg(4, 'Neu.'),
    ];
    const diff = diffSegments(a, b);
    expect(opsOf(a, b)).toEqual([
      ['equal', 0, 0],
      ['changed', 1, 1],
      ['retimed', 2, 2],
      ['changed', 3, 3],
    ]);
    expect(diff.stats).toEqual({ equal: 1, retimed: 1, changed: 2, removed: 0, added: 0 });
    expect(opsOf(a, [a[0]!, a[2]!, a[3]!, seg(9, 'Nachtrag.')])).toEqual([
      ['equal', 0, 0],
      ['removed', 1, null],
      ['equal', 2, 1],
      ['equal', 3, 2],
      ['added', null, 3],
    ]);
    // a speaker change is a change of the segment
    expect(opsOf([a[0]!], [seg(0, 'Glück auf.', 'Interviewerin')])).toEqual([['changed', 0, 0]]);
  });

  it('pairs the removals and additions of one hunk in order', () => {
    const b = [a[0]!, seg(1, 'eins'), seg(2, 'zwei'), seg(5, 'drei'), a[3]!];
    const diff = diffSegments(a, b);
    expect(opsOf(a, b)).toEqual([
      ['equal', 0, 0],
      ['changed', 1, 1],
      ['changed', 2, 2],
      ['added', null, 3],
      ['equal', 3, 4],
    ]);
    const changed = diff.ops.filter((o) => o.op === 'changed');
    expect(changed.map((o) => o.op === 'changed' && [o.before.text, o.after.text])).toEqual([
      ['Wir fuhren zur Schicht.', 'eins'],
      ['Der Bagger stand still.', 'zwei'],
    ]);
  });

  it('compares position by position when the versions differ in more than MAX_DIFF_EDITS segments', () => {
    const n = MAX_DIFF_EDITS;
    const before = Array.from({ length: n }, (_, k) => seg(k, `alt ${k}`));
    const after = Array.from({ length: n + 1 }, (_, k) => (k === 7 ? before[7]! : seg(k, `neu ${k}`)));
    const diff = diffSegments(before, after);
    expect(diff.stats).toEqual({ equal: 1, retimed: 0, changed: n - 1, removed: 0, added: 1 });
    expect(diff.ops[7]).toEqual({ op: 'equal', from: 7, to: 7 });
  });
});
