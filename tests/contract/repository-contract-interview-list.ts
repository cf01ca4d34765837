// The repository contract, part: the interview list — access scopes, filters, sorts, paging, change stamp.
// Registered inside the contract's `interviews` describe, whose two users (owner, other) it is handed.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  interviewSorts,
  type AccessScope,
  type InterviewFilter,
  type InterviewSort,
  type Store,
} from '../../server/store/repositories.js';
import type { Collection, Interview, User } from '../../server/store/types.js';
import { at, makeCollection, makeInterview, type StoreOf, uuid } from './repository-contract-helpers.js';

/** The `list` describe of `interviews`; usersOf gives the two users that describe creates before each test. */
export function describeInterviewListContract(storeOf: StoreOf, usersOf: () => { owner: User; other: User }): void {
  describe('list', () => {
    let store: Store;
    let owner: User;
    let other: User;
    beforeEach(() => {
      store = storeOf();
      ({ owner, other } = usersOf());
    });

    // A small archive. Orders are chosen so that every sort gives a different sequence:
    //   createdAt:  espenhain < brikett < kumpel < mining < abraum
    //   updatedAt:  kumpel < abraum < brikett < mining < espenhain
    //   title (ci): Abraum… < Die Brikettfabrik < Kumpel… < mining… < Schichtwechsel…
    //   recordedAt: brikett (1996-03) < espenhain (1998-05-17) < kumpel (2001) < abraum (2010-11-02), mining undated
    let collA: Collection;
    let collB: Collection;
    let espenhain: Interview;
    let brikett: Interview;
    let kumpel: Interview;
    let mining: Interview;
    let abraum: Interview;

    const titles = (items: Interview[]) => items.map((i) => i.title);
    const list = async (filter: Partial<InterviewFilter> = {}, sort: InterviewSort = 'title') =>
      store.interviews.list({ access: { kind: 'all' }, ...filter }, { limit: 100, offset: 0 }, sort);
    const found = async (filter: Partial<InterviewFilter>) => {
      const page = await list(filter);
      expect(page.total).toBe(page.items.length);
      return titles(page.items);
    };

    beforeEach(async () => {
      collA = await store.collections.create(makeCollection({ title: 'Espenhain', createdBy: owner.id }));
      collB = await store.collections.create(makeCollection({ title: 'Borna' }));
      espenhain = await store.interviews.create(
        makeInterview({
          title: 'Schichtwechsel in Espenhain',
          summary: 'Über 100 Jahre Tagebau',
          people: [
            { name: 'Jürgen Möller', role: 'narrator' },
            { name: 'Anna Schulz', role: 'interviewer' },
          ],
          recordedAt: '1998-05-17',
          place: { name: 'Espenhain', lat: 51.1903, lon: 12.4819 },
          keywords: ['Tagebau', 'Schicht'],
          visibility: 'public',
          status: 'published',
          collectionId: collA.id,
          createdBy: owner.id,
          createdAt: at(1),
          updatedAt: at(25),
        }),
      );
      brikett = await store.interviews.create(
        makeInterview({
          title: 'Die Brikettfabrik',
          summary: 'Planerfüllung zu 100% erreicht',
          people: [{ name: 'Gisela Weiß', role: 'narrator' }],
          recordedAt: '1996-03',
          place: { name: 'Deutzen' },
          keywords: ['Brikett'],
          visibility: 'registered',
          status: 'published',
          collectionId: collA.id,
          createdBy: other.id,
          createdAt: at(2),
          updatedAt: at(23),
        }),
      );
      kumpel = await store.interviews.create(
        makeInterview({
          title: 'Kumpel erzählen',
          summary: null,
          people: [{ name: 'Karl Krüger', role: 'narrator' }],
          recordedAt: '2001',
          place: null,
          keywords: ['tagebau'],
          visibility: 'public',
          status: 'draft',
          collectionId: collB.id,
          createdBy: owner.id,
          createdAt: at(3),
          updatedAt: at(21),
        }),
      );
      mining = await store.interviews.create(
        makeInterview({
          title: 'mining memories',
          summary: 'An English-language interview',
          people: [{ name: 'Peter Smith', role: 'narrator' }],
          recordedAt: null,
          place: null,
          language: 'en',
          keywords: [],
          visibility: 'private',
          status: 'in_review',
          collectionId: null,
          createdBy: other.id,
          createdAt: at(4),
          updatedAt: at(24),
        }),
      );
      abraum = await store.interviews.create(
        makeInterview({
          title: 'Abraumförderbrücke F60',
          summary: 'Technik im Tagebau Welzow',
          people: [{ name: 'Hans Müller', role: 'narrator' }],
          recordedAt: '2010-11-02',
          keywords: ['Technik'],
          visibility: 'restricted',
          status: 'published',
          collectionId: collB.id,
          createdBy: null,
          createdAt: at(5),
          updatedAt: at(22),
        }),
      );
    });

    it('access all sees every interview', async () => {
      const page = await list();
      expect(page.total).toBe(5);
      expect(page.items.map((i) => i.id).sort()).toEqual(
        [espenhain, brikett, kumpel, mining, abraum].map((i) => i.id).sort(),
      );
    });

    it('returns complete records', async () => {
      const page = await list({ collectionId: collA.id });
      expect(page.items).toEqual([brikett, espenhain]);
    });

    it('an anonymous-like scope sees only published interviews of the given visibilities', async () => {
      const anonymous: AccessScope = { kind: 'scoped', publishedVisibilities: ['public'] };
      expect(await found({ access: anonymous })).toEqual([espenhain.title]);

      const registered: AccessScope = { kind: 'scoped', publishedVisibilities: ['public', 'registered'] };
      expect(await found({ access: registered })).toEqual([brikett.title, espenhain.title]);

      const nothing: AccessScope = { kind: 'scoped', publishedVisibilities: [] };
      expect(await found({ access: nothing })).toEqual([]);
    });

    it('a scope with an owner also sees everything that owner created, each interview once', async () => {
      expect(await found({ access: { kind: 'scoped', publishedVisibilities: ['public'], ownerId: owner.id } })).toEqual(
        [kumpel.title, espenhain.title],
      );
      expect(await found({ access: { kind: 'scoped', publishedVisibilities: ['public'], ownerId: other.id } })).toEqual(
        [brikett.title, mining.title, espenhain.title],
      );
      expect(await found({ access: { kind: 'scoped', publishedVisibilities: [], ownerId: owner.id } })).toEqual([
        kumpel.title,
        espenhain.title,
      ]);
    });

    it('restricted interviews are listed for the principals they grant; withdrawn ones never for their owner', async () => {
      await store.interviews.update(abraum.id, { grants: ['group:g-forschung', `user:${other.id}`] }, at(30));
      const reader = (principals: string[]): AccessScope => ({
        kind: 'scoped',
        publishedVisibilities: ['public', 'registered'],
        principals,
      });
      expect(await found({ access: reader(['user:someone-else', 'group:g-forschung']) })).toEqual([
        abraum.title,
        brikett.title,
        espenhain.title,
      ]);
      expect(await found({ access: reader([`user:${other.id}`]) })).toEqual([
        abraum.title,
        brikett.title,
        espenhain.title,
      ]);
      expect(await found({ access: reader(['user:someone-else', 'group:g-other']) })).toEqual([
        brikett.title,
        espenhain.title,
      ]);
      expect((await store.interviews.findById(abraum.id))?.grants).toEqual(['group:g-forschung', `user:${other.id}`]);

      await store.interviews.update(kumpel.id, { status: 'withdrawn' }, at(31));
      expect(await found({ access: { kind: 'scoped', publishedVisibilities: ['public'], ownerId: owner.id } })).toEqual(
        [espenhain.title],
      );
    });

    it('sealed embargoes: approved with a future embargo that asks to be listed, only with includeSealed', async () => {
      const future = new Date(Date.now() + 86_400_000).toISOString();
      const past = new Date(Date.now() - 86_400_000).toISOString();
      const sealed = await store.interviews.create(
        makeInterview({
          title: 'Versiegelt',
          visibility: 'public',
          status: 'approved',
          embargoUntil: future,
          embargoListed: true,
        }),
      );
      await store.interviews.create(
        makeInterview({
          title: 'Unlisted',
          visibility: 'public',
          status: 'approved',
          embargoUntil: future,
          embargoListed: false,
        }),
      );
      await store.interviews.create(
        makeInterview({
          title: 'Abgelaufen',
          visibility: 'public',
          status: 'approved',
          embargoUntil: past,
          embargoListed: true,
        }),
      );
      await store.interviews.create(
        makeInterview({
          title: 'Privat versiegelt',
          visibility: 'private',
          status: 'approved',
          embargoUntil: future,
          embargoListed: true,
        }),
      );
      expect(await found({ access: { kind: 'scoped', publishedVisibilities: ['public'] } })).toEqual([espenhain.title]);
      expect(
        await found({ access: { kind: 'scoped', publishedVisibilities: ['public'], includeSealed: true } }),
      ).toEqual([espenhain.title, sealed.title]);
      expect(await store.interviews.findById(sealed.id)).toMatchObject({ embargoUntil: future, embargoListed: true });
      const waiting = await store.interviews.listAwaitingEmbargo(10);
      expect(waiting.map((i) => i.title).sort()).toEqual(['Abgelaufen', 'Privat versiegelt', 'Unlisted', 'Versiegelt']);
    });

    it('filters by collection', async () => {
      expect(await found({ collectionId: collA.id })).toEqual([brikett.title, espenhain.title]);
      expect(await found({ collectionId: collB.id })).toEqual([abraum.title, kumpel.title]);
      expect(await found({ collectionId: uuid() })).toEqual([]);
    });

    it('filters by a list of statuses', async () => {
      expect(await found({ status: ['published'] })).toEqual([abraum.title, brikett.title, espenhain.title]);
      expect(await found({ status: ['draft', 'in_review'] })).toEqual([kumpel.title, mining.title]);
      expect(await found({ status: ['withdrawn'] })).toEqual([]);
    });

    it('filters by a list of visibilities', async () => {
      expect(await found({ visibility: ['public'] })).toEqual([kumpel.title, espenhain.title]);
      expect(await found({ visibility: ['private', 'restricted'] })).toEqual([abraum.title, mining.title]);
    });

    it('filters by language', async () => {
      expect(await found({ language: 'en' })).toEqual([mining.title]);
      expect(await found({ language: 'de' })).toEqual([abraum.title, brikett.title, kumpel.title, espenhain.title]);
      expect(await found({ language: 'pl' })).toEqual([]);
    });

    it('filters by keyword, ignoring case but matching whole keywords', async () => {
      expect(await found({ keyword: 'TAGEBAU' })).toEqual([kumpel.title, espenhain.title]);
      expect(await found({ keyword: 'tagebau' })).toEqual([kumpel.title, espenhain.title]);
      expect(await found({ keyword: 'brikett' })).toEqual([brikett.title]);
      expect(await found({ keyword: 'Tage' })).toEqual([]);
    });

    it('filters by person: substring, case- and umlaut-insensitive, narrators and interviewers', async () => {
      expect(await found({ person: 'moller' })).toEqual([espenhain.title]);
      expect(await found({ person: 'Möller' })).toEqual([espenhain.title]);
      expect(await found({ person: 'WEISS' })).toEqual([brikett.title]);
      expect(await found({ person: 'weiß' })).toEqual([brikett.title]);
      expect(await found({ person: 'KRUGER' })).toEqual([kumpel.title]);
      expect(await found({ person: 'schulz' })).toEqual([espenhain.title]);
      expect(await found({ person: 'LLER' })).toEqual([abraum.title, espenhain.title]);
      expect(await found({ person: 'Jürgen Möller' })).toEqual([espenhain.title]);
      expect(await found({ person: 'Bäcker' })).toEqual([]);
    });

    it('filters by text in title or summary, case-insensitively', async () => {
      expect(await found({ text: 'brikett' })).toEqual([brikett.title]);
      expect(await found({ text: 'WELZOW' })).toEqual([abraum.title]);
      expect(await found({ text: 'tagebau' })).toEqual([abraum.title, espenhain.title]);
      expect(await found({ text: 'über' })).toEqual([espenhain.title]);
      expect(await found({ text: 'ÜBER' })).toEqual([espenhain.title]);
      expect(await found({ text: 'Kumpel' })).toEqual([kumpel.title]);
      expect(await found({ text: 'Steinkohle' })).toEqual([]);
    });

    it('treats LIKE/regex wildcards in text and person literally', async () => {
      expect(await found({ text: '100%' })).toEqual([brikett.title]);
      expect(await found({ text: '%' })).toEqual([brikett.title]);
      expect(await found({ text: '100' })).toEqual([brikett.title, espenhain.title]);
      expect(await found({ text: '_' })).toEqual([]);
      expect(await found({ text: 'Schicht_echsel' })).toEqual([]);
      expect(await found({ text: '.*' })).toEqual([]);
      expect(await found({ text: '\\' })).toEqual([]);
      expect(await found({ person: '%' })).toEqual([]);
      expect(await found({ person: 'M_ller' })).toEqual([]);
    });

    it('filters by recording date with inclusive bounds, comparing partial dates as prefixes', async () => {
      // year bounds
      expect(await found({ recordedFrom: '1998' })).toEqual([abraum.title, kumpel.title, espenhain.title]);
      expect(await found({ recordedTo: '1998' })).toEqual([brikett.title, espenhain.title]);
      expect(await found({ recordedFrom: '1998', recordedTo: '2001' })).toEqual([kumpel.title, espenhain.title]);
      // month bounds against full and month-precise dates
      expect(await found({ recordedFrom: '1996-01', recordedTo: '1998-12' })).toEqual([brikett.title, espenhain.title]);
      expect(await found({ recordedFrom: '1996-03', recordedTo: '1996-03' })).toEqual([brikett.title]);
      expect(await found({ recordedFrom: '1998-06' })).toEqual([abraum.title, kumpel.title]);
      expect(await found({ recordedTo: '1998-05' })).toEqual([brikett.title, espenhain.title]);
      // day bounds are inclusive
      expect(await found({ recordedFrom: '1998-05-17', recordedTo: '1998-05-17' })).toEqual([espenhain.title]);
      expect(await found({ recordedFrom: '1998-05-18', recordedTo: '2000' })).toEqual([]);
      // undated interviews never match a date bound
      expect(await found({ recordedFrom: '1900' })).not.toContain(mining.title);
      expect(await found({ recordedTo: '2100' })).not.toContain(mining.title);
    });

    // overlap semantics, symmetric for both bounds: "2001" overlaps [2001-01, 2001-12]
    it('a partial date that overlaps the range matches both bounds', async () => {
      expect(await found({ recordedFrom: '2001-01', recordedTo: '2001-12' })).toEqual([kumpel.title]);
      expect(await found({ recordedFrom: '1996-03-10', recordedTo: '1996-03-20' })).toEqual([brikett.title]);
    });

    it('filters by creator', async () => {
      expect(await found({ createdBy: owner.id })).toEqual([kumpel.title, espenhain.title]);
      expect(await found({ createdBy: other.id })).toEqual([brikett.title, mining.title]);
      expect(await found({ createdBy: uuid() })).toEqual([]);
    });

    it('combines filters and access with AND', async () => {
      const anonymous: AccessScope = { kind: 'scoped', publishedVisibilities: ['public', 'registered'] };
      expect(await found({ access: anonymous, collectionId: collA.id, person: 'weiss' })).toEqual([brikett.title]);
      expect(await found({ access: anonymous, keyword: 'tagebau' })).toEqual([espenhain.title]);
      expect(await found({ status: ['published'], text: 'tagebau', recordedFrom: '2000' })).toEqual([abraum.title]);
      expect(await found({ language: 'en', status: ['published'] })).toEqual([]);
    });

    it('every sort option gives its documented order', async () => {
      const expected: Record<InterviewSort, Interview[]> = {
        '-updatedAt': [espenhain, mining, brikett, abraum, kumpel],
        updatedAt: [kumpel, abraum, brikett, mining, espenhain],
        title: [abraum, brikett, kumpel, mining, espenhain],
        '-title': [espenhain, mining, kumpel, brikett, abraum],
        // undated interviews come last in both directions
        recordedAt: [brikett, espenhain, kumpel, abraum, mining],
        '-recordedAt': [abraum, kumpel, espenhain, brikett, mining],
        '-createdAt': [abraum, mining, kumpel, brikett, espenhain],
        createdAt: [espenhain, brikett, kumpel, mining, abraum],
      };
      expect(Object.keys(expected).sort()).toEqual([...interviewSorts].sort());
      for (const sort of interviewSorts) {
        const page = await list({}, sort);
        expect(titles(page.items), `sort ${sort}`).toEqual(titles(expected[sort]));
      }
    });

    it('pages with limit and offset; total counts all matches', async () => {
      const page = (limit: number, offset: number) =>
        store.interviews.list({ access: { kind: 'all' } }, { limit, offset }, 'title');
      const p1 = await page(2, 0);
      expect(p1.total).toBe(5);
      expect(titles(p1.items)).toEqual([abraum.title, brikett.title]);
      const p2 = await page(2, 2);
      expect(p2.total).toBe(5);
      expect(titles(p2.items)).toEqual([kumpel.title, mining.title]);
      const p3 = await page(2, 4);
      expect(titles(p3.items)).toEqual([espenhain.title]);
      expect(await page(2, 10)).toEqual({ items: [], total: 5 });

      const filtered = await store.interviews.list(
        { access: { kind: 'all' }, status: ['published'] },
        { limit: 1, offset: 1 },
        '-createdAt',
      );
      expect(filtered.total).toBe(3);
      expect(titles(filtered.items)).toEqual([brikett.title]);
    });

    it('countByCollection counts the interviews of one collection', async () => {
      expect(await store.interviews.countByCollection(collA.id)).toBe(2);
      expect(await store.interviews.countByCollection(collB.id)).toBe(2);
      expect(await store.interviews.countByCollection(uuid())).toBe(0);
      await store.interviews.delete(brikett.id);
      expect(await store.interviews.countByCollection(collA.id)).toBe(1);
      await store.interviews.update(kumpel.id, { collectionId: collA.id }, at(40));
      expect(await store.interviews.countByCollection(collA.id)).toBe(2);
      expect(await store.interviews.countByCollection(collB.id)).toBe(1);
    });

    it('changeStamp moves on every create, update and delete, and only then', async () => {
      const stamps = [await store.interviews.changeStamp()];
      const expectMoved = async (what: string) => {
        const stamp = await store.interviews.changeStamp();
        expect(stamps, what).not.toContain(stamp);
        stamps.push(stamp);
      };
      expect(await store.interviews.changeStamp(), 'reading twice').toBe(stamps[0]);
      await store.interviews.findById(kumpel.id);
      await list({}, 'title');
      await store.interviews.markIndexed(kumpel.id, kumpel.version);
      expect(await store.interviews.changeStamp(), 'reads and search bookkeeping are no change').toBe(stamps[0]);
      // same second as an older update: the stamp must not rely on the clock alone
      await store.interviews.update(kumpel.id, { keywords: ['Abraum'] }, at(25));
      await expectMoved('update');
      await store.interviews.update(mining.id, { title: 'mining again' }, at(25));
      await expectMoved('second update at the same time');
      await store.interviews.delete(brikett.id);
      await expectMoved('delete');
      await store.interviews.create(makeInterview({ createdAt: at(3), updatedAt: at(3) }));
      await expectMoved('create of an older-dated interview');
    });

    it('list reflects updates: a published interview appears to anonymous viewers', async () => {
      const anonymous: AccessScope = { kind: 'scoped', publishedVisibilities: ['public'] };
      await store.interviews.update(kumpel.id, { status: 'published' }, at(40));
      expect(await found({ access: anonymous })).toEqual([kumpel.title, espenhain.title]);
      expect(titles((await list({}, '-updatedAt')).items)[0]).toBe(kumpel.title);
    });
  });
}
