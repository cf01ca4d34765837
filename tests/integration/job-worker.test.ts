// The job machinery with test handlers (not the media handlers), on both stores — a real SQLite file and the
// MongoDB adapter on the run's FerretDB: leases, exclusivity between workers, retries with backoff, terminal failure,
// cancellation, lease expiry and the start-up handler check. The tests talk to the store through its repositories
// only (plus a job count per status), so both adapters are held to the same behaviour.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { JobQueue } from '../../server/jobs/queue.js';
import { jobNames, retryDelayMs } from '../../server/jobs/definitions.js';
import { moduleLogger } from '../../server/logger.js';
import type { Store } from '../../server/store/repositories.js';
import type { MongoStore } from '../../server/store/mongo/index.js';
import { readJobStates } from '../../server/store/mongo/jobs.js';
import { openSqliteStore, type SqliteStore } from '../../server/store/sqlite/index.js';
import { needsFerret, openTestMongoStore } from '../helpers/mongo-engine.js';
import {
  assertHandlers,
  JobWorker,
  PermanentJobError,
  type HandlerMap,
  type JobContext,
} from '../../workers/worker.js';
import { createJobTestMedia } from '../helpers/jobs.js';
import { untilWithin } from '../helpers/until.js';

const until = untilWithin(10_000, 20);

/** A store for one test, with a job count per status (no repository method needs one). */
interface JobStore {
  store: Store;
  countJobs(status?: string): Promise<number>;
  /** Before any worker runs: a smaller attempt budget for one job. */
  setMaxAttempts(id: string, n: number): Promise<void>;
}

const sqliteJobStore = async (dir: string): Promise<JobStore> => {
  const store: SqliteStore = openSqliteStore(dir);
  return {
    store,
    countJobs: async (status) =>
      (status
        ? store.db.prepare('SELECT count(*) FROM jobs WHERE status = ?').pluck().get(status)
        : store.db.prepare('SELECT count(*) FROM jobs').pluck().get()) as number,
    setMaxAttempts: async (id, n) => {
      store.db.prepare('UPDATE jobs SET max_attempts = ? WHERE id = ?').run(n, id);
    },
  };
};

const mongoUri = inject('mongoUri');
const mongoJobStore = async (): Promise<JobStore> => {
  const store: MongoStore = await openTestMongoStore(mongoUri, 'schichtbuch_jobs');
  return {
    store,
    // a job's state is in its state records (job_claims), not in its document
    countJobs: async (status) =>
      (await readJobStates(store.models, {})).jobs.filter((j) => !status || j.status === status).length,
    setMaxAttempts: async (id, n) => {
      await store.models.jobs.collection.updateOne({ _id: id as never }, { $set: { maxAttempts: n } });
      // and in the copy its ready-queue entry carries as JSON text (a claim takes the job from there, without a read)
      for (const entry of await store.models.jobQueue.collection.find({ jobId: id }).toArray()) {
        const doc = JSON.parse(entry.docJson as string) as Record<string, unknown>;
        await store.models.jobQueue.collection.updateOne(
          { _id: entry._id },
          { $set: { docJson: JSON.stringify({ ...doc, maxAttempts: n }) } },
        );
      }
    },
  };
};

const adapters: { name: string; open: (dir: string) => Promise<JobStore>; skip: boolean }[] = [
  { name: 'SQLite file', open: sqliteJobStore, skip: false },
  { name: `MongoDB (FerretDB) ${needsFerret}`, open: mongoJobStore, skip: !mongoUri },
];

