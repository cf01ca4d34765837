// `npm run cli -- reindex` rebuilds the search indexes from the store alone: after the indexes are deleted outright,
// search works again, with no job having run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleLogger } from '../../server/logger.js';
import { rebuildAll } from '../../server/search/indexer.js';
import { createTestApp, fullConsent, type TestApp } from '../helpers/app.js';
import { makeAudio } from '../helpers/media.js';

describe('reindex from the store', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await createTestApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-reindex-'));
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rebuilds interview and segment indexes; only what the access rule allows is found', async () => {
    const curator = await t.loginAs('curator');
    const send = (method: 'post' | 'patch' | 'put', url: string) =>
      curator.agent[method](url).set('X-CSRF-Token', curator.csrf);
    const audio = await makeAudio(dir, { seconds: 12, format: 'mp3' });
    const ids: string[] = [];
    for (const [title, word, publish] of [
      ['Öffentlich', 'Abraumförderbrücke', true],
      ['Intern', 'Abraumbagger', false],
    ] as const) {
      const { body } = await send('post', '/api/interviews').send({ title, visibility: 'public' }).expect(201);
      const medium = await send('post', `/api/interviews/${body.id}/media`).attach('file', audio, 'a.mp3').expect(202);
      await send('put', `/api/interviews/${body.id}/media/${medium.body.id}/transcript`)
        .set('Content-Type', 'text/vtt')
        .send(`WEBVTT\n\n00:00:03.000 --> 00:00:07.000\n<v Erzähler>Der ${word} stand still.\n`)
        .expect(201);
      if (publish) await send('post', `/api/interviews/${body.id}/consents`).send(fullConsent).expect(201);
      if (publish)
        for (const status of ['ready_for_review', 'in_review', 'approved', 'published'])
          await send('patch', `/api/interviews/${body.id}`).send({ status }).expect(200);
      ids.push(body.id);
    }
    // no worker ran: nothing is indexed yet, and the store knows it
    expect((await t.store.transcripts.listUnindexed(10)).length).toBe(2);
    await t.search.client
      .deleteIndex(t.services.search.segments.uid)
      .waitTask()
      .catch(() => undefined);

    const counts = await rebuildAll(t.store, t.services.search, moduleLogger('test'));
    expect(counts).toMatchObject({ interviews: expect.any(Number), transcripts: 2 });
    expect((await t.store.transcripts.listUnindexed(10)).length).toBe(0);
    expect((await t.store.interviews.listSearchDirty(10)).length).toBe(0);

    const pub = await t.request.get('/api/search?q=Abraum').expect(200);
    expect(pub.body.hits.map((h: { interviewId: string; start: number }) => [h.interviewId, h.start])).toEqual([
      [ids[0], 3],
    ]);
    const staff = await curator.agent.get('/api/search?q=Abraum').expect(200);
    expect(staff.body.total).toBe(2);
  });

  it('writes passages interview by interview in order of creation, whatever order the transcripts came in', async () => {
    const curator = await t.loginAs('curator');
    const send = (method: 'post' | 'put', url: string) => curator.agent[method](url).set('X-CSRF-Token', curator.csrf);
    const audio = await makeAudio(dir, { seconds: 4, format: 'mp3' });
    const made: Array<{ id: string; mediumId: string }> = [];
    for (const title of ['Zuerst angelegt', 'Danach angelegt']) {
      const { body } = await send('post', '/api/interviews').send({ title, visibility: 'public' }).expect(201);
      const medium = await send('post', `/api/interviews/${body.id}/media`).attach('file', audio, 'a.mp3').expect(202);
      made.push({ id: body.id, mediumId: medium.body.id });
    }
    // the later interview's transcript first: ordered by transcript, the rebuild would write it first
    for (const { id, mediumId } of [...made].reverse()) {
      await send('put', `/api/interviews/${id}/media/${mediumId}/transcript`)
        .set('Content-Type', 'text/vtt')
        .send('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nEins.\n\n00:00:02.000 --> 00:00:03.000\nZwei.\n')
        .expect(201);
    }
    await t.search.client.deleteIndex(t.services.search.segments.uid).waitTask();
    await rebuildAll(t.store, t.services.search, moduleLogger('test'));
    // Meilisearch lists documents in the order of its internal numbers, given as documents first arrive
    const { results } = await t.search.client
      .index(t.services.search.segments.uid)
      .getDocuments<{ interviewId: string }>({ fields: ['interviewId'], limit: 1000 });
    const order = results.map((d) => d.interviewId).filter((id) => made.some((m) => m.id === id));
    expect(order).toEqual([made[0]!.id, made[0]!.id, made[1]!.id, made[1]!.id]);
  });
});
