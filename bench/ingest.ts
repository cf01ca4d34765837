// bench/ingest — our ingest pipeline against the bare ffmpeg command lines that make the same renditions, in one run.
//
//   npx tsx bench/ingest.ts [--video-seconds 120] [--audio-minutes 30]
//
// Inputs are generated once into bench/.cache: a 720p30 H.264/AAC clip (testsrc2 + tone) and a mono speech MP3
// (espeak-ng -v de, looped to length). "Pipeline" = MediaService.ingest (checksum already known, ffprobe, decode check,
// move) + the job worker running renditions → artwork → waveform with leases, progress, ffprobe verification and
// publishing. "Bare" = the same ffmpeg argument arrays run back to back with no queue, no checks, no Node in between
// (the waveform's PCM decode goes to /dev/null). Goal: pipeline ÷ bare ≤ 1.10.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { configureLogger } from '../server/logger.js';
import {
  audioHlsArgs, audioPosterArgs, m4aArgs, posterArgs, posterTime, storyboardArgs, storyboardPlan, tileHeightFor,
  videoHlsArgs, waveformPcmArgs,
} from '../server/media/ffmpeg/args.js';
import { ffmpegVersions } from '../server/media/ffmpeg/runner.js';
import { SearchEngine } from '../server/search/engine.js';
import { openSqliteStore } from '../server/store/sqlite/index.js';
import { startWorkers } from '../workers/setup.js';

const { values } = parseArgs({
  options: { 'video-seconds': { type: 'string', default: '120' }, 'audio-minutes': { type: 'string', default: '30' } },
});
const videoSeconds = Number(values['video-seconds']);
const audioSeconds = Number(values['audio-minutes']) * 60;
const cache = path.resolve('bench/.cache');
fs.mkdirSync(cache, { recursive: true });

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr?.toString().slice(-500)}`);
}

function makeInputs(): { video: string; audio: string } {
  const video = path.join(cache, `clip-720p-${videoSeconds}s.mp4`);
  if (!fs.existsSync(video)) {
    process.stdout.write(`generating ${path.basename(video)} …\n`);
    sh('ffmpeg', ['-hide_banner', '-y', '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=30:duration=${videoSeconds}`,
      '-f', 'lavfi', '-i', `sine=frequency=220:sample_rate=48000:duration=${videoSeconds}`,
      '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '4M', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', video]);
  }
  const audio = path.join(cache, `speech-mono-${audioSeconds}s.mp3`);
  if (!fs.existsSync(audio)) {
    process.stdout.write(`generating ${path.basename(audio)} …\n`);
    const wav = path.join(cache, 'speech.wav');
    sh('espeak-ng', ['-v', 'de', '-s', '150', '-w', wav,
      'Ich habe dreißig Jahre im Tagebau Golpa-Nord gearbeitet, zuerst als Schlosser, später an der Förderbrücke. ' +
      'Die Schicht begann um sechs Uhr früh, und im Winter war es bitterkalt auf dem Bagger. ' +
      'Nach der Wende wurde der Tagebau stillgelegt, und aus dem Gelände wurde Ferropolis, die Stadt aus Eisen.']);
    sh('ffmpeg', ['-hide_banner', '-y', '-stream_loop', '-1', '-i', wav, '-t', String(audioSeconds), '-ac', '1', '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '96k', audio]);
  }
  return { video, audio };
}

function run(args: string[]): Promise<void> {
  // bare: progress off, output ignored — exactly what a person would type
  const bare = args.filter((a, i) => !(a === '-progress' || args[i - 1] === '-progress'));
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', bare, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg ${code}: ${err.slice(-400)}`))));
  });
}

