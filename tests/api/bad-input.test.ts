// Malformed requests: each must get the right 4xx as application/problem+json, no stack trace, and store nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, tableCounts, type TestApp } from '../helpers/app.js';

describe('bad input is rejected with problem+json and nothing is stored', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['loginAs']>>;
  let student: Awaited<ReturnType<TestApp['loginAs']>>;
  let interviewId: string;

  beforeAll(async () => {
    t = await createTestApp({ JSON_BODY_LIMIT: '64kb' });
    admin = await t.loginAs('admin');
    student = await t.loginAs('contributor');
    interviewId = (
      await student.agent
        .post('/api/interviews')
        .set('X-CSRF-Token', student.csrf)
        .send({ title: 'Vorhanden' })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => t.close());

  type Case = {
    name: string;
    status: number;
    type: string;
    send: () => Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, string> }>;
    field?: string;
  };
  const cases: Case[] = [
    {
      name: 'wrong type (title: number)',
      status: 422,
      type: 'validation',
      field: 'body.title',
      send: () => student.agent.post('/api/interviews').set('X-CSRF-Token', student.csrf).send({ title: 42 }),
    },
    {
      name: 'unknown field',
      status: 422,
      type: 'validation',
      field: 'body',
      send: () =>
        student.agent.post('/api/interviews').set('X-CSRF-Token', student.csrf).send({ title: 'X', secret: 1 }),
    },
    {
      name: 'impossible partial date 2019-13',
      status: 422,
      type: 'validation',
      field: 'body.recordedAt',
      send: () =>
        student.agent
          .post('/api/interviews')
          .set('X-CSRF-Token', student.csrf)
          .send({ title: 'X', recordedAt: '2019-13' }),
    },
    {
      name: 'date in the future',
      status: 422,
      type: 'validation',
      field: 'body.recordedAt',
      send: () =>
        student.agent
          .post('/api/interviews')
          .set('X-CSRF-Token', student.csrf)
          .send({ title: 'X', recordedAt: '2999-01-01' }),
    },
    {
      name: 'lat without lon',
      status: 422,
      type: 'validation',
      field: 'body.place.lat',
      send: () =>
        student.agent
          .post('/api/interviews')
          .set('X-CSRF-Token', student.csrf)
          .send({ title: 'X', place: { name: 'Golpa', lat: 51.7 } }),
    },
    {
      name: 'unknown person role',
      status: 422,
      type: 'validation',
      field: 'body.people.0.role',
      send: () =>
        student.agent
          .post('/api/interviews')
          .set('X-CSRF-Token', student.csrf)
          .send({ title: 'X', people: [{ name: 'A', role: 'boss' }] }),
    },
    {
      name: 'collection that does not exist',
      status: 422,
      type: 'validation',
      field: 'body.collectionId',
      send: () =>
        student.agent
          .post('/api/interviews')
          .set('X-CSRF-Token', student.csrf)
          .send({ title: 'X', collectionId: '00000000-0000-4000-8000-000000000000' }),
    },
    {
      name: 'malformed JSON',
      status: 400,
      type: 'bad-request',
      send: () =>
        student.agent
          .post('/api/interviews')
          .set('X-CSRF-Token', student.csrf)
          .set('Content-Type', 'application/json')
          .send('{"title": "X",'),
    },
    {
      name: 'oversized body (> JSON_BODY_LIMIT 64kb)',
      status: 413,
      type: 'payload-too-large',
      send: () =>
        student.agent
          .post('/api/interviews')
          .set('X-CSRF-Token', student.csrf)
          .send({ title: 'X', summary: 'ä'.repeat(70_000) }),
    },
    {
      name: 'bad id in the path',
      status: 404,
      type: 'not-found',
      field: 'params.id',
      send: () =>
        student.agent.patch('/api/interviews/not-a-uuid').set('X-CSRF-Token', student.csrf).send({ title: 'X' }),
    },
    {
      name: 'bad query parameter (pageSize=1000)',
      status: 400,
      type: 'bad-request',
      field: 'query.pageSize',
      send: () => t.request.get('/api/interviews?pageSize=1000'),
    },
    {
      name: 'unknown query parameter (typo)',
      status: 400,
      type: 'bad-request',
      field: 'query',
      send: () => t.request.get('/api/interviews?colection=1'),
    },
    {
      name: 'missing auth',
      status: 401,
      type: 'unauthenticated',
      send: () => t.request.post('/api/interviews').send({ title: 'Anonym' }),
    },
    {
      name: 'invalid bearer token',
      status: 401,
      type: 'unauthenticated',
      send: () => t.request.post('/api/interviews').set('Authorization', 'Bearer sbt_nope').send({ title: 'X' }),
    },
    {
      name: 'wrong role: contributor creates a collection',
      status: 403,
      type: 'forbidden',
      send: () => student.agent.post('/api/collections').set('X-CSRF-Token', student.csrf).send({ title: 'Meine' }),
    },
    {
      name: 'wrong role: contributor creates a user',
      status: 403,
      type: 'forbidden',
      send: () =>
        student.agent
          .post('/api/users')
          .set('X-CSRF-Token', student.csrf)
          .send({ email: 'x@example.org', password: 'abcdefghijklm', role: 'admin' }),
    },
    {
      name: 'missing CSRF token',
      status: 403,
      type: 'csrf',
      send: () => student.agent.post('/api/interviews').send({ title: 'Ohne CSRF' }),
    },
    {
      name: 'cross-origin request',
      status: 403,
      type: 'csrf',
      send: () =>
        student.agent
          .post('/api/interviews')
          .set('X-CSRF-Token', student.csrf)
          .set('Origin', 'https://evil.example')
          .send({ title: 'X' }),
    },
    {
      name: 'empty patch',
      status: 422,
      type: 'validation',
      send: () => student.agent.patch(`/api/interviews/${interviewId}`).set('X-CSRF-Token', student.csrf).send({}),
    },
    {
      name: 'unparseable If-Match',
      status: 412,
      type: 'precondition-failed',
      send: () =>
        student.agent
          .patch(`/api/interviews/${interviewId}`)
          .set('X-CSRF-Token', student.csrf)
          .set('If-Match', 'banana')
          .send({ title: 'X' }),
    },
    {
      name: 'weak password for a new user',
      status: 422,
      type: 'validation',
      field: 'body.password',
      send: () =>
        admin.agent
          .post('/api/users')
          .set('X-CSRF-Token', admin.csrf)
          .send({ email: 'neu@example.org', password: 'kurz', role: 'curator' }),
    },
    { name: 'unknown API route', status: 404, type: 'not-found', send: () => t.request.get('/api/nope') },
  ];

  it.each(cases)('$name → $status', async (c) => {
    const before = tableCounts(t.store);
    const beforeTitle = t.store.db.prepare('SELECT title, version FROM interviews WHERE id = ?').get(interviewId);
    const res = await c.send();
    expect(res.status).toBe(c.status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: `/problems/${c.type}`, status: c.status });
    expect(typeof res.body.title).toBe('string');
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
    if (c.field) {
      const errors = res.body.errors as { field: string }[];
      expect(errors.map((e) => e.field)).toContain(c.field);
    }
    const after = tableCounts(t.store);
    // sessions may be touched, never rows added or removed anywhere
    expect(after).toEqual(before);
    expect(t.store.db.prepare('SELECT title, version FROM interviews WHERE id = ?').get(interviewId)).toEqual(
      beforeTitle,
    );
  });
});
