// Interview keys two interviews share (server/search/interview-key.ts): archive search still counts hits per interview
// exactly, and what it hides for a lagging index it hides by interview, not by key. Real Meilisearch and SQLite.
// The key function is mocked to collide on purpose: two interviews created in the same millisecond with the same
// 11 hash bits cannot be produced on demand here.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Interview } from '../../server/store/types.js';
import { makeInterview } from '../contract/repository-contract-helpers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const shared = new Map<string, number>();
vi.mock('../../server/search/interview-key.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../server/search/interview-key.js')>();
  return {
    ...original,
    interviewKey: (i: { id: string; createdAt: string }) => shared.get(i.id) ?? original.interviewKey(i),
  };
});

/** A published, public interview with one narrator, recorded in Golpa. */
const interview = (title: string, narrator: string, patch: Partial<Interview> = {}): Interview =>
  makeInterview({
    title,
    people: [{ name: narrator, role: 'narrator' }],
    place: { name: 'Golpa' },
    visibility: 'public',
    status: 'published',
    ...patch,
  });
const passages = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    start: i * 10,
    end: i * 10 + 8,
    speaker: null,
    text: `Die Brikettpresse lief Tag ${i}.`,
  }));

describe('archive search with interview keys two interviews share (key function mocked to collide)', () => {
  let t: TestApp;
  const anna = interview('Anna', 'Anna Richter');
  const bernd = interview('Bernd', 'Bernd Vogel');
  const clara = interview('Clara', 'Clara Beck');
  // a draft in the store that the index still holds as published (the index lagging behind), on the shared key too
  const draft = interview('Entwurf', 'Dora Lenz', { status: 'draft' });
  // passages of an interview the store no longer has, on a key of its own
  const gone = interview('Gelöscht', 'Emil Kraus');

  beforeAll(async () => {
    t = await createTestApp();
    for (const i of [anna, bernd, draft]) shared.set(i.id, 7);
    for (const i of [anna, bernd, clara, draft]) await t.store.interviews.create(i);
    const segments = t.services.search.segments;
    await segments.replaceMedia([
      { interview: anna, mediaId: crypto.randomUUID(), segments: passages(3) },
      { interview: bernd, mediaId: crypto.randomUUID(), segments: passages(2) },
      { interview: clara, mediaId: crypto.randomUUID(), segments: passages(1) },
      { interview: { ...draft, status: 'published' }, mediaId: crypto.randomUUID(), segments: passages(4) },
      { interview: gone, mediaId: crypto.randomUUID(), segments: passages(5) },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts hits per interview on a shared key, and hides a lagging interview by id, not its whole key', async () => {
    const { body } = await t.request.get('/api/search?q=Brikettpresse&pageSize=50').expect(200);
    expect(body.total).toBe(6);
    const hitCounts = Object.fromEntries(
      (body.groups as Array<{ interviewTitle: string; hitCount: number }>).map((g) => [g.interviewTitle, g.hitCount]),
    );
    expect(hitCounts).toEqual({ Anna: 3, Bernd: 2, Clara: 1 });
    expect(body.hits).toHaveLength(6);
    expect(body.facets.narrator).toEqual({ 'Anna Richter': 3, 'Bernd Vogel': 2, 'Clara Beck': 1 });
    expect(body.facets.place).toEqual({ Golpa: 6 });
  });

  it('a curator sees the draft counted apart from the two interviews it shares its key with', async () => {
    const curator = await t.loginAs('curator');
    const { body } = await curator.agent.get('/api/search?q=Brikettpresse&pageSize=50').expect(200);
    expect(body.total).toBe(10);
    expect(body.facets.narrator).toEqual({ 'Dora Lenz': 4, 'Anna Richter': 3, 'Bernd Vogel': 2, 'Clara Beck': 1 });
  });
});
