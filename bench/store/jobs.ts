// The claim + complete part of bench/store.ts: `--jobs` queued jobs drained by `--workers` OS processes (bench/store.ts
// in worker mode, each with its own store connection), each claiming and completing until the queue is empty.
import { spawn } from 'node:child_process';
import type { Store } from '../../server/store/repositories.js';
import type { MongoEngine } from '../../tests/helpers/mongo-engine.js';
import { job } from './fixtures.js';
import { cpuSecondsOf, selfCpu, sleep, type Phase } from './measure.js';

export type Kind = 'sqlite' | 'mongodb';

interface WorkerReport {
  owner: string;
  ran: string[];
  claimMs: number[];
  completeMs: number[];
  lost: number;
  busy: number;
  cpu: number;
}

/**
 * Worker mode: claim + complete until the queue is empty, then print one JSON line. With `slots` > 1 the worker claims
 * a job for each of its slots in one call (JobRepository.claimMany, as JobWorker does) and runs them side by side —
 * each completed on its own, at once — then claims again.
 */
export async function runWorker(kind: Kind, store: Store, owner: string, slots: number): Promise<void> {
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  const ran: string[] = [];
  const claimMs: number[] = [];
  const completeMs: number[] = [];
  let lost = 0;
  let busy = 0;
  // SQLite answers SQLITE_BUSY when the write lock stays taken past its busy timeout (5 s; seen on this shared
  // machine under load): the statement did not run, so it is retried — and counted, the table reports it
  const retried = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        if ((err as { kind?: string }).kind !== 'unavailable' || kind !== 'sqlite') throw err;
        busy++;
      }
    }
  };
  const claim = async () => {
    if (slots > 1) return store.jobs.claimMany(owner, 60_000, new Date(), slots);
    const one = await store.jobs.claim(owner, 60_000, new Date());
    return one ? [one] : [];
  };
  const cpu0 = selfCpu();
  for (;;) {
    const t0 = performance.now();
    const claimed = await retried(claim);
    if (claimed.length === 0) break;
    claimMs.push(performance.now() - t0);
    await Promise.all(
      claimed.map(async (job) => {
        ran.push(job.id);
        const t1 = performance.now();
        if (!(await retried(() => store.jobs.complete(job.id, owner, new Date())))) lost++;
        completeMs.push(performance.now() - t1);
      }),
    );
  }
  const cpu = selfCpu() - cpu0;
  await store.close();
  process.stdout.write(`${JSON.stringify({ owner, ran, claimMs, completeMs, lost, busy, cpu })}\n`);
}

export interface Drained {
  claim: Phase;
  complete: Phase;
  claimsPerSecond: number;
  perWorker: number[];
  busy: number;
  /** jobs per claim call (1 with one slot) */
  perCall: number;
}

/** Enqueues `jobCount` jobs, then lets `workerCount` worker processes (`script` in worker mode) drain them. */
export async function drainJobs(opts: {
  kind: Kind;
  location: string;
  store: Store;
  engine: MongoEngine | null;
  jobCount: number;
  workerCount: number;
  slots: number;
  script: string;
}): Promise<Drained> {
  const { kind, location, store, engine, jobCount, workerCount, slots } = opts;
  const ids = new Set<string>();
  for (let n = 0; n < jobCount; n++) ids.add((await store.jobs.enqueue(job(n))).job.id);
  const workers = Array.from({ length: workerCount }, (_, i) => {
    const child = spawn(
      process.execPath,
      [
        ...process.execArgv,
        opts.script,
        ...['--worker', kind, '--location', location, '--owner', `bench-${i + 1}`, '--slots', String(slots)],
      ],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, LOG_LEVEL: 'silent' },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const exited = new Promise<WorkerReport>((resolve, reject) =>
      child.once('exit', (code) => {
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (code !== 0 || !line) reject(new Error(`bench worker ${i + 1} failed (${code}): ${err}`));
        else resolve(JSON.parse(line) as WorkerReport);
      }),
    );
    const ready = async () => {
      while (!out.includes('ready\n')) {
        if (child.exitCode !== null) throw new Error(`bench worker exited: ${err}`);
        await sleep(10);
      }
    };
    return { child, ready, exited };
  });
  try {
    for (const w of workers) await w.ready();
    const enginePid = engine?.process.pid;
    const c0 = selfCpu() + (enginePid ? cpuSecondsOf(enginePid) : 0);
    const t0 = performance.now();
    for (const w of workers) w.child.stdin!.write('go\n');
    const reports = await Promise.all(workers.map((w) => w.exited));
    const wall = (performance.now() - t0) / 1000;
    const cpu = selfCpu() + (enginePid ? cpuSecondsOf(enginePid) : 0) - c0 + reports.reduce((s, r) => s + r.cpu, 0);
    const runs = reports.flatMap((r) => r.ran);
    const unique = new Set(runs);
    if (
      runs.length !== jobCount ||
      unique.size !== jobCount ||
      [...ids].some((id) => !unique.has(id)) ||
      reports.some((r) => r.lost > 0)
    ) {
      throw new Error(
        `${kind}: exclusiveness broken — ${runs.length} runs, ${unique.size} distinct of ${jobCount} jobs, lost completions ${reports.map((r) => r.lost).join('/')}`,
      );
    }
    return {
      claim: { samples: reports.flatMap((r) => r.claimMs), cpu, wall },
      complete: { samples: reports.flatMap((r) => r.completeMs), cpu: NaN, wall },
      claimsPerSecond: jobCount / wall,
      perWorker: reports.map((r) => r.ran.length),
      busy: reports.reduce((n, r) => n + r.busy, 0),
      perCall: runs.length / reports.reduce((n, r) => n + r.claimMs.length, 0),
    };
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  }
}
