// MongoDB adapter of the durable job queue (JobRepository); split from media.ts.
import type { JobRepository } from '../repositories.js';
import type { JobRecord } from '../types.js';
import { isDuplicateKeyError, type Support } from './support.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

export const toJob = (d: Doc): JobRecord => ({
  id: d._id, name: d.name, payload: JSON.parse(d.payloadJson), status: d.status, mediaId: d.mediaId ?? null,
  dedupeKey: d.dedupeKey ?? null, attempts: d.attempts, maxAttempts: d.maxAttempts, runAfter: d.runAfter,
  leaseOwner: d.leaseOwner ?? null, leaseExpiresAt: d.leaseExpiresAt ?? null, progress: d.progress, error: d.error ?? null,
  createdAt: d.createdAt, updatedAt: d.updatedAt, startedAt: d.startedAt ?? null, finishedAt: d.finishedAt ?? null,
  ownerId: d.ownerId ?? null,
});

export const iso = (d: Date) => d.toISOString();
export const later = (d: Date, ms: number) => new Date(d.getTime() + ms).toISOString();
export const ACTIVE = ['queued', 'running'];
/** A claim older than this belongs to a writer that died between its claim and its write; it may be broken. */
export const STALE_CLAIM_MS = 60_000;
/** A slot whose job does not exist (yet) is only taken over after this long: its enqueue may still be writing. */
export const STALE_SLOT_MS = 5_000;

/**
 * Jobs without findOneAndUpdate as the lock (FerretDB's is not atomic). Every change of a job document — claim,
 * heartbeat, completion, failure, lease expiry, cancellation, rescheduling — goes from one generation `gen` to the next,
 * and only the writer that inserted the claim `<job id>:<gen>` into job_claims may make it: a unique insert, atomic on
 * FerretDB and MongoDB alike. The loser learns it at once (duplicate key) and moves on to the next job.
 * What SQLite gets from partial unique indexes (one queued job per dedupe key, one active job per name and medium)
 * are slot documents in job_slots with those keys as `_id`.
 */
export class MongoJobRepository implements JobRepository {
  constructor(private readonly s: Support) {}
  private get m() { return this.s.models.jobs; }
  private get claims() { return this.s.models.jobClaims.collection; }
  private get slots() { return this.s.models.jobSlots.collection; }

  /** Moves `current` to its next generation with `set`; false when another writer changed it first. */
  private async transition(current: Doc, set: Doc): Promise<boolean> {
    const claimId = `${current._id}:${current.gen}`;
    for (;;) {
      try {
        await this.claims.insertOne({ _id: claimId as never, jobId: current._id, at: new Date() });
        break;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const held = await this.claims.findOne({ _id: claimId as never });
        if (held && held.at instanceof Date && Date.now() - held.at.getTime() > STALE_CLAIM_MS) {
          await this.claims.deleteOne({ _id: claimId as never, at: held.at });
          continue;
        }
        return false;
      }
    }
    try {
      // Holding claim g, the job is ours to change iff it is still at generation g: every writer of g holds claim g.
      // (Re-read and write by _id alone: FerretDB's SQLite backend only pushes `_id` equality down to an index;
      // any other filter scans the whole collection.)
      const now = await this.m.collection.findOne({ _id: current._id }, { projection: { gen: 1 } });
      if (!now || now.gen !== current.gen) return false;
      await this.m.collection.updateOne({ _id: current._id }, { $set: { ...set, gen: current.gen + 1 } });
      return true;
    } finally {
      // spent (or stale): whoever inserts claim g again finds the job past generation g
      await this.claims.deleteOne({ _id: claimId as never }).catch(() => undefined);
    }
  }

  private slotKeys(d: Doc): { queued: string | null; active: string | null } {
    return {
      queued: d.dedupeKey ? `queued:${d.dedupeKey}` : null,
      active: !d.dedupeKey && d.mediaId ? `active:${d.name}:${d.mediaId}` : null,
    };
  }

