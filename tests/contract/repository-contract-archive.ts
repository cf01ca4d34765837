// The repository contract, part: the archive — collections and interviews (create, read, update, delete).
// The interview list (filters, access, sorts, paging) is repository-contract-interview-list.ts.
// Each describe takes the running test's fresh store from storeOf (opened in repository-contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../server/store/repositories.js';
import type { Collection, Interview, User } from '../../server/store/types.js';
import { at, makeCollection, makeInterview, makeUser, type StoreOf, uuid } from './repository-contract-helpers.js';
import { describeInterviewListContract } from './repository-contract-interview-list.js';

/** Collections and interviews. */
export function describeArchiveContract(storeOf: StoreOf): void {
  // ---------------------------------------------------------------------------------------- collections
  describe('collections', () => {
    let store: Store;
    beforeEach(() => {
      store = storeOf();
    });

    let curator: User;
    beforeEach(async () => {
      curator = await store.users.create(makeUser({ role: 'curator' }));
    });

    it('create returns the collection; findById round-trips it; unknown ids give null', async () => {
      const withDescription = makeCollection({ createdBy: curator.id, createdAt: at(1), updatedAt: at(2) });
      const bare = makeCollection({ title: 'Zschornewitz 2020', description: null, createdBy: null });
      expect(await store.collections.create(withDescription)).toEqual(withDescription);
      await store.collections.create(bare);
      expect(await store.collections.findById(withDescription.id)).toEqual(withDescription);
      expect(await store.collections.findById(bare.id)).toEqual(bare);
      expect(await store.collections.findById(uuid())).toBeNull();
    });

    it('list sorts by title ignoring case and reports the total', async () => {
      for (const title of ['deutzen', 'Cospuden', 'abraum', 'Borna']) {
        await store.collections.create(makeCollection({ title }));
      }
      const all = await store.collections.list({ limit: 10, offset: 0 });
      expect(all.total).toBe(4);
      expect(all.items.map((c) => c.title)).toEqual(['abraum', 'Borna', 'Cospuden', 'deutzen']);

      const page = await store.collections.list({ limit: 2, offset: 1 });
      expect(page.total).toBe(4);
      expect(page.items.map((c) => c.title)).toEqual(['Borna', 'Cospuden']);
    });

    it('update changes the given fields, bumps version and updatedAt', async () => {
      const c = makeCollection({ createdBy: curator.id, createdAt: at(1), updatedAt: at(1) });
      await store.collections.create(c);

      const first = await store.collections.update(c.id, { title: 'Ferropolis 2019' }, at(5));
      expect(first).toEqual({ ok: true, record: { ...c, title: 'Ferropolis 2019', updatedAt: at(5), version: 2 } });

      const second = await store.collections.update(c.id, { description: null }, at(6));
      expect(second).toEqual({
        ok: true,
        record: { ...c, title: 'Ferropolis 2019', description: null, updatedAt: at(6), version: 3 },
      });
      expect(await store.collections.findById(c.id)).toEqual(second.ok ? second.record : null);
    });

    it('update with the expected version succeeds; with a stale one reports the current record', async () => {
      const c = makeCollection();
      await store.collections.create(c);

      const ok = await store.collections.update(c.id, { title: 'Erste Änderung' }, at(5), 1);
      expect(ok.ok).toBe(true);
      if (ok.ok) expect(ok.record.version).toBe(2);

      const stale = await store.collections.update(c.id, { title: 'Verlorene Änderung' }, at(6), 1);
      expect(stale).toEqual({
        ok: false,
        reason: 'version-conflict',
        current: { ...c, title: 'Erste Änderung', updatedAt: at(5), version: 2 },
      });
      expect((await store.collections.findById(c.id))?.title).toBe('Erste Änderung');

      const fresh = await store.collections.update(c.id, { title: 'Zweite Änderung' }, at(7), 2);
      expect(fresh.ok && fresh.record).toMatchObject({ title: 'Zweite Änderung', version: 3, updatedAt: at(7) });
    });

    it('the automatic-transcription setting round-trips through create, update and list, and other updates keep it', async () => {
      const on = makeCollection({ title: 'Automatisch', autoTranscribe: { enabled: true, language: 'en' } });
      const off = makeCollection({ title: 'Von Hand' });
      await store.collections.create(on);
      await store.collections.create(off);
      expect((await store.collections.findById(on.id))?.autoTranscribe).toEqual({ enabled: true, language: 'en' });
      expect((await store.collections.findById(off.id))?.autoTranscribe).toEqual({ enabled: false, language: null });

      const renamed = await store.collections.update(on.id, { title: 'Automatisch (umbenannt)' }, at(5));
      expect(renamed.ok && renamed.record.autoTranscribe).toEqual({ enabled: true, language: 'en' });
      const interviewLanguage = await store.collections.update(
        off.id,
        { autoTranscribe: { enabled: true, language: null } },
        at(6),
        1,
      );
      expect(interviewLanguage).toEqual({
        ok: true,
        record: { ...off, autoTranscribe: { enabled: true, language: null }, updatedAt: at(6), version: 2 },
      });
      const switchedOff = await store.collections.update(
        on.id,
        { autoTranscribe: { enabled: false, language: 'de' } },
        at(7),
      );
      expect(switchedOff.ok && switchedOff.record.autoTranscribe).toEqual({ enabled: false, language: 'de' });

      const listed = await store.collections.list({ limit: 10, offset: 0 });
      expect(Object.fromEntries(listed.items.map((c) => [c.id, c.autoTranscribe]))).toEqual({
        [on.id]: { enabled: false, language: 'de' },
        [off.id]: { enabled: true, language: null },
      });
    });

    it('update of an unknown id reports not-found, with or without expected version', async () => {
      expect(await store.collections.update(uuid(), { title: 'x' }, at(5))).toEqual({ ok: false, reason: 'not-found' });
      expect(await store.collections.update(uuid(), { title: 'x' }, at(5), 1)).toEqual({
        ok: false,
        reason: 'not-found',
      });
    });

    it('delete returns true once, then false', async () => {
      const c = makeCollection();
      const keep = makeCollection({ title: 'Bleibt' });
      await store.collections.create(c);
      await store.collections.create(keep);
      expect(await store.collections.delete(c.id)).toBe(true);
      expect(await store.collections.findById(c.id)).toBeNull();
      expect(await store.collections.delete(c.id)).toBe(false);
      expect(await store.collections.delete(uuid())).toBe(false);
      expect(await store.collections.list({ limit: 10, offset: 0 })).toEqual({ items: [keep], total: 1 });
    });
  });

  // ----------------------------------------------------------------------------------------- interviews
  describe('interviews', () => {
    let store: Store;
    beforeEach(() => {
      store = storeOf();
    });

    let owner: User;
    let other: User;

    beforeEach(async () => {
      owner = await store.users.create(makeUser({ email: 'owner@example.org', role: 'contributor' }));
      other = await store.users.create(makeUser({ email: 'other@example.org', role: 'contributor' }));
    });

    it('create returns the interview; findById round-trips every field', async () => {
      const collection = await store.collections.create(makeCollection({ createdBy: owner.id }));
      const full = makeInterview({
        collectionId: collection.id,
        title: 'Schichtwechsel in Espenhain',
        people: [
          { name: 'Jürgen Möller', role: 'narrator' },
          { name: 'Gisela Weiß', role: 'narrator' },
          { name: 'Lena Schulz', role: 'interviewer' },
        ],
        recordedAt: '1998-05-17',
        place: { name: 'Espenhain', lat: 51.1903, lon: 12.4819 },
        language: 'de',
        summary: 'Über 100 Jahre Tagebau — „Glück auf!“',
        keywords: ['Tagebau', 'Schicht', 'Förderbrücke'],
        visibility: 'registered',
        status: 'published',
        createdBy: owner.id,
        createdAt: at(1),
        updatedAt: at(2),
        version: 1,
      });
      expect(await store.interviews.create(full)).toEqual(full);
      expect(await store.interviews.findById(full.id)).toEqual(full);
    });

    it('round-trips partial dates, a place without coordinates, and empty or missing optional data', async () => {
      const yearOnly = makeInterview({ recordedAt: '2001', place: { name: 'Borna' }, keywords: [], people: [] });
      const monthOnly = makeInterview({ recordedAt: '2019-05', place: null, summary: null });
      const undated = makeInterview({ recordedAt: null, language: 'en', collectionId: null, createdBy: null });
      for (const i of [yearOnly, monthOnly, undated]) await store.interviews.create(i);

      expect(await store.interviews.findById(yearOnly.id)).toEqual(yearOnly);
      const borna = await store.interviews.findById(yearOnly.id);
      expect(borna?.place).toEqual({ name: 'Borna' });
      expect(borna?.place && 'lat' in borna.place ? borna.place.lat : undefined).toBeUndefined();
      expect(await store.interviews.findById(monthOnly.id)).toEqual(monthOnly);
      expect(await store.interviews.findById(undated.id)).toEqual(undated);
      expect(await store.interviews.findById(uuid())).toBeNull();
    });

    describeInterviewListContract(
      () => store,
      () => ({ owner, other }),
    );

    describe('update', () => {
      let collection: Collection;
      let interview: Interview;

      beforeEach(async () => {
        collection = await store.collections.create(makeCollection());
        interview = await store.interviews.create(
          makeInterview({
            collectionId: collection.id,
            createdBy: owner.id,
            createdAt: at(1),
            updatedAt: at(1),
          }),
        );
      });

      it('changes every patchable field, bumps version and updatedAt, keeps the rest', async () => {
        const other = await store.collections.create(makeCollection({ title: 'Zweite Sammlung' }));
        const patch = {
          collectionId: other.id,
          title: 'Neuer Titel',
          people: [
            { name: 'Gisela Weiß', role: 'narrator' as const },
            { name: 'Lena Schulz', role: 'interviewer' as const },
          ],
          recordedAt: '2002',
          place: { name: 'Borna' },
          language: 'en',
          summary: 'Neue Zusammenfassung',
          keywords: ['Brikett', 'Kraftwerk'],
          visibility: 'public' as const,
          status: 'published' as const,
        };
        const result = await store.interviews.update(interview.id, patch, at(9));
        const expected: Interview = { ...interview, ...patch, updatedAt: at(9), version: 2 };
        expect(result).toEqual({ ok: true, record: expected });
        expect(await store.interviews.findById(interview.id)).toEqual(expected);
      });

      it('a partial patch leaves the other fields untouched', async () => {
        const result = await store.interviews.update(interview.id, { title: 'Nur der Titel' }, at(9));
        expect(result).toEqual({
          ok: true,
          record: { ...interview, title: 'Nur der Titel', updatedAt: at(9), version: 2 },
        });
      });

      it('nullable fields can be set to null, JSON ones included, and back', async () => {
        const cleared = await store.interviews.update(
          interview.id,
          { place: null, summary: null, recordedAt: null, collectionId: null },
          at(9),
        );
        const expected = {
          ...interview,
          place: null,
          summary: null,
          recordedAt: null,
          collectionId: null,
          updatedAt: at(9),
          version: 2,
        };
        expect(cleared).toEqual({ ok: true, record: expected });
        expect(await store.interviews.findById(interview.id)).toEqual(expected);

        const restored = await store.interviews.update(
          interview.id,
          { place: { name: 'Espenhain', lat: 51.19, lon: 12.48 }, recordedAt: '1998-05' },
          at(10),
        );
        expect(restored.ok && restored.record).toMatchObject({
          place: { name: 'Espenhain', lat: 51.19, lon: 12.48 },
          recordedAt: '1998-05',
          version: 3,
        });
      });

      it('empty people and keywords lists are stored as empty lists', async () => {
        await store.interviews.update(interview.id, { people: [], keywords: [] }, at(9));
        const got = await store.interviews.findById(interview.id);
        expect(got?.people).toEqual([]);
        expect(got?.keywords).toEqual([]);
      });

      it('checks the expected version: match succeeds, stale reports the current record', async () => {
        const ok = await store.interviews.update(interview.id, { title: 'Erste Fassung' }, at(5), 1);
        expect(ok).toEqual({
          ok: true,
          record: { ...interview, title: 'Erste Fassung', updatedAt: at(5), version: 2 },
        });

        const stale = await store.interviews.update(interview.id, { title: 'Verloren' }, at(6), 1);
        expect(stale).toEqual({
          ok: false,
          reason: 'version-conflict',
          current: { ...interview, title: 'Erste Fassung', updatedAt: at(5), version: 2 },
        });
        expect((await store.interviews.findById(interview.id))?.title).toBe('Erste Fassung');

        const fromTheFuture = await store.interviews.update(interview.id, { title: 'Verloren' }, at(6), 7);
        expect(fromTheFuture.ok).toBe(false);
        if (!fromTheFuture.ok) expect(fromTheFuture.reason).toBe('version-conflict');

        const next = await store.interviews.update(interview.id, { title: 'Zweite Fassung' }, at(7), 2);
        expect(next.ok && next.record).toMatchObject({ title: 'Zweite Fassung', version: 3, updatedAt: at(7) });
      });

      it('reports not-found for an unknown id, with or without expected version', async () => {
        expect(await store.interviews.update(uuid(), { title: 'x' }, at(5))).toEqual({
          ok: false,
          reason: 'not-found',
        });
        expect(await store.interviews.update(uuid(), { title: 'x' }, at(5), 1)).toEqual({
          ok: false,
          reason: 'not-found',
        });
      });

      it('delete returns true once, then false', async () => {
        const keep = await store.interviews.create(makeInterview({ title: 'Bleibt' }));
        expect(await store.interviews.delete(interview.id)).toBe(true);
        expect(await store.interviews.findById(interview.id)).toBeNull();
        expect(await store.interviews.delete(interview.id)).toBe(false);
        expect(await store.interviews.delete(uuid())).toBe(false);
        const rest = await store.interviews.list({ access: { kind: 'all' } }, { limit: 10, offset: 0 }, 'title');
        expect(rest).toEqual({ items: [keep], total: 1 });
        expect(await store.interviews.update(interview.id, { title: 'x' }, at(9))).toEqual({
          ok: false,
          reason: 'not-found',
        });
      });
    });
  });
}
