// Finding 10: a full or read-only media store, on a real 50 MB tmpfs (mounted for this test; needs root, which CI
// and these machines have). Full: 507 problem+json in German and English, a tus creation that does not fit above
// STORAGE_RESERVE refused at once, partials of a failed upload removed (the disk is free again), /healthz degraded,
// the admins' warning. Read-only (remount ro): multipart and tus creation 507, /healthz degraded.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeAudio } from '../helpers/media.js';
import { until } from '../helpers/until.js';
import { problemOf, send, type Login } from './helpers.js';

const MiB = 1024 * 1024;

function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-mountprobe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}
const mountable = canMount();

const used = (dir: string) => {
  const s = fs.statfsSync(dir);
  return (Number(s.blocks) - Number(s.bfree)) * Number(s.bsize);
};
const filesUnder = (dir: string) =>
  fs.existsSync(dir)
    ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter(
        (f) => fs.statSync(path.join(dir, f)).isFile() && !path.basename(f).startsWith('.health-'),
      )
    : [];

describe.skipIf(!mountable)('finding 10: full or read-only media store on a 50 MB tmpfs [needs mount (root)]', () => {
  let root: string;
  let uploads: string;
  let t: TestApp;
  let owner: Login;
  let admin: Login;
  let interviewId: string;
  let audio: string;
  let big: string;
  let server: http.Server;
  let base: string;
  let token: string;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-full-'));
    uploads = path.join(root, 'uploads');
    fs.mkdirSync(uploads);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=50m,mode=0755', 'tmpfs', uploads]);
    // reserve 0 here: the fills below must reach the disk; the reserve itself is tested on its own further down
    t = await createTestApp({ UPLOADS_DIR: uploads, STORAGE_RESERVE: '0' });
    [owner, admin] = [await t.loginAs('contributor'), await t.loginAs('admin')];
    interviewId = (
      await send(owner, 'post', '/api/interviews').send({ title: 'Volle Platte', visibility: 'private' }).expect(201)
    ).body.id;
    audio = await makeAudio(root, { seconds: 2, format: 'mp3' });
    big = path.join(root, 'big.bin');
    fs.writeFileSync(big, crypto.randomBytes(60 * MiB));
    server = http.createServer(t.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    token = (await send(owner, 'post', '/api/auth/tokens').send({ name: 'Upload-Skript' }).expect(201)).body.token;
  }, 60_000);

  afterAll(async () => {
    server?.close();
    await t?.close({ keepFiles: true });
    try {
      execFileSync('umount', [uploads]);
    } catch {
      execFileSync('umount', ['-l', uploads]);
    }
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('multipart beyond the free space (chunked, no length to judge before): 507 storage-full in German and English, the partial removed, the next upload works', async () => {
    const before = used(uploads);
    const post = (lang: string) =>
      new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
        const boundary = 'sbfull';
        const req = http.request(
          `${base}/api/interviews/${interviewId}/media`,
          {
            method: 'POST',
            headers: {
              'Content-Type': `multipart/form-data; boundary=${boundary}`,
              'Transfer-Encoding': 'chunked',
              'Accept-Language': lang,
              Authorization: `Bearer ${token}`,
            },
          },
          (res) => {
            let text = '';
            res.on('data', (d) => (text += d));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        req.write(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="lang.mp3"\r\nContent-Type: audio/mpeg\r\n\r\n`,
        );
        const stream = fs.createReadStream(big);
        stream.on('end', () => req.end(`\r\n--${boundary}--\r\n`));
        stream.pipe(req, { end: false });
      });
    const de = await post('de');
    expect({ status: de.status, type: de.body.type, title: de.body.title }).toEqual({
      status: 507,
      type: '/problems/storage-full',
      title: 'Der Medienspeicher ist voll.',
    });
    expect(de.body.detail).toMatch(/kein Platz/);
    const en = await post('en');
    expect({ status: en.status, type: en.body.type, title: en.body.title }).toEqual({
      status: 507,
      type: '/problems/storage-full',
      title: 'The media store is full.',
    });
    expect(filesUnder(path.join(uploads, 'tmp'))).toEqual([]);
    // The partial's blocks return once its descriptor is closed; in one CI run on a loaded machine the disk still
    // showed full right after the 507 with no file left, so the space is given a moment (it never came back before:
    // then the message lists what holds it).
    const freed = await until(
      () => used(uploads) - before < MiB,
      3_000,
      50,
      'the partial upload to release its blocks',
    ).then(
      () => true,
      () => false,
    );
    expect(freed, `still in use: ${used(uploads) - before} bytes; files: ${filesUnder(uploads).join(', ')}`).toBe(true);
    await send(owner, 'post', `/api/interviews/${interviewId}/media`).attach('file', audio, 'band1.mp3').expect(202);
  });

  it('tus: a PATCH that runs into the full disk answers 507 and its partial is removed, so the disk is free again', async () => {
    const meta = `interviewId ${Buffer.from(interviewId).toString('base64')},filename ${Buffer.from('lang.wav').toString('base64')}`;
    // fits at creation (free ≈ 50 MB), but a filler takes the room before the bytes arrive
    const created = await send(owner, 'post', '/api/uploads')
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Length', String(45 * MiB))
      .set('Upload-Metadata', meta)
      .expect(201);
    const id = String(created.headers.location).split('/').pop()!;
    const filler = path.join(uploads, 'filler.bin');
    fs.writeFileSync(filler, Buffer.alloc(20 * MiB, 1));
    const before = used(uploads);
    const res = await send(owner, 'patch', `/api/uploads/${id}`)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Offset', '0')
      .set('Content-Type', 'application/offset+octet-stream')
      .send(fs.readFileSync(big).subarray(0, 45 * MiB));
    expect(problemOf(res)).toEqual({ status: 507, type: '/problems/storage-full' });
    expect(filesUnder(path.join(uploads, 'tmp', 'tus'))).toEqual([]);
    expect(used(uploads)).toBeLessThanOrEqual(before + MiB);
    fs.rmSync(filler);
    // the upload is gone (not resumable into a full disk); a new small one works
    expect(
      (
        await send(owner, 'patch', `/api/uploads/${id}`)
          .set('Tus-Resumable', '1.0.0')
          .set('Upload-Offset', '0')
          .set('Content-Type', 'application/offset+octet-stream')
          .send(Buffer.alloc(10))
      ).status,
    ).toBe(404);
    await send(owner, 'post', `/api/interviews/${interviewId}/media`).attach('file', audio, 'band2.mp3').expect(202);
  });

  it('STORAGE_RESERVE: a tus creation whose Upload-Length exceeds free space minus the reserve is refused at once; /healthz degraded and the admins warned below the reserve', async () => {
    const reserved = await createTestApp({ UPLOADS_DIR: uploads, STORAGE_RESERVE: '40MiB' }, { dir: t.dir });
    try {
      const o = await reserved.loginAs('contributor');
      const id = (
        await send(o, 'post', '/api/interviews').send({ title: 'Reserve', visibility: 'private' }).expect(201)
      ).body.id;
      const meta = `interviewId ${Buffer.from(id).toString('base64')},filename ${Buffer.from('a.wav').toString('base64')}`;
      const refused = await send(o, 'post', '/api/uploads')
        .set('Tus-Resumable', '1.0.0')
        .set('Upload-Length', String(20 * MiB))
        .set('Upload-Metadata', meta);
      expect(problemOf(refused)).toEqual({ status: 507, type: '/problems/storage-full' });
      expect(filesUnder(path.join(uploads, 'tmp', 'tus'))).toEqual([]);
      await send(o, 'post', '/api/uploads')
        .set('Tus-Resumable', '1.0.0')
        .set('Upload-Length', String(MiB))
        .set('Upload-Metadata', meta)
        .expect(201);

      const filler = path.join(uploads, 'filler.bin');
      fs.writeFileSync(filler, Buffer.alloc(15 * MiB, 1)); // free now below the 40 MiB reserve
      const health = await supertest(reserved.app).get('/healthz').expect(503);
      expect(health.body).toMatchObject({
        status: 'degraded',
        checks: { storage: { ok: false, writable: true, error: 'full', reserveBytes: 40 * MiB } },
      });
      const a = await reserved.loginAs('admin');
      const warnings = await a.agent.get('/api/admin/warnings').expect(200);
      expect(warnings.body.warnings).toMatchObject([{ kind: 'storage', severity: 'critical', detail: 'full' }]);
      fs.rmSync(filler);
      expect((await supertest(reserved.app).get('/healthz')).body.checks.storage.ok).toBe(true);
    } finally {
      await reserved.close({ keepFiles: true });
    }
  });

  it('read-only remount: multipart and tus creation answer 507 storage-read-only, /healthz is degraded; after remount rw all is well', async () => {
    execFileSync('mount', ['-o', 'remount,ro', uploads]);
    try {
      const multipart = await send(owner, 'post', `/api/interviews/${interviewId}/media`)
        .attach('file', audio, 'band3.mp3')
        .set('Accept-Language', 'en');
      expect({ ...problemOf(multipart), title: multipart.body.title }).toEqual({
        status: 507,
        type: '/problems/storage-read-only',
        title: 'The media store is read-only.',
      });
      const meta = `interviewId ${Buffer.from(interviewId).toString('base64')},filename ${Buffer.from('a.wav').toString('base64')}`;
      const tus = await send(owner, 'post', '/api/uploads')
        .set('Tus-Resumable', '1.0.0')
        .set('Upload-Length', '1000')
        .set('Upload-Metadata', meta);
      expect(problemOf(tus)).toEqual({ status: 507, type: '/problems/storage-read-only' });
      const health = await supertest(t.app).get('/healthz').expect(503);
      expect(health.body).toMatchObject({
        status: 'degraded',
        checks: { storage: { ok: false, writable: false, error: 'read-only' } },
      });
      const warnings = await admin.agent.get('/api/admin/warnings').expect(200);
      expect(warnings.body.warnings[0]).toMatchObject({ kind: 'storage', detail: 'read-only' });
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', uploads]);
    }
    expect((await supertest(t.app).get('/healthz')).body.checks.storage).toMatchObject({ ok: true, writable: true });
    await send(owner, 'post', `/api/interviews/${interviewId}/media`).attach('file', audio, 'band4.mp3').expect(202);
  });
});
