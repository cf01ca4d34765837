// The repository contract, part: the job queue (fair claiming across owners).
// Each describe takes the running test's fresh store from storeOf (opened in repository-contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../server/store/repositories.js';
import type { JobRecord } from '../../server/store/types.js';
import { at, type StoreOf, uuid } from './repository-contract-helpers.js';

/** The job queue: claiming is fair across owners. */
export function describeJobsContract(storeOf: StoreOf): void {
  // ---------------------------------------------------------------------------------------------- jobs (fair claiming)
  describe('jobs: claiming is fair across owners', () => {
    let store: Store;
    beforeEach(() => {
      store = storeOf();
    });

    const job = (ownerId: string | null, minute: number, name = 'search.interview'): JobRecord => ({
      id: uuid(),
      name,
      payload: { v: 1, n: minute },
      status: 'queued',
      mediaId: null,
      dedupeKey: null,
      ownerId,
      attempts: 0,
      maxAttempts: 3,
      runAfter: at(minute),
      leaseOwner: null,
      leaseExpiresAt: null,
      progress: 0,
      error: null,
      createdAt: at(minute),
      updatedAt: at(minute),
      startedAt: null,
      finishedAt: null,
    });
    const claimAt = (minute: number) => store.jobs.claim('worker-1', 60_000, new Date(Date.parse(at(minute))));

    it('keeps the owner on the record', async () => {
      const j = job('uploader-a', 1);
      await store.jobs.enqueue(j);
      expect(await store.jobs.findById(j.id)).toEqual(j);
      expect((await claimAt(30))?.ownerId).toBe('uploader-a');
    });

    it('one owner with a long queue does not starve another: owners take turns (round robin), each oldest first', async () => {
      // A queued five jobs first; B and then the archive's own work (no owner) queued one each, later
      const a = [1, 2, 3, 4, 5].map((m) => job('uploader-a', m));
      const b = job('uploader-b', 10);
      const system = job(null, 11);
      for (const j of [...a, b, system]) await store.jobs.enqueue(j);
      const order: string[] = [];
      for (let n = 0; n < 7; n++) {
        const claimed = await claimAt(20 + n);
        expect(claimed).not.toBeNull();
        order.push(claimed!.id);
        await store.jobs.complete(claimed!.id, 'worker-1', new Date(Date.parse(at(20 + n))));
      }
      // the first claim: nobody has started anything, so the owner of the oldest due job (A); then B and the
      // archive (never started) before A again; then only A is left
      expect(order).toEqual([a[0]!.id, b.id, system.id, a[1]!.id, a[2]!.id, a[3]!.id, a[4]!.id]);
    });

    it('the owner with fewer running jobs goes first, whatever the age of the jobs', async () => {
      const a = [1, 2, 3].map((m) => job('uploader-a', m));
      const b = job('uploader-b', 9);
      for (const j of [...a, b]) await store.jobs.enqueue(j);
      expect((await claimAt(20))?.id).toBe(a[0]!.id); // A running 1, B 0
      expect((await claimAt(21))?.id).toBe(b.id); // B running 1, A 1: A started longer ago
      expect((await claimAt(22))?.id).toBe(a[1]!.id); // both 1 running; A's last start (20) is older than B's (21)
      // A has two running, B one: B would go next, but B has nothing queued any more
      expect((await claimAt(23))?.id).toBe(a[2]!.id);
      expect(await claimAt(24)).toBeNull();
    });

    it('only due jobs of the asked names count', async () => {
      const later = { ...job('uploader-a', 50), id: uuid() };
      const other = job('uploader-b', 1, 'media.waveform');
      const mine = job('uploader-c', 2);
      for (const j of [later, other, mine]) await store.jobs.enqueue(j);
      expect((await store.jobs.claim('worker-1', 60_000, new Date(Date.parse(at(10))), ['search.interview']))?.id).toBe(
        mine.id,
      );
    });

    it('claimMany takes what single claims one after another would: oldest first for one owner, fair across owners', async () => {
      const mine = [3, 1, 2, 4].map((m) => job(null, m));
      const notDue = job(null, 40);
      const otherName = job(null, 0, 'media.waveform');
      for (const j of [...mine, notDue, otherName]) await store.jobs.enqueue(j);
      const now = new Date(Date.parse(at(30)));
      const three = await store.jobs.claimMany('worker-1', 60_000, now, 3, ['search.interview']);
      // oldest due first; each claimed as a single claim is: running, leased from now, one attempt
      expect(three.map((j) => j.id)).toEqual([mine[1]!.id, mine[2]!.id, mine[0]!.id]);
      for (const j of three) {
        expect(j).toMatchObject({
          status: 'running',
          leaseOwner: 'worker-1',
          attempts: 1,
          startedAt: now.toISOString(),
        });
        expect(await store.jobs.findById(j.id)).toMatchObject({
          status: 'running',
          leaseOwner: 'worker-1',
          attempts: 1,
        });
      }
      // fewer than asked when fewer are due; the rest stays queued
      expect((await store.jobs.claimMany('worker-2', 60_000, now, 5, ['search.interview'])).map((j) => j.id)).toEqual([
        mine[3]!.id,
      ]);
      expect(await store.jobs.claimMany('worker-2', 60_000, now, 5, ['search.interview'])).toEqual([]);
      expect((await store.jobs.findById(notDue.id))?.status).toBe('queued');
      expect((await store.jobs.findById(otherName.id))?.status).toBe('queued');
      // completing a job of the batch is the claimer's, as after a single claim
      expect(await store.jobs.complete(three[0]!.id, 'worker-2', now)).toBe(false);
      expect(await store.jobs.complete(three[0]!.id, 'worker-1', now)).toBe(true);

      // several owners: the same turns as single claims take (see the round-robin case above)
      const a = [1, 2, 3].map((m) => job('uploader-a', m));
      const b = job('uploader-b', 9);
      for (const j of [...a, b]) await store.jobs.enqueue(j);
      const turns = await store.jobs.claimMany('worker-3', 60_000, new Date(Date.parse(at(31))), 3, [
        'search.interview',
      ]);
      expect(turns.map((j) => j.id)).toEqual([a[0]!.id, b.id, a[1]!.id]);
      expect((await store.jobs.findById(a[2]!.id))?.status).toBe('queued');
    });
  });
}