for (const adapter of adapters)
  describe.skipIf(adapter.skip)(`durable jobs with test handlers: ${adapter.name}`, () => {
    let dir: string;
    let store: Store;
    let jobStore: JobStore;
    let queue: JobQueue;
    const workers: JobWorker[] = [];
    const statusOf = async (id: string) => (await store.jobs.findById(id))?.status;

    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-jobs-'));
      jobStore = await adapter.open(dir);
      store = jobStore.store;
      queue = new JobQueue(store.jobs, moduleLogger('jobs'));
    });
    afterEach(async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const makeWorker = (
      handlers: Partial<HandlerMap>,
      extra: Partial<ConstructorParameters<typeof JobWorker>[0]> = {},
    ) => {
      const noop = async () => undefined;
      const w = new JobWorker({
        store,
        queue,
        uploadsDir: dir,
        concurrency: 2,
        logger: moduleLogger('test-worker'),
        pollMs: 20,
        handlers: { ...Object.fromEntries(jobNames.map((n) => [n, noop])), ...handlers } as HandlerMap,
        ...extra,
      });
      workers.push(w);
      return w;
    };
    /** One job per medium; the media rows are real (jobs reference them), their files are never touched here. */
    const enqueue = async (n: number) => {
      const { mediaIds } = await createJobTestMedia(store, n);
      const ids: string[] = [];
      for (const mediaId of mediaIds)
        ids.push((await queue.enqueue({ name: 'media.waveform', payload: { v: 1, mediaId } })).id);
      return ids;
    };

    it('start-up fails unless every job name has exactly one handler', () => {
      const all = Object.fromEntries(jobNames.map((n) => [n, () => 0]));
      expect(() => assertHandlers(all)).not.toThrow();
      const { 'media.waveform': _dropped, ...withoutWaveform } = all;
      expect(() => assertHandlers(withoutWaveform)).toThrow(/missing \[media.waveform\]/);
      expect(() => assertHandlers({ ...all, 'media.extra': () => 0 })).toThrow(/unknown \[media.extra\]/);
    });

    it('enqueue validates the payload and keeps one active job per name and medium', async () => {
      await expect(
        queue.enqueue({ name: 'media.waveform', payload: { v: 1, mediaId: 'nope' } } as never),
      ).rejects.toThrow();
      expect(await jobStore.countJobs()).toBe(0);
      const [first] = await enqueue(1);
      const mediaId = (await store.jobs.findById(first!))!.mediaId!;
      const again = await queue.enqueue({ name: 'media.waveform', payload: { v: 1, mediaId } });
      expect(again.id).toBe(first);
      const other = await queue.enqueue({ name: 'media.artwork', payload: { v: 1, mediaId } });
      expect(other.id).not.toBe(first);
    });

    it('two workers on one store never run the same job; every job runs exactly once', async () => {
      const ids = await enqueue(30);
      const runs = new Map<string, string[]>();
      const handler = (owner: string) => async (ctx: JobContext<'media.waveform'>) => {
        runs.set(ctx.job.id, [...(runs.get(ctx.job.id) ?? []), owner]);
        await new Promise((r) => setTimeout(r, 5));
      };
      const a = makeWorker({ 'media.waveform': handler('a') }, { owner: 'a' });
      const b = makeWorker({ 'media.waveform': handler('b') }, { owner: 'b' });
      a.start();
      b.start();
      await until(async () => (await jobStore.countJobs('done')) === 30, 30_000);
      expect([...runs.keys()].sort()).toEqual([...ids].sort());
      expect([...runs.values()].every((owners) => owners.length === 1)).toBe(true);
      const byOwner = [...runs.values()].flat();
      expect(byOwner.filter((o) => o === 'a').length).toBeGreaterThan(0);
      expect(byOwner.filter((o) => o === 'b').length).toBeGreaterThan(0);
    });

    it('a failing job is retried with backoff and fails for good after maxAttempts, keeping the error', async () => {
      const [id] = await enqueue(1);
      await jobStore.setMaxAttempts(id!, 3);
      let calls = 0;
      const w = makeWorker({
        'media.waveform': async () => {
          calls++;
          throw new Error(`ffmpeg said no (${calls})`);
        },
      });
      w.start();
      // let the backoff pass at once instead of waiting 5 + 10 s (through the store, as when search comes back)
      const clock = setInterval(
        () => void store.jobs.expedite(['media.waveform'], new Date()).catch(() => undefined),
        20,
      );
      await until(async () => (await statusOf(id!)) === 'failed', 20_000).finally(() => clearInterval(clock));
      const job = await store.jobs.findById(id!);
      expect(calls).toBe(3);
      expect(job).toMatchObject({ status: 'failed', attempts: 3, error: 'ffmpeg said no (3)' });
      expect(job?.finishedAt).not.toBeNull();
    });

    it('backoff grows exponentially with jitter and is capped', () => {
      expect(retryDelayMs(1, () => 0.5)).toBe(5_000);
      expect(retryDelayMs(2, () => 0.5)).toBe(10_000);
      expect(retryDelayMs(4, () => 0.5)).toBe(40_000);
      expect(retryDelayMs(30, () => 0.5)).toBe(300_000);
      expect(retryDelayMs(1, () => 0)).toBe(4_000);
      expect(retryDelayMs(1, () => 1)).toBe(6_000);
    });

    it('after a failure the job waits for its backoff before it runs again', async () => {
      const [id] = await enqueue(1);
      const w = makeWorker({
        'media.waveform': async () => {
          throw new Error('once');
        },
      });
      w.start();
      await until(async () => {
        const j = await store.jobs.findById(id!);
        return j?.status === 'queued' && j.attempts === 1;
      });
      const job = await store.jobs.findById(id!);
      const waitMs = Date.parse(job!.runAfter) - Date.now();
      expect(waitMs).toBeGreaterThan(3_000);
      expect(waitMs).toBeLessThan(6_100);
    });

    it('a permanent error fails at once without retries', async () => {
      const [id] = await enqueue(1);
      const w = makeWorker({
        'media.waveform': async () => {
          throw new PermanentJobError('medium gone');
        },
      });
      w.start();
      await until(async () => (await statusOf(id!)) === 'failed');
      expect((await store.jobs.findById(id!))?.attempts).toBe(1);
    });

    it('a running job whose lease expires (worker died) is queued again and completed by another worker', async () => {
      const [id] = await enqueue(1);
      // a "dead" worker: claims, then never renews
      const claimed = await store.jobs.claim('dead-worker', 100, new Date());
      expect(claimed?.id).toBe(id);
      await new Promise((r) => setTimeout(r, 150));
      expect(await store.jobs.requeueExpired(new Date())).toEqual({ requeued: 1, failed: 0 });
      const w = makeWorker({});
      w.start();
      await until(async () => (await statusOf(id!)) === 'done');
      expect((await store.jobs.findById(id!))?.attempts).toBe(2);
    });

    it('cancelling a running job aborts its handler through the signal; its work directory is removed', async () => {
      const [id] = await enqueue(1);
      let aborted = false;
      let workDir = '';
      const w = makeWorker(
        {
          'media.waveform': async (ctx) => {
            workDir = ctx.workDir;
            fs.writeFileSync(path.join(ctx.workDir, 'partial.bin'), 'x');
            await new Promise<void>((resolve) =>
              ctx.signal.addEventListener('abort', () => {
                aborted = true;
                resolve();
              }),
            );
          },
        },
        { leaseMs: 300 },
      );
      w.start();
      await until(() => w.activeJobIds.includes(id!));
      // cancelled in the store (as deleting the medium does); the worker learns it from its next heartbeat
      expect(await store.jobs.cancelByMedia((await store.jobs.findById(id!))!.mediaId!, new Date())).toEqual([id]);
      await until(() => aborted, 3_000);
      await until(() => !w.activeJobIds.includes(id!));
      expect(fs.existsSync(workDir)).toBe(false);
      expect(await statusOf(id!)).toBe('cancelled');
    });

    it('stopping a worker returns its running job to the queue at once', async () => {
      const [id] = await enqueue(1);
      // (the abort may come before the handler listens: a loaded machine runs stop() before the handler's first line)
      const w = makeWorker({
        'media.waveform': (ctx) =>
          new Promise((resolve) =>
            ctx.signal.aborted ? resolve() : ctx.signal.addEventListener('abort', () => resolve()),
          ),
      });
      w.start();
      await until(() => w.activeJobIds.includes(id!));
      await w.stop();
      const job = await store.jobs.findById(id!);
      expect(job).toMatchObject({ status: 'queued', leaseOwner: null });
      expect(Date.parse(job!.runAfter)).toBeLessThanOrEqual(Date.now());
    });
  });

