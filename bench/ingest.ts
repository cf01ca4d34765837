// bench/ingest — the ingest pipeline against the bare ffmpeg command lines it runs and against the physical limit,
// side by side in one run, for three inputs.
//
//   npx tsx bench/ingest.ts [--rounds 3] [--long-rounds 1] [--skip-bare] [--only video,speech-30min,speech-3h] (--help)
//
// Inputs are generated once into bench/.cache (git-ignored): a 720p30 H.264/AAC clip (testsrc2 + tone) and mono speech
// MP3s (espeak-ng -v de, looped to length): bench/ingest/inputs.ts.
//
// - pipeline: MediaService.ingest (ffprobe, decode check, move) + the job worker running the whole ingest chain with
//   leases, progress, ffprobe verification and publishing, in a fresh Node process (so its peak RSS is its own), from
//   "upload complete" until the medium is `ready` (bench/ingest/pipeline.ts: the watcher and the RSS sampler run in
//   this process, not in the measured one).
// - bare: the same ffmpeg argument arrays the pipeline runs, back to back, no queue, no checks, no Node in between
//   (a PCM pipe goes to /dev/null).
// - limit: one decode plus the irreducible encodes with the pipeline's own encoder settings — audio: one AAC encode
//   to the null muxer; video: the ladder encode alone.
//
// CPU is user+sys of the Node process and its ffmpeg/ffprobe children (from /proc: children are reaped by libuv, so
// their time lands in cutime/cstime). The RESULT line's pipeline÷limit is the CPU ratio: on a machine shared with other
// work, wall time measures the neighbours, CPU seconds the work (the table also shows the wall ratios).
import os from 'node:os';
import { parseArgs } from 'node:util';
import { makeInputs, type Input } from './ingest/inputs.js';
import { inTmp, limitCommand, pipelineCommands, runBare, timed, type Timed } from './ingest/measure.js';
import { pipeline, pipelineChild, type PipelineResult } from './ingest/pipeline.js';

const { values } = parseArgs({
  options: {
    'video-seconds': { type: 'string', default: '120' },
    'audio-minutes': { type: 'string', default: '30' },
    'long-hours': { type: 'string', default: '3' },
    only: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    'long-rounds': { type: 'string', default: '1' },
    'skip-bare': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
    child: { type: 'string' },
  },
});

const HELP = `npx tsx bench/ingest.ts [options]
  --only <names>       inputs by name prefix or index, comma-separated: video, speech-30min (or 1), speech-3h (or 2)
  --rounds <n>         limit + pipeline pairs per input, interleaved (default 3); the RESULT ratio is their median
  --long-rounds <n>    rounds for inputs longer than an hour (default 1)
  --skip-bare          leave out the bare command line (measured once per input, for reference only)
  --video-seconds <s>  --audio-minutes <m>  --long-hours <h>   input lengths (default 120, 30, 3)
`;

