// Claiming is exclusive under real concurrency: 4 OS processes share one store and 200 jobs (CLAIM_TEST_JOBS to
// change it); every job runs exactly once. Two of them claim one job per call, two claim 4 at once (claimMany). On SQLite (a file, WAL) and on the MongoDB adapter (FerretDB, where the
// claim is a unique insert per job generation, not findOneAndUpdate). Prints the claims per second it measured
// (claim + complete per job; the machine is shared, so read it as an order of magnitude, not a benchmark).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { Store } from '../../server/store/repositories.js';
import { openMongoStore } from '../../server/store/mongo/index.js';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import type { JobRecord } from '../../server/store/types.js';
import { needsFerret, withDatabase } from '../helpers/mongo-engine.js';
import { queuedJobRecord } from '../helpers/jobs.js';

const PROCESSES = 4;
const JOBS = Number(process.env.CLAIM_TEST_JOBS ?? 200);
const root = path.resolve(import.meta.dirname, '../..');
const mongoUri = inject('mongoUri');

interface Report {
  owner: string;
  ran: string[];
  lostCompletions: number;
  ms: number;
}

function startWorker(kind: 'sqlite' | 'mongodb', location: string, owner: string, slots: number) {
  const child = spawn(
    path.join(root, 'node_modules/.bin/tsx'),
    ['tests/integration/helpers/claim-worker.ts', kind, location, owner, String(slots)],
    {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    },
  ) as ChildProcessWithoutNullStreams;
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const ready = new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (out.includes('ready\n')) {
        clearInterval(check);
        resolve();
      }
    }, 20);
    child.once('exit', (code) => {
      clearInterval(check);
      reject(new Error(`worker ${owner} exited (${code}) before ready: ${err}`));
    });
  });
  const report = new Promise<Report>((resolve, reject) =>
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`worker ${owner} failed (${code}): ${err}`));
      else resolve(JSON.parse(line) as Report);
    }),
  );
  return { child, ready, report };
}

const job = (n: number): JobRecord => queuedJobRecord('search.reindex-test', { v: 1, n });

async function runContest(kind: 'sqlite' | 'mongodb', location: string, store: Store): Promise<void> {
  const ids = new Set<string>();
  for (let n = 0; n < JOBS; n++) ids.add((await store.jobs.enqueue(job(n))).job.id);
  const workers = Array.from({ length: PROCESSES }, (_, i) =>
    startWorker(kind, location, `proc-${i + 1}`, i % 2 === 0 ? 1 : 4),
  );
  try {
    await Promise.all(workers.map((w) => w.ready));
    const t0 = performance.now();
    for (const w of workers) w.child.stdin.write('go\n');
    const reports = await Promise.all(workers.map((w) => w.report));
    const seconds = (performance.now() - t0) / 1000;

    const runs = reports.flatMap((r) => r.ran);
    expect(runs.length).toBe(JOBS);
    expect(new Set(runs).size).toBe(JOBS);
    expect([...new Set(runs)].sort()).toEqual([...ids].sort());
    expect(reports.every((r) => r.lostCompletions === 0)).toBe(true);
    // they really competed (a fast store may drain the queue before the last process gets going)
    expect(reports.filter((r) => r.ran.length > 0).length).toBeGreaterThanOrEqual(2);
    // single and batched claimers both took jobs (on the engine, where the drain takes seconds; SQLite may drain the
    // queue before the later processes get going)
    if (kind === 'mongodb') {
      expect(reports.some((r, i) => i % 2 === 1 && r.ran.length > 0)).toBe(true);
      expect(reports.some((r, i) => i % 2 === 0 && r.ran.length > 0)).toBe(true);
    }
    for (const id of [...ids].slice(0, 50))
      expect(await store.jobs.findById(id)).toMatchObject({ status: 'done', attempts: 1 });
    console.log(
      `[job-concurrency] ${kind}: ${JOBS} jobs, ${PROCESSES} processes, each exactly once; ` +
        `${(JOBS / seconds).toFixed(0)} claims/s (claim + complete, wall ${seconds.toFixed(1)} s; per process ${reports.map((r) => r.ran.length).join('/')})`,
    );
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  }
}

describe('job claims across 4 OS processes: every job runs exactly once', () => {
  it('SQLite file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-claims-'));
    const store = openSqliteStore(dir);
    try {
      await runContest('sqlite', dir, store);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it.skipIf(!mongoUri)(
    `MongoDB adapter on FerretDB ${needsFerret}`,
    async () => {
      const uri = withDatabase(
        mongoUri || 'mongodb://x',
        `schichtbuch_claims_${crypto.randomBytes(6).toString('hex')}`,
      );
      const store = await openMongoStore(uri);
      try {
        await runContest('mongodb', uri, store);
      } finally {
        await store.dropDatabase();
        await store.close();
      }
    },
    300_000,
  );
});
