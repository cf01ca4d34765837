// The claim machinery of the MongoDB job queue (server/store/mongo/jobs.ts): generations, claims, job slots and the
// ready-queue entries they keep in step; split from jobs.ts. How it works is told at MongoJobRepository.
import crypto from 'node:crypto';
import { isDuplicateKeyError, type Support } from './support.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

export const iso = (d: Date) => d.toISOString();
export const later = (d: Date, ms: number) => new Date(d.getTime() + ms).toISOString();
export const ACTIVE = ['queued', 'running'];
/** Claims older than this are removed by the sweep (a live writer holds one for a few round trips, not a minute). */
export const STALE_CLAIM_MS = 60_000;
/** A job read sent with its claim insert counts only when both came back within this (≪ STALE_CLAIM_MS). */
const READ_TRUST_MS = 10_000;
/** A slot whose job does not exist (yet) is only taken over after this long: its enqueue may still be writing. */
export const STALE_SLOT_MS = 5_000;
/** Generations this process wrote, remembered at most this many (a miss only costs one read). */
const KNOWN_GENERATIONS = 10_000;

/**
 * The ready-queue key of a queued job at one generation: due time, then creation, then insertion order — the claim
 * order of one owner — so the next candidates are the smallest `_id`s, and "due" is `_id < "<now>|~"` (ISO times have
 * one length; '~' sorts after every character of a key). The generation makes each queued state its own entry.
 */
export const queueKey = (d: Doc) =>
  `${d.runAfter}|${d.createdAt}|${String(d.seq ?? 0).padStart(17, '0')}|${d._id}|${d.gen}`;
/**
 * The ready-queue entry of queued job `d` at its generation. It carries the whole job document of that generation
 * (`doc`) and when its writer started writing that generation (`at`, taken before the job's write), so that a claimer
 * whose claim insert wins within READ_TRUST_MS of `at` needs no read of the job (see MongoJobClaims.attempt).
 */
export const queueEntry = (d: Doc, at: number) => ({
  _id: queueKey(d),
  jobId: d._id as string,
  gen: d.gen as number,
  name: d.name as string,
  ownerId: (d.ownerId as string | null | undefined) ?? null,
  doc: d,
  at: new Date(at),
});

/** The one document of job_queue_stamp: a fresh token after every queue-entry insert (see MongoJobClaims.queued). */
export const QUEUE_STAMP_ID = 'queue';

/** A job document this process knows to be generation `gen`, because it wrote it (or the entry of it): see attempt. */
export interface Known {
  gen: number;
  doc: Doc;
  at: number;
}

type Attempt =
  { kind: 'done'; doc: Doc } | { kind: 'busy' } | { kind: 'moved'; doc: Doc } | { kind: 'gone' } | { kind: 'rejected' };

/** The generation, claim and slot helpers MongoJobRepository is built on. */
export class MongoJobClaims {
  constructor(protected readonly s: Support) {}
  protected get m() {
    return this.s.models.jobs;
  }
  protected get claims() {
    return this.s.models.jobClaims.collection;
  }
  protected get slots() {
    return this.s.models.jobSlots.collection;
  }
  protected get queue() {
    return this.s.models.jobQueue.collection;
  }
  /** One document whose token changes with every queue-entry insert (ready-queue readers cache until it changes). */
  protected get stamps() {
    return this.s.models.jobQueue.db.collection('job_queue_stamp');
  }
  /** job id → the generation this process moved it to last, with that generation's document */
  protected readonly known = new Map<string, Known>();
  /** Bumped when this process inserted a queue entry (its own cache of the ready queue is stale then). */
  protected queueWrites = 0;

  protected remember(id: string, known: Known | null): void {
    if (known === null) {
      this.known.delete(id);
      return;
    }
    if (this.known.size >= KNOWN_GENERATIONS) this.known.clear();
    this.known.set(id, known);
  }

  /**
   * Inserts the ready-queue entry of queued job `d` (written at `at`), then gives the stamp a fresh token — in that
   * order, so that a reader that read the stamp before reading the entries sees the new token when it missed the entry.
   * Concurrent stamp writes need no atomicity: whichever token lands is new to every reader.
   */
  protected async queued(d: Doc, at: number): Promise<void> {
    await this.queue.insertOne(queueEntry(d, at) as never).catch((err: unknown) => {
      if (!isDuplicateKeyError(err)) throw err;
    });
    this.queueWrites++;
    await this.stamps
      .updateOne({ _id: QUEUE_STAMP_ID as never }, { $set: { token: crypto.randomUUID() } }, { upsert: true })
      // two first upserts at once: the other one inserted a fresh token
      .catch((err: unknown) => {
        if (!isDuplicateKeyError(err)) throw err;
      });
  }

