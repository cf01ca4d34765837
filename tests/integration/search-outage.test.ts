// Real Meilisearch sidecar, stopped and started under a running app: search says 503, everything else keeps working,
// and what changed during the outage is in the index once search is back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeiliSidecar } from '../../server/search/sidecar.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('search during a Meilisearch outage', () => {
  let dir: string;
  let sidecar: MeiliSidecar;
  let t: TestApp;
  let curator: Awaited<ReturnType<TestApp['loginAs']>>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-outage-'));
    sidecar = new MeiliSidecar({ dataDir: dir, port: 0 });
    const { url, masterKey } = await sidecar.start();
    t = await createTestApp({}, { meili: { url, key: masterKey } });
    t.search.startMonitoring(200);
    t.search.on('up', () => void t.services.interviewIndex.syncAll().catch(() => undefined));
    curator = await t.loginAs('curator');
  });
  afterAll(async () => {
    await t.close();
    await sidecar.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const publish = async (title: string) => {
    const { body } = await curator.agent.post('/api/interviews').set('X-CSRF-Token', curator.csrf).send({ title, visibility: 'public' }).expect(201);
    for (const status of ['ready_for_review', 'in_review', 'approved', 'published']) {
      await curator.agent.patch(`/api/interviews/${body.id}`).set('X-CSRF-Token', curator.csrf).send({ status }).expect(200);
    }
    return body.id as string;
  };

  it('finds published public interviews for the public, private ones only for staff; snippets are HTML-safe', async () => {
    const id = await publish('Förderbrücke <script>alert(1)</script> Klettwitz');
    const hidden = (await curator.agent.post('/api/interviews').set('X-CSRF-Token', curator.csrf).send({ title: 'Förderbrücke intern' }).expect(201)).body.id;
    await until(async () => (await t.request.get('/api/search?q=Förderbrücke')).body.total === 1);
    const pub = await t.request.get('/api/search?q=Förderbrücke').expect(200);
    expect(pub.body.hits.map((h: { interviewId: string }) => h.interviewId)).toEqual([id]);
    expect(pub.body.hits[0].snippet).toContain('<mark>Förderbrücke</mark>');
    expect(pub.body.hits[0].snippet).toContain('&lt;script&gt;');
    expect(pub.body.hits[0].snippet).not.toContain('<script>');
    await until(async () => (await curator.agent.get('/api/search?q=Förderbrücke')).body.total === 2);
    const staff = await curator.agent.get('/api/search?q=Förderbrücke').expect(200);
    expect(staff.body.hits.map((h: { interviewId: string }) => h.interviewId)).toContain(hidden);
  });

  it('answers 503 problem+json while Meilisearch is down, keeps serving the rest, and catches up afterwards', async () => {
    await sidecar.stop();
    await until(() => !t.search.available);
    const res = await t.request.get('/api/search?q=Bagger').expect(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ type: '/problems/search-unavailable', status: 503 });
    expect(res.headers['retry-after']).toBe('5');
    const health = await t.request.get('/healthz').expect(503);
    expect(health.body.status).toBe('degraded');
    expect(health.body.checks.search.ok).toBe(false);
    expect(health.body.checks.store.ok).toBe(true);
    await t.request.get('/api/interviews').expect(200);

    // a change during the outage is not lost
    const id = await publish('Bagger im Tagebau Gröbern');
    // same data dir and port, as after a crash restart
    sidecar = new MeiliSidecar({ dataDir: dir, port: Number(new URL(sidecar.url).port) });
    await sidecar.start();
    await until(async () => (await t.request.get('/api/search?q=Bagger')).status === 200);
    await until(async () => (await t.request.get('/api/search?q=Bagger')).body.total === 1);
    expect((await t.request.get('/api/search?q=Bagger')).body.hits[0].interviewId).toBe(id);
    const healthy = await t.request.get('/healthz').expect(200);
    expect(healthy.body.checks).toMatchObject({ search: { ok: true, version: '1.21.0' }, ffmpeg: { ok: true }, ffprobe: { ok: true } });
  });

  it('/metrics speaks Prometheus text with request latency per route template and search_up', async () => {
    const res = await t.request.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(/schichtbuch_http_request_duration_seconds_bucket\{[^}]*route="\/api\/interviews\/:id"/);
    expect(res.text).toMatch(/^schichtbuch_search_up 1$/m);
  });
});
