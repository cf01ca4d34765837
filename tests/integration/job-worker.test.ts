// The job machinery on a real SQLite file with test handlers (not the media handlers): leases, exclusivity between
// workers, retries with backoff, terminal failure, cancellation, lease expiry and the start-up handler check.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobQueue } from '../../server/jobs/queue.js';
import { jobNames, retryDelayMs } from '../../server/jobs/definitions.js';
import { moduleLogger } from '../../server/logger.js';
import { openSqliteStore, type SqliteStore } from '../../server/store/sqlite/index.js';
import { assertHandlers, JobWorker, PermanentJobError, type HandlerMap, type JobContext } from '../../workers/worker.js';

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('durable jobs with test handlers', () => {
  let dir: string;
  let store: SqliteStore;
  let queue: JobQueue;
  const workers: JobWorker[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-jobs-'));
    store = openSqliteStore(dir);
    queue = new JobQueue(store.jobs, moduleLogger('jobs'));
    // jobs reference media; these tests use jobs without a medium
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const makeWorker = (handlers: Partial<HandlerMap>, extra: Partial<ConstructorParameters<typeof JobWorker>[0]> = {}) => {
    const noop = async () => undefined;
    const w = new JobWorker({
      store, queue, uploadsDir: dir, concurrency: 2, logger: moduleLogger('test-worker'), pollMs: 20,
      handlers: { ...Object.fromEntries(jobNames.map((n) => [n, noop])), ...handlers } as HandlerMap,
      ...extra,
    });
    workers.push(w);
    return w;
  };
  /** One job per medium; the media rows are real (jobs reference them), their files are never touched here. */
  const enqueue = async (n: number) => {
    const now = new Date().toISOString();
    const interviewId = crypto.randomUUID();
    await store.interviews.create({
      id: interviewId, collectionId: null, title: 'Jobtest', people: [], recordedAt: null, place: null, language: 'de',
      summary: null, keywords: [], visibility: 'private', status: 'draft', grants: [], embargoUntil: null, embargoListed: false, createdBy: null, createdAt: now, updatedAt: now, version: 1,
    });
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const mediaId = crypto.randomUUID();
      await store.media.create({
        id: mediaId, interviewId, part: i + 1, kind: 'audio', status: 'stored', progress: 0, originalFilename: 'a.wav',
        originalPath: `originals/${interviewId}/${mediaId}/original.wav`, sha256: '0'.repeat(64), sizeBytes: 1,
        technical: { container: 'wav', durationSec: 1, bitRate: null, audio: { codec: 'pcm_s16le', channels: 1, sampleRate: 8000 }, video: null, playableMime: 'audio/wav' },
        derivatives: {}, error: null, renditionRedaction: '', createdBy: null, createdAt: now, updatedAt: now,
      });
      ids.push((await queue.enqueue({ name: 'media.waveform', payload: { v: 1, mediaId } })).id);
    }
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
    await expect(queue.enqueue({ name: 'media.waveform', payload: { v: 1, mediaId: 'nope' } } as never)).rejects.toThrow();
    expect(store.db.prepare('SELECT count(*) FROM jobs').pluck().get()).toBe(0);
    const [first] = await enqueue(1);
    const mediaId = store.db.prepare('SELECT media_id FROM jobs WHERE id = ?').pluck().get(first) as string;
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
    await until(() => store.db.prepare(`SELECT count(*) FROM jobs WHERE status = 'done'`).pluck().get() === 30);
    expect([...runs.keys()].sort()).toEqual([...ids].sort());
    expect([...runs.values()].every((owners) => owners.length === 1)).toBe(true);
    const byOwner = [...runs.values()].flat();
    expect(byOwner.filter((o) => o === 'a').length).toBeGreaterThan(0);
    expect(byOwner.filter((o) => o === 'b').length).toBeGreaterThan(0);
  });

  it('a failing job is retried with backoff and fails for good after maxAttempts, keeping the error', async () => {
    const [id] = await enqueue(1);
    store.db.prepare('UPDATE jobs SET max_attempts = 3 WHERE id = ?').run(id);
    let calls = 0;
    const w = makeWorker({
      'media.waveform': async () => {
        calls++;
        throw new Error(`ffmpeg said no (${calls})`);
      },
    });
    w.start();
    // let the backoff pass at once instead of waiting 5 + 10 s
    const clock = setInterval(() => store.db.prepare(`UPDATE jobs SET run_after = '2000-01-01T00:00:00.000Z' WHERE id = ? AND status = 'queued'`).run(id), 20);
    await until(() => store.db.prepare('SELECT status FROM jobs WHERE id = ?').pluck().get(id) === 'failed').finally(() => clearInterval(clock));
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
    const w = makeWorker({ 'media.waveform': async () => { throw new Error('once'); } });
    w.start();
    await until(() => store.db.prepare('SELECT attempts FROM jobs WHERE id = ? AND status = ?').pluck().get(id, 'queued') === 1);
    const job = await store.jobs.findById(id!);
    const waitMs = Date.parse(job!.runAfter) - Date.now();
    expect(waitMs).toBeGreaterThan(3_000);
    expect(waitMs).toBeLessThan(6_100);
  });

  it('a permanent error fails at once without retries', async () => {
    const [id] = await enqueue(1);
    const w = makeWorker({ 'media.waveform': async () => { throw new PermanentJobError('medium gone'); } });
    w.start();
    await until(() => store.db.prepare('SELECT status FROM jobs WHERE id = ?').pluck().get(id) === 'failed');
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
    await until(() => store.db.prepare('SELECT status FROM jobs WHERE id = ?').pluck().get(id) === 'done');
    expect((await store.jobs.findById(id!))?.attempts).toBe(2);
  });

  it('cancelling a running job aborts its handler through the signal; its work directory is removed', async () => {
    const [id] = await enqueue(1);
    let aborted = false;
    let workDir = '';
    const w = makeWorker({
      'media.waveform': async (ctx) => {
        workDir = ctx.workDir;
        fs.writeFileSync(path.join(ctx.workDir, 'partial.bin'), 'x');
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => { aborted = true; resolve(); }));
      },
    }, { leaseMs: 300 });
    w.start();
    await until(() => w.activeJobIds.includes(id!));
    store.db.prepare(`UPDATE jobs SET status = 'cancelled' WHERE id = ?`).run(id);
    await until(() => aborted, 3_000);
    await until(() => !w.activeJobIds.includes(id!));
    expect(fs.existsSync(workDir)).toBe(false);
    expect(store.db.prepare('SELECT status FROM jobs WHERE id = ?').pluck().get(id)).toBe('cancelled');
  });

  it('stopping a worker returns its running job to the queue at once', async () => {
    const [id] = await enqueue(1);
    const w = makeWorker({ 'media.waveform': (ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve())) });
    w.start();
    await until(() => w.activeJobIds.includes(id!));
    await w.stop();
    const job = await store.jobs.findById(id!);
    expect(job).toMatchObject({ status: 'queued', leaseOwner: null });
    expect(Date.parse(job!.runAfter)).toBeLessThanOrEqual(Date.now());
  });
});

