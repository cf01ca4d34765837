import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, fullConsent, type TestApp } from '../helpers/app.js';

const interview = (extra: Record<string, unknown> = {}) => ({
  title: 'Schichtbetrieb im Tagebau Golpa-Nord',
  people: [
    { name: 'Horst Krüger', role: 'narrator' },
    { name: 'Lena Schulz', role: 'interviewer' },
  ],
  recordedAt: '2019-05',
  place: { name: 'Ferropolis', lat: 51.7494, lon: 12.4486 },
  keywords: ['Tagebau', 'Förderbrücke', 'tagebau'],
  summary: 'Über die Arbeit an der Förderbrücke und das Ende des Tagebaus.',
  ...extra,
});

describe('collections and interviews API', () => {
  let t: TestApp;
  let curator: Awaited<ReturnType<TestApp['loginAs']>>;
  let student: Awaited<ReturnType<TestApp['loginAs']>>;
  let otherStudent: Awaited<ReturnType<TestApp['loginAs']>>;
  let collectionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    curator = await t.loginAs('curator');
    student = await t.loginAs('contributor');
    otherStudent = await t.loginAs('contributor');
    const res = await curator.agent
      .post('/api/collections')
      .set('X-CSRF-Token', curator.csrf)
      .send({ title: 'Spring School Ferropolis 2019', description: 'Interviews mit ehemaligen Bergleuten' })
      .expect(201);
    collectionId = res.body.id;
  });
  afterAll(async () => t.close());

  it('collections: create, get, list, patch with ETag, delete when empty', async () => {
    const created = await curator.agent
      .post('/api/collections')
      .set('X-CSRF-Token', curator.csrf)
      .send({ title: 'Zschornewitz 2020' })
      .expect(201);
    expect(created.headers.location).toBe(`/api/collections/${created.body.id}`);
    const got = await t.request.get(`/api/collections/${created.body.id}`).expect(200);
    expect(got.headers.etag).toBe('W/"v1"');
    const list = await t.request.get('/api/collections').expect(200);
    expect(list.body.items.map((c: { title: string }) => c.title)).toEqual([
      'Spring School Ferropolis 2019',
      'Zschornewitz 2020',
    ]);
    const patched = await curator.agent
      .patch(`/api/collections/${created.body.id}`)
      .set('X-CSRF-Token', curator.csrf)
      .set('If-Match', 'W/"v1"')
      .send({ description: 'Kraftwerk Zschornewitz' })
      .expect(200);
    expect(patched.body).toMatchObject({ version: 2, description: 'Kraftwerk Zschornewitz' });
    await curator.agent.delete(`/api/collections/${created.body.id}`).set('X-CSRF-Token', curator.csrf).expect(204);
    await t.request.get(`/api/collections/${created.body.id}`).expect(404);
  });

  it('a contributor creates an interview: private draft by default, normalised keywords, partial date kept', async () => {
    const res = await student.agent
      .post('/api/interviews')
      .set('X-CSRF-Token', student.csrf)
      .send(interview({ collectionId }))
      .expect(201);
    expect(res.body).toMatchObject({
      title: 'Schichtbetrieb im Tagebau Golpa-Nord',
      collectionId,
      recordedAt: '2019-05',
      language: 'de',
      visibility: 'private',
      status: 'draft',
      createdBy: student.userId,
      version: 1,
      keywords: ['Tagebau', 'Förderbrücke'],
      place: { name: 'Ferropolis', lat: 51.7494, lon: 12.4486 },
    });
    const got = await student.agent.get(`/api/interviews/${res.body.id}`).expect(200);
    expect(got.body).toEqual(res.body);
  });

  it('private drafts are invisible (404) to the public and other contributors, visible to curators', async () => {
    const { body } = await student.agent
      .post('/api/interviews')
      .set('X-CSRF-Token', student.csrf)
      .send(interview())
      .expect(201);
    await t.request.get(`/api/interviews/${body.id}`).expect(404);
    await otherStudent.agent.get(`/api/interviews/${body.id}`).expect(404);
    await curator.agent.get(`/api/interviews/${body.id}`).expect(200);
    const publicList = await t.request.get('/api/interviews').expect(200);
    expect(publicList.body.items.map((i: { id: string }) => i.id)).not.toContain(body.id);
    const otherList = await otherStudent.agent.get('/api/interviews').expect(200);
    expect(otherList.body.items.map((i: { id: string }) => i.id)).not.toContain(body.id);
  });

  it('workflow: contributor hands in for review; curator publishes; public sees it; contributor may no longer edit', async () => {
    const { body } = await student.agent
      .post('/api/interviews')
      .set('X-CSRF-Token', student.csrf)
      .send(interview({ title: 'Brikettfabrik Zschornewitz', visibility: 'public' }))
      .expect(201);
    const bad = await student.agent
      .patch(`/api/interviews/${body.id}`)
      .set('X-CSRF-Token', student.csrf)
      .send({ status: 'published' })
      .expect(409);
    expect(bad.body.errors[0]).toMatchObject({ field: 'body.status', message: 'draft → published' });
    await student.agent
      .patch(`/api/interviews/${body.id}`)
      .set('X-CSRF-Token', student.csrf)
      .send({ status: 'ready_for_review' })
      .expect(200);
    await curator.agent
      .patch(`/api/interviews/${body.id}`)
      .set('X-CSRF-Token', curator.csrf)
      .send({ status: 'in_review' })
      .expect(200);
    await curator.agent
      .patch(`/api/interviews/${body.id}`)
      .set('X-CSRF-Token', curator.csrf)
      .send({ status: 'approved' })
      .expect(200);
    // no publication without consent covering the visibility
    const refused = await curator.agent
      .patch(`/api/interviews/${body.id}`)
      .set('X-CSRF-Token', curator.csrf)
      .send({ status: 'published' })
      .expect(409);
    expect(refused.body.type).toBe('/problems/consent-required');
    await curator.agent
      .post(`/api/interviews/${body.id}/consents`)
      .set('X-CSRF-Token', curator.csrf)
      .send(fullConsent)
      .expect(201);
    await curator.agent
      .patch(`/api/interviews/${body.id}`)
      .set('X-CSRF-Token', curator.csrf)
      .send({ status: 'published' })
      .expect(200);
    const pub = await t.request.get(`/api/interviews/${body.id}`).expect(200);
    expect(pub.body.status).toBe('published');
    await student.agent
      .patch(`/api/interviews/${body.id}`)
      .set('X-CSRF-Token', student.csrf)
      .send({ title: 'Neu' })
      .expect(403);
    await student.agent.delete(`/api/interviews/${body.id}`).set('X-CSRF-Token', student.csrf).expect(403);
    // withdrawal is final
    await curator.agent
      .patch(`/api/interviews/${body.id}`)
      .set('X-CSRF-Token', curator.csrf)
      .send({ status: 'withdrawn' })
      .expect(200);
    await curator.agent
      .patch(`/api/interviews/${body.id}`)
      .set('X-CSRF-Token', curator.csrf)
      .send({ status: 'draft' })
      .expect(409);
    await t.request.get(`/api/interviews/${body.id}`).expect(404);
  });

  it('list: paging, filters (collection, person ignoring case and umlauts, keyword, year range, text, mine) and sort', async () => {
    const make = (title: string, extra: Record<string, unknown>) =>
      curator.agent
        .post('/api/interviews')
        .set('X-CSRF-Token', curator.csrf)
        .send({ title, ...extra })
        .expect(201);
    const c2 = (
      await curator.agent.post('/api/collections').set('X-CSRF-Token', curator.csrf).send({ title: 'Filtertest' })
    ).body.id;
    await make('A Kraftwerk Vockerode', {
      collectionId: c2,
      recordedAt: '1989',
      people: [{ name: 'Gisela Weiß', role: 'narrator' }],
      keywords: ['Kraftwerk'],
    });
    await make('B Abraum und Bagger', {
      collectionId: c2,
      recordedAt: '2019-05-17',
      people: [{ name: 'Jürgen Möller', role: 'narrator' }],
      keywords: ['Bagger'],
    });
    await make('C Kumpel in Golpa', {
      collectionId: c2,
      recordedAt: '2020-03',
      people: [{ name: 'Uwe Kühn', role: 'narrator' }],
      keywords: ['Kumpel'],
      summary: 'Schicht im Braunkohletagebau',
    });
    const q = (query: string) =>
      curator.agent
        .get(`/api/interviews?collectionId=${c2}&${query}`)
        .expect(200)
        .then((r) => r.body);
    expect((await q('sort=title')).items.map((i: { title: string }) => i.title[0])).toEqual(['A', 'B', 'C']);
    expect((await q('sort=-recordedAt')).items.map((i: { title: string }) => i.title[0])).toEqual(['C', 'B', 'A']);
    const paged = await q('sort=title&pageSize=2&page=2');
    expect(paged).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(paged.items.map((i: { title: string }) => i.title[0])).toEqual(['C']);
    expect((await q('person=MOLLER')).items.map((i: { title: string }) => i.title[0])).toEqual(['B']);
    expect((await q('person=weiss')).items.map((i: { title: string }) => i.title[0])).toEqual(['A']);
    expect((await q('keyword=kumpel')).items.map((i: { title: string }) => i.title[0])).toEqual(['C']);
    expect(
      (await q('recordedFrom=2019&recordedTo=2019-12&sort=title')).items.map((i: { title: string }) => i.title[0]),
    ).toEqual(['B']);
    expect((await q('q=braunkohle')).items.map((i: { title: string }) => i.title[0])).toEqual(['C']);
    expect((await q('q=100%25')).total).toBe(0);
    const mine = await student.agent.get('/api/interviews?mine=true').expect(200);
    expect(mine.body.items.every((i: { createdBy: string }) => i.createdBy === student.userId)).toBe(true);
    expect(mine.body.total).toBeGreaterThan(0);
  });

  it('optimistic concurrency: a stale If-Match is 412 and changes nothing', async () => {
    const { body } = await student.agent
      .post('/api/interviews')
      .set('X-CSRF-Token', student.csrf)
      .send(interview())
      .expect(201);
    await student.agent
      .patch(`/api/interviews/${body.id}`)
      .set('X-CSRF-Token', student.csrf)
      .set('If-Match', 'W/"v1"')
      .send({ title: 'Erste Änderung' })
      .expect(200);
    const stale = await student.agent
      .patch(`/api/interviews/${body.id}`)
      .set('X-CSRF-Token', student.csrf)
      .set('If-Match', 'W/"v1"')
      .send({ title: 'Zweite Änderung' })
      .expect(412);
    expect(stale.body.currentVersion).toBe(2);
    expect((await student.agent.get(`/api/interviews/${body.id}`)).body.title).toBe('Erste Änderung');
  });

  it('deleting: owner may delete a draft; a collection with interviews is kept (409)', async () => {
    const { body } = await student.agent
      .post('/api/interviews')
      .set('X-CSRF-Token', student.csrf)
      .send(interview({ collectionId }))
      .expect(201);
    await otherStudent.agent.delete(`/api/interviews/${body.id}`).set('X-CSRF-Token', otherStudent.csrf).expect(404);
    const conflict = await curator.agent
      .delete(`/api/collections/${collectionId}`)
      .set('X-CSRF-Token', curator.csrf)
      .expect(409);
    expect(conflict.body.detail).toMatch(/Interview/);
    await student.agent.delete(`/api/interviews/${body.id}`).set('X-CSRF-Token', student.csrf).expect(204);
    await student.agent.get(`/api/interviews/${body.id}`).expect(404);
  });

  it('answers in English when asked (Accept-Language or ?lang=en), German otherwise', async () => {
    const de = await t.request.get('/api/interviews/00000000-0000-4000-8000-000000000000').expect(404);
    expect(de.body.title).toBe('Nicht gefunden.');
    const en = await t.request
      .get('/api/interviews/00000000-0000-4000-8000-000000000000')
      .set('Accept-Language', 'en-GB,en;q=0.9')
      .expect(404);
    expect(en.body.title).toBe('Not found.');
    const v = await student.agent
      .post('/api/interviews?lang=en')
      .set('X-CSRF-Token', student.csrf)
      .send({ title: 7 })
      .expect(422);
    expect(v.body.errors[0].message).toMatch(/expected string/i);
  });
});
