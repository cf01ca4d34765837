// bench/ingest — the ingest pipeline against the bare ffmpeg command lines it runs and against the physical limit,
// side by side in one run, for three inputs.
//
//   npx tsx bench/ingest.ts [--video-seconds 120] [--audio-minutes 30] [--long-hours 3] [--only video,speech30m,speech3h]
//
// Inputs are generated once into bench/.cache (git-ignored): a 720p30 H.264/AAC clip (testsrc2 + tone) and mono speech
// MP3s (espeak-ng -v de, looped to length).
//
// - pipeline: MediaService.ingest (ffprobe, decode check, move) + the job worker running the whole ingest chain with
//   leases, progress, ffprobe verification and publishing, in a fresh Node process (so its peak RSS is its own), from
//   "upload complete" until the medium is `ready`.
// - bare: the same ffmpeg argument arrays the pipeline runs, back to back, no queue, no checks, no Node in between
//   (a PCM pipe goes to /dev/null).
// - limit: one decode plus the irreducible encodes with the pipeline's own encoder settings — audio: one AAC encode
//   to the null muxer; video: the ladder encode alone.
//
// CPU is user+sys of the Node process and its ffmpeg/ffprobe children (from /proc: children are reaped by libuv, so
// their time lands in cutime/cstime). The RESULT line's pipeline÷limit is the CPU ratio: on a machine shared with other
// work, wall time measures the neighbours, CPU seconds the work (the table also shows the wall ratios).
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  PASS_FILES, audioEncoderArgs, audioPassArgs, posterTime, safePath, storyboardPlan, tileHeightFor, videoHlsArgs, videoPassArgs,
} from '../server/media/ffmpeg/args.js';

