// MongoDB adapter of the durable job queue (JobRepository); split from media.ts.
import type { JobRepository } from '../repositories.js';
import type { JobRecord } from '../types.js';
import { ACTIVE, iso, later, queueKey, readJobStates, STALE_CLAIM_MS } from './jobs-claims.js';
import { MongoJobClaiming, toJob } from './jobs-claiming.js';

export { ACTIVE, iso, later, readJobStates, STALE_CLAIM_MS, STALE_SLOT_MS } from './jobs-claims.js';
export { toJob } from './jobs-claiming.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

/** Creation order: createdAt, then insertion order within a millisecond (SQLite's rowid). */
const byCreation = (a: Doc, b: Doc) =>
  a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? -1 : 1) : (a.seq ?? 0) - (b.seq ?? 0);

/**
 * Jobs without findOneAndUpdate as the lock (FerretDB's is not atomic) and without updates of job documents. A job
 * document is written once, by its enqueue (or by migrate): its fields and its state at generation `gen` (0). Every
 * state change — claim, heartbeat, completion, failure, lease expiry, cancellation, rescheduling — moves the job from
 * one generation g to the next by inserting the state record `<job id>:<g>` into job_claims, holding the whole new
 * state (STATE_FIELDS): a unique insert, atomic on FerretDB and MongoDB alike, so the writer that inserted it is the
 * only one that moved the job from g; the loser learns it at once (duplicate key) and moves on. A job's state is that
 * of its highest generation (foldStates): readers read the documents and their records. Records stay while their
 * job does (archive deletion removes both), so a generation can be left only once, whatever the age of the view.
 * What SQLite gets from partial unique indexes (one queued job per dedupe key, one active job per name and medium)
 * are slot documents in job_slots with those keys as `_id`.
 *
 * Speed (bench/store.ts): FerretDB 1.24's SQLite backend hands SQLite only a filter that is exactly one `_id` string
 * (or ObjectID), and even that is a scan (the `_id` index is on `_ferretdb_sjson->"_id"`, the query says
 * `->'$._id'`); every other filter, sort and projection decodes every document of the collection in Go. Only an insert
 * is cheap (one probe of the unique index). So the hot path is inserts: a claim takes its candidates from job_queue
 * (one entry per queued job and generation, carrying that generation's document; this process keeps a copy, re-read
 * when job_queue_stamp's token changed) and inserts one state record; completing a job this process claimed inserts
 * one more (`known`: the generation it wrote last). No read of the jobs collection, no update of it.
 * The queue entry is written after the job changed (a crash in between leaves a queued job without entry: the sweep,
 * requeueExpired, writes the missing entries) and removed after it left the queue (a stale entry is dropped by the
 * claimer that finds its generation taken, or by the sweep).
 */
export class MongoJobRepository extends MongoJobClaiming implements JobRepository {
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
    try {
      await this.m.collection.insertOne(doc as never);
    } catch (err) {
      await this.releaseSlot(key, id);
      throw err;
    }
    this.remember(id, doc);
    // the job first, then its entry: an entry never points at a job that does not exist yet
    if (doc.status === 'queued') await this.queued(doc);
    return { job, created: true };
  }

  async findById(id: string): Promise<JobRecord | null> {
    const d = await this.readJob(id);
    return d ? toJob(d) : null;
  }

  async listByMedia(mediaId: string): Promise<JobRecord[]> {
    return (await this.states({ mediaId })).sort(byCreation).map(toJob);
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
      // the generation this process wrote last, then the current one
      const d = (attempt === 0 && this.known.get(id)) || (await this.readJob(id));
      if (!d || d.status !== 'running' || d.leaseOwner !== owner) {
        if (attempt === 0 && this.known.has(id)) continue;
        return false;
      }
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
   * and its entry, jobs copied in by migrate), and entries whose generation was left (a claimer that stopped before
   * removing them) go once they are older than any claim in flight.
   */
  private async repairQueue(queued: Doc[]): Promise<void> {
    const entries = (await this.queue.find({}, { projection: { _id: 1, at: 1 } }).toArray()) as Doc[];
    const present = new Set(entries.map((e) => String(e._id)));
    const keys = new Set(queued.map(queueKey));
    const spent = entries.filter(
      (e) => !keys.has(String(e._id)) && e.at instanceof Date && e.at.getTime() < Date.now() - STALE_CLAIM_MS,
    );
    if (spent.length > 0) await this.queue.deleteMany({ _id: { $in: spent.map((e) => e._id) } });
    for (const d of queued) {
      // a job claimed since the read gets a stale entry here, which its next claimer (or the next sweep) drops
      if (!present.has(queueKey(d))) await this.queued(d);
    }
  }

  async requeueExpired(now: Date) {
    const { jobs, records } = await readJobStates(this.s.models, {});
    const old = Date.now() - STALE_CLAIM_MS;
    const ids = new Set(jobs.map((d) => d._id as string));
    // claims without a state (from before state records: a writer died between its claim and its write), and records
    // of jobs deleted since (a claim through a stale queue entry of a deleted job)
    const junk = records.filter(
      (r) => r.at instanceof Date && r.at.getTime() < old && (!r.state || !ids.has(r.jobId as string)),
    );
    if (junk.length > 0) await this.claims.deleteMany({ _id: { $in: junk.map((r) => r._id) } });
    await this.repairQueue(jobs.filter((d) => d.status === 'queued'));
    await this.removeQuietSpent();
    let requeued = 0;
    let failed = 0;
    const expired = jobs.filter((d) => d.status === 'running' && d.leaseExpiresAt < iso(now));
    const ended = { leaseOwner: null, leaseExpiresAt: null, finishedAt: iso(now), updatedAt: iso(now) };
    for (const first of expired) {
      for (let attempt = 0; attempt < 20; attempt++) {
        const d = attempt === 0 ? first : await this.readJob(first._id);
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

  /** Cancels each job of `filter` in one of `states` (retrying those a concurrent writer moved); returns the running ones. */
  private async cancelEach(filter: Doc, states: string[], now: Date): Promise<{ count: number; running: string[] }> {
    const ids = (await this.states(filter)).filter((d) => states.includes(d.status)).map((d) => d._id as string);
    const running: string[] = [];
    let count = 0;
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
    return (await this.cancelEach({ _id: id }, ACTIVE, now)).count === 1;
  }

  async cancelByMedia(mediaId: string, now: Date): Promise<string[]> {
    return (await this.cancelEach({ mediaId }, ACTIVE, now)).running;
  }

  async expedite(names: readonly string[], now: Date): Promise<number> {
    const ids = (await this.states({ name: { $in: [...names] } }))
      .filter((d) => d.status === 'queued' && d.runAfter > iso(now))
      .map((d) => d._id as string);
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
    const active = (await this.states({ dedupeKey })).filter((d) => ACTIVE.includes(d.status)).sort(byCreation);
    return active.length > 0 ? toJob(active[active.length - 1]!) : null;
  }

  /** The ids of the queued jobs with this dedupe key. */
  private async queuedByKey(dedupeKey: string): Promise<string[]> {
    return (await this.states({ dedupeKey })).filter((d) => d.status === 'queued').map((d) => d._id as string);
  }

  async reschedule(dedupeKey: string, runAfter: Date, now: Date): Promise<boolean> {
    let n = 0;
    for (const id of await this.queuedByKey(dedupeKey)) {
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
    let n = 0;
    for (const id of await this.queuedByKey(dedupeKey)) {
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
    return (await this.states({ mediaId })).some((d) => ACTIVE.includes(d.status));
  }
}
