// The in-memory interview catalog that archive search joins passage hits with: facet choices → interview ids,
// Meilisearch's hits-per-interview → interview facet counts, and a cache that follows every change of the store
// (real SQLite store).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { anonymous } from '../../server/access/viewer.js';
import type { Viewer } from '../../server/access/viewer.js';
import {
  catalogEntryOf,
  InterviewCatalog,
  InterviewCatalogSource,
  MAX_FACET_VALUES,
} from '../../server/search/interview-catalog.js';
import { interviewKey, type InterviewKeyCounts } from '../../server/search/interview-key.js';
import { openSqliteStore, type SqliteStore } from '../../server/store/sqlite/index.js';
import type { Interview } from '../../server/store/types.js';

const now = '2026-11-24T10:00:00.000Z';
/** Every interview made here, by id: the key is derived from id and creation time. */
const made = new Map<string, Interview>();
const keyOf = (id: string) => interviewKey(made.get(id) ?? { id, createdAt: now });
/** Hits per interview id as Meilisearch's distribution reports them: per interview key. */
const byKey = (hits: Record<string, number>): InterviewKeyCounts => ({
  keys: Object.keys(hits).map(keyOf),
  counts: Object.values(hits),
});
function interview(patch: Partial<Interview> = {}): Interview {
  // created one after another, a millisecond apart, as the service would (one clock reading each)
  const createdAt = new Date(Date.parse(now) + made.size).toISOString();
  const record: Interview = {
    id: crypto.randomUUID(),
    collectionId: 'col-golpa',
    title: 'Gespräch',
    people: [{ name: 'Gerda Weiß', role: 'narrator' }],
    recordedAt: '1987-05',
    place: { name: 'Golpa' },
    language: 'de',
    summary: null,
    keywords: ['Tagebau', 'Schicht'],
    visibility: 'public',
    status: 'published',
    grants: [],
    embargoUntil: null,
    embargoListed: false,
    createdBy: 'u-student',
    createdAt,
    updatedAt: now,
    version: 1,
    ...patch,
  };
  made.set(record.id, record);
  return record;
}

const gerda = interview({ title: 'Gerda' });
const karl = interview({
  title: 'Karl',
  people: [
    { name: 'Karl Mehnert', role: 'narrator' },
    { name: 'Lena Schulz', role: 'interviewer' },
  ],
  recordedAt: '1994',
  place: { name: 'Zschornewitz' },
  keywords: ['Kraftwerk'],
  collectionId: 'col-zschornewitz',
});
const couple = interview({
  title: 'Ehepaar',
  people: [
    { name: 'Gerda Weiß', role: 'narrator' },
    { name: 'Karl Mehnert', role: 'narrator' },
  ],
  recordedAt: null,
  place: null,
  keywords: [],
  collectionId: null,
  language: 'en',
});
const draft = interview({ title: 'Entwurf', status: 'draft', visibility: 'private', createdBy: 'u-other' });
const withdrawn = interview({ title: 'Zurückgezogen', status: 'withdrawn', createdBy: 'u-other' });
const catalog = new InterviewCatalog([gerda, karl, couple, draft, withdrawn].map(catalogEntryOf));