const { values } = parseArgs({
  options: {
    'video-seconds': { type: 'string', default: '120' },
    'audio-minutes': { type: 'string', default: '30' },
    'long-hours': { type: 'string', default: '3' },
    only: { type: 'string' },
    child: { type: 'string' },
  },
});
const cache = path.resolve('bench/.cache');
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr?.toString().slice(-500)}`);
}

interface Input { name: string; label: string; file: string; kind: 'audio' | 'video'; seconds: number }

function makeInputs(): Input[] {
  fs.mkdirSync(cache, { recursive: true });
  const videoSeconds = Number(values['video-seconds']);
  const audioSeconds = Number(values['audio-minutes']) * 60;
  const longSeconds = Number(values['long-hours']) * 3600;
  const video = path.join(cache, `clip-720p-${videoSeconds}s.mp4`);
  if (!fs.existsSync(video)) {
    process.stdout.write(`generating ${path.basename(video)} …\n`);
    sh('ffmpeg', ['-hide_banner', '-y', '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=30:duration=${videoSeconds}`,
      '-f', 'lavfi', '-i', `sine=frequency=220:sample_rate=48000:duration=${videoSeconds}`,
      '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '4M', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', `${video}.part.mp4`]);
    fs.renameSync(`${video}.part.mp4`, video);
  }
  const speech = (seconds: number, loopOf?: string): string => {
    const file = path.join(cache, `speech-mono-${seconds}s.mp3`);
    if (fs.existsSync(file)) return file;
    process.stdout.write(`generating ${path.basename(file)} …\n`);
    if (loopOf) {
      // the long recording repeats the shorter one, MP3 frames copied: no second encode of hours of audio
      sh('ffmpeg', ['-hide_banner', '-y', '-stream_loop', '-1', '-i', loopOf, '-t', String(seconds), '-c', 'copy', `${file}.part.mp3`]);
      fs.renameSync(`${file}.part.mp3`, file);
      return file;
    }
    const wav = path.join(cache, 'speech.wav');
    if (!fs.existsSync(wav)) {
      sh('espeak-ng', ['-v', 'de', '-s', '150', '-w', wav,
        'Ich habe dreißig Jahre im Tagebau Golpa-Nord gearbeitet, zuerst als Schlosser, später an der Förderbrücke. ' +
        'Die Schicht begann um sechs Uhr früh, und im Winter war es bitterkalt auf dem Bagger. ' +
        'Nach der Wende wurde der Tagebau stillgelegt, und aus dem Gelände wurde Ferropolis, die Stadt aus Eisen.']);
    }
    sh('ffmpeg', ['-hide_banner', '-y', '-stream_loop', '-1', '-i', wav, '-t', String(seconds), '-ac', '1', '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '96k', `${file}.part.mp3`]);
    fs.renameSync(`${file}.part.mp3`, file);
    return file;
  };
  const all: Input[] = [
    { name: `video720p30-${videoSeconds}s`, label: `720p30 clip ${videoSeconds} s`, file: video, kind: 'video', seconds: videoSeconds },
    { name: `speech-${audioSeconds / 60}min`, label: `mono speech ${audioSeconds / 60} min`, file: '', kind: 'audio', seconds: audioSeconds },
    { name: `speech-${longSeconds / 3600}h`, label: `mono speech ${longSeconds / 3600} h`, file: '', kind: 'audio', seconds: longSeconds },
  ];
  const only = values.only?.split(',');
  const picked = all.filter((x, i) => !only || only.some((o) => x.name.startsWith(o) || String(i) === o || (o === 'video' && x.kind === 'video')));
  for (const x of picked) if (x.kind === 'audio') x.file = x === all[2] ? speech(x.seconds, speech(audioSeconds)) : speech(x.seconds);
  return picked;
}

/** CPU seconds (user+sys) of this process and of its reaped children, from /proc/self/stat. */
function cpuNow(): { self: number; children: number } {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields after the name: state(3) … utime(14) stime(15) cutime(16) cstime(17) → index = field − 3
  const tick = (i: number) => Number(f[i - 3]) / CLK_TCK;
  return { self: tick(14) + tick(15), children: tick(16) + tick(17) };
}

/** Largest VmHWM (peak RSS) of any live descendant seen, sampled; the caller keeps the maximum. */
function childrenPeakKb(): number {
  let peak = 0;
  const seen = new Set<number>();
  const walk = (pid: number): void => {
    let tasks: string[] = [];
    try { tasks = fs.readdirSync(`/proc/${pid}/task`); } catch { return; }
    for (const t of tasks) {
      let kids: string[] = [];
      try { kids = fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean); } catch { continue; }
      for (const k of kids.map(Number)) {
        if (seen.has(k)) continue;
        seen.add(k);
        try {
          const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${k}/status`, 'utf8'));
          if (m) peak = Math.max(peak, Number(m[1]));
        } catch { /* gone */ }
        walk(k);
      }
    }
  };
  walk(process.pid);
  return peak;
}

function run(args: string[], cwd?: string): Promise<void> {
  // bare: progress off, output ignored — exactly what a person would type
  const bare = args.filter((a, i) => !(a === '-progress' || args[i - 1] === '-progress'));
  return new Promise((resolve, reject) => {
    const devnull = fs.openSync('/dev/null', 'w');
    const child = spawn('ffmpeg', bare, { stdio: ['ignore', 'ignore', 'pipe', devnull], ...(cwd ? { cwd } : {}) });
    fs.closeSync(devnull);
    let err = '';
    child.stderr!.on('data', (d) => (err = (err + d).slice(-2000)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg ${code}: ${err.slice(-400)}`))));
  });
}

interface Timed { wall: number; cpu: number }

async function timed(fn: () => Promise<void>): Promise<Timed> {
  const c0 = cpuNow();
  const t0 = performance.now();
  await fn();
  const wall = (performance.now() - t0) / 1000;
  const c1 = cpuNow();
  return { wall, cpu: c1.children - c0.children };
}

/** The pipeline's own ffmpeg command line for this input, as the renditions handler builds it (no restrictions). */
function pipelineCommands(x: Input, out: string): string[][] {
  const input = x.file;
  fs.mkdirSync(path.join(out, PASS_FILES.hlsDir), { recursive: true });
  // the PCM pipe (fd 3) goes nowhere: the bare run spawns with fd 3 open on /dev/null
  if (x.kind === 'video') {
    const w = 1280, h = 720;
    return [videoPassArgs({
      input, source: { width: w, height: h, fps: 30 }, hasAudio: true, posterAtSeconds: posterTime(x.seconds),
      storyboard: { ...storyboardPlan(x.seconds), tileWidth: 160, tileHeight: tileHeightFor(w, h) },
    })];
  }
  return [audioPassArgs({ input, channels: 1 })];
}

