// Units of work, against every Store adapter: each multi-step use case is crashed after every single store write
// (the engine "goes away" mid-request: a StoreUnavailableError from the n-th write on) and must then show nothing
// half-written — either nothing at all, or, once the sweep (or a retry with the same Idempotency-Key) has run, exactly
// what an uninterrupted run leaves — and a retry afterwards records nothing twice. Only the Store interface is used:
// the services run unchanged on top of whichever adapter `openStore` gives.
// The world and the crashing store are in use-case-world.ts, the use cases in use-case-cases.ts.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../server/store/errors.js';
import type { Store } from '../../server/store/repositories.js';
import { InjectedFailure } from '../../server/store/unit-of-work.js';
import { makeWorld, snapshot } from './use-case-world.js';
import { useCases } from './use-case-cases.js';

export function describeUseCaseContract(adapterName: string, openStore: () => Promise<Store>): void {
  describe(`units of work: ${adapterName}`, () => {
    let stores: Store[] = [];
    let dirs: string[] = [];
    const open = async (opts?: Parameters<typeof makeWorld>[1]) => {
      const raw = await openStore();
      stores.push(raw);
      const w = await makeWorld(raw, opts);
      dirs.push(w.uploadsDir);
      return w;
    };
    beforeEach(() => {
      stores = [];
      dirs = [];
    });
    afterEach(async () => {
      for (const s of stores) await s.close();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    });

    for (const useCase of useCases) {
      it(`${useCase.name} — crashed after every write, then swept or retried: complete once, never half`, async () => {
        const reference = await open(useCase.world);
        const prepared = await useCase.prepare?.(reference);
        const before = await snapshot(reference);
        reference.crash.writes = 0;
        await useCase.act(reference, 'key-1', prepared);
        const writes = reference.crash.writes;
        const expected = await snapshot(reference);
        expect(expected).not.toEqual(before);
        expect(expected.pending).toBe(0);
        // the same request again with the same key changes nothing
        await useCase.act(reference, 'key-1', prepared);
        expect(await snapshot(reference)).toEqual(expected);
        expect(writes).toBeGreaterThan(1);
        console.info(
          `units of work (${adapterName}): ${useCase.name.split(':')[0]} — crashed after each of its ${writes} writes`,
        );

        for (let n = 0; n < writes; n++) {
          const w = await open(useCase.world);
          const mine = await useCase.prepare?.(w);
          w.crash.writes = 0;
          w.crash.after = n;
          await expect(useCase.act(w, 'key-1', mine), `crash after ${n} of ${writes} writes`).rejects.toThrow(
            StoreUnavailableError,
          );
          w.crash.after = null;
          const crashed = await snapshot(w);
          if (n % 2 === 0) {
            // the sweep completes what was begun (operations younger than its grace period are left to their request)
            await w.publication.units.uow.completeUnfinished(0, new Date(Date.now() + 1000));
            const swept = await snapshot(w);
            if (crashed.pending === 0)
              expect(swept, `nothing begun after ${n} writes: nothing written`).toEqual(before);
            else expect(swept, `swept after a crash after ${n} writes`).toEqual(expected);
            if (crashed.pending === 0) await useCase.act(w, 'key-1', mine);
          } else {
            // or the client sends it again (same Idempotency-Key)
            await useCase.act(w, 'key-1', mine);
          }
          expect(await snapshot(w), `after a crash after ${n} writes`).toEqual(expected);
          await useCase.act(w, 'key-1', mine);
          expect(await snapshot(w), `retried once more after a crash after ${n} writes`).toEqual(expected);
          await w.raw.close();
          stores = stores.filter((s) => s !== w.raw);
        }
      }, 60_000);
    }

    it('a rejected decision (409 before any write) leaves nothing behind; no operation stays pending', async () => {
      const w = await open({ status: 'approved', visibility: 'public' });
      const before = await snapshot(w);
      await expect(
        w.review.decide(w.narrator, { decision: 'request_changes', message: null }, 'k'),
      ).rejects.toMatchObject({ status: 409 });
      expect(await snapshot(w)).toEqual(before);
    });

    it('a decision retried without Idempotency-Key is recorded once', async () => {
      const w = await open();
      const first = await w.review.decide(w.narrator, { decision: 'approve', visibility: 'registered', message: null });
      const again = await w.review.decide(w.narrator, { decision: 'approve', visibility: 'registered', message: null });
      expect(again.decision).toEqual(first.decision);
      expect(await w.raw.review.listDecisions(w.interview.id)).toHaveLength(1);
    });

    it('a correction accepted while its segment changed (409) writes no transcript version and stays open', async () => {
      const w = await open();
      const c = await w.review.narratorAddCorrection(w.narrator, {
        mediaId: w.medium.id,
        segmentNo: 2,
        proposed: 'Das war eine sehr schwere Zeit.',
        note: null,
      });
      await w.transcripts.editSegment(w.curator, w.interview.id, w.medium.id, 2, { text: 'Anders.' });
      const before = await snapshot(w);
      await expect(w.review.decideCorrection(w.curator, w.interview.id, c.id, true, null)).rejects.toMatchObject({
        status: 409,
      });
      expect(await snapshot(w)).toEqual(before);
    });

    it('the runner hook failAfterStep stops a unit between its steps; the sweep completes it', async () => {
      const w = await open();
      const uow = w.publication.units.uow;
      uow.failAfterStep = 2;
      await expect(
        w.review.decide(w.narrator, { decision: 'approve', visibility: 'public', message: null }, 'k'),
      ).rejects.toThrow(InjectedFailure);
      uow.failAfterStep = null;
      const half = await snapshot(w);
      expect(half.pending).toBe(1);
      expect(half.decisions).toHaveLength(1);
      expect(half.interview?.status).toBe('ready_for_review');
      expect(await uow.completeUnfinished(0, new Date(Date.now() + 1000))).toEqual({
        completed: 1,
        failed: 0,
        pending: 0,
      });
      const done = await snapshot(w);
      expect(done.pending).toBe(0);
      expect(done.interview?.status).toBe('approved');
      expect(done.audit.filter((a) => a === 'review.approve')).toHaveLength(1);
    });
  });
}
