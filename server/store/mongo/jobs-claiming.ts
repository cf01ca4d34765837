// Claiming from the MongoDB job queue (server/store/mongo/jobs.ts): one job or several per round trip, in the fair
// order of the ready queue (jobs-queue.ts), spread across lanes while other processes claim too; split from jobs.ts.
import type { JobRecord } from '../types.js';
import { iso, later } from './jobs-claims.js';
import { MongoJobQueue } from './jobs-queue.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

/** How long after a lost claim race a worker spreads its claims (see MongoJobClaiming.spread). */
const CONTENDED_MS = 5_000;
/** Lanes a contended claim chooses from (see MongoJobClaiming.spread). */
const LANES = 8;
const laneOf = (jobId: string) => {
  let h = 0;
  for (let i = 0; i < jobId.length; i++) h = (h * 31 + jobId.charCodeAt(i)) | 0;
  return Math.abs(h) % LANES;
};

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

/** The state a claim moves a queued job to. */
const claimedState = (owner: string, leaseMs: number, now: Date) => (d: Doc) => ({
  status: 'running',
  leaseOwner: owner,
  leaseExpiresAt: later(now, leaseMs),
  attempts: (d.attempts as number) + 1,
  startedAt: iso(now),
  updatedAt: iso(now),
  error: null,
});

/** The claims of MongoJobRepository (jobs.ts). */
export class MongoJobClaiming extends MongoJobQueue {
  async claim(owner: string, leaseMs: number, now: Date, names?: readonly string[]): Promise<JobRecord | null> {
    for (let round = 0; round < 50; round++) {
      // the copy first; when none of its candidates could be taken, the queue itself
      const candidates = await this.fairCandidates(now, names, round > 0);
      if (candidates.length === 0) return null;
      // in order: a concurrent worker that took the first one makes this claim fail at once, and the next one is tried
      let order = this.spread(candidates);
      for (let i = 0; i < order.length; i++) {
        const c = order[i]!;
        const set = claimedState(owner, leaseMs, now);
        // the entry's generation, as its writer wrote it (an entry without it, from before: read the job)
        const view = c.doc ? (c.doc as Doc) : await this.readJob(c.jobId as string);
        // succeeds only while the job is still at the entry's generation: still queued and unchanged
        const r = view && view.gen === c.gen ? await this.attempt(view, (d) => d.status === 'queued', set) : null;
        this.forget(c);
        // claimed, or its generation taken (it stays taken: records stay), or its job gone or moved on: the entry is
        // dead and goes later, with others (a claimer that meets it first finds the generation taken and skips it)
        this.spend(c._id as string);
        if (r?.kind === 'busy') {
          this.contended();
          // another process claims in this lane: the rest in the order of the new one (not on through the other's)
          order = this.spread(order.slice(i + 1));
          i = -1;
        }
        if (r?.kind !== 'done') continue;
        // no longer queued: a new job with this dedupe key may be queued behind it
        await this.releaseSlot(this.slotKeys(r.doc).queued, c.jobId);
        return toJob(r.doc);
      }
    }
    return null;
  }

  async claimMany(
    owner: string,
    leaseMs: number,
    now: Date,
    max: number,
    names?: readonly string[],
  ): Promise<JobRecord[]> {
    const each = async () => {
      const claimed: JobRecord[] = [];
      while (claimed.length < max) {
        // a failure after some claims: those are this worker's, so they are handed out (not left to their lease)
        const job = await this.claim(owner, leaseMs, now, names).catch((err: unknown) => {
          if (claimed.length === 0) throw err;
          return null;
        });
        if (!job) break;
        claimed.push(job);
      }
      return claimed;
    };
    if (max <= 1) return each();
    for (let round = 0; round < 50; round++) {
      // the copy first; when none of its candidates could be taken, the queue itself
      const candidates = await this.fairCandidates(now, names, round > 0);
      if (candidates.length === 0) return [];
      // several owners: the fair order changes with every claim (running counts, last starts), so one at a time
      const first = candidates[0]!.ownerId ?? null;
      if (candidates.some((c) => (c.ownerId ?? null) !== first)) return each();
      // entries from before they carried their job: the single claim reads the job
      if (candidates.some((c) => !c.doc)) return each();
      // one owner: the first `max` of the order single claims would go through, in one insert of their state records
      // (unordered: each record is its own unique insert; a duplicate is a race lost to another process), then the
      // next ones of the order in place of those lost — until one is won or the copy has none left
      let order = this.spread(candidates);
      while (order.length > 0) {
        const batch = order.slice(0, max);
        const rest = order.slice(max);
        const open = batch.filter((c) => (c.doc as Doc).gen === c.gen && (c.doc as Doc).status === 'queued');
        const results = await this.attemptMany(
          open.map((c) => c.doc as Doc),
          claimedState(owner, leaseMs, now),
        );
        const claimed: Doc[] = [];
        let lost = false;
        for (const c of batch) {
          // claimed, taken by another process, or not what its entry said: dead either way (see claim)
          this.forget(c);
          this.spend(c._id as string);
        }
        results.forEach((r) => {
          if (r.kind === 'busy') lost = true;
          else if (r.kind === 'done') claimed.push(r.doc);
        });
        if (lost) this.contended();
        if (claimed.length > 0) {
          await Promise.all(claimed.map((d) => this.releaseSlot(this.slotKeys(d).queued, d._id as string)));
          return claimed.map(toJob);
        }
        order = lost ? this.spread(rest) : rest;
      }
    }
    return [];
  }

  /** Until when this process counts as claiming next to others (it lost a claim race shortly before). */
  private contendedUntil = 0;
  /** The lane this process prefers while contended (see spread); a lost race moves it to another one. */
  private lane = Math.floor(Math.random() * LANES);

  /** A claim race was lost: another process claims in this lane — spread out, to another one. */
  private contended(): void {
    this.contendedUntil = Date.now() + CONTENDED_MS;
    this.lane = (this.lane + 1 + Math.floor(Math.random() * (LANES - 1))) % LANES;
  }

  /**
   * The candidates in the order to try them: the fair order — but while other workers claim too (this one lost a race
   * in the last CONTENDED_MS), the first owner's candidates of this process's lane (a hash of the job id) first. Each
   * process's copy of the queue learns only of its own claims, so workers going the same way would meet at every
   * entry the other took (each meeting costs the loser a failed insert); in different lanes they rarely meet. Claims
   * made at the same time have no order among themselves; a lone worker keeps the exact order.
   */
  private spread(candidates: Doc[]): Doc[] {
    if (this.contendedUntil < Date.now() || candidates.length < 2) return candidates;
    const owner = candidates[0]!.ownerId ?? null;
    let same = 1;
    while (same < candidates.length && (candidates[same]!.ownerId ?? null) === owner) same++;
    const lanes: Doc[][] = Array.from({ length: LANES }, () => []);
    for (let i = 0; i < same; i++) lanes[laneOf(candidates[i]!.jobId as string)]!.push(candidates[i]!);
    // this lane drained: the next one that has candidates (a lane another process works in costs one lost race, which
    // moves this process on), not the shared order, where every entry the other took is a lost race
    let lane = this.lane;
    for (let step = 0; step < LANES && lanes[lane]!.length === 0; step++) lane = (lane + 1) % LANES;
    this.lane = lane;
    const rest = candidates.slice(0, same).filter((c) => laneOf(c.jobId as string) !== lane);
    return [...lanes[lane]!, ...rest, ...candidates.slice(same)];
  }
}