  /**
   * Takes the slot for `jobId`; returns the id of the job holding it (jobId itself when taken). A slot whose holder
   * left the state the slot stands for (or never got written) is released and taken.
   */
  private async takeSlot(key: string, jobId: string): Promise<string> {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await this.slots.insertOne({ _id: key as never, jobId, at: new Date() });
        return jobId;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const slot = await this.slots.findOne({ _id: key as never });
      if (!slot) continue;
      if (slot.jobId === jobId) return jobId;
      const holder = await this.m.findById(slot.jobId, { status: 1 }).lean<Doc>();
      const states = key.startsWith('queued:') ? ['queued'] : ACTIVE;
      if (holder && states.includes(holder.status)) return slot.jobId as string;
      if (!holder && Date.now() - (slot.at as Date).getTime() < STALE_SLOT_MS) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      await this.slots.deleteOne({ _id: key as never, jobId: slot.jobId });
    }
    throw new Error(`job slot ${key} stayed contended; retry`);
  }

  private async releaseSlot(key: string | null, jobId: string): Promise<void> {
    if (key) await this.slots.deleteOne({ _id: key as never, jobId });
  }

  /** After a job reached done, failed or cancelled: its slots and claims go. */
  private async finished(d: Doc): Promise<void> {
    const keys = this.slotKeys(d);
    await Promise.all([this.releaseSlot(keys.queued, d._id), this.releaseSlot(keys.active, d._id)]);
  }

  async enqueue(job: JobRecord) {
    const keys = this.slotKeys(job as unknown as Doc);
    const key = keys.queued ?? keys.active;
    if (key) {
      const holder = await this.takeSlot(key, job.id);
      if (holder !== job.id) {
        const active = await this.findById(holder);
        if (!active) throw new Error(`job ${job.name} conflicted with an active job that is gone (${job.dedupeKey ?? job.mediaId}); retry`);
        return { job: active, created: false };
      }
    }
    const { id, payload, ...rest } = job;
    try {
      await this.m.collection.insertOne({
        _id: id as never, ...rest, ownerId: job.ownerId ?? null, payloadJson: JSON.stringify(payload), seq: this.s.seq(), gen: 0,
      });
    } catch (err) {
      await this.releaseSlot(key, id);
      throw err;
    }
    return { job, created: true };
  }

  async findById(id: string): Promise<JobRecord | null> {
    const d = await this.m.findById(id).lean<Doc>();
    return d ? toJob(d) : null;
  }

  async listByMedia(mediaId: string): Promise<JobRecord[]> {
    return (await this.m.find({ mediaId }).sort({ createdAt: 1, seq: 1 }).lean<Doc[]>()).map(toJob);
  }

  /**
   * The due queued jobs in the fair claim order (JobRepository.claim): owners by fewest running jobs, then oldest most
   * recent start (never started first), then oldest due job; each owner's jobs by runAfter, createdAt, insertion.
   */
  private async fairCandidates(now: Date, names?: readonly string[]): Promise<Doc[]> {
    const query: Doc = { status: 'queued', runAfter: { $lte: iso(now) } };
    if (names) query.name = { $in: [...names] };
    // what claiming needs (the generation, attempts and the slot keys), not the payload
    const due = await this.m.find(query, { _id: 1, ownerId: 1, runAfter: 1, createdAt: 1, seq: 1, gen: 1, attempts: 1, name: 1, mediaId: 1, dedupeKey: 1 })
      .sort({ runAfter: 1, createdAt: 1, seq: 1 }).limit(5_000).lean<Doc[]>();
    if (due.length === 0) return [];
    const byOwner = new Map<string | null, Doc[]>();
    for (const d of due) {
      const owner = (d.ownerId as string | null | undefined) ?? null;
      const list = byOwner.get(owner);
      if (list) list.push(d);
      else byOwner.set(owner, [d]);
    }
    // one owner (the common case): nothing to weigh, and no more reading
    if (byOwner.size === 1) return due;
    const owners = await Promise.all([...byOwner.keys()].map(async (owner, first) => {
      const [running, newest] = await Promise.all([
        this.m.countDocuments({ ownerId: owner, status: 'running' }),
        this.m.findOne({ ownerId: owner, startedAt: { $type: 'string' } }, { startedAt: 1 }).sort({ startedAt: -1 }).lean<Doc>(),
      ]);
      // `first`: Map keys keep insertion order, so the index ranks owners by their oldest due job
      return { owner, running, lastStarted: (newest?.startedAt as string | undefined) ?? null, first };
    }));
    owners.sort((a, b) => {
      if (a.running !== b.running) return a.running - b.running;
      if (a.lastStarted !== b.lastStarted) {
        if (a.lastStarted === null) return -1;
        if (b.lastStarted === null) return 1;
        return a.lastStarted < b.lastStarted ? -1 : 1;
      }
      return a.first - b.first;
    });
    return owners.flatMap((o) => byOwner.get(o.owner)!);
  }

  async claim(owner: string, leaseMs: number, now: Date, names?: readonly string[]): Promise<JobRecord | null> {
    for (let round = 0; round < 50; round++) {
      const candidates = await this.fairCandidates(now, names);
      if (candidates.length === 0) return null;
      // in order: a concurrent worker that took the first one makes this claim fail at once, and the next one is tried
      for (const c of candidates) {
        const set = {
          status: 'running', leaseOwner: owner, leaseExpiresAt: later(now, leaseMs), attempts: c.attempts + 1,
          startedAt: iso(now), updatedAt: iso(now), error: null,
        };
        // succeeds only while the job is still at the generation read above: still queued and unchanged
        if (await this.transition(c, set)) {
          // no longer queued: a new job with this dedupe key may be queued behind it
          await this.releaseSlot(this.slotKeys(c).queued, c._id);
          const claimed = await this.m.findById(c._id).lean<Doc>();
          return toJob({ ...claimed, ...set });
        }
      }
    }
    return null;
  }

  /** Applies `change` to the job while `accept` holds, retrying when a concurrent writer moved it first. */
  private async change(id: string, accept: (d: Doc) => boolean, change: (d: Doc) => Promise<Doc | null> | Doc | null): Promise<Doc | null> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const d = await this.m.findById(id).lean<Doc>();
      if (!d || !accept(d)) return null;
      const set = await change(d);
      if (!set) return null;
      if (await this.transition(d, set)) return { ...d, ...set };
    }
    return null;
  }

  async heartbeat(id: string, owner: string, leaseMs: number, now: Date, progress?: number): Promise<boolean> {
    const done = await this.change(id, (d) => d.status === 'running' && d.leaseOwner === owner, (d) => ({
      leaseExpiresAt: later(now, leaseMs), updatedAt: iso(now), progress: progress ?? d.progress,
    }));
    return done !== null;
  }

  async complete(id: string, owner: string, now: Date): Promise<boolean> {
    const done = await this.change(id, (d) => d.status === 'running' && d.leaseOwner === owner, () => ({
      status: 'done', progress: 100, leaseOwner: null, leaseExpiresAt: null, finishedAt: iso(now), updatedAt: iso(now),
    }));
    if (done) await this.finished(done);
    return done !== null;
  }

  /** Back to the queue — unless a newer job with its dedupe key is queued, which then does the work: superseded. */
  private async requeueOrSupersede(d: Doc, queued: Doc, superseded: Doc): Promise<{ doc: Doc; outcome: 'queued' | 'superseded' } | null> {
    const keys = this.slotKeys(d);
    if (!keys.queued) return (await this.transition(d, queued)) ? { doc: { ...d, ...queued }, outcome: 'queued' } : null;
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
        { status: 'queued', runAfter: iso(retryAt), error: message, leaseOwner: null, leaseExpiresAt: null, updatedAt: iso(now) },
        { status: 'cancelled', error: `superseded by a newer queued job after: ${message}`, ...ended },
      );
      if (result) {
        if (result.outcome === 'superseded') await this.finished(d);
        return true;
      }
    }
    return false;
  }

  async requeueExpired(now: Date) {
    let requeued = 0;
    let failed = 0;
    const expired = await this.m.find({ status: 'running', leaseExpiresAt: { $lt: iso(now) } }, { _id: 1 }).lean<Doc[]>();
    const ended = { leaseOwner: null, leaseExpiresAt: null, finishedAt: iso(now), updatedAt: iso(now) };
    for (const { _id } of expired) {
      for (let attempt = 0; attempt < 20; attempt++) {
        const d = await this.m.findById(_id).lean<Doc>();
        if (!d || d.status !== 'running' || !(d.leaseExpiresAt < iso(now))) break;
        if (d.attempts >= d.maxAttempts) {
          const set = { status: 'failed', error: `${d.error ?? ''}lease expired after the last attempt (worker died?)`, ...ended };
          if (await this.transition(d, set)) {
            await this.finished(d);
            failed++;
            break;
          }
          continue;
        }
        const result = await this.requeueOrSupersede(
          d,
          { status: 'queued', runAfter: iso(now), error: 'lease expired (worker died?)', leaseOwner: null, leaseExpiresAt: null, updatedAt: iso(now) },
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
      const done = await this.change(id, (d) => states.includes(d.status), (d) => {
        wasRunning = d.status === 'running';
        return { status: 'cancelled', leaseOwner: null, leaseExpiresAt: null, finishedAt: iso(now), updatedAt: iso(now) };
      });
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
    const ids = (await this.m.find({ status: 'queued', runAfter: { $gt: iso(now) }, name: { $in: [...names] } }, { _id: 1 }).lean<Doc[]>())
      .map((d) => d._id as string);
    let n = 0;
    for (const id of ids) {
      const done = await this.change(id, (d) => d.status === 'queued' && d.runAfter > iso(now), () => ({ runAfter: iso(now), updatedAt: iso(now) }));
      if (done) n++;
    }
    return n;
  }

  async findActiveByKey(dedupeKey: string): Promise<JobRecord | null> {
    const d = await this.m.findOne({ dedupeKey, status: { $in: ACTIVE } }).sort({ createdAt: -1, seq: -1 }).lean<Doc>();
    return d ? toJob(d) : null;
  }

  async reschedule(dedupeKey: string, runAfter: Date, now: Date): Promise<boolean> {
    const ids = (await this.m.find({ dedupeKey, status: 'queued' }, { _id: 1 }).lean<Doc[]>()).map((d) => d._id as string);
    let n = 0;
    for (const id of ids) {
      if (await this.change(id, (d) => d.status === 'queued', () => ({ runAfter: iso(runAfter), updatedAt: iso(now) }))) n++;
    }
    return n > 0;
  }

  async cancelByKey(dedupeKey: string, now: Date): Promise<number> {
    const ids = (await this.m.find({ dedupeKey, status: 'queued' }, { _id: 1 }).lean<Doc[]>()).map((d) => d._id as string);
    let n = 0;
    for (const id of ids) {
      const done = await this.change(id, (d) => d.status === 'queued', () => ({ status: 'cancelled', finishedAt: iso(now), updatedAt: iso(now) }));
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