/** One decode plus the irreducible encodes, with the pipeline's encoder settings. */
function limitCommand(x: Input, out: string): string[] {
  if (x.kind === 'video') {
    fs.mkdirSync(path.join(out, 'hls'), { recursive: true });
    return videoHlsArgs({ input: x.file, outDir: path.join(out, 'hls'), source: { width: 1280, height: 720, fps: 30 }, hasAudio: true });
  }
  return ['-hide_banner', '-nostdin', '-y', '-loglevel', 'warning', '-i', safePath(x.file), '-map', '0:a:0', '-vn', ...audioEncoderArgs(128), '-f', 'null', '-'];
}

async function inTmp(prefix: string, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try { await fn(dir); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}

interface PipelineResult {
  wall: number; cpu: number; cpuChildren: number; cpuNode: number; hlsReady: number; durationSec: number; jobs: string[]; nodePeakMb: number; ffmpegPeakMb: number;
  progressSteps: number; progressMonotonic: boolean;
}

/** Runs in a fresh Node process: `--child <input>`; prints one JSON line. */
async function pipelineChild(input: string): Promise<void> {
  const { createApp } = await import('../server/app.js');
  const { loadConfig } = await import('../server/config.js');
  const { configureLogger } = await import('../server/logger.js');
  const { ffmpegVersions } = await import('../server/media/ffmpeg/runner.js');
  const { SearchEngine } = await import('../server/search/engine.js');
  const { openSqliteStore } = await import('../server/store/sqlite/index.js');
  const { startWorkers } = await import('../workers/setup.js');
  configureLogger('silent');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pipeline-'));
  const config = loadConfig({ DATA_DIR: path.join(dir, 'data'), UPLOADS_DIR: path.join(dir, 'uploads'), LOG_LEVEL: 'silent' });
  fs.mkdirSync(config.dataDir, { recursive: true });
  const store = openSqliteStore(config.dataDir);
  // search plays no part in ingest; an unreachable engine keeps Meilisearch out of the measurement
  const search = new SearchEngine({ url: 'http://127.0.0.1:9', apiKey: 'x' });
  const { services } = createApp({ config, store, search, tools: ffmpegVersions });
  const admin = await services.users.create({ email: 'bench@example.org', password: 'bench-password-123', role: 'admin' });
  const viewer = { kind: 'user' as const, user: admin, principals: [`user:${admin.id}`], via: 'token' as const, tokenId: 'bench' };
  const interview = await services.interviews.create(viewer, { title: 'Bench', people: [], language: 'de', keywords: [], visibility: 'private' });
  const tmp = path.join(config.uploadsDir, 'tmp', 'uploads', crypto.randomUUID());
  fs.mkdirSync(path.dirname(tmp), { recursive: true });
  fs.copyFileSync(input, tmp);
  // the upload computes SHA-256 while streaming; here it is known before "upload complete"
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(tmp)) hash.update(chunk as Buffer);
  const sha256 = hash.digest('hex');
  const sizeBytes = fs.statSync(tmp).size;

  let ffmpegPeakKb = 0;
  const sampler = setInterval(() => { ffmpegPeakKb = Math.max(ffmpegPeakKb, childrenPeakKb()); }, 100);
  const c0 = { ...cpuNow(), node: process.cpuUsage() };
  const t0 = performance.now();
  // the production poll interval (1 s; an enqueue pokes the worker at once): a 50 ms poll was bench overhead counted
  // as pipeline CPU
  const workers = startWorkers(config, store, services.queue, { pollMs: 1000, concurrency: 1 });
  services.queue.on('enqueued', () => workers.worker.poke());
  const medium = await services.media.ingest({ viewer, interviewId: interview.id, tmpPath: tmp, sha256, sizeBytes, originalFilename: path.basename(input) });
  let hlsReady = 0;
  const progress: number[] = [];
  for (;;) {
    const m = await store.media.findById(medium.id);
    if (m && progress.at(-1) !== m.progress) progress.push(m.progress);
    if (!hlsReady && m?.derivatives.hls) hlsReady = (performance.now() - t0) / 1000;
    if (m?.status === 'ready') break;
    if (m?.status === 'failed') throw new Error(`pipeline failed: ${m.error}`);
    // 250 ms: the watcher's own store reads run in the worker's process and count as its CPU
    await new Promise((r) => setTimeout(r, 250));
  }
  const wall = (performance.now() - t0) / 1000;
  const c1 = cpuNow();
  const node = process.cpuUsage(c0.node);
  clearInterval(sampler);
  const jobs = (await store.jobs.listByMedia(medium.id)).map((j) => `${j.name}:${j.status}`);
  await workers.stop();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const result: PipelineResult = {
    wall, hlsReady, jobs,
    cpu: (node.user + node.system) / 1e6 + (c1.children - c0.children),
    cpuChildren: c1.children - c0.children,
    cpuNode: (node.user + node.system) / 1e6,
    durationSec: medium.technical.durationSec,
    nodePeakMb: process.resourceUsage().maxRSS / 1024,
    ffmpegPeakMb: ffmpegPeakKb / 1024,
    progressSteps: progress.length,
    progressMonotonic: progress.every((p, i) => i === 0 || p >= progress[i - 1]!),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function pipeline(input: string): Promise<PipelineResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, '--child', input], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`pipeline child exited with ${code}: ${out.slice(-500)}`));
      resolve(JSON.parse(line) as PipelineResult);
    });
  });
}