describe('search jobs while one runs', () => {
  it('a transcript change while its search job runs queues a successor; a retry or lease expiry of the old one is superseded by it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-jobs2-'));
    const store = openSqliteStore(dir);
    try {
      const queue = new JobQueue(store.jobs, moduleLogger('jobs'));
      const now = new Date().toISOString();
      const interviewId = crypto.randomUUID();
      const mediaId = crypto.randomUUID();
      await store.interviews.create({
        id: interviewId, collectionId: null, title: 'x', people: [], recordedAt: null, place: null, language: 'de', summary: null,
        keywords: [], visibility: 'private', status: 'draft', grants: [], embargoUntil: null, embargoListed: false, createdBy: null, createdAt: now, updatedAt: now, version: 1,
      });
      await store.media.create({
        id: mediaId, interviewId, part: 1, kind: 'audio', status: 'ready', progress: 100, originalFilename: 'a.wav',
        originalPath: `originals/${interviewId}/${mediaId}/original.wav`, sha256: '0'.repeat(64), sizeBytes: 1,
        technical: { container: 'wav', durationSec: 1, bitRate: null, audio: { codec: 'pcm_s16le', channels: 1, sampleRate: 8000 }, video: null, playableMime: 'audio/wav' },
        derivatives: {}, error: null, renditionRedaction: '', createdBy: null, createdAt: now, updatedAt: now,
      });
      const first = await queue.enqueue({ name: 'search.transcript', payload: { v: 1, mediaId } });
      expect((await queue.enqueue({ name: 'search.transcript', payload: { v: 1, mediaId } })).id).toBe(first.id);
      expect((await store.jobs.claim('w', 10_000, new Date()))?.id).toBe(first.id);
      const successor = await queue.enqueue({ name: 'search.transcript', payload: { v: 1, mediaId } });
      expect(successor.id).not.toBe(first.id);
      expect((await queue.enqueue({ name: 'search.transcript', payload: { v: 1, mediaId } })).id).toBe(successor.id);

      // The running one fails with a retry due (Meilisearch was down): the queued successor does the work,
      // the failed attempt is superseded instead of colliding with it on the dedupe key.
      expect(await store.jobs.fail(first.id, 'w', 'search engine unavailable', new Date(), new Date(Date.now() + 1000))).toBe(true);
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