async function bare(input: string, kind: 'audio' | 'video', durationSec: number, w: number, h: number): Promise<number> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bare-'));
  const t0 = performance.now();
  if (kind === 'video') {
    fs.mkdirSync(path.join(out, 'hls'));
    await run(videoHlsArgs({ input, outDir: path.join(out, 'hls'), source: { width: w, height: h, fps: 30 }, hasAudio: true }));
    await run(m4aArgs({ input, output: path.join(out, 'download.m4a') }));
    await run(posterArgs({ input, output: path.join(out, 'poster.jpg'), atSeconds: posterTime(durationSec) }));
    const plan = storyboardPlan(durationSec);
    await run(storyboardArgs({ input, output: path.join(out, 'sprite.jpg'), ...plan, tileWidth: 160, tileHeight: tileHeightFor(w, h) }));
  } else {
    fs.mkdirSync(path.join(out, 'hls'));
    await run(audioHlsArgs({ input, outDir: path.join(out, 'hls'), channels: 1 }));
    await run(m4aArgs({ input, output: path.join(out, 'download.m4a'), channels: 1 }));
    await run(audioPosterArgs({ input, output: path.join(out, 'poster.jpg') }));
  }
  await run([...waveformPcmArgs({ input }).slice(0, -1), '-y', '/dev/null']);
  const seconds = (performance.now() - t0) / 1000;
  fs.rmSync(out, { recursive: true, force: true });
  return seconds;
}

async function pipeline(input: string): Promise<{ seconds: number; durationSec: number; jobs: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pipeline-'));
  const config = loadConfig({ DATA_DIR: path.join(dir, 'data'), UPLOADS_DIR: path.join(dir, 'uploads'), LOG_LEVEL: 'silent' });
  fs.mkdirSync(config.dataDir, { recursive: true });
  const store = openSqliteStore(config.dataDir);
  // search plays no part in ingest; an unreachable engine keeps Meilisearch out of the measurement
  const search = new SearchEngine({ url: 'http://127.0.0.1:9', apiKey: 'x' });
  const { services } = createApp({ config, store, search, tools: ffmpegVersions });
  const admin = await services.users.create({ email: 'bench@example.org', password: 'bench-password-123', role: 'admin' });
  const viewer = { kind: 'user' as const, user: admin, principals: [`user:${admin.id}`], via: 'token' as const, tokenId: 'bench' };
  const interview = await services.interviews.create(viewer, {
    title: 'Bench', people: [], language: 'de', keywords: [], visibility: 'private',
  });
  const tmp = path.join(config.uploadsDir, 'tmp', 'uploads', crypto.randomUUID());
  fs.mkdirSync(path.dirname(tmp), { recursive: true });
  fs.copyFileSync(input, tmp);
  const sha256 = crypto.createHash('sha256').update(fs.readFileSync(tmp)).digest('hex');
  const sizeBytes = fs.statSync(tmp).size;

  const t0 = performance.now();
  const workers = startWorkers(config, store, services.queue, { pollMs: 50, concurrency: 1 });
  services.queue.on('enqueued', () => workers.worker.poke());
  const medium = await services.media.ingest({ viewer, interviewId: interview.id, tmpPath: tmp, sha256, sizeBytes, originalFilename: path.basename(input) });
  for (;;) {
    const m = await store.media.findById(medium.id);
    if (m?.status === 'ready') break;
    if (m?.status === 'failed') throw new Error(`pipeline failed: ${m.error}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (performance.now() - t0) / 1000;
  const jobs = (await store.jobs.listByMedia(medium.id)).length;
  await workers.stop();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { seconds, durationSec: medium.technical.durationSec, jobs };
}

async function main(): Promise<void> {
  configureLogger('silent');
  const { video, audio } = makeInputs();
  process.stdout.write(`bench/ingest on ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}\n\n`);
  const rows: string[][] = [];
  for (const [label, input, kind] of [
    [`720p30 clip ${videoSeconds} s`, video, 'video'],
    [`mono speech ${audioSeconds / 60} min`, audio, 'audio'],
  ] as const) {
    const p = await pipeline(input);
    const b = await bare(input, kind, p.durationSec, 1280, 720);
    rows.push([label, b.toFixed(1), p.seconds.toFixed(1), (p.seconds / b).toFixed(3), (p.durationSec / p.seconds).toFixed(1), (p.durationSec / b).toFixed(1)]);
  }
  const head = ['input', 'bare ffmpeg s', 'pipeline s', 'pipeline ÷ bare', 'pipeline × realtime', 'bare × realtime'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
  process.stdout.write('\ngoal: pipeline ÷ bare ≤ 1.10\n');
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
