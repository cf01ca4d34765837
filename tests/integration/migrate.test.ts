// `npm run cli -- migrate --to URI` (issue #10 §6): a seeded embedded archive (SQLite, made through the real API)
// copied into the MongoDB-wire engine (FerretDB) by the real CLI process; then the app on MongoDB must answer the same
// reads (interview list, an interview, its transcript, consent, audit) with the session of the SQLite app. Also: a
// second run copies nothing; a run killed midway (the process SIGKILLs itself after N documents — a test-only
// env switch, SCHICHTBUCH_MIGRATE_KILL_AFTER) is resumed by the next; a foreign non-empty database is refused;
// a document changed in the target is reported as a checksum mismatch (exit 1); a bad --to fails within 15 s.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { canonicalJson, MigrationError, migrateToMongo, SetChecksum } from '../../server/store/migrate.js';
import { openMongoStore, type MongoStore } from '../../server/store/mongo/index.js';
import { createTestApp, createTestAppOn, fullConsent, type TestApp } from '../helpers/app.js';
import { makeAudio } from '../helpers/media.js';
import { freePort, needsFerret, scratchDatabases } from '../helpers/mongo-engine.js';

const mongoUri = inject('mongoUri');
const root = path.resolve(import.meta.dirname, '../..');
const databases = scratchDatabases(mongoUri, 'schichtbuch_migrate');
const freshDb = databases.fresh;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The real CLI in its own process, on the archive in `dataDir`. */
function migrate(dataDir: string, to: string, env: Record<string, string> = {}): Promise<Run> {
  const t0 = Date.now();
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['server/cli.ts', 'migrate', '--to', to], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env },
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
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    }),
  );
}

/** The per-collection lines of the output: name → [source rows, copied, target docs, status]. */
function table(
  stdout: string,
): Map<
  string,
  { source: number; copied: number; target: number; sourceSum: string; targetSum: string; status: string }