  /**
   * Inserts the claim `<id>:<gen>`; false when it exists. Claims are not removed by their writer (that would cost a
   * round trip per change and would let a stale view take generation g again); the sweep removes claims older than
   * STALE_CLAIM_MS (requeueExpired), which also frees a job whose writer died between its claim and its write.
   */
  protected async takeClaim(id: string, gen: number): Promise<boolean> {
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
   * only grow, and g was read from it). The job is read after the claim insert won: a read showing generation g is the
   * state we change (nobody can move it from g while we hold claim g); one showing a later generation means it moved
   * on long ago (its mover's claim g was swept). Reads and the write go by `_id` alone (the one filter FerretDB hands
   * to SQLite).
   * Invariant: a claim that was used to write is removed by nobody but the sweep.
   *
   * `trusted`: generation `gen`'s document as its writer wrote it (this process, or the queue entry of it), with the
   * time its writer started that write. No read is needed then: whoever moved the job from `gen` learned of `gen`
   * after that time and inserted claim `gen` after it, and the sweep removes a claim only STALE_CLAIM_MS after its
   * insert — so when our insert wins within READ_TRUST_MS of that time, nobody moved it, and the job is that document.
   */
  protected async attempt(
    id: string,
    gen: number,
    accept: (d: Doc) => boolean,
    change: (d: Doc) => Promise<Doc | null> | Doc | null,
    trusted?: Known,
  ): Promise<Attempt> {
    const t0 = Date.now();
    let d: Doc | null;
    if (trusted && trusted.gen === gen && trusted.doc.gen === gen && t0 - trusted.at < READ_TRUST_MS) {
      if (!(await this.takeClaim(id, gen))) return { kind: 'busy' };
      d =
        Date.now() - trusted.at < READ_TRUST_MS
          ? trusted.doc
          : ((await this.m.collection.findOne({ _id: id as never })) as Doc | null);
    } else {
      // the claim first, the read only when it won: a lost race costs one failed insert, not also a read (on FerretDB
      // every read by `_id` scans the whole jobs collection, and two workers meet at the head of the queue all the time)
      if (!(await this.takeClaim(id, gen))) return { kind: 'busy' };
      d = (await this.m.collection.findOne({ _id: id as never })) as Doc | null;
    }
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
    const writing = Date.now();
    const written = await this.m.collection.updateOne({ _id: id as never }, { $set: { ...set, gen: next } });
    // a trusted document of a job deleted since (its interview was deleted): nothing was written
    if (written.matchedCount === 0) return unused({ kind: 'gone' });
    const after: Doc = { ...d, ...set, gen: next };
    this.remember(id, ACTIVE.includes(after.status) ? { gen: next, doc: after, at: writing } : null);
    // the ready queue follows: the entry of the old queued state goes (caller), one for the new queued state comes
    if (after.status === 'queued') await this.queued(after, writing);
    return { kind: 'done', doc: after };
  }

  /** Drops the ready-queue entry of `d`'s queued state (best effort: a stale entry is dropped by the next claimer). */
  protected async dequeue(d: Doc): Promise<void> {
    if (d.status === 'queued') await this.queue.deleteOne({ _id: queueKey(d) as never }).catch(() => undefined);
  }

  /** Moves `current` to its next generation with `set`; false when another writer changed it first. */
  protected async transition(current: Doc, set: Doc): Promise<boolean> {
    const r = await this.attempt(
      current._id,
      current.gen,
      () => true,
      () => set,
    );
    if (r.kind !== 'done') return false;
    await this.dequeue(current);
    return true;
  }

  /** Applies `change` to the job while `accept` holds, retrying when a concurrent writer moved it first. */
  protected async change(
    id: string,
    accept: (d: Doc) => boolean,
    change: (d: Doc) => Promise<Doc | null> | Doc | null,
  ): Promise<Doc | null> {
    const known = this.known.get(id);
    let gen = known?.gen;
    for (let attempt = 0; attempt < 20; attempt++) {
      if (gen === undefined) {
        const d = await this.m.collection.findOne(
          { _id: id as never },
          { projection: { gen: 1, status: 1, leaseOwner: 1, runAfter: 1 } },
        );
        if (!d) return null;
        gen = d.gen as number;
      }
      const before: { doc?: Doc } = {};
      const r = await this.attempt(
        id,
        gen,
        (d) => {
          before.doc = d;
          return accept(d);
        },
        change,
        attempt === 0 ? known : undefined,
      );
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

  protected slotKeys(d: Doc): { queued: string | null; active: string | null } {
    return {
      queued: d.dedupeKey ? `queued:${d.dedupeKey}` : null,
      active: !d.dedupeKey && d.mediaId ? `active:${d.name}:${d.mediaId}` : null,
    };
  }

  /**
   * Takes the slot for `jobId`; returns the id of the job holding it (jobId itself when taken). A slot whose holder
   * left the state the slot stands for (or never got written) is released and taken.
   */
  protected async takeSlot(key: string, jobId: string): Promise<string> {
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

  protected async releaseSlot(key: string | null, jobId: string): Promise<void> {
    if (key) await this.slots.deleteOne({ _id: key as never, jobId });
  }

  /** After a job reached done, failed or cancelled: its slots and claims go. */
  protected async finished(d: Doc): Promise<void> {
    const keys = this.slotKeys(d);
    await Promise.all([this.releaseSlot(keys.queued, d._id), this.releaseSlot(keys.active, d._id)]);
  }
}