for (const adapter of adapters)
  describe.skipIf(adapter.skip)(`search jobs while one runs: ${adapter.name}`, () => {
    it('a transcript change while its search job runs queues a successor; a retry or lease expiry of the old one is superseded by it', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-jobs2-'));
      const { store } = await adapter.open(dir);
      try {
        const queue = new JobQueue(store.jobs, moduleLogger('jobs'));
        const mediaId = (await createJobTestMedia(store, 1, { status: 'ready' })).mediaIds[0]!;
        const first = await queue.enqueue({ name: 'search.transcript', payload: { v: 1, mediaId } });
        expect((await queue.enqueue({ name: 'search.transcript', payload: { v: 1, mediaId } })).id).toBe(first.id);
        expect((await store.jobs.claim('w', 10_000, new Date()))?.id).toBe(first.id);
        const successor = await queue.enqueue({ name: 'search.transcript', payload: { v: 1, mediaId } });
        expect(successor.id).not.toBe(first.id);
        expect((await queue.enqueue({ name: 'search.transcript', payload: { v: 1, mediaId } })).id).toBe(successor.id);

        // The running one fails with a retry due (Meilisearch was down): the queued successor does the work,
        // the failed attempt is superseded instead of colliding with it on the dedupe key.
        expect(
          await store.jobs.fail(first.id, 'w', 'search engine unavailable', new Date(), new Date(Date.now() + 1000)),
        ).toBe(true);
        expect(await store.jobs.findById(first.id)).toMatchObject({ status: 'cancelled', leaseOwner: null });
        expect((await store.jobs.findById(first.id))?.error).toMatch(/superseded.*search engine unavailable/);
        expect(await store.jobs.findById(successor.id)).toMatchObject({ status: 'queued' });

        // The same when the successor's worker dies and a third job is queued meanwhile: lease expiry supersedes it.
        expect((await store.jobs.claim('dead', 50, new Date()))?.id).toBe(successor.id);
        const third = await queue.enqueue({ name: 'search.transcript', payload: { v: 1, mediaId } });
        await new Promise((r) => setTimeout(r, 80));
        expect(await store.jobs.requeueExpired(new Date())).toEqual({ requeued: 0, failed: 0 });
        expect(await store.jobs.findById(successor.id)).toMatchObject({ status: 'cancelled' });
        expect(await store.jobs.findById(third.id)).toMatchObject({ status: 'queued' });

        // Without a queued twin a retry goes back to the queue as before.
        expect((await store.jobs.claim('w', 10_000, new Date()))?.id).toBe(third.id);
        expect(await store.jobs.fail(third.id, 'w', 'again', new Date(), new Date(Date.now() + 1000))).toBe(true);
        expect(await store.jobs.findById(third.id)).toMatchObject({ status: 'queued', error: 'again' });
      } finally {
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
