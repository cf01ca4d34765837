// MongoDB adapter of the durable job queue (JobRepository); split from media.ts.
import type { JobRepository } from '../repositories.js';
import type { JobRecord } from '../types.js';
import { ACTIVE, iso, later, queueKey, STALE_CLAIM_MS } from './jobs-claims.js';
import { MongoJobQueue } from './jobs-queue.js';

export { ACTIVE, iso, later, STALE_CLAIM_MS, STALE_SLOT_MS } from './jobs-claims.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

export const toJob = (d: Doc): JobRecord => ({
  id: d._id,
  name: d.name,
  payload: JSON.parse(d.payloadJson),
  status: d.status,
  mediaId: d.mediaId ?? null,
  dedupeKey: d.dedupeKey ?? null,
  attempts: d.attempts,
  maxAttempts: d.maxAttempts,
  runAfter: d.runAfter,
  leaseOwner: d.leaseOwner ?? null,
  leaseExpiresAt: d.leaseExpiresAt ?? null,
  progress: d.progress,
  error: d.error ?? null,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  startedAt: d.startedAt ?? null,
  finishedAt: d.finishedAt ?? null,
  ownerId: d.ownerId ?? null,
});

/**
 * Jobs without findOneAndUpdate as the lock (FerretDB's is not atomic). Every change of a job document — claim,
 * heartbeat, completion, failure, lease expiry, cancellation, rescheduling — goes from one generation `gen` to the next,
 * and only the writer that inserted the claim `<job id>:<gen>` into job_claims may make it: a unique insert, atomic on
 * FerretDB and MongoDB alike. The loser learns it at once (duplicate key) and moves on to the next job.
 * What SQLite gets from partial unique indexes (one queued job per dedupe key, one active job per name and medium)
 * are slot documents in job_slots with those keys as `_id`.
 *
 * Speed (bench/store.ts): FerretDB 1.24's SQLite backend answers every query with a scan of the whole collection — it
 * pushes only `_id` equality down to SQLite, and even that misses its `_id` index (the index is on
 * `_ferretdb_sjson->"_id"`, the query says `->'$._id'`), while any other filter or sort decodes every document in Go.
 * So a claim never queries the jobs collection by status: the candidates come from job_queue, one small entry per
 * queued job (key: queueKey), which holds only what is queued; and a change starts from the generation this process
 * wrote last (`known`), so completing a job it claimed needs no read before the claim insert.
 * The queue entry is written after the job changed (a crash in between leaves a queued job without entry: the sweep,
 * requeueExpired, writes the missing entries) and removed after it left the queue (a stale entry is dropped by the
 * claimer that finds its job moved on).
 */
export class MongoJobRepository extends MongoJobQueue implements JobRepository {
  async enqueue(job: JobRecord) {
    const keys = this.slotKeys(job as unknown as Doc);
    const key = keys.queued ?? keys.active;
    if (key) {
      const holder = await this.takeSlot(key, job.id);
      if (holder !== job.id) {
        const active = await this.findById(holder);
        if (!active)
          throw new Error(
            `job ${job.name} conflicted with an active job that is gone (${job.dedupeKey ?? job.mediaId}); retry`,
          );
        return { job: active, created: false };
      }
    }
    const { id, payload, ...rest } = job;
    const doc: Doc = {
      _id: id,
      ...rest,
      ownerId: job.ownerId ?? null,
      payloadJson: JSON.stringify(payload),
      seq: this.s.seq(),
      gen: 0,
    };
    const writing = Date.now();
    try {
      await this.m.collection.insertOne(doc as never);
    } catch (err) {
      await this.releaseSlot(key, id);
      throw err;
    }
    this.remember(id, { gen: 0, doc, at: writing });
    // the job first, then its entry: an entry never points at a job that does not exist yet
    if (doc.status === 'queued') await this.queued(doc, writing);
    return { job, created: true };
  }

  async findById(id: string): Promise<JobRecord | null> {
    const d = await this.m.findById(id).lean<Doc>();
    return d ? toJob(d) : null;
  }

  async listByMedia(mediaId: string): Promise<JobRecord[]> {
    return (await this.m.find({ mediaId }).sort({ createdAt: 1, seq: 1 }).lean<Doc[]>()).map(toJob);
  }

