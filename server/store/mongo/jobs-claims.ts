// The state machinery of the MongoDB job queue (server/store/mongo/jobs.ts): generations as insert-only state records,
// job slots and the ready-queue entries they keep in step; split from jobs.ts. How it works is told at MongoJobRepository.
import crypto from 'node:crypto';
import type { Models } from './schemas.js';
import { isDuplicateKeyError, type Support } from './support.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

export const iso = (d: Date) => d.toISOString();
export const later = (d: Date, ms: number) => new Date(d.getTime() + ms).toISOString();
export const ACTIVE = ['queued', 'running'];
/**
 * Claims without a state (written by this adapter before state records existed: a claim, then an update of the job)
 * older than this are removed by the sweep; so are spent queue entries and records of deleted jobs.
 */
export const STALE_CLAIM_MS = 60_000;
/** A slot whose job does not exist (yet) is only taken over after this long: its enqueue may still be writing. */
export const STALE_SLOT_MS = 5_000;
/** Generations this process wrote, remembered at most this many (a miss only costs one read). */
const KNOWN_GENERATIONS = 10_000;

/** The fields a state change sets; every other field of a job document is written once, by its enqueue. */
export const STATE_FIELDS = [
  'status',
  'attempts',
  'runAfter',
  'leaseOwner',
  'leaseExpiresAt',
  'progress',
  'error',
  'updatedAt',
  'startedAt',
  'finishedAt',
] as const;

/**
 * The ready-queue key of a queued job at one generation: due time, then creation, then insertion order — the claim
 * order of one owner — so the next candidates are the smallest `_id`s, and "due" is `_id < "<now>|~"` (ISO times have
 * one length; '~' sorts after every character of a key). The generation makes each queued state its own entry.
 */
export const queueKey = (d: Doc) =>
  `${d.runAfter}|${d.createdAt}|${String(d.seq ?? 0).padStart(17, '0')}|${d._id}|${d.gen ?? 0}`;
/**
 * The ready-queue entry of queued job `d` at its generation. It carries the whole job document of that generation
 * (`docJson`, as JSON text: FerretDB decodes a document field by field, ~0.3 ms per entry with the job as a
 * subdocument, half that as one string — and every read and removal of the queue decodes all entries): a
 * generation's state never changes, so a claimer needs no read of the job — its state-record insert for that
 * generation wins only while the job is still there (see MongoJobClaims.attempt). Entries written before carry `doc`.
 */
export const queueEntry = (d: Doc) => ({
  _id: queueKey(d),
  jobId: d._id as string,
  gen: (d.gen as number | undefined) ?? 0,
  name: d.name as string,
  ownerId: (d.ownerId as string | null | undefined) ?? null,
  docJson: JSON.stringify(d),
  at: new Date(),
});

/** A ready-queue entry as read, with its job document as `doc` (parsed from `docJson`; older entries carry `doc`). */
export const readEntry = (e: Doc): Doc => {
  if (typeof e.docJson !== 'string') return e;
  const { docJson, ...rest } = e;
  return { ...rest, doc: JSON.parse(docJson as string) as Doc };
};

/** The one document of job_queue_stamp: a fresh token after every queue-entry insert (see MongoJobClaims.queued). */
export const QUEUE_STAMP_ID = 'queue';

/** The state record of job `d`'s move from generation `from` to `d.gen` (= from + 1): `_id` `<job id>:<from>`. */
const stateRecord = (d: Doc, from: number) => ({
  _id: `${d._id}:${from}`,
  jobId: d._id as string,
  gen: from + 1,
  at: new Date(),
  state: Object.fromEntries(STATE_FIELDS.map((f) => [f, d[f] ?? null])),
});

/**
 * Job documents with their state records folded in: each job has the state of its highest generation — its own
 * (as enqueued, or as copied by migrate) or that of its newest record. Records without a state are old claims.
 */