describe('InterviewCatalog', () => {
  it('turns facet choices into interview ids: any value within a facet, every facet picked, case-insensitive', () => {
    const ids = (choices: Parameters<InterviewCatalog['matching']>[0]) => catalog.matching(choices)?.sort();
    expect(ids({})).toBeUndefined();
    expect(ids({ narrators: [] })).toBeUndefined();
    expect(ids({ narrators: ['Karl Mehnert'] })).toEqual([karl.id, couple.id].sort());
    expect(ids({ narrators: ['karl mehnert', 'GERDA WEISS'] })).toEqual([karl.id, couple.id].sort());
    expect(ids({ narrators: ['Karl Mehnert', 'Gerda Weiß'] })).toEqual(
      [gerda.id, karl.id, couple.id, draft.id, withdrawn.id].sort(),
    );
    expect(ids({ narrators: ['Gerda Weiß'], decade: [1980] })).toEqual([gerda.id, draft.id, withdrawn.id].sort());
    expect(ids({ year: [1994], keywords: ['kraftwerk'] })).toEqual([karl.id]);
    expect(ids({ language: ['en'] })).toEqual([couple.id]);
    // the interviewer is no narrator; a value nobody has finds nothing (an empty list, not "no filter")
    expect(ids({ narrators: ['Lena Schulz'] })).toEqual([]);
    expect(ids({ place: ['Golpa'], collectionId: ['col-zschornewitz'] })).toEqual([]);
  });

  it('sums hits per interview into interview facets, arrays counting once per value', () => {
    const { facets, hitsIn, hidden } = catalog.tally(byKey({ [gerda.id]: 5, [karl.id]: 2, [couple.id]: 1 }));
    expect(hidden).toBe(0);
    expect([gerda, karl, couple, draft].map((i) => hitsIn(i.id))).toEqual([5, 2, 1, 0]);
    expect(facets.narrators).toEqual({ 'Gerda Weiß': 6, 'Karl Mehnert': 3 });
    expect(facets.collectionId).toEqual({ 'col-golpa': 5, 'col-zschornewitz': 2 });
    expect(facets.year).toEqual({ 1987: 5, 1994: 2 });
    expect(facets.decade).toEqual({ 1980: 5, 1990: 2 });
    expect(facets.keywords).toEqual({ Schicht: 5, Tagebau: 5, Kraftwerk: 2 });
    expect(facets.language).toEqual({ de: 7, en: 1 });
    // most frequent first, so a cut list keeps the values that matter
    expect(Object.keys(facets.narrators)).toEqual(['Gerda Weiß', 'Karl Mehnert']);
  });

  it('leaves out interviews the store says the viewer may not see, or does not know, and reports them as hidden', () => {
    // as a lagging index would report them: the draft and the withdrawn interview still carry hits
    const counts = byKey({ [gerda.id]: 5, [draft.id]: 3, [withdrawn.id]: 4, 'gone-from-store': 2 });
    const forAnonymous = catalog.tally(counts, anonymous);
    expect(forAnonymous.hidden).toBe(9);
    expect(forAnonymous.hiddenIds.sort()).toEqual([draft.id, withdrawn.id].sort());
    // an interview the store does not have is known by its key only
    expect(forAnonymous.hiddenKeys).toEqual([keyOf('gone-from-store')]);
    expect(forAnonymous.sharedKeys).toEqual([]);
    // what no key is (facet-answer.ts reads it as NaN) is hidden, never turned into a filter
    const odd = catalog.tally({ keys: [NaN, keyOf(gerda.id)], counts: [4, 1] }, anonymous);
    expect([odd.hidden, odd.hiddenKeys, odd.hitsIn(gerda.id)]).toEqual([4, [], 1]);
    expect([gerda, draft, withdrawn].map((i) => forAnonymous.hitsIn(i.id))).toEqual([5, 0, 0]);
    expect(forAnonymous.facets.narrators).toEqual({ 'Gerda Weiß': 5 });
    const curator: Viewer = {
      kind: 'user',
      via: 'token',
      tokenId: 't',
      principals: ['user:u-cur'],
      user: {
        id: 'u-cur',
        email: 'c@example.org',
        displayName: 'C',
        role: 'curator',
        disabled: false,
        createdAt: now,
        updatedAt: now,
      },
    } as Viewer;
    expect(catalog.tally(counts, curator).hidden).toBe(2);
  });

  it('remembers access decisions per kind of viewer, but not past the end of an embargo', () => {
    const embargoed = interview({ title: 'Gesperrt', embargoUntil: '2026-12-01T00:00:00.000Z' });
    const restricted = interview({ title: 'Beschränkt', visibility: 'restricted', grants: ['group:g1'] });
    const c = new InterviewCatalog([gerda, embargoed, restricted].map(catalogEntryOf));
    const counts = byKey({ [gerda.id]: 1, [embargoed.id]: 10, [restricted.id]: 100 });
    const before = new Date('2026-11-30T23:59:59.000Z');
    const after = new Date('2026-12-01T00:00:01.000Z');
    expect(c.tally(counts, anonymous, before).hidden).toBe(110);
    expect(c.tally(counts, anonymous, before).hidden).toBe(110);
    expect(c.tally(counts, anonymous, after).hidden, 'the embargo ended').toBe(100);
    const user = (principals: string[]): Viewer =>
      ({
        kind: 'user',
        via: 'token',
        tokenId: 't',
        principals,
        user: {
          id: 'u-r',
          email: 'r@example.org',
          displayName: 'R',
          role: 'researcher',
          disabled: false,
          createdAt: now,
          updatedAt: now,
        },
      }) as Viewer;
    expect(c.tally(counts, user(['user:u-r']), after).hidden).toBe(100);
    expect(c.tally(counts, user(['user:u-r', 'group:g1']), after).hidden, 'same user, now in the granted group').toBe(
      0,
    );
    expect(c.tally(counts, user(['user:u-r']), after).hidden).toBe(100);
  });

  it("finds a user's own interviews, not withdrawn ones", () => {
    expect(catalog.ownedBy('u-other')).toEqual([draft.id]);
    expect(catalog.ownedBy('u-student').sort()).toEqual([gerda.id, karl.id, couple.id].sort());
    expect(catalog.ownedBy('nobody')).toEqual([]);
  });

  it(`shows at most ${MAX_FACET_VALUES} values per facet`, () => {
    const many = Array.from({ length: MAX_FACET_VALUES + 20 }, (_, n) =>
      interview({ keywords: [`k${n}`], title: `T${n}` }),
    );
    const big = new InterviewCatalog(many.map(catalogEntryOf));
    const { facets } = big.tally(byKey(Object.fromEntries(many.map((i, n) => [i.id, n + 1]))));
    expect(Object.keys(facets.keywords)).toHaveLength(MAX_FACET_VALUES);
    expect(facets.keywords[`k${MAX_FACET_VALUES + 19}`]).toBe(MAX_FACET_VALUES + 20);
    expect(facets.keywords.k0).toBeUndefined();
  });
});

