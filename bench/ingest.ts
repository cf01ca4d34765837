// bench/ingest — the ingest pipeline against the bare ffmpeg command lines it runs and against the physical limit,
// side by side in one run, for three inputs.
//
//   npx tsx bench/ingest.ts [--video-seconds 120] [--audio-minutes 30] [--long-hours 3] [--only video,speech30m,speech3h]
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
import { makeInputs } from './ingest/inputs.js';
import { inTmp, limitCommand, pipelineCommands, runBare, timed, type Timed } from './ingest/measure.js';
import { pipeline, pipelineChild } from './ingest/pipeline.js';

const { values } = parseArgs({
  options: {
    'video-seconds': { type: 'string', default: '120' },
    'audio-minutes': { type: 'string', default: '30' },
    'long-hours': { type: 'string', default: '3' },
    only: { type: 'string' },
    child: { type: 'string' },
  },
});

async function main(): Promise<void> {
  if (values.child) return pipelineChild(values.child);
  const inputs = makeInputs({
    videoSeconds: Number(values['video-seconds']),
    audioMinutes: Number(values['audio-minutes']),
    longHours: Number(values['long-hours']),
    only: values.only,
  });
  const load = os.loadavg()[0]!.toFixed(2);
  process.stdout.write(
    `bench/ingest on ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}; load average at start ${load} (shared machine: compare ratios)\n\n`,
  );
  const rows: string[][] = [];
  const results: string[] = [];
  for (const x of inputs) {
    const p = await pipeline(x.file);
    // each measurement as soon as it is taken, so a long run that is cut short still tells something
    process.stdout.write(
      `${x.name}: pipeline ${p.wall.toFixed(1)} s wall / ${p.cpu.toFixed(1)} s cpu, HLS ready ${p.hlsReady.toFixed(1)} s, ` +
        `worker peak RSS node ${p.nodePeakMb.toFixed(0)} MB + ffmpeg ${p.ffmpegPeakMb.toFixed(0)} MB = ${(p.nodePeakMb + p.ffmpegPeakMb).toFixed(0)} MB, ` +
        `cpu ffmpeg ${p.cpuChildren.toFixed(1)} s + node ${p.cpuNode.toFixed(1)} s, jobs ${p.jobs.join(' ')}\n`,
    );
    let b: Timed = { wall: 0, cpu: 0 };
    let l: Timed = { wall: 0, cpu: 0 };
    await inTmp('bench-bare-', async (out) => {
      const cmds = pipelineCommands(x, out);
      b = await timed(async () => {
        for (const c of cmds) await runBare(c, out);
      });
      process.stdout.write(`${x.name}: bare ${b.wall.toFixed(1)} s wall / ${b.cpu.toFixed(1)} s cpu\n`);
    });
    await inTmp('bench-limit-', async (out) => {
      const cmd = limitCommand(x, out);
      l = await timed(() => runBare(cmd, out));
      process.stdout.write(`${x.name}: limit ${l.wall.toFixed(1)} s wall / ${l.cpu.toFixed(1)} s cpu\n`);
    });
    rows.push([
      x.label,
      `${l.wall.toFixed(1)} / ${l.cpu.toFixed(1)}`,
      `${b.wall.toFixed(1)} / ${b.cpu.toFixed(1)}`,
      `${p.wall.toFixed(1)} / ${p.cpu.toFixed(1)}`,
      (p.wall / b.wall).toFixed(3),
      (p.wall / l.wall).toFixed(3),
      (p.cpu / l.cpu).toFixed(3),
      (p.durationSec / p.wall).toFixed(1),
      p.hlsReady.toFixed(1),
      `${p.nodePeakMb.toFixed(0)} + ${p.ffmpegPeakMb.toFixed(0)} = ${(p.nodePeakMb + p.ffmpegPeakMb).toFixed(0)}`,
      `${p.progressSteps}${p.progressMonotonic ? ' ↑' : ' NOT MONOTONIC'}`,
      p.jobs.map((j) => j.replace(/^media\./, '').replace(/:done$/, '')).join('+'),
    ]);
    // CPU basis: on a shared machine wall time measures the neighbours; user+sys CPU seconds of the same work do not
    results.push(
      `RESULT ${x.name} pipeline÷limit=${(p.cpu / l.cpu).toFixed(3)} realtime=${(p.durationSec / p.wall).toFixed(1)}`,
    );
  }
  const head = [
    'input',
    'limit s wall/cpu',
    'bare s wall/cpu',
    'pipeline s wall/cpu',
    'pipe÷bare',
    'pipe÷limit',
    'cpu pipe÷limit',
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
    'pipeline÷limit in RESULT is on the CPU basis: user+sys CPU seconds of pipeline (worker Node process + its ffmpeg/ffprobe\n' +
      'children) ÷ limit (its ffmpeg child), measured in the same run; wall-clock ratios are in the table for reference only.\n',
  );
  process.stdout.write(`${results.join('\n')}\n`);
  process.stdout.write(
    `\nload average at end ${os.loadavg()[0]!.toFixed(2)}; goals: pipeline÷limit ≤ 1.15 each, 30-min speech ≥ 40× realtime, 3-hour worker RSS ≤ 300 MB\n` +
      `(worker RSS = peak of the Node worker process + the largest peak of its ffmpeg children, an upper bound; ` +
      `× realtime and HLS ready are wall-clock and slow down with the machine's load)\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
