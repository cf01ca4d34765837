// The app on the MongoDB store (FerretDB, the run's MongoDB-wire engine): an API flow through interviews and
// collections, a bad MONGODB_URI at start-up, and the engine dying mid-run (kill -9) and coming back.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openMongoStore, type MongoStore } from '../../server/store/mongo/index.js';
import { createTestAppOn, fullConsent, type TestApp } from '../helpers/app.js';
import {
  freePort,
  needsFerret,
  openTestMongoStore,
  startMongoEngine,
  withDatabase,
  type MongoEngine,
} from '../helpers/mongo-engine.js';

const mongoUri = inject('mongoUri');
const root = path.resolve(import.meta.dirname, '../..');

const interview = (extra: Record<string, unknown> = {}) => ({
  title: 'Schichtbetrieb im Tagebau Golpa-Nord',
  people: [
    { name: 'Horst Krüger', role: 'narrator' },
    { name: 'Lena Schulz', role: 'interviewer' },
  ],
  recordedAt: '2019-05',
  place: { name: 'Ferropolis', lat: 51.7494, lon: 12.4486 },
  keywords: ['Tagebau', 'Förderbrücke'],
  summary: 'Über die Arbeit an der Förderbrücke.',
  ...extra,
});

function run(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-badmongo-'));
  const t0 = Date.now();
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [script], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: path.join(dir, 'data'),
      UPLOADS_DIR: path.join(dir, 'uploads'),
      PORT: '0',
      LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(killer);
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    }),
  );
}

/** Opening the store with this URI, timed inside the process (module loading excluded). */
async function openWith(uri: string): Promise<{ ok: boolean; ms: number; message?: string }> {
  const r = await run('tests/helpers/open-store-child.ts', { MONGODB_URI: uri });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`no result (exit ${r.code}): ${r.stderr}`);
  return JSON.parse(line);
}

describe('start-up with a bad MONGODB_URI stops within 15 s and names the variable', () => {
  it('malformed (no host), malformed (bad port), unreachable (nothing listens there)', async () => {
    const port = await freePort();
    for (const uri of ['mongodb://', 'mongodb://127.0.0.1:notaport/archiv', `mongodb://127.0.0.1:${port}/archiv`]) {
      const r = await openWith(uri);
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/^MONGODB_URI \(mongodb:\/\/.*\): MongoDB nicht erreichbar \/ not usable: /);
      expect(r.ms).toBeLessThan(15_000);
    }
  }, 120_000);

  it('npm start itself exits with that message (the start-up path, untimed: module loading depends on the machine)', async () => {
    const port = await freePort();
    const r = await run('server/main.ts', { MONGODB_URI: `mongodb://127.0.0.1:${port}/archiv` });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/MONGODB_URI \(mongodb:\/\/127\.0\.0\.1:\d+\/archiv\): MongoDB nicht erreichbar/);
  }, 120_000);
});