> {
  const rows = new Map();
  for (const line of stdout.split('\n')) {
    const m = /^(\w+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([0-9a-f]{16})\s+([0-9a-f]{16})\s+(ok|MISMATCH)$/.exec(line);
    if (m)
      rows.set(m[1], {
        source: Number(m[2]),
        copied: Number(m[3]),
        target: Number(m[4]),
        sourceSum: m[5],
        targetSum: m[6],
        status: m[7],
      });
  }
  return rows;
}

const vtt = fs.readFileSync(path.join(root, 'tests/fixtures/transcripts/interview-mehnert.vtt'), 'utf8');

describe.skipIf(!mongoUri)(`migrate: embedded archive → MongoDB ${needsFerret}`, () => {
  let t: TestApp;
  let dataDir: string;
  let cookie: string;
  let interviewId: string;
  let mediaId: string;
  let sourceReads: Record<string, unknown>;
  let mongoApp: TestApp<MongoStore> | null = null;
  const opened: MongoStore[] = [];

  const reads = async (request: (url: string) => supertest.Test) => {
    const get = async (url: string) => {
      const res = await request(url);
      expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(200);
      // signed media URLs carry an expiry rounded to minutes (server/media): compare the path they sign, not the stamp
      return JSON.parse(JSON.stringify(res.body).replace(/\/media\/g\/[^/"]+\//g, '/media/g/<signed>/'));
    };
    return {
      list: await get('/api/interviews?pageSize=50'),
      interview: await get(`/api/interviews/${interviewId}`),
      transcript: await get(`/api/interviews/${interviewId}/media/${mediaId}/transcript`),
      versions: await get(`/api/interviews/${interviewId}/media/${mediaId}/transcript/versions`),
      consents: await get(`/api/interviews/${interviewId}/consents`),
      audit: await get(`/api/audit?interviewId=${interviewId}&pageSize=100`),
      collections: await get('/api/collections'),
    };
  };

  beforeAll(async () => {
    t = await createTestApp();
    dataDir = t.config.dataDir;
    const admin = await t.loginAs('admin');
    const csrf = admin.csrf;
    const login = await supertest(t.app)
      .post('/api/auth/login')
      .send({ email: admin.email, password: 'glück-auf-kumpel-1987' })
      .expect(200);
    cookie = (login.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const collectionId = (
      await admin.agent
        .post('/api/collections')
        .set('X-CSRF-Token', csrf)
        .send({ title: 'Spring School Ferropolis 2019', description: 'Tagebau Golpa-Nord' })
        .expect(201)
    ).body.id;
    for (const [i, name] of ['Horst Krüger', 'Karl Mehnert', 'Gisela Weiß'].entries()) {
      const res = await admin.agent
        .post('/api/interviews')
        .set('X-CSRF-Token', csrf)
        .send({
          title: `${name} erzählt von der Förderbrücke`,
          collectionId,
          people: [
            { name, role: 'narrator' },
            { name: 'Lena Schulz', role: 'interviewer' },
          ],
          recordedAt: `2019-05-1${i}`,
          place: { name: 'Ferropolis', lat: 51.7494, lon: 12.4486 },
          keywords: ['Tagebau', 'Schicht'],
          summary: 'Über Früh-, Spät- und Nachtschicht.',
        })
        .expect(201);
      if (i === 1) interviewId = res.body.id;
    }
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-migrate-'));
    const audio = await makeAudio(tmp, { seconds: 22, format: 'mp3' });
    mediaId = (
      await admin.agent
        .post(`/api/interviews/${interviewId}/media`)
        .set('X-CSRF-Token', csrf)
        .attach('file', audio, 'band1.mp3')
        .expect(202)
    ).body.id;
    fs.rmSync(tmp, { recursive: true, force: true });
    const base = `/api/interviews/${interviewId}/media/${mediaId}`;
    await admin.agent
      .put(`${base}/transcript?reason=Erstimport`)
      .set('X-CSRF-Token', csrf)
      .set('Content-Type', 'text/plain; charset=utf-8')
      .send(vtt)
      .expect(201);
    await admin.agent
      .put(`${base}/transcript?reason=Korrektur`)
      .set('X-CSRF-Token', csrf)
      .set('Content-Type', 'text/plain; charset=utf-8')
      .send(vtt.replace('Bereitschaft', 'Rufbereitschaft'))
      .expect(200);
    await admin.agent
      .post(`/api/interviews/${interviewId}/consents`)
      .set('X-CSRF-Token', csrf)
      .send(fullConsent)
      .expect(201);
    const current = await admin.agent.get(`/api/interviews/${interviewId}`).expect(200);
    await admin.agent
      .patch(`/api/interviews/${interviewId}`)
      .set('X-CSRF-Token', csrf)
      .set('If-Match', String(current.headers.etag))
      .send({ summary: 'Über Früh-, Spät- und Nachtschicht im Tagebau.' })
      .expect(200);
    sourceReads = await reads((url) => supertest(t.app).get(url).set('Cookie', cookie));
    await t.close({ keepFiles: true });
  }, 300_000);

  afterAll(async () => {
    await mongoApp?.close({ keepFiles: true });
    for (const s of opened) await s.close().catch(() => undefined);
    await databases.dropAll();
    if (t) fs.rmSync(t.dir, { recursive: true, force: true });
  });

  const openTarget = async (uri: string) => {
    const store = await openMongoStore(uri);
    opened.push(store);
    return store;
  };

  it('copies every table with ids, prints count and checksum per collection on both sides; the app on MongoDB answers the same reads', async () => {
    const uri = freshDb();
    const first = await migrate(dataDir, uri);
    expect(first.code, first.stderr + first.stdout).toBe(0);
    const rows = table(first.stdout);
    for (const name of [
      'users',
      'sessions',
      'collections',
      'interviews',
      'media',
      'jobs',
      'transcripts',
      'transcript_versions',
      'consent_records',
      'audit_events',
    ]) {
      const r = rows.get(name)!;
      expect(r, `${name} in\n${first.stdout}`).toBeDefined();
      expect(r.source).toBeGreaterThan(0);
      expect(r).toMatchObject({ copied: r.source, target: r.source, status: 'ok' });
      expect(r.targetSum).toBe(r.sourceSum);
    }
    expect(rows.get('interviews')!.source).toBe(3);
    expect(rows.get('transcript_versions')!.source).toBe(2);
    expect(first.stdout).toMatch(/copied \d+ of \d+ documents; counts and checksums match/);

    // idempotent: the second run copies nothing new and says so (before any app touched the target)
    const second = await migrate(dataDir, uri);
    expect(second.code, second.stderr + second.stdout).toBe(0);
    expect(second.stdout).toContain('this archive was migrated here before');
    expect(second.stdout).toMatch(
      /nothing new to copy: all \d+ documents were already there; counts and checksums match/,
    );
    for (const [name, r] of table(second.stdout)) {
      expect(r.copied, name).toBe(0);
    }

    mongoApp = await createTestAppOn(() => openMongoStore(uri), {}, { dir: t.dir });
    const app = mongoApp.app;
    const targetReads = await reads((url) => supertest(app).get(url).set('Cookie', cookie));
    // the same session cookie works: users and sessions came over with their ids
    expect(targetReads.list).toEqual(sourceReads.list);
    expect(targetReads.interview).toEqual(sourceReads.interview);
    expect(targetReads.transcript).toEqual(sourceReads.transcript);
    expect(targetReads.versions).toEqual(sourceReads.versions);
    expect(targetReads.consents).toEqual(sourceReads.consents);
    expect(targetReads.audit).toEqual(sourceReads.audit);
    expect(targetReads.collections).toEqual(sourceReads.collections);
    expect((targetReads.audit as { total: number }).total).toBeGreaterThan(2);
    // the media files stayed where they were (shared by path): the original plays from the app on MongoDB
    const raw = await supertest(app).get(`/api/interviews/${interviewId}`).set('Cookie', cookie).expect(200);
    const original = /"original":"(\/media\/g\/[^"]+)"/.exec(JSON.stringify(raw.body))?.[1];
    expect(original).toBeDefined();
    const media = await supertest(app).get(original!).set('Cookie', cookie);
    expect(media.status).toBe(200);
    expect(media.headers['content-type']).toMatch(/^audio\//);
    expect(
      (targetReads.transcript as { segments: { text: string }[] }).segments.some((s) =>
        s.text.includes('Rufbereitschaft'),
      ),
    ).toBe(true);
    await mongoApp.close({ keepFiles: true });
    mongoApp = null;
  }, 300_000);

  it('a run killed after 7 documents (test-only SCHICHTBUCH_MIGRATE_KILL_AFTER, the process SIGKILLs itself) is resumed by the next run', async () => {
    const uri = freshDb();
    const killed = await migrate(dataDir, uri, { SCHICHTBUCH_MIGRATE_KILL_AFTER: '7' });
    // tsx passes the child's SIGKILL on as exit status 128 + 9
    expect(killed.signal === 'SIGKILL' || killed.code === 137, `${killed.code} ${killed.signal} ${killed.stderr}`).toBe(
      true,
    );
    const target = await openTarget(uri);
    const partial = (
      await Promise.all(Object.values(target.models).map((m) => m.collection.countDocuments({})))
    ).reduce((a, b) => a + b, 0);
    expect(partial).toBe(7);
    const resumed = await migrate(dataDir, uri);
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    expect(resumed.stdout).toMatch(/resuming an unfinished run/);
    const rows = table(resumed.stdout);
    const copied = [...rows.values()].reduce((n, r) => n + r.copied, 0);
    const total = [...rows.values()].reduce((n, r) => n + r.source, 0);
    expect(copied).toBe(total - 7);
    expect([...rows.values()].every((r) => r.status === 'ok' && r.source === r.target)).toBe(true);
  }, 300_000);

  it('refuses a non-empty database that holds no migration record of this archive, and one migrated from another archive', async () => {
    const uri = freshDb();
    const foreign = await openTarget(uri);
    await foreign.models.interviews.collection.insertOne({ _id: 'fremd' as never, title: 'Fremdes Archiv' });
    const refused = await migrate(dataDir, uri);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(
      /refusing to write into mongodb:\/\/.*: the database is not empty \(documents in interviews\) and holds no migration record of this archive \(archive-[0-9a-f-]+\)/,
    );
    expect(await foreign.models.interviews.collection.countDocuments({})).toBe(1);
    expect(await foreign.connection.db!.collection('archive_migrations').countDocuments({})).toBe(0);

    // a second embedded archive into the first one's target
    const other = await createTestApp();
    await other.loginAs('curator');
    await other.close({ keepFiles: true });
    const uri2 = freshDb();
    try {
      expect((await migrate(dataDir, uri2)).code).toBe(0);
      const second = await migrate(other.config.dataDir, uri2);
      expect(second.code).toBe(3);
      expect(second.stderr).toMatch(/refusing to write into .*: it holds a migration of another archive \(archive-/);
    } finally {
      fs.rmSync(other.dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('a document changed in the target after the copy is a checksum mismatch: exit 1, the collection and id named', async () => {
    const uri = freshDb();
    expect((await migrate(dataDir, uri)).code).toBe(0);
    const target = await openTarget(uri);
    await target.models.interviews.collection.updateOne(
      { _id: interviewId as never },
      { $set: { title: 'verfälscht' } },
    );
    const checked = await migrate(dataDir, uri);
    expect(checked.code).toBe(1);
    const r = table(checked.stdout).get('interviews')!;
    expect(r.status).toBe('MISMATCH');
    expect(r.source).toBe(r.target);
    expect(r.sourceSum).not.toBe(r.targetSum);
    expect(checked.stdout).toContain(`MISMATCH interviews: 1 changed since copied (${interviewId})`);
    expect(checked.stdout).toMatch(/migration NOT verified: 1 collection\(s\) differ/);
    expect(table(checked.stdout).get('users')!.status).toBe('ok');
  }, 300_000);

  it('bad --to: unreachable fails within 15 s (timed in-process) and the CLI names --to; malformed URIs and a missing archive are refused', async () => {
    const port = await freePort();
    const t0 = Date.now();
    const error = await migrateToMongo({ dataDir, to: `mongodb://127.0.0.1:${port}/archiv` }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).kind).toBe('unreachable');

    // the CLI, untimed (loading the modules depends on how busy the machine is)
    const unreachable = await migrate(dataDir, `mongodb://127.0.0.1:${port}/archiv`);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      new RegExp(`migrate: --to mongodb://127\\.0\\.0\\.1:${port}/archiv: MongoDB nicht erreichbar / not usable`),
    );
    for (const bad of ['mongodb://', 'http://127.0.0.1/archiv', 'mongodb://127.0.0.1:notaport/archiv']) {
      const r = await migrate(dataDir, bad);
      expect(r.code, bad).not.toBe(0);
      expect(r.stderr, bad).toMatch(/migrate: --to/);
    }
    const noArchive = await migrate(path.join(os.tmpdir(), 'schichtbuch-kein-archiv'), freshDb());
    expect(noArchive.code).toBe(1);
    expect(noArchive.stderr).toMatch(/no embedded archive at .*archive\.sqlite/);
  }, 300_000);
});

describe('migrate checksum: canonical JSON, order-independent set sum (no engine needed)', () => {
  it('same documents in any order and with keys in any order give the same checksum; one changed value does not', () => {
    const docs = [
      { _id: 'a', n: 1, tags: ['x', 'y'], at: new Date('2019-05-17T00:00:00Z') },
      { _id: 'b', nested: { z: 1, a: null } },
      { _id: 'c', text: 'Förderbrücke' },
    ];
    const forward = new SetChecksum();
    for (const d of docs) forward.add(d);
    const backward = new SetChecksum();
    for (const d of [...docs].reverse()) backward.add(Object.fromEntries(Object.entries(d).reverse()));
    expect(backward.hex).toBe(forward.hex);
    expect(forward.count).toBe(3);
    const changed = new SetChecksum();
    for (const d of docs) changed.add(d._id === 'c' ? { ...d, text: 'Forderbrucke' } : d);
    expect(changed.hex).not.toBe(forward.hex);
    // array order is data, not presentation
    expect(canonicalJson({ tags: ['y', 'x'] })).not.toBe(canonicalJson({ tags: ['x', 'y'] }));
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    // a duplicated document is not cancelled out (a sum, not an XOR)
    const twice = new SetChecksum();
    for (const d of [...docs, docs[0]]) twice.add(d);
    expect(twice.hex).not.toBe(forward.hex);
    const once = new SetChecksum();
    for (const d of docs.slice(1)) once.add(d);
    expect(twice.hex).not.toBe(once.hex);
  });
});
