// The ready-queue reading of the MongoDB job queue (server/store/mongo/jobs.ts): this process's copy of job_queue and
// the fair claim order over it; split from jobs.ts. How it works is told at MongoJobRepository and readyQueue below.
import crypto from 'node:crypto';
import { iso, MongoJobClaims, QUEUE_STAMP_ID, readEntry, STALE_CLAIM_MS } from './jobs-claims.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

/** How many ready-queue entries one read of the queue takes at most (the fair order needs every due owner). */
const QUEUE_READ_LIMIT = 5_000;
/** Spent entries are removed this many at a time, in one round trip (see spend). */
const SPENT_BATCH = 512;
/** Dead entry keys remembered at most (see dead). */
const DEAD_KEYS = 20_000;
/** How long a claim trusts its copy of the ready queue without reading job_queue_stamp (see trustedCopy). */
const STAMP_TRUST_MS = 100;
/** Keys of the entries it spent last that a process tells the others (see publishSpent). */
const TOLD_KEYS = 64;
/** `_id` prefix of a process's document of spent keys in job_queue_stamp. */
export const SPENT_PREFIX = 'spent:';

/** The candidates of a claim, in the fair order, from the ready queue (MongoJobRepository.claim tries them in order). */
export class MongoJobQueue extends MongoJobClaims {
  /** Keys of entries this process claimed through, not yet removed from job_queue. */
  private spent: string[] = [];
  /**
   * Keys of entries whose generation this process saw left (it claimed through them, or its claim found the
   * generation taken): dead for good, as state records stay. A fresh read of the queue skips them until they are gone
   * from it, so a worker never walks the same dead entries twice (cleared when it grows past DEAD_KEYS: a miss costs
   * one failed insert).
   */
  private readonly dead = new Set<string>();
  /** This process's document of spent keys in job_queue_stamp (see publishSpent). */
  private readonly spentId = `${SPENT_PREFIX}${crypto.randomBytes(8).toString('hex')}`;
  /** The last TOLD_KEYS keys this process spent, and whether they changed since they were last written. */
  private told: string[] = [];
  private toldChanged = false;

  /**
   * Tells the other processes which entries this one spent of late: each process's copy of the queue learns of the
   * others' claims otherwise only by losing a race for each (one failed insert apiece — with two workers about one per
   * job, as each one's copy still holds every entry the other took). So each process keeps one document in
   * job_queue_stamp, `spent:<random>`, with its last TOLD_KEYS spent keys, written with its reads of the stamp (at
   * most every STAMP_TRUST_MS while it claims), and every reader of the stamp reads them all in the same round trip and
   * drops those entries from its copy. Only a hint: a spent entry's generation is taken for good (state records stay),
   * so skipping it loses nothing; a key not yet told costs the failed insert it cost before. The sweep removes the
   * documents of processes gone quiet.
   */
  private async publishSpent(): Promise<void> {
    if (!this.toldChanged) return;
    this.toldChanged = false;
    await this.stamps
      .replaceOne({ _id: this.spentId as never }, { keys: [...this.told], at: new Date() }, { upsert: true })
      .catch(() => undefined);
  }

  /** The sweep's share: documents of spent keys not written for STALE_CLAIM_MS (their process stopped or idles). */
  protected async removeQuietSpent(): Promise<void> {
    const old = Date.now() - STALE_CLAIM_MS;
    const quiet = ((await this.stamps.find({}, { projection: { _id: 1, at: 1 } }).toArray()) as Doc[]).filter(
      (d) => String(d._id).startsWith(SPENT_PREFIX) && d.at instanceof Date && d.at.getTime() < old,
    );
    if (quiet.length > 0) await this.stamps.deleteMany({ _id: { $in: quiet.map((d) => d._id) } });
  }

  /**
   * Removes a claimed entry — batched, as one `$in` removal per SPENT_BATCH claims: FerretDB decodes every entry (each
   * carries its job) in Go for it, whatever it removes, so the cost per claim shrinks with the batch. (A removal by
   * exact `_id` is filtered by SQLite, but still scans, twice: at 1,000 entries one of those per claim costs more.)
   * Until then other claimers that meet it find its generation taken (one failed insert). Entries left by a process
   * that stopped are the sweep's (repairQueue). The entry is out of this process's copy at once.
   */
  protected spend(key: string): void {
    if (this.dead.size >= DEAD_KEYS) this.dead.clear();
    this.dead.add(key);
    this.told.push(key);
    if (this.told.length > TOLD_KEYS) this.told.shift();
    this.toldChanged = true;
    this.spent.push(key);
    if (this.spent.length < SPENT_BATCH) return;
    const keys = this.spent;
    this.spent = [];
    void this.queue.deleteMany({ _id: { $in: keys as never[] } }).catch(() => undefined);
  }

