// The MongoDB adapter's interview list is answered from memory (server/store/mongo/interview-list-cache.ts). These
// tests show that it stays correct when another connection — standing in for another process — writes: every change
// is seen by the next list, the change log has no holes whatever the writers do, pruned or foreign log entries make
// the reader read everything again, and the cached answer equals the engine's own answer for the same query.
import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { interviewQuery, interviewSorts } from '../../server/store/mongo/archive.js';
import { changeKey, compileQuery } from '../../server/store/mongo/interview-list-cache.js';
import { openMongoStore, type MongoStore } from '../../server/store/mongo/index.js';
import { interviewSorts as sortNames, type InterviewFilter } from '../../server/store/repositories.js';
import type { Interview } from '../../server/store/types.js';
import { makeCollection, makeInterview, uuid } from '../contract/repository-contract-helpers.js';
import { needsFerret, withDatabase } from '../helpers/mongo-engine.js';

const mongoUri = inject('mongoUri');

describe.skipIf(!mongoUri)(`MongoDB interview list cache across connections ${needsFerret}`, () => {
  let reader: MongoStore;
  let writer: MongoStore;
  const all = (sort: (typeof sortNames)[number] = 'createdAt') =>
    reader.interviews.list({ access: { kind: 'all' } }, { limit: 1000, offset: 0 }, sort);
  const log = () => reader.models.interviewChanges.collection;
  const logNumbers = async () =>
    (
      await log()
        .find({}, { projection: { _id: 1 } })
        .toArray()
    )
      .map((d) => Number(d._id))
      .sort((a, b) => a - b);

  beforeEach(async () => {
    const uri = withDatabase(mongoUri, `schichtbuch_listcache_${crypto.randomBytes(6).toString('hex')}`);
    reader = await openMongoStore(uri);
    writer = await openMongoStore(uri, { ensureIndexes: false });
  });
  afterEach(async () => {
    await reader.dropDatabase();
    await Promise.all([reader.close(), writer.close()]);
  });

  it("sees the other connection's create, update and delete in its very next list", async () => {
    const first = await writer.interviews.create(makeInterview({ title: 'Erste Schicht' }));
    expect((await all()).items.map((i) => i.title)).toEqual(['Erste Schicht']);
    const second = await writer.interviews.create(
      makeInterview({ title: 'Zweite Schicht', createdAt: '2024-03-02T00:00:00.000Z' }),
    );
    expect((await all()).items.map((i) => i.id)).toEqual([first.id, second.id]);
    await writer.interviews.update(
      first.id,
      { title: 'Frühschicht', status: 'published', visibility: 'public' },
      '2024-04-01T00:00:00.000Z',
    );
    const anonymous: InterviewFilter = { access: { kind: 'scoped', publishedVisibilities: ['public'] } };
    const published = await reader.interviews.list(anonymous, { limit: 20, offset: 0 }, '-updatedAt');
    expect(published.items.map((i) => [i.title, i.version])).toEqual([['Frühschicht', 2]]);
    expect(published.total).toBe(1);
    await writer.interviews.delete(second.id);
    expect((await all()).items.map((i) => i.id)).toEqual([first.id]);
    // and the other way round: the writer's own cache sees the reader's writes
    expect((await writer.interviews.list({ access: { kind: 'all' } }, { limit: 10, offset: 0 }, 'title')).total).toBe(
      1,
    );
    await reader.interviews.update(first.id, { title: 'Spätschicht' }, '2024-04-02T00:00:00.000Z');
    expect(
      (await writer.interviews.list({ access: { kind: 'all' } }, { limit: 10, offset: 0 }, 'title')).items[0]!.title,
    ).toBe('Spätschicht');
  });

  it('hands out copies: changing a listed interview does not change the next answer', async () => {
    await writer.interviews.create(makeInterview({ keywords: ['Tagebau'] }));
    const listed = (await all()).items[0]!;
    listed.keywords.push('verändert');
    listed.people[0]!.name = 'verändert';
    (listed.place as { name: string }).name = 'verändert';
    const again = (await all()).items[0]!;
    expect([again.keywords, again.people[0]!.name, again.place?.name]).toEqual([
      ['Tagebau'],
      'Horst Krüger',
      'Ferropolis',
    ]);
  });

  it('keeps the change log free of holes with two connections writing at once, and after pruning', async () => {
    const ids = await Promise.all(
      Array.from({ length: 6 }, () => writer.interviews.create(makeInterview()).then((i) => i.id)),
    );
    await Promise.all([
      ...ids.map((id, n) => writer.interviews.update(id, { title: `w ${n}` }, '2024-05-01T00:00:00.000Z')),
      ...ids.map((id, n) => reader.interviews.update(id, { summary: `r ${n}` }, '2024-05-01T00:00:00.000Z')),
    ]);
    let numbers = await logNumbers();
    expect(numbers).toEqual(Array.from({ length: 18 }, (_, n) => n + 1));
    expect(await reader.interviews.changeStamp()).toBe('18');
    // pruned below the newest, as the log does every 500 entries: a writer whose last number is gone still follows
    // the newest (its own next number is free again, and taking it would leave a hole below the newest)
    await writer.interviews.update(ids[0]!, { title: 'Schreiber zuletzt' }, '2024-05-02T00:00:00.000Z');
    for (let n = 0; n < 3; n++)
      await reader.interviews.update(ids[1]!, { title: `Leser ${n}` }, '2024-05-02T00:00:00.000Z');
    await log().deleteMany({ _id: { $lt: changeKey(22) as never } });
    await writer.interviews.update(ids[2]!, { title: 'nach dem Kürzen' }, '2024-05-03T00:00:00.000Z');
    await reader.interviews.update(ids[3]!, { title: 'auch' }, '2024-05-03T00:00:00.000Z');
    numbers = await logNumbers();
    expect(numbers).toEqual([22, 23, 24]);
    expect(await writer.interviews.changeStamp()).toBe('24');
  });

  it('reads everything again when the log was pruned past it, or holds an entry it cannot follow', async () => {
    const a = await writer.interviews.create(makeInterview({ title: 'A' }));
    expect((await all()).total).toBe(1);
    const b = await writer.interviews.create(makeInterview({ title: 'B' }));
    await writer.interviews.update(a.id, { title: 'A2' }, '2024-06-01T00:00:00.000Z');
    // the reader is at entry 1; entries 1 and 2 are gone, only 3 is left
    await log().deleteMany({ _id: { $lt: changeKey(3) as never } });
    expect((await all()).items.map((i) => i.title).sort()).toEqual(['A2', 'B']);
    // an entry without an interview (copied by migrate) says "something changed" without saying what
    await writer.models.interviews.collection.updateOne(
      { _id: b.id as never },
      { $set: { title: 'B, nebenher geändert' } },
    );
    await log().insertOne({ _id: changeKey(4) as never, interviewId: null, at: 'migrated' });
    expect((await all()).items.map((i) => i.title).sort()).toEqual(['A2', 'B, nebenher geändert']);
  });

  it('answers exactly what the engine answers for the same query, for every sort and many filters', async () => {
    const collections = [makeCollection({ title: 'Ferropolis 2019' }), makeCollection({ title: 'Ferropolis 2020' })];
    for (const c of collections) await writer.collections.create(c);
    const owner = uuid();
    const now = Date.now();
    const statuses = ['draft', 'in_review', 'approved', 'published', 'withdrawn', 'published'] as const;
    const visibilities = ['public', 'registered', 'restricted', 'private'] as const;
    const interviews: Interview[] = [];
    for (let n = 0; n < 48; n++) {
      const stamp = new Date(Date.UTC(2024, 0, 1) + ((n * 7919) % 48) * 3_600_000).toISOString();
      interviews.push(
        await writer.interviews.create(
          makeInterview({
            collectionId: n % 3 === 0 ? null : collections[n % 2]!.id,
            title: [`Über Tage ${n}`, `abraum ${n}`, `Ärger ${n}`, `Zeche ${n}`][n % 4]!,
            people: [{ name: n % 2 ? 'Horst Krüger' : 'Gisela Weiß', role: 'narrator' }],
            recordedAt:
              n % 5 === 0 ? null : n % 5 === 1 ? `${1990 + (n % 20)}` : `${1990 + (n % 20)}-0${1 + (n % 9)}-1${n % 10}`,
            language: n % 4 === 3 ? 'en' : 'de',
            summary: n % 6 === 0 ? null : `Förderbrücke und Straße ${n}`,
            keywords: n % 2 ? ['Tagebau', 'Brikett'] : ['Kraftwerk'],
            status: statuses[n % statuses.length]!,
            visibility: visibilities[n % visibilities.length]!,
            grants: n % 4 === 2 ? ['user:u1'] : [],
            embargoUntil: n % 7 === 0 ? new Date(now + (n % 2 ? 1 : -1) * 86_400_000).toISOString() : null,
            embargoListed: n % 7 === 0,
            createdBy: n % 5 === 2 ? owner : null,
            createdAt: stamp,
            updatedAt: new Date(Date.parse(stamp) + ((n * 31) % 17) * 60_000).toISOString(),
          }),
        ),
      );
    }
    // warm the reader, then change some from the other connection so that part of the answer is incremental
    await all();
    for (const i of interviews.slice(0, 8))
      await writer.interviews.update(i.id, { status: 'published', visibility: 'public' }, new Date(now).toISOString());
    const filters: Array<Omit<InterviewFilter, 'access'>> = [
      {},
      { collectionId: collections[0]!.id, language: 'de' },
      { status: ['published', 'approved'] },
      { visibility: ['restricted'] },
      { keyword: 'brikett' },
      { person: 'KRÜGER' },
      { person: 'weiss' },
      { text: 'strasse' },
      { text: 'ärger' },
      { text: 'über' },
      { recordedFrom: '2000', recordedTo: '2005-06' },
      { recordedFrom: '1995-03-11' },
      { recordedTo: '1999' },
      { createdBy: owner },
    ];
    const scopes: InterviewFilter['access'][] = [
      { kind: 'all' },
      { kind: 'scoped', publishedVisibilities: ['public'] },
      {
        kind: 'scoped',
        publishedVisibilities: ['public', 'registered'],
        principals: ['user:u1'],
        ownerId: owner,
        includeSealed: true,
      },
      { kind: 'scoped', publishedVisibilities: [], interviewIds: [interviews[4]!.id, interviews[10]!.id] },
    ];
    let compared = 0;
    let nonEmpty = 0;
    for (const access of scopes) {
      for (const rest of filters) {
        for (const sort of sortNames) {
          const filter: InterviewFilter = { access, ...rest };
          // the compiled matcher, not the sift fallback, is what answers these
          expect(compileQuery(interviewQuery(filter)), JSON.stringify(filter)).not.toBeNull();
          const engine = await reader.models.interviews
            .find(interviewQuery(filter))
            .sort(interviewSorts[sort])
            .lean<{ _id: string }[]>();
          const cached = await reader.interviews.list(filter, { limit: 1000, offset: 0 }, sort);
          expect(
            cached.items.map((i) => i.id),
            `${JSON.stringify(filter)} ${sort}`,
          ).toEqual(engine.map((d) => d._id));
          expect(cached.total).toBe(engine.length);
          compared++;
          if (engine.length > 0) nonEmpty++;
        }
      }
    }
    expect(compared).toBe(scopes.length * filters.length * sortNames.length);
    expect(nonEmpty).toBeGreaterThan(compared / 2);
    // paging cuts the same ordered answer
    const page = await reader.interviews.list({ access: { kind: 'all' } }, { limit: 5, offset: 10 }, '-recordedAt');
    const engine = await reader.models.interviews
      .find({})
      .sort(interviewSorts['-recordedAt'])
      .skip(10)
      .limit(5)
      .lean<{ _id: string }[]>();
    expect(page.items.map((i) => i.id)).toEqual(engine.map((d) => d._id));
  }, 120_000);
});