interface Round {
  limit: Timed;
  pipe: PipelineResult;
  ratio: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const f = (n: number, d = 1) => n.toFixed(d);
/** `median [min–max]` of a series, or the one value. */
const spread = (xs: number[], d = 1): string =>
  xs.length === 1 ? f(xs[0]!, d) : `${f(median(xs), d)} [${f(Math.min(...xs), d)}–${f(Math.max(...xs), d)}]`;

async function limitOf(x: Input): Promise<Timed> {
  let l: Timed = { wall: 0, cpu: 0 };
  await inTmp('bench-limit-', async (out) => {
    const cmd = limitCommand(x, out);
    l = await timed(() => runBare(cmd, out));
  });
  return l;
}

/**
 * One round: the limit and the pipeline back to back. Rounds alternate the order (limit first, then pipeline first),
 * so a neighbour's load that rises or falls during the run weighs on both sides alike.
 */
async function round(x: Input, i: number, n: number): Promise<Round> {
  let limit: Timed;
  let pipe: PipelineResult;
  if (i % 2 === 0) {
    limit = await limitOf(x);
    pipe = await pipeline(x.file);
  } else {
    pipe = await pipeline(x.file);
    limit = await limitOf(x);
  }
  const ratio = pipe.cpu / limit.cpu;
  // each measurement as soon as it is taken, so a long run that is cut short still tells something
  process.stdout.write(
    `${x.name} round ${i + 1}/${n}: limit ${f(limit.wall)} s wall / ${f(limit.cpu)} s cpu; ` +
      `pipeline ${f(pipe.wall)} s wall / ${f(pipe.cpu)} s cpu (ffmpeg ${f(pipe.cpuChildren)} + node ${f(pipe.cpuNode)}), ` +
      `HLS ready ${f(pipe.hlsReady)} s, worker peak RSS ${f(pipe.nodePeakMb, 0)} + ${f(pipe.ffmpegPeakMb, 0)} MB; ` +
      `cpu pipeline÷limit ${f(ratio, 3)}; load ${f(os.loadavg()[0]!, 2)}\n`,
  );
  return { limit, pipe, ratio };
}

async function main(): Promise<void> {
  if (values.help) return void process.stdout.write(HELP);
  if (values.child) return pipelineChild(values.child);
  const inputs = makeInputs({
    videoSeconds: Number(values['video-seconds']),
    audioMinutes: Number(values['audio-minutes']),
    longHours: Number(values['long-hours']),
    only: values.only,
  });
  const roundsFor = (x: Input) =>
    Math.max(1, Math.floor(Number(x.seconds > 3600 ? values['long-rounds'] : values.rounds)) || 1);
  const load = os.loadavg()[0]!.toFixed(2);
  process.stdout.write(
    `bench/ingest on ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}; load average at start ${load} (shared machine: compare ratios)\n\n`,
  );
  const rows: string[][] = [];
  const results: string[] = [];
  const spreads: string[] = [];
  for (const x of inputs) {
    const n = roundsFor(x);
    const rs: Round[] = [];
    for (let i = 0; i < n; i++) rs.push(await round(x, i, n));
    let b: Timed | null = null;
    if (!values['skip-bare']) {
      await inTmp('bench-bare-', async (out) => {
        const cmds = pipelineCommands(x, out);
        b = await timed(async () => {
          for (const c of cmds) await runBare(c, out);
        });
      });
      process.stdout.write(`${x.name}: bare ${f(b!.wall)} s wall / ${f(b!.cpu)} s cpu\n`);
    }
    const bare = b as Timed | null;
    const pick = (g: (r: Round) => number) => rs.map(g);
    const ratio = median(pick((r) => r.ratio));
    const wall = median(pick((r) => r.pipe.wall));
    const durationSec = rs[0]!.pipe.durationSec;
    const node = Math.max(...pick((r) => r.pipe.nodePeakMb));
    const ffmpeg = Math.max(...pick((r) => r.pipe.ffmpegPeakMb));
    const monotonic = rs.every((r) => r.pipe.progressMonotonic);
    rows.push([
      x.label,
      String(n),
      spread(pick((r) => r.limit.cpu)),
      spread(pick((r) => r.pipe.cpu)),
      `${f(median(pick((r) => r.pipe.cpuChildren)))} + ${f(median(pick((r) => r.pipe.cpuNode)))}`,
      spread(
        pick((r) => r.ratio),
        3,
      ),
      `${f(median(pick((r) => r.limit.wall)))} / ${bare ? f(bare.wall) : '–'} / ${f(wall)}`,
      f(median(pick((r) => r.pipe.wall / r.limit.wall)), 3),
      f(durationSec / wall),
      f(median(pick((r) => r.pipe.hlsReady))),
      `${f(node, 0)} + ${f(ffmpeg, 0)} = ${f(node + ffmpeg, 0)}`,
      `${median(pick((r) => r.pipe.progressSteps))}${monotonic ? ' ↑' : ' NOT MONOTONIC'}`,
      rs[0]!.pipe.jobs.map((j) => j.replace(/^media\./, '').replace(/:done$/, '')).join('+'),
    ]);
    // CPU basis: on a shared machine wall time measures the neighbours; user+sys CPU seconds of the same work do not
    results.push(`RESULT ${x.name} pipeline÷limit=${f(ratio, 3)} realtime=${f(durationSec / wall)}`);
    const limits = pick((r) => r.limit.cpu);
    spreads.push(
      `${x.name}: ${n} round(s), cpu pipeline÷limit median ${f(ratio, 3)} min ${f(Math.min(...pick((r) => r.ratio)), 3)} ` +
        `max ${f(Math.max(...pick((r) => r.ratio)), 3)}; limit cpu ${f(Math.min(...limits))}–${f(Math.max(...limits))} s ` +
        `(±${f((50 * (Math.max(...limits) - Math.min(...limits))) / median(limits))} %)`,
    );
  }
  const head = [
    'input',
    'rounds',
    'limit cpu s',
    'pipeline cpu s',
    'pipeline ffmpeg + node',
    'cpu pipe÷limit',
    'wall s limit / bare / pipe',
    'wall pipe÷limit',
    '× realtime',
    'HLS ready s',
    'worker peak RSS MB node + ffmpeg',
    'progress',
    'jobs',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(
    `\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n\n`,
  );
  process.stdout.write(
    "Cells are median [min–max] over the rounds. pipeline÷limit in RESULT is the median of the rounds' CPU ratios: user+sys\n" +
      'CPU seconds of the pipeline (worker Node process + its ffmpeg/ffprobe children) ÷ those of the limit (its ffmpeg\n' +
      'child) in the same round; wall-clock figures are for reference only.\n',
  );
  process.stdout.write(`${spreads.join('\n')}\n\n${results.join('\n')}\n`);
  process.stdout.write(
    `\nload average at end ${os.loadavg()[0]!.toFixed(2)}; goals: pipeline÷limit ≤ 1.15 each, 30-min speech ≥ 40× realtime, 3-hour worker RSS ≤ 300 MB\n` +
      `(worker RSS = peak of the Node worker process + the largest peak of its ffmpeg children over the rounds, an upper bound; ` +
      `× realtime and HLS ready are wall-clock and slow down with the machine's load)\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