export function foldStates(docs: Doc[], records: Doc[]): Doc[] {
  const newest = new Map<string, Doc>();
  for (const r of records) {
    if (!r.state || typeof r.gen !== 'number') continue;
    const seen = newest.get(r.jobId as string);
    if (!seen || r.gen > seen.gen) newest.set(r.jobId as string, r);
  }
  return docs.map((d) => {
    const r = newest.get(d._id as string);
    return r && r.gen > ((d.gen as number | undefined) ?? 0) ? { ...d, ...r.state, gen: r.gen } : { gen: 0, ...d };
  });
}

/**
 * The current state of the jobs matching `filter` — a filter on fields no state change sets (`_id`, `mediaId`,
 * `dedupeKey`, `name`, `ownerId` …; the status of a job document is the one it was enqueued with). Two reads: the job
 * documents, then their records (all records when there are many jobs: FerretDB filters `$in` in Go either way).
 */
export async function readJobStates(models: Models, filter: Doc): Promise<{ jobs: Doc[]; records: Doc[] }> {
  const docs = (await models.jobs.collection.find(filter).toArray()) as Doc[];
  if (docs.length === 0 && Object.keys(filter).length > 0) return { jobs: [], records: [] };
  const ids = docs.map((d) => d._id as string);
  const records = (await models.jobClaims.collection
    .find(ids.length <= 100 && Object.keys(filter).length > 0 ? { jobId: { $in: ids } } : {})
    .toArray()) as Doc[];
  return { jobs: foldStates(docs, records), records };
}

type Attempt = { kind: 'done'; doc: Doc } | { kind: 'busy' } | { kind: 'rejected' };