describe.skipIf(!mongoUri)(`interviews API on the MongoDB store ${needsFerret}`, () => {
  let t: TestApp<MongoStore>;
  beforeAll(async () => {
    t = await createTestAppOn(() => openTestMongoStore(mongoUri, 'schichtbuch_api'));
  });
  afterAll(async () => t?.close());

  it('create, get with ETag, list with filters and access, patch with If-Match, stale If-Match 412, publish needs consent', async () => {
    const curator = await t.loginAs('curator');
    const student = await t.loginAs('contributor');
    const col = await curator.agent
      .post('/api/collections')
      .set('X-CSRF-Token', curator.csrf)
      .send({ title: 'Spring School Ferropolis 2019' })
      .expect(201);
    const created = await student.agent
      .post('/api/interviews')
      .set('X-CSRF-Token', student.csrf)
      .send(interview({ collectionId: col.body.id }))
      .expect(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      visibility: 'private',
      version: 1,
      createdBy: student.userId,
      recordedAt: '2019-05',
    });
    await student.agent
      .post('/api/interviews')
      .set('X-CSRF-Token', student.csrf)
      .send(interview({ title: 'Kraftwerk Zschornewitz', recordedAt: '1985', keywords: ['Kraftwerk'] }))
      .expect(201);

    const got = await student.agent.get(`/api/interviews/${created.body.id}`).expect(200);
    expect(got.headers.etag).toBe('W/"v1"');
    expect(got.body).toEqual(created.body);

    // the owner sees both drafts, anonymous visitors none; filters by keyword (folded), person (umlaut-free) and date
    expect((await student.agent.get('/api/interviews').expect(200)).body.total).toBe(2);
    expect((await t.request.get('/api/interviews').expect(200)).body.total).toBe(0);
    const byKeyword = await curator.agent.get('/api/interviews?keyword=tagebau').expect(200);
    expect(byKeyword.body.items.map((i: { title: string }) => i.title)).toEqual([
      'Schichtbetrieb im Tagebau Golpa-Nord',
    ]);
    expect((await curator.agent.get('/api/interviews?person=kruger').expect(200)).body.total).toBe(2);
    expect(
      (await curator.agent.get('/api/interviews?recordedFrom=2019-05-10&recordedTo=2020').expect(200)).body.total,
    ).toBe(1);
    const sorted = await curator.agent.get('/api/interviews?sort=title').expect(200);
    expect(sorted.body.items.map((i: { title: string }) => i.title)).toEqual([
      'Kraftwerk Zschornewitz',
      'Schichtbetrieb im Tagebau Golpa-Nord',
    ]);

    const patched = await student.agent
      .patch(`/api/interviews/${created.body.id}`)
      .set('X-CSRF-Token', student.csrf)
      .set('If-Match', 'W/"v1"')
      .send({ summary: 'Neu zusammengefasst.' })
      .expect(200);
    expect(patched.body).toMatchObject({ version: 2, summary: 'Neu zusammengefasst.' });
    const stale = await student.agent
      .patch(`/api/interviews/${created.body.id}`)
      .set('X-CSRF-Token', student.csrf)
      .set('If-Match', 'W/"v1"')
      .send({ summary: 'Überschrieben?' })
      .expect(412);
    expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await student.agent.get(`/api/interviews/${created.body.id}`).expect(200)).body.summary).toBe(
      'Neu zusammengefasst.',
    );

    // the workflow to publication; without consent it is refused, with it the anonymous list shows the interview
    const step = (body: Record<string, unknown>, who = curator) =>
      who.agent.patch(`/api/interviews/${created.body.id}`).set('X-CSRF-Token', who.csrf).send(body);
    await step({ visibility: 'public' }, student).expect(200);
    await step({ status: 'ready_for_review' }, student).expect(200);
    await step({ status: 'in_review' }).expect(200);
    await step({ status: 'approved' }).expect(200);
    expect((await step({ status: 'published' }).expect(409)).body.type).toBe('/problems/consent-required');
    await curator.agent
      .post(`/api/interviews/${created.body.id}/consents`)
      .set('X-CSRF-Token', curator.csrf)
      .send(fullConsent)
      .expect(201);
    await step({ status: 'published' }).expect(200);
    const pub = await t.request.get('/api/interviews').expect(200);
    expect(pub.body.items.map((i: { id: string }) => i.id)).toEqual([created.body.id]);

    // the audit log recorded the changes, newest first
    const admin = await t.loginAs('admin');
    const audit = await admin.agent.get(`/api/audit?interviewId=${created.body.id}`).expect(200);
    expect(audit.body.total).toBeGreaterThanOrEqual(3);
    const ids = audit.body.items.map((e: { id: number }) => e.id);
    expect([...ids].sort((a: number, b: number) => b - a)).toEqual(ids);
  });
});

describe.skipIf(!mongoUri)(`the MongoDB engine dies mid-run (kill -9) and comes back ${needsFerret}`, () => {
  let engine: MongoEngine;
  let t: TestApp<MongoStore>;
  beforeAll(async () => {
    engine = await startMongoEngine();
    t = await createTestAppOn(() => openMongoStore(withDatabase(engine.uri, 'schichtbuch_outage')));
  });
  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await engine?.stop();
    if (engine) fs.rmSync(engine.dir, { recursive: true, force: true });
  });

  it('answers 503 problem+json while it is gone, /healthz says degraded, nothing is half-written, and recovers', async () => {
    const curator = await t.loginAs('curator');
    const first = await curator.agent
      .post('/api/interviews')
      .set('X-CSRF-Token', curator.csrf)
      .send(interview())
      .expect(201);
    const auditBefore = (await t.store.audit.list({}, { limit: 1, offset: 0 })).total;

    await engine.kill();
    const t0 = Date.now();
    const list = await curator.agent.get('/api/interviews');
    expect(list.status).toBe(503);
    expect(list.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(list.body).toMatchObject({ type: '/problems/store-unavailable', status: 503 });
    expect(Date.now() - t0).toBeLessThan(10_000);
    const write = await curator.agent
      .post('/api/interviews')
      .set('X-CSRF-Token', curator.csrf)
      .send(interview({ title: 'Während des Ausfalls' }));
    expect(write.status).toBe(503);
    const health = await t.request.get('/healthz');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'degraded', checks: { store: { ok: false, kind: 'mongodb' } } });

    // the same port and data directory again: the driver reconnects by itself
    engine = await startMongoEngine({ port: engine.port, dir: engine.dir });
    const deadline = Date.now() + 20_000;
    let back = await curator.agent.get('/api/interviews');
    while (back.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      back = await curator.agent.get('/api/interviews');
    }
    expect(back.status).toBe(200);
    expect(back.body.items.map((i: { id: string }) => i.id)).toEqual([first.body.id]);
    expect((await t.store.audit.list({}, { limit: 1, offset: 0 })).total).toBe(auditBefore);
    const healthy = await t.request.get('/healthz');
    expect(healthy.body.checks.store).toMatchObject({ ok: true, kind: 'mongodb' });
    await curator.agent
      .post('/api/interviews')
      .set('X-CSRF-Token', curator.csrf)
      .send(interview({ title: 'Nach dem Ausfall' }))
      .expect(201);
  }, 60_000);
});
