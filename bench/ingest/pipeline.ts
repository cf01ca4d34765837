// bench/ingest pipeline: the real ingest (MediaService.ingest: ffprobe, decode check, move; then the job worker running
// the chain with leases, progress, ffprobe verification, hashing and publishing) in a fresh Node process, from "upload
// complete" until the medium is `ready`. Only that process and its ffmpeg/ffprobe children are measured: the watcher
// (reading the medium's status and progress from the SQLite file) and the RSS sampler run in the bench's own process,
// because in production nobody polls the worker 4 times a second, and their CPU is not pipeline work.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import { cpuNow, treePeakKb } from './measure.js';

export interface PipelineResult {
  wall: number;
  cpu: number;
  cpuChildren: number;
  cpuNode: number;
  hlsReady: number;
  durationSec: number;
  jobs: string[];
  nodePeakMb: number;
  ffmpegPeakMb: number;
  progressSteps: number;
  progressMonotonic: boolean;
}

interface ChildReport {
  cpuChildren: number;
  cpuNode: number;
  durationSec: number;
  jobs: string[];
  nodePeakMb: number;
}

const say = (tag: string, body: unknown) => process.stdout.write(`${tag} ${JSON.stringify(body)}\n`);

/** Runs in a fresh Node process (`--child <input>`): ingests, reports the medium, waits for `stop`, reports its CPU. */
export async function pipelineChild(input: string): Promise<void> {
  const { createApp } = await import('../../server/app.js');
  const { loadConfig } = await import('../../server/config.js');
  const { configureLogger } = await import('../../server/logger.js');
  const { ffmpegVersions } = await import('../../server/media/ffmpeg/runner.js');
  const { SearchEngine } = await import('../../server/search/engine.js');
  const { openSqliteStore } = await import('../../server/store/sqlite/index.js');
  const { startWorkers } = await import('../../workers/setup.js');
  configureLogger('silent');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pipeline-'));
  const config = loadConfig({
    DATA_DIR: path.join(dir, 'data'),
    UPLOADS_DIR: path.join(dir, 'uploads'),
    LOG_LEVEL: 'silent',
  });
  fs.mkdirSync(config.dataDir, { recursive: true });
  const store = openSqliteStore(config.dataDir);
  // search plays no part in ingest; an unreachable engine keeps Meilisearch out of the measurement
  const search = new SearchEngine({ url: 'http://127.0.0.1:9', apiKey: 'x' });
  const { services } = createApp({ config, store, search, tools: ffmpegVersions });
  const admin = await services.users.create({
    email: 'bench@example.org',
    password: 'bench-password-123',
    role: 'admin',
  });
  const viewer = {
    kind: 'user' as const,
    user: admin,
    principals: [`user:${admin.id}`],
    via: 'token' as const,
    tokenId: 'bench',
  };
  const interview = await services.interviews.create(viewer, {
    title: 'Bench',
    people: [],
    language: 'de',
    keywords: [],
    visibility: 'private',
  });
  const tmp = path.join(config.uploadsDir, 'tmp', 'uploads', crypto.randomUUID());
  fs.mkdirSync(path.dirname(tmp), { recursive: true });
  fs.copyFileSync(input, tmp);
  // the upload computes SHA-256 while streaming; here it is known before "upload complete"
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(tmp)) hash.update(chunk as Buffer);
  const sha256 = hash.digest('hex');
  const sizeBytes = fs.statSync(tmp).size;
  const lines = readline.createInterface({ input: process.stdin });
  const stopped = new Promise<void>((resolve) => lines.on('line', (l) => l.trim() === 'stop' && resolve()));

  const c0 = { ...cpuNow(), node: process.cpuUsage() };
  say('START', {});
  // the production poll interval (1 s; an enqueue pokes the worker at once)
  const workers = startWorkers(config, store, services.queue, { pollMs: 1000, concurrency: 1 });
  services.queue.on('enqueued', () => workers.worker.poke());
  const medium = await services.media.ingest({
    viewer,
    interviewId: interview.id,
    tmpPath: tmp,
    sha256,
    sizeBytes,
    originalFilename: path.basename(input),
  });
  say('MEDIUM', { id: medium.id, db: path.join(config.dataDir, 'archive.sqlite') });
  await stopped;
  const c1 = cpuNow();
  const node = process.cpuUsage(c0.node);
  const jobs = (await store.jobs.listByMedia(medium.id)).map((j) => `${j.name}:${j.status}`);
  await workers.stop();
  await store.close();
  lines.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const report: ChildReport = {
    jobs,
    cpuChildren: c1.children - c0.children,
    cpuNode: (node.user + node.system) / 1e6,
    durationSec: medium.technical.durationSec,
    nodePeakMb: process.resourceUsage().maxRSS / 1024,
  };
  say('REPORT', report);
}

interface MediumRow {
  status: string;
  progress: number;
  derivatives: string;
  error: string | null;
}

/** Starts the child, watches its medium from here until `ready`, then has it report. */
export function pipeline(input: string): Promise<PipelineResult> {
  return new Promise((resolve, reject) => {
    // BENCH_INGEST_CHILD_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`: profile the measured worker alone
    const extra = process.env.BENCH_INGEST_CHILD_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...extra, ...process.execArgv, process.argv[1]!, '--child', input], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let t0 = 0;
    let wall = 0;
    let hlsReady = 0;
    let ffmpegPeakKb = 0;
    const progress: number[] = [];
    let failure: Error | null = null;
    const sampler = setInterval(() => {
      ffmpegPeakKb = Math.max(ffmpegPeakKb, treePeakKb(child.pid!).descendants);
    }, 100);
    const watch = (id: string, file: string): void => {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      const read = db.prepare<[string], MediumRow>(
        'SELECT status, progress, derivatives, error FROM media WHERE id = ?',
      );
      const tick = (): void => {
        let m: MediumRow | undefined;
        try {
          m = read.get(id);
        } catch (err) {
          failure = err as Error;
        }
        if (m && progress.at(-1) !== m.progress) progress.push(m.progress);
        if (m && !hlsReady && (JSON.parse(m.derivatives) as { hls?: string }).hls)
          hlsReady = (performance.now() - t0) / 1000;
        if (m?.status === 'failed') failure = new Error(`pipeline failed: ${m.error}`);
        if (m?.status === 'ready' || failure) {
          wall = (performance.now() - t0) / 1000;
          db.close();
          child.stdin.end('stop\n');
          return;
        }
        setTimeout(tick, 250);
      };
      tick();
    };
    let report: ChildReport | null = null;
    const rl = readline.createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      const [tag, body = '{}'] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
      if (tag === 'START') t0 = performance.now();
      else if (tag === 'MEDIUM') {
        const m = JSON.parse(body) as { id: string; db: string };
        watch(m.id, m.db);
      } else if (tag === 'REPORT') report = JSON.parse(body) as ChildReport;
    });
    child.on('close', (code) => {
      clearInterval(sampler);
      if (failure) return reject(failure);
      if (code !== 0 || !report) return reject(new Error(`pipeline child exited with ${code}`));
      const r: ChildReport = report;
      resolve({
        ...r,
        wall,
        hlsReady,
        cpu: r.cpuNode + r.cpuChildren,
        ffmpegPeakMb: ffmpegPeakKb / 1024,
        progressSteps: progress.length,
        progressMonotonic: progress.every((p, i) => i === 0 || p >= progress[i - 1]!),
      });
    });
  });
}