  /**
   * The due queue entries in the fair claim order (JobRepository.claim): owners by fewest running jobs, then oldest most
   * recent start (never started first), then oldest due job; each owner's entries by runAfter, createdAt, insertion
   * (the key order).
   */
  protected async fairCandidates(now: Date, names: readonly string[] | undefined, fresh: boolean): Promise<Doc[]> {
    const limit = `${iso(now)}|~`;
    const dueOf = async (entries: Doc[] | null) =>
      entries
        ? entries.filter((e) => e._id < limit && (!names || names.includes(e.name)))
        : // a queue longer than one read: the due entries in key order from the engine (filtered and sorted there)
          (
            (await this.queue
              .find({ _id: { $lt: limit } as never, ...(names ? { name: { $in: [...names] } } : {}) })
              .sort({ _id: 1 })
              .limit(QUEUE_READ_LIMIT)
              .batchSize(QUEUE_READ_LIMIT)
              .toArray()) as Doc[]
          )
            .filter((e) => !this.dead.has(e._id as string))
            .map(readEntry);
    const trusted = fresh ? null : this.trustedCopy();
    let due = trusted ? await dueOf(trusted) : [];
    // nothing due in the trusted copy: ask the stamp before saying so (an empty answer is never a stale one)
    if (due.length === 0) due = await dueOf(await this.readyQueue(fresh));
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
    const owners = await Promise.all(
      [...byOwner.keys()].map(async (owner, first) => {
        const jobs = await this.states({ ownerId: owner });
        const running = jobs.filter((j) => j.status === 'running').length;
        const newest = jobs.reduce<string | null>(
          (max, j) => (typeof j.startedAt === 'string' && (max === null || j.startedAt > max) ? j.startedAt : max),
          null,
        );
        // `first`: Map keys keep insertion order, so the index ranks owners by their oldest due job
        return { owner, running, lastStarted: newest, first };
      }),
    );
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

  /** This process's copy of the ready queue (every entry, in key order), valid while the stamp's token is unchanged. */
  private cached: { token: string; writes: number; entries: Doc[] } | null = null;
  /** When the stamp was last read (performance.now() as the read was sent). */
  private stampReadAt = -Infinity;

  /**
   * The copy, without a read of the stamp, within STAMP_TRUST_MS of the last one — and only while this process wrote
   * no entry since (its own enqueues are in the copy at once). So another process's enqueue reaches this one's claims
   * at most STAMP_TRUST_MS late (a worker polls far less often), and a busy claimer reads the stamp a few times a
   * second instead of once per claim (each read a round trip and ~1 ms of engine CPU).
   */
  private trustedCopy(): Doc[] | null {
    const c = this.cached;
    if (!c || c.writes !== this.queueWrites || performance.now() - this.stampReadAt >= STAMP_TRUST_MS) return null;
    return c.entries;
  }

  /**
   * The ready queue, read whole only when it gained entries since the last read: a read of the stamp (one document,
   * by `_id`) is one cheap round trip, a read of a long queue is not (FerretDB decodes every entry in Go). Entries that
   * left the queue since are still in the copy: claiming through them fails at once (claim taken, or job moved on),
   * and they are dropped from it then. `fresh`: read the queue whatever the stamp says.
   */
  private async readyQueue(fresh: boolean): Promise<Doc[] | null> {
    // the stamp before the entries: an entry inserted after this read gives the stamp a token this read did not see
    // with it, the other processes' spent keys (one small document each), and this one's own go out
    const readAt = performance.now();
    const [stamps] = await Promise.all([this.stamps.find({}).toArray() as Promise<Doc[]>, this.publishSpent()]);
    this.stampReadAt = readAt;
    let learned = false;
    for (const d of stamps) {
      if (d._id === this.spentId || !String(d._id).startsWith(SPENT_PREFIX) || !Array.isArray(d.keys)) continue;
      for (const key of d.keys as string[]) {
        if (this.dead.has(key)) continue;
        if (this.dead.size >= DEAD_KEYS) this.dead.clear();
        this.dead.add(key);
        learned = true;
      }
    }
    const token = (stamps.find((d) => d._id === QUEUE_STAMP_ID)?.token as string | undefined) ?? null;
    const c = this.cached;
    if (!fresh && c && token !== null && c.token === token && c.writes === this.queueWrites) {
      if (learned) c.entries = c.entries.filter((e) => !this.dead.has(e._id as string));
      return c.entries;
    }
    const writes = this.queueWrites;
    // no filter and no sort, so FerretDB streams the table; one batch (one round trip), sorted here
    const read = (await this.queue.find({}).limit(QUEUE_READ_LIMIT).batchSize(QUEUE_READ_LIMIT).toArray()) as Doc[];
    // the read stopped at the limit in table order, not key order: not the whole queue
    if (read.length >= QUEUE_READ_LIMIT) {
      this.cached = null;
      return null;
    }
    const entries = read.filter((e) => !this.dead.has(e._id as string)).map(readEntry);
    entries.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    this.cached = token === null ? null : { token, writes, entries };
    return entries;
  }

  /** Drops an entry from this process's copy of the ready queue (it was claimed, or is stale). */
  protected forget(entry: Doc): void {
    const entries = this.cached?.entries;
    const at = entries ? entries.indexOf(entry) : -1;
    if (at >= 0) entries!.splice(at, 1);
  }
}
