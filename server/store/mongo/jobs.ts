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
/** Claims older than this are removed by the sweep (a live writer holds one for a few round trips, not a minute). */
export const STALE_CLAIM_MS = 60_000;
/** A job read sent with its claim insert counts only when both came back within this (≪ STALE_CLAIM_MS). */
const READ_TRUST_MS = 10_000;
/** A slot whose job does not exist (yet) is only taken over after this long: its enqueue may still be writing. */
export const STALE_SLOT_MS = 5_000;
/** How many ready-queue entries one claim reads (the fair order needs every due owner; names filter in the query). */
const QUEUE_READ_LIMIT = 1_000;
/** Generations this process wrote, remembered at most this many (a miss only costs one read). */
const KNOWN_GENERATIONS = 10_000;

/**
 * The ready-queue key of a queued job at one generation: due time, then creation, then insertion order — the claim
 * order of one owner — so the next candidates are the smallest `_id`s, and "due" is `_id < "<now>|~"` (ISO times have
 * one length; '~' sorts after every character of a key). The generation makes each queued state its own entry.
 */
const queueKey = (d: Doc) => `${d.runAfter}|${d.createdAt}|${String(d.seq ?? 0).padStart(17, '0')}|${d._id}|${d.gen}`;
const queueEntry = (d: Doc) => ({ _id: queueKey(d), jobId: d._id as string, gen: d.gen as number, name: d.name as string, ownerId: (d.ownerId as string | null | undefined) ?? null });

type Attempt = { kind: 'done'; doc: Doc } | { kind: 'busy' } | { kind: 'moved'; doc: Doc } | { kind: 'gone' } | { kind: 'rejected' };

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
export class MongoJobRepository implements JobRepository {
  constructor(private readonly s: Support) {}
  private get m() { return this.s.models.jobs; }
  private get claims() { return this.s.models.jobClaims.collection; }
  private get slots() { return this.s.models.jobSlots.collection; }
  private get queue() { return this.s.models.jobQueue.collection; }
  /** job id → the generation this process moved it to last */
  private readonly known = new Map<string, number>();

  private remember(id: string, gen: number | null): void {
    if (gen === null) {
      this.known.delete(id);
      return;
    }
    if (this.known.size >= KNOWN_GENERATIONS) this.known.clear();
    this.known.set(id, gen);
  }

  /**
   * Inserts the claim `<id>:<gen>`; false when it exists. Claims are not removed by their writer (that would cost a
   * round trip per change and would let a stale view take generation g again); the sweep removes claims older than
   * STALE_CLAIM_MS (requeueExpired), which also frees a job whose writer died between its claim and its write.
   */
  private async takeClaim(id: string, gen: number): Promise<boolean> {
    try {
      await this.claims.insertOne({ _id: `${id}:${gen}` as never, jobId: id, at: new Date() });
      return true;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return false;
    }
  }

  /**
   * Moves job `id` from generation `gen` to the next with `change(current)`, when `accept(current)`. Holding claim g,
   * only we can move the job away from generation g (every writer of g holds claim g), and it is at g or past it (gens
   * only grow, and g was read from it). The job is read at the same time as the claim is inserted (two connections, one
   * round trip): a read showing generation g is the state we change, because whoever moved it from g before would have
   * held claim g, and claim g exists until the sweep removes it STALE_CLAIM_MS later — so our insert could not have
   * succeeded unless the read and the insert were that far apart (checked: READ_TRUST_MS; leases already assume clocks
   * that agree to well within that). Reads and the write go by `_id` alone (the one filter FerretDB hands to SQLite).
   * Invariant: a claim that was used to write is removed by nobody but the sweep.
   */
  private async attempt(id: string, gen: number, accept: (d: Doc) => boolean, change: (d: Doc) => Promise<Doc | null> | Doc | null): Promise<Attempt> {
    const t0 = Date.now();
    const [won, read] = await Promise.all([
      this.takeClaim(id, gen),
      this.m.collection.findOne({ _id: id as never }) as Promise<Doc | null>,
    ]);
    if (!won) return { kind: 'busy' };
    const trusted = Date.now() - t0 < READ_TRUST_MS;
    const d = read && trusted && read.gen >= gen ? read : ((await this.m.collection.findOne({ _id: id as never })) as Doc | null);
    // A claim that wrote nothing is given back at once, or the job would stay at g, unchangeable until the sweep.
    // (Safe to give back: the invariant above is about claims that were used to write.)
    const unused = async <T extends Attempt>(outcome: T): Promise<T> => {
      await this.claims.deleteOne({ _id: `${id}:${gen}` as never });
      return outcome;
    };
    if (!d) return unused({ kind: 'gone' });
    if (d.gen !== gen) return unused({ kind: 'moved', doc: d });
    if (!accept(d)) return unused({ kind: 'rejected' });
    const set = await change(d);
    if (!set) return unused({ kind: 'rejected' });
    const next = gen + 1;
    await this.m.collection.updateOne({ _id: id as never }, { $set: { ...set, gen: next } });
    const after: Doc = { ...d, ...set, gen: next };
    this.remember(id, ACTIVE.includes(after.status) ? next : null);
    // the ready queue follows: the entry of the old queued state goes (caller), one for the new queued state comes
    if (after.status === 'queued') await this.queue.insertOne(queueEntry(after) as never).catch((err: unknown) => { if (!isDuplicateKeyError(err)) throw err; });
    return { kind: 'done', doc: after };
  }

