// bench/diff — memory and time of the transcript version diff (server/transcripts/diff.ts, jsdiff's Myers diff)
// against the hand-written longest-common-subsequence diff it replaced, on the same two 3,000-segment versions.
//
//   npx tsx bench/diff.ts [--segments 3000] [--edits 40]      (--edits 2999: every segment changed, the worst case)
//
// Each side runs in its own fresh Node process (--expose-gc, a 256 MiB young generation so no collection runs during
// the diff): gc(), then heap used + external + array buffers before and after one diffSegments call; the difference is
// what the call allocated. A PerformanceObserver counts collections during the call; if one ran, the figure is a
// lower bound and the line says so. Version b has `--edits` segments with new text, a tenth of them retimed, one
// removed and one added, spread over the transcript. Both outputs are compared op by op. The machine may be shared:
// the allocation figure does not depend on load, the times do.
import { spawnSync } from 'node:child_process';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { diffSegments, type DiffOp, type SegmentDiff } from '../server/transcripts/diff.js';
import type { TranscriptSegment } from '../server/store/types.js';

const { values } = parseArgs({
  options: {
    segments: { type: 'string', default: '3000' },
    edits: { type: 'string', default: '40' },
    child: { type: 'string' },
  },
});
const segmentCount = Number(values.segments);
const edits = Number(values.edits);

function versions(): [TranscriptSegment[], TranscriptSegment[]] {
  const a: TranscriptSegment[] = Array.from(
    { length: segmentCount },
    (_, n) =>
      ({
        start: n * 4,
        end: n * 4 + 3.5,
        speaker: n % 2 ? 'Interviewerin' : 'Herr K.',
        text: `Abschnitt ${n}: Wir sind um sechs Uhr mit dem Bus zum Tagebau Golpa-Nord gefahren, Schicht ${n % 3}.`,
      }) as TranscriptSegment,
  );
  const b = a.map((s) => ({ ...s }));
  const step = Math.floor(segmentCount / (edits + 1));
  for (let e = 1; e <= edits; e++) {
    const s = b[e * step]!;
    if (e % 10 === 0) {
      s.start = (s.start ?? 0) + 0.5;
      s.end = (s.end ?? 0) + 0.5;
    } else s.text = `${s.text} (korrigiert)`;
  }
  b.splice(Math.floor(segmentCount / 3) + 1, 1);
  b.splice(Math.floor((2 * segmentCount) / 3) + 1, 0, {
    start: 1e6,
    end: 1e6 + 1,
    speaker: 'Herr K.',
    text: 'Nachtrag.',
  } as TranscriptSegment);
  return [a, b];
}

// The hand-written diff that server/transcripts/diff.ts had before it used jsdiff (LCS table of n × m), kept here
// only as the baseline.
function lcsDiffSegments(a: TranscriptSegment[], b: TranscriptSegment[]): SegmentDiff {
  const key = (s: TranscriptSegment) => `${s.speaker ?? ''}\u0000${s.text}`;
  const n = a.length;
  const m = b.length;
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
      raw.push(
        retimed ? { op: 'retimed', from: i, to: j, before: a[i]!, after: b[j]! } : { op: 'equal', from: i, to: j },
      );
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

const implementations = { jsdiff: diffSegments, lcs: lcsDiffSegments };
type Side = keyof typeof implementations;

async function child(side: Side): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const [a, b] = versions();
  let callStart = Infinity;
  let callEnd = Infinity;
  let collections = 0;
  // gc entries arrive asynchronously: count those that started while the diff ran
  const observer = new PerformanceObserver((list) => {
    collections += list.getEntries().filter((e) => e.startTime >= callStart && e.startTime <= callEnd).length;
  });
  observer.observe({ entryTypes: ['gc'] });
  const used = () => {
    const u = process.memoryUsage();
    return u.heapUsed + u.external;
  };
  gc();
  await new Promise((r) => setImmediate(r));
  const before = used();
  callStart = performance.now();
  const result = implementations[side](a, b);
  callEnd = performance.now();
  const allocated = used() - before;
  const ms = callEnd - callStart;
  await new Promise((r) => setTimeout(r, 50));
  observer.disconnect();
  process.stdout.write(JSON.stringify({ allocated, ms, collections, result }));
}

function run(side: Side): { allocated: number; ms: number; collections: number; result: SegmentDiff } {
  const self = fileURLToPath(import.meta.url);
  const out = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--max-semi-space-size=256',
      '--import',
      'tsx',
      self,
      '--child',
      side,
      '--segments',
      String(segmentCount),
      '--edits',
      String(edits),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  if (out.status !== 0) throw new Error(`${side} failed: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

if (values.child) {
  await child(values.child as Side);
} else {
  const mb = (x: number) => (x / 1048576).toFixed(1);
  const lcs = run('lcs');
  const jsdiff = run('jsdiff');
  const note = (r: { collections: number }) =>
    r.collections ? ` (${r.collections} GC during the call: lower bound)` : '';
  console.log(`${segmentCount} segments, ${edits} edits + 1 removed + 1 added`);
  console.log(`lcs (before):    ${mb(lcs.allocated)} MB allocated, ${lcs.ms.toFixed(0)} ms${note(lcs)}`);
  console.log(`jsdiff (after):  ${mb(jsdiff.allocated)} MB allocated, ${jsdiff.ms.toFixed(0)} ms${note(jsdiff)}`);
  console.log(`stats lcs ${JSON.stringify(lcs.result.stats)} jsdiff ${JSON.stringify(jsdiff.result.stats)}`);
  const same = JSON.stringify(lcs.result.ops) === JSON.stringify(jsdiff.result.ops);
  // isolated single edits: both must give the same answer; with many adjacent edits jsdiff pairs a hunk's removals and
  // additions in order (the old diff paired only the last removal with the first addition), and beyond MAX_DIFF_EDITS
  // it compares position by position
  const mustMatch = edits <= 100;
  console.log(`identical ops: ${same ? 'yes' : 'no'}${mustMatch ? '' : ' (not required: adjacent edits)'}`);
  console.log(
    `RESULT diff allocated_mb=${mb(jsdiff.allocated)} goal<20 ratio_lcs÷jsdiff=${(lcs.allocated / Math.max(1, jsdiff.allocated)).toFixed(1)} ` +
      `time_ratio=${(lcs.ms / Math.max(0.001, jsdiff.ms)).toFixed(1)} ${jsdiff.allocated < 20 * 1048576 && (same || !mustMatch) ? 'PASS' : 'FAIL'}`,
  );
  if (!(jsdiff.allocated < 20 * 1048576) || (mustMatch && !same)) process.exitCode = 1;
}