/** The generation, state-record and slot helpers MongoJobRepository is built on. */
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
  /** job id → the newest generation this process wrote of it (a generation's state never changes) */
  protected readonly known = new Map<string, Doc>();
  /** Bumped when this process inserted a queue entry (its own cache of the ready queue is stale then). */
  protected queueWrites = 0;

  protected remember(id: string, doc: Doc | null): void {
    if (doc === null) {
      this.known.delete(id);
      return;
    }
    if (this.known.size >= KNOWN_GENERATIONS) this.known.clear();
    this.known.set(id, doc);
  }

  /** The current state of the jobs matching `filter` (see readJobStates). */
  protected async states(filter: Doc): Promise<Doc[]> {
    return (await readJobStates(this.s.models, filter)).jobs;
  }

  /** The current state of one job: its document and its records, read side by side. */
  protected async readJob(id: string): Promise<Doc | null> {
    const [doc, records] = await Promise.all([
      this.m.collection.findOne({ _id: id as never }),
      this.claims.find({ jobId: id }).toArray(),
    ]);
    return doc ? foldStates([doc as Doc], records as Doc[])[0]! : null;
  }

  /**
   * Inserts the ready-queue entry of queued job `d`, then gives the stamp a fresh token — in that order, so that a
   * reader that read the stamp before reading the entries sees the new token when it missed the entry.
   * Concurrent stamp writes need no atomicity: whichever token lands is new to every reader.
   */
  protected async queued(d: Doc): Promise<void> {
    await this.queue.insertOne(queueEntry(d) as never).catch((err: unknown) => {
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
   * Moves the job from generation `view.gen` (whose state `view` is) to the next with `change(view)`, when
   * `accept(view)`. The move is one unique insert, of the state record `<id>:<gen>` with the new state: it wins only
   * when nobody moved the job from that generation — the exclusive right to change it, atomic on FerretDB and MongoDB
   * alike. No job document is updated (on FerretDB 1.24 an update by `_id` scans the whole jobs collection, twice; an
   * insert is one index probe), and records are never removed while their job exists, so a view of any age is safe:
   * a generation's state never changes, and a generation can be left only once. A lost race is `busy` (re-read).
   */
  protected async attempt(
    view: Doc,
    accept: (d: Doc) => boolean,
    change: (d: Doc) => Promise<Doc | null> | Doc | null,
  ): Promise<Attempt> {
    if (!accept(view)) return { kind: 'rejected' };
    const set = await change(view);
    if (!set) return { kind: 'rejected' };
    const from = (view.gen as number | undefined) ?? 0;
    const after: Doc = { ...view, ...set, gen: from + 1 };
    try {
      await this.claims.insertOne(stateRecord(after, from) as never);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      this.remember(view._id, null);
      return { kind: 'busy' };
    }
    this.remember(view._id, ACTIVE.includes(after.status) ? after : null);
    // the ready queue follows: the entry of the old queued state goes (caller), one for the new queued state comes
    if (after.status === 'queued') await this.queued(after);
    return { kind: 'done', doc: after };
  }

  /**
   * `attempt` for several jobs in one round trip: one insert of all their state records, unordered — each record is
   * its own unique insert, so each move is won or lost (`busy`) on its own, exactly as one attempt each. For moves to
   * a state other than queued (a claim): no ready-queue entry follows.
   */
  protected async attemptMany(views: Doc[], change: (d: Doc) => Doc): Promise<Attempt[]> {
    if (views.length === 0) return [];
    const afters: Doc[] = views.map((v) => ({ ...v, ...change(v), gen: ((v.gen as number | undefined) ?? 0) + 1 }));
    if (afters.some((a) => a.status === 'queued')) throw new Error('attemptMany moves jobs out of the queue only');
    const lost = new Set<number>();
    try {
      await this.claims.insertMany(afters.map((a) => stateRecord(a, (a.gen as number) - 1)) as never[], {
        ordered: false,
      });
    } catch (err) {
      const raw = (err as { writeErrors?: unknown }).writeErrors;
      const writeErrors = (Array.isArray(raw) ? raw : raw ? [raw] : []) as { index: number; code?: number }[];
      // anything but lost races: which records landed is unknown — those jobs wait out their lease (the sweep)
      if (writeErrors.length === 0 || writeErrors.some((w) => w.code !== 11000)) throw err;
      for (const w of writeErrors) lost.add(w.index);
    }
    return afters.map((after, i) => {
      if (lost.has(i)) {
        this.remember(after._id as string, null);
        return { kind: 'busy' } as const;
      }
      this.remember(after._id as string, after);
      return { kind: 'done', doc: after } as const;
    });
  }

  /** Drops the ready-queue entry of `d`'s queued state (best effort: a stale entry is dropped by the next claimer). */
  protected async dequeue(d: Doc): Promise<void> {
    if (d.status === 'queued') await this.queue.deleteOne({ _id: queueKey(d) as never }).catch(() => undefined);
  }

  /** Moves `current` to its next generation with `set`; false when another writer changed it first. */
  protected async transition(current: Doc, set: Doc): Promise<boolean> {
    const r = await this.attempt(
      current,
      () => true,
      () => set,
    );
    if (r.kind !== 'done') return false;
    await this.dequeue(current);
    return true;
  }

  /**
   * Applies `change` to the job while `accept` holds, re-reading when a concurrent writer moved it first. Starts from
   * the generation this process wrote last, if any (so completing a job it claimed is one insert, no read).
   */
  protected async change(
    id: string,
    accept: (d: Doc) => boolean,
    change: (d: Doc) => Promise<Doc | null> | Doc | null,
  ): Promise<Doc | null> {
    let view: Doc | null | undefined = this.known.get(id);
    let fromKnown = view !== undefined;
    for (let attempt = 0; attempt < 20; attempt++) {
      if (!view) {
        view = await this.readJob(id);
        fromKnown = false;
        if (!view) return null;
      }
      const r = await this.attempt(view, accept, change);
      if (r.kind === 'done') {
        await this.dequeue(view);
        return r.doc;
      }
      // a remembered generation may have been left by another process since: judge the current one
      if (r.kind === 'rejected' && !fromKnown) return null;
      view = undefined;
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
      const holder = await this.readJob(slot.jobId as string);
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

  /** After a job reached done, failed or cancelled: its slots go. */
  protected async finished(d: Doc): Promise<void> {
    const keys = this.slotKeys(d);
    await Promise.all([this.releaseSlot(keys.queued, d._id), this.releaseSlot(keys.active, d._id)]);
  }
}