  /** Drops the ready-queue entry of `d`'s queued state (best effort: a stale entry is dropped by the next claimer). */
  private async dequeue(d: Doc): Promise<void> {
    if (d.status === 'queued') await this.queue.deleteOne({ _id: queueKey(d) as never }).catch(() => undefined);
  }

  /** Moves `current` to its next generation with `set`; false when another writer changed it first. */
  private async transition(current: Doc, set: Doc): Promise<boolean> {
    const r = await this.attempt(current._id, current.gen, () => true, () => set);
    if (r.kind !== 'done') return false;
    await this.dequeue(current);
    return true;
  }

  /** Applies `change` to the job while `accept` holds, retrying when a concurrent writer moved it first. */
  private async change(id: string, accept: (d: Doc) => boolean, change: (d: Doc) => Promise<Doc | null> | Doc | null): Promise<Doc | null> {
    let gen = this.known.get(id);
    for (let attempt = 0; attempt < 20; attempt++) {
      if (gen === undefined) {
        const d = await this.m.collection.findOne({ _id: id as never }, { projection: { gen: 1, status: 1, leaseOwner: 1, runAfter: 1 } });
        if (!d) return null;
        gen = d.gen as number;
      }
      const before: { doc?: Doc } = {};
      const r = await this.attempt(id, gen, (d) => { before.doc = d; return accept(d); }, change);
      if (r.kind === 'done') {
        await this.dequeue(before.doc!);
        return r.doc;
      }
      if (r.kind === 'gone' || r.kind === 'rejected') return null;
      gen = r.kind === 'moved' ? (r.doc.gen as number) : undefined;
      if (r.kind === 'moved' && !accept(r.doc)) return null;
    }
    return null;
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
    const doc: Doc = { _id: id, ...rest, ownerId: job.ownerId ?? null, payloadJson: JSON.stringify(payload), seq: this.s.seq(), gen: 0 };
    try {
      await this.m.collection.insertOne(doc as never);
    } catch (err) {
      await this.releaseSlot(key, id);
      throw err;
    }
    this.remember(id, 0);
    // the job first, then its entry: an entry never points at a job that does not exist yet
    if (doc.status === 'queued') await this.queue.insertOne(queueEntry(doc) as never);
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
   * The due queue entries in the fair claim order (JobRepository.claim): owners by fewest running jobs, then oldest most
   * recent start (never started first), then oldest due job; each owner's entries by runAfter, createdAt, insertion
   * (the key order).
   */
  private async fairCandidates(now: Date, names?: readonly string[]): Promise<Doc[]> {
    const query: Doc = { _id: { $lt: `${iso(now)}|~` } };
    if (names) query.name = { $in: [...names] };
    // one batch (one round trip), not the driver's first batch of 101 and then more
    const due = await this.queue.find(query).sort({ _id: 1 }).limit(QUEUE_READ_LIMIT).batchSize(QUEUE_READ_LIMIT).toArray() as Doc[];
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
        const set = (d: Doc) => ({
          status: 'running', leaseOwner: owner, leaseExpiresAt: later(now, leaseMs), attempts: d.attempts + 1,
          startedAt: iso(now), updatedAt: iso(now), error: null,
        });
        // succeeds only while the job is still at the entry's generation: still queued and unchanged
        const r = await this.attempt(c.jobId, c.gen, (d) => d.status === 'queued', set);
        if (r.kind === 'busy') continue;
        if (r.kind !== 'done') {
          // the entry outlived its queued state (or its job): nobody can claim through it any more
          if (r.kind === 'gone' || (r.kind === 'moved' && r.doc.gen > c.gen) || r.kind === 'rejected') {
            await this.queue.deleteOne({ _id: c._id }).catch(() => undefined);
          }
          continue;
        }
        // the spent entry goes without waiting (a claimer that meets it first finds the job moved on and drops it)
        void this.queue.deleteOne({ _id: c._id }).catch(() => undefined);
        // no longer queued: a new job with this dedupe key may be queued behind it
        await this.releaseSlot(this.slotKeys(r.doc).queued, c.jobId);
        return toJob(r.doc);
      }
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

  /**
   * The sweep's half of the ready queue: every queued job gets its entry (a writer that died between the job's change
   * and its entry, jobs copied in by migrate or written before job_queue existed). Reads both collections once.
   */
  private async repairQueue(): Promise<void> {
    const [queued, entries] = await Promise.all([
      this.m.collection.find({ status: 'queued' }, { projection: { _id: 1, gen: 1, runAfter: 1, createdAt: 1, seq: 1, name: 1, ownerId: 1, status: 1 } }).toArray(),
      this.queue.find({}, { projection: { _id: 1 } }).toArray(),
    ]);
    const present = new Set(entries.map((e: Doc) => String(e._id)));
    for (const d of queued as Doc[]) {
      if (present.has(queueKey(d))) continue;
      // a job claimed since the read gets a stale entry here, which its next claimer drops
      await this.queue.insertOne(queueEntry(d) as never).catch((err: unknown) => { if (!isDuplicateKeyError(err)) throw err; });
    }
  }

  async requeueExpired(now: Date) {
    // spent claims, and the claim of a writer that died between its claim and its write (its job is free again)
    await this.claims.deleteMany({ at: { $lt: new Date(Date.now() - STALE_CLAIM_MS) } });
    await this.repairQueue();
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