  async claim(owner: string, leaseMs: number, now: Date, names?: readonly string[]): Promise<JobRecord | null> {
    for (let round = 0; round < 50; round++) {
      // the copy first; when none of its candidates could be taken, the queue itself
      const candidates = await this.fairCandidates(now, names, round > 0);
      if (candidates.length === 0) return null;
      // in order: a concurrent worker that took the first one makes this claim fail at once, and the next one is tried
      for (const c of candidates) {
        const set = (d: Doc) => ({
          status: 'running',
          leaseOwner: owner,
          leaseExpiresAt: later(now, leaseMs),
          attempts: d.attempts + 1,
          startedAt: iso(now),
          updatedAt: iso(now),
          error: null,
        });
        // succeeds only while the job is still at the entry's generation: still queued and unchanged
        const trusted =
          c.doc && c.at instanceof Date ? { gen: c.gen as number, doc: c.doc as Doc, at: c.at.getTime() } : undefined;
        const r = await this.attempt(c.jobId, c.gen, (d) => d.status === 'queued', set, trusted);
        this.forget(c);
        if (r.kind === 'busy') continue;
        if (r.kind !== 'done') {
          // the entry outlived its queued state (or its job): nobody can claim through it any more
          if (r.kind === 'gone' || (r.kind === 'moved' && r.doc.gen > c.gen) || r.kind === 'rejected') {
            await this.queue.deleteOne({ _id: c._id }).catch(() => undefined);
          }
          continue;
        }
        // the spent entry goes later, with others (a claimer that meets it first finds the claim taken and skips it)
        this.spend(c._id as string);
        // no longer queued: a new job with this dedupe key may be queued behind it
        await this.releaseSlot(this.slotKeys(r.doc).queued, c.jobId);
        return toJob(r.doc);
      }
    }
    return null;
  }

  async heartbeat(id: string, owner: string, leaseMs: number, now: Date, progress?: number): Promise<boolean> {
    const done = await this.change(
      id,
      (d) => d.status === 'running' && d.leaseOwner === owner,
      (d) => ({
        leaseExpiresAt: later(now, leaseMs),
        updatedAt: iso(now),
        progress: progress ?? d.progress,
      }),
    );
    return done !== null;
  }

  async complete(id: string, owner: string, now: Date): Promise<boolean> {
    const done = await this.change(
      id,
      (d) => d.status === 'running' && d.leaseOwner === owner,
      () => ({
        status: 'done',
        progress: 100,
        leaseOwner: null,
        leaseExpiresAt: null,
        finishedAt: iso(now),
        updatedAt: iso(now),
      }),
    );
    if (done) await this.finished(done);
    return done !== null;
  }

  /** Back to the queue — unless a newer job with its dedupe key is queued, which then does the work: superseded. */
  private async requeueOrSupersede(
    d: Doc,
    queued: Doc,
    superseded: Doc,
  ): Promise<{ doc: Doc; outcome: 'queued' | 'superseded' } | null> {
    const keys = this.slotKeys(d);
    if (!keys.queued)
      return (await this.transition(d, queued)) ? { doc: { ...d, ...queued }, outcome: 'queued' } : null;
    const holder = await this.takeSlot(keys.queued, d._id);
    if (holder !== d._id) {
      return (await this.transition(d, superseded)) ? { doc: { ...d, ...superseded }, outcome: 'superseded' } : null;
    }
    if (await this.transition(d, queued)) return { doc: { ...d, ...queued }, outcome: 'queued' };
    await this.releaseSlot(keys.queued, d._id);
    return null;
  }

  async fail(id: string, owner: string, error: string, now: Date, retryAt: Date | null): Promise<boolean> {
    const message = error.slice(0, 4000);
    const ended = { leaseOwner: null, leaseExpiresAt: null, finishedAt: iso(now), updatedAt: iso(now) };
    for (let attempt = 0; attempt < 20; attempt++) {
      const d = await this.m.findById(id).lean<Doc>();
      if (!d || d.status !== 'running' || d.leaseOwner !== owner) return false;
      if (!retryAt) {
        const set = { status: 'failed', error: message, ...ended };
        if (await this.transition(d, set)) {
          await this.finished(d);
          return true;
        }
        continue;
      }
      const result = await this.requeueOrSupersede(
        d,
        {
          status: 'queued',
          runAfter: iso(retryAt),
          error: message,
          leaseOwner: null,
          leaseExpiresAt: null,
          updatedAt: iso(now),
        },
        { status: 'cancelled', error: `superseded by a newer queued job after: ${message}`, ...ended },
      );
      if (result) {
        if (result.outcome === 'superseded') await this.finished(d);
        return true;
      }
    }
    return false;
  }

  /**
   * The sweep's half of the ready queue: every queued job gets its entry (a writer that died between the job's change
   * and its entry, jobs copied in by migrate or written before job_queue existed). Reads both collections once.
   */
  private async repairQueue(): Promise<void> {
    const [queued, entries] = await Promise.all([
      this.m.collection.find({ status: 'queued' }).toArray(),
      this.queue.find({}, { projection: { _id: 1, at: 1 } }).toArray(),
    ]);
    const present = new Set(entries.map((e: Doc) => String(e._id)));
    const keys = new Set((queued as Doc[]).map(queueKey));
    // spent entries a claimer did not get to remove (it stopped before its batch): older than any claim the sweep
    // keeps, and their job was read (before the entries) in another state — so their job has moved on
    const spent = (entries as Doc[]).filter(
      (e) => !keys.has(String(e._id)) && e.at instanceof Date && e.at.getTime() < Date.now() - STALE_CLAIM_MS,
    );
    if (spent.length > 0) await this.queue.deleteMany({ _id: { $in: spent.map((e) => e._id) } });
    for (const d of queued as Doc[]) {
      if (present.has(queueKey(d))) continue;
      // a job claimed since the read gets a stale entry here, which its next claimer drops; `at` 0: never trusted
      await this.queued(d, 0);
    }
  }