async function main(): Promise<void> {
  if (values.child) return pipelineChild(values.child);
  const inputs = makeInputs();
  const load = os.loadavg()[0]!.toFixed(2);
  process.stdout.write(`bench/ingest on ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}; load average at start ${load} (shared machine: compare ratios)\n\n`);
  const rows: string[][] = [];
  const results: string[] = [];
  for (const x of inputs) {
    const p = await pipeline(x.file);
    // each measurement as soon as it is taken, so a long run that is cut short still tells something
    process.stdout.write(`${x.name}: pipeline ${p.wall.toFixed(1)} s wall / ${p.cpu.toFixed(1)} s cpu, HLS ready ${p.hlsReady.toFixed(1)} s, ` +
      `worker peak RSS node ${p.nodePeakMb.toFixed(0)} MB + ffmpeg ${p.ffmpegPeakMb.toFixed(0)} MB = ${(p.nodePeakMb + p.ffmpegPeakMb).toFixed(0)} MB, ` +
      `cpu ffmpeg ${p.cpuChildren.toFixed(1)} s + node ${p.cpuNode.toFixed(1)} s, jobs ${p.jobs.join(' ')}\n`);
    let b: Timed = { wall: 0, cpu: 0 };
    let l: Timed = { wall: 0, cpu: 0 };
    await inTmp('bench-bare-', async (out) => {
      const cmds = pipelineCommands(x, out);
      b = await timed(async () => { for (const c of cmds) await run(c, out); });
      process.stdout.write(`${x.name}: bare ${b.wall.toFixed(1)} s wall / ${b.cpu.toFixed(1)} s cpu\n`);
    });
    await inTmp('bench-limit-', async (out) => {
      const cmd = limitCommand(x, out);
      l = await timed(() => run(cmd, out));
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
    results.push(`RESULT ${x.name} pipeline÷limit=${(p.cpu / l.cpu).toFixed(3)} realtime=${(p.durationSec / p.wall).toFixed(1)}`);
  }
  const head = ['input', 'limit s wall/cpu', 'bare s wall/cpu', 'pipeline s wall/cpu', 'pipe÷bare', 'pipe÷limit', 'cpu pipe÷limit',
    '× realtime', 'HLS ready s', 'worker peak RSS MB node + ffmpeg', 'progress', 'jobs'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n\n`);
  process.stdout.write('pipeline÷limit in RESULT is on the CPU basis: user+sys CPU seconds of pipeline (worker Node process + its ffmpeg/ffprobe\n' +
    'children) ÷ limit (its ffmpeg child), measured in the same run; wall-clock ratios are in the table for reference only.\n');
  process.stdout.write(`${results.join('\n')}\n`);
  process.stdout.write(`\nload average at end ${os.loadavg()[0]!.toFixed(2)}; goals: pipeline÷limit ≤ 1.15 each, 30-min speech ≥ 40× realtime, 3-hour worker RSS ≤ 300 MB\n` +
    `(worker RSS = peak of the Node worker process + the largest peak of its ffmpeg children, an upper bound; ` +
    `× realtime and HLS ready are wall-clock and slow down with the machine's load)\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