describe('InterviewCatalogSource (SQLite store)', () => {
  let dir: string | undefined;
  let store: SqliteStore | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads every interview once, and again only after a create, update or delete', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-catalog-'));
    store = openSqliteStore(dir) as SqliteStore;
    // more than one page of the loader
    const stored = (patch: Partial<Interview>) => interview({ collectionId: null, createdBy: null, ...patch });
    for (let n = 0; n < 1203; n++) await store.interviews.create(stored({ title: `Interview ${n}` }));
    const source = new InterviewCatalogSource(store);
    const list = vi.spyOn(store.interviews, 'list');

    const [a, b] = await Promise.all([source.current(), source.current()]);
    expect(a).toBe(b);
    expect(a.size).toBe(1203);
    const loads = list.mock.calls.length;
    expect(loads).toBe(2);
    expect(await source.current()).toBe(a);
    await store.interviews.markIndexed(gerda.id, 1);
    expect(await source.current(), 'search bookkeeping is no change').toBe(a);
    expect(list.mock.calls.length).toBe(loads);

    const extra = await store.interviews.create(
      stored({ title: 'Neu', people: [{ name: 'Horst Lehmann', role: 'narrator' }] }),
    );
    const afterCreate = await source.current();
    expect(afterCreate).not.toBe(a);
    expect(afterCreate.matching({ narrators: ['Horst Lehmann'] })).toEqual([extra.id]);

    await store.interviews.update(extra.id, { status: 'withdrawn' }, now);
    const afterUpdate = await source.current();
    expect(afterUpdate.tally(byKey({ [extra.id]: 3 }), anonymous).hidden).toBe(3);

    await store.interviews.delete(extra.id);
    expect((await source.current()).get(extra.id)).toBeUndefined();
  });
});