  async requeueExpired(now: Date) {
    // spent claims, and the claim of a writer that died between its claim and its write (its job is free again)
    await this.claims.deleteMany({ at: { $lt: new Date(Date.now() - STALE_CLAIM_MS) } });
    await this.repairQueue();
    let requeued = 0;
    let failed = 0;
    const expired = await this.m
      .find({ status: 'running', leaseExpiresAt: { $lt: iso(now) } }, { _id: 1 })
      .lean<Doc[]>();
    const ended = { leaseOwner: null, leaseExpiresAt: null, finishedAt: iso(now), updatedAt: iso(now) };
    for (const { _id } of expired) {
      for (let attempt = 0; attempt < 20; attempt++) {
        const d = await this.m.findById(_id).lean<Doc>();
        if (!d || d.status !== 'running' || !(d.leaseExpiresAt < iso(now))) break;
        if (d.attempts >= d.maxAttempts) {
          const set = {
            status: 'failed',
            error: `${d.error ?? ''}lease expired after the last attempt (worker died?)`,
            ...ended,
          };
          if (await this.transition(d, set)) {
            await this.finished(d);
            failed++;
            break;
          }
          continue;
        }
        const result = await this.requeueOrSupersede(
          d,
          {
            status: 'queued',
            runAfter: iso(now),
            error: 'lease expired (worker died?)',
            leaseOwner: null,
            leaseExpiresAt: null,
            updatedAt: iso(now),
          },
          { status: 'cancelled', error: 'lease expired; superseded by a newer queued job', ...ended },
        );
        if (result) {
          if (result.outcome === 'queued') requeued++;
          else await this.finished(d);
          break;
        }
      }
    }
    return { requeued, failed };
  }

  /** Cancels each matching job (retrying those that a concurrent writer moved); returns the ones that were running. */
  private async cancelEach(query: Doc, now: Date): Promise<{ count: number; running: string[] }> {
    const ids = (await this.m.find(query, { _id: 1 }).lean<Doc[]>()).map((d) => d._id as string);
    const running: string[] = [];
    let count = 0;
    const states = (query.status?.$in as string[] | undefined) ?? [query.status as string];
    for (const id of ids) {
      let wasRunning = false;
      const done = await this.change(
        id,
        (d) => states.includes(d.status),
        (d) => {
          wasRunning = d.status === 'running';
          return {
            status: 'cancelled',
            leaseOwner: null,
            leaseExpiresAt: null,
            finishedAt: iso(now),
            updatedAt: iso(now),
          };
        },
      );
      if (done) {
        count++;
        if (wasRunning) running.push(id);
        await this.finished(done);
      }
    }
    return { count, running };
  }

  async cancel(id: string, now: Date): Promise<boolean> {
    return (await this.cancelEach({ _id: id, status: { $in: ACTIVE } }, now)).count === 1;
  }

  async cancelByMedia(mediaId: string, now: Date): Promise<string[]> {
    return (await this.cancelEach({ mediaId, status: { $in: ACTIVE } }, now)).running;
  }

  async expedite(names: readonly string[], now: Date): Promise<number> {
    const ids = (
      await this.m
        .find({ status: 'queued', runAfter: { $gt: iso(now) }, name: { $in: [...names] } }, { _id: 1 })
        .lean<Doc[]>()
    ).map((d) => d._id as string);
    let n = 0;
    for (const id of ids) {
      const done = await this.change(
        id,
        (d) => d.status === 'queued' && d.runAfter > iso(now),
        () => ({ runAfter: iso(now), updatedAt: iso(now) }),
      );
      if (done) n++;
    }
    return n;
  }

  async findActiveByKey(dedupeKey: string): Promise<JobRecord | null> {
    const d = await this.m
      .findOne({ dedupeKey, status: { $in: ACTIVE } })
      .sort({ createdAt: -1, seq: -1 })
      .lean<Doc>();
    return d ? toJob(d) : null;
  }

  async reschedule(dedupeKey: string, runAfter: Date, now: Date): Promise<boolean> {
    const ids = (await this.m.find({ dedupeKey, status: 'queued' }, { _id: 1 }).lean<Doc[]>()).map(
      (d) => d._id as string,
    );
    let n = 0;
    for (const id of ids) {
      if (
        await this.change(
          id,
          (d) => d.status === 'queued',
          () => ({ runAfter: iso(runAfter), updatedAt: iso(now) }),
        )
      )
        n++;
    }
    return n > 0;
  }

  async cancelByKey(dedupeKey: string, now: Date): Promise<number> {
    const ids = (await this.m.find({ dedupeKey, status: 'queued' }, { _id: 1 }).lean<Doc[]>()).map(
      (d) => d._id as string,
    );
    let n = 0;
    for (const id of ids) {
      const done = await this.change(
        id,
        (d) => d.status === 'queued',
        () => ({ status: 'cancelled', finishedAt: iso(now), updatedAt: iso(now) }),
      );
      if (done) {
        n++;
        await this.finished(done);
      }
    }
    return n;
  }

  async hasActive(mediaId: string): Promise<boolean> {
    return (await this.m.exists({ mediaId, status: { $in: ACTIVE } })) !== null;
  }
}
