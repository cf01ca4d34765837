// Resumable uploads over real HTTP (app.listen(0)) with tus-js-client and raw requests: resuming after an aborted
// client, after a connection dropped mid-PATCH and after a server restart; auth, CSRF and access before any byte is
// stored; finishing twice; expiry cleanup. Media are generated with ffmpeg; store and files are real.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, fullConsent, type TestApp } from '../helpers/app.js';
import { makeVideo } from '../helpers/media.js';
import { until } from '../helpers/until.js';
import {
  createInterview,
  filesUnder,
  type Finished,
  listen,
  meta,
  type Session,
  sessionFor,
  sha256,
  tusUpload,
} from './helpers/tus-client.js';

describe('tus uploads', () => {
  let t: TestApp;
  let http1: Awaited<ReturnType<typeof listen>>;
  let student: Session;
  let interviewId: string;
  let tmp: string;
  let video: Buffer;

  beforeAll(async () => {
    t = await createTestApp();
    http1 = await listen(t);
    student = await sessionFor(t);
    interviewId = await createInterview(t, student);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-tus-'));
    video = fs.readFileSync(await makeVideo(tmp, { seconds: 5, width: 320, height: 240, fps: 25, withAudio: true }));
    expect(video.length).toBeGreaterThan(4 * 64 * 1024);
  });
  afterAll(async () => {
    await http1.close();
    await t.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('uploads in chunks; the final PATCH answers 204 with Upload-Medium-Id and Content-Location; SHA-256 matches', async () => {
    const done = (await tusUpload(http1.base, video, {
      headers: student.headers,
      metadata: { interviewId, filename: 'Band 1.mp4' },
    })) as Finished;
    expect(done.status).toBe(204);
    expect(done.mediumId).toBe(done.body.id);
    expect(done.body).toMatchObject({
      interviewId,
      part: 1,
      kind: 'video',
      status: 'stored',
      originalFilename: 'Band 1.mp4',
      sizeBytes: video.length,
    });
    expect(done.body.sha256).toBe(sha256(video));
    expect(done.body.jobs[0]).toMatchObject({ name: 'media.renditions', status: 'queued' });
    const original = path.join(t.config.uploadsDir, 'originals', interviewId, done.body.id, 'original.mp4');
    expect(sha256(fs.readFileSync(original))).toBe(sha256(video));
    expect(filesUnder(path.join(t.config.uploadsDir, 'tmp'))).toEqual([]);

    // the final answer got lost: HEAD says complete (and which medium), a repeated final PATCH gets the same JSON
    const head = await fetch(`${http1.base}${new URL(done.url).pathname}`, {
      method: 'HEAD',
      headers: { ...student.headers, 'Tus-Resumable': '1.0.0' },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(video.length));
    expect(head.headers.get('upload-medium-id')).toBe(done.body.id);
    const again = await fetch(done.url, {
      method: 'PATCH',
      body: new Uint8Array(0),
      headers: {
        ...student.headers,
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': String(video.length),
        'Content-Type': 'application/offset+octet-stream',
      },
    });
    expect(again.status).toBe(204);
    expect(await again.text()).toBe('');
    expect(again.headers.get('upload-medium-id')).toBe(done.body.id);
    expect(again.headers.get('content-location')).toBe(`/api/media/${done.body.id}`);
    expect(t.store.db.prepare('SELECT count(*) FROM media WHERE interview_id = ?').pluck().get(interviewId)).toBe(1);
  });

  it("an aborted client resumes from the server's Upload-Offset", async () => {
    const first = await tusUpload(http1.base, video, {
      headers: student.headers,
      metadata: { interviewId, filename: 'Band 2.mp4' },
      stopAfterChunks: 2,
    });
    expect(first).toMatchObject({ aborted: true });
    const url = first.url;
    const head = await fetch(url, { method: 'HEAD', headers: { ...student.headers, 'Tus-Resumable': '1.0.0' } });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(2 * 64 * 1024));
    expect(head.headers.get('upload-length')).toBe(String(video.length));

    const offsets: number[] = [];
    const done = (await tusUpload(http1.base, video, {
      headers: student.headers,
      uploadUrl: url,
      onPatchOffset: (o) => offsets.push(o),
    })) as Finished;
    expect(offsets[0]).toBe(2 * 64 * 1024);
    expect(done.status).toBe(204);
    expect(done.body).toMatchObject({ part: 2, sha256: sha256(video) });
  });

  it('a connection dropped in the middle of a PATCH keeps the bytes that arrived; the upload continues from there', async () => {
    const created = await fetch(`${http1.base}/api/uploads`, {
      method: 'POST',
      headers: {
        ...student.headers,
        'Tus-Resumable': '1.0.0',
        'Upload-Length': String(video.length),
        'Upload-Metadata': meta({ interviewId, filename: 'Band 3.mp4' }),
      },
    });
    expect(created.status).toBe(201);
    const location = created.headers.get('location') as string;
    expect(location).toMatch(/^\/api\/uploads\/[0-9a-f-]{36}$/);
    const uploadFile = path.join(t.config.uploadsDir, 'tmp', 'tus', path.basename(location));

    // send half of the file in a PATCH that promises all of it, then cut the connection
    const half = Math.floor(video.length / 2);
    const req = http.request(`${http1.base}${location}`, {
      method: 'PATCH',
      headers: {
        ...student.headers,
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': '0',
        'Content-Type': 'application/offset+octet-stream',
        'Content-Length': String(video.length),
      },
    });
    req.on('error', () => undefined);
    req.write(video.subarray(0, half));
    await until(
      () => fs.existsSync(uploadFile) && fs.statSync(uploadFile).size >= half,
      5000,
      20,
      'the first half arriving',
    );
    req.destroy();

    // the server notices the drop and releases its lock; HEAD then reports what is on disk
    await until(
      async () => {
        const head = await fetch(`${http1.base}${location}`, {
          method: 'HEAD',
          headers: { ...student.headers, 'Tus-Resumable': '1.0.0' },
        });
        return Number(head.headers.get('upload-offset')) === half ? half : undefined;
      },
      5000,
      50,
      `upload offset ${half}`,
    );
    const rest = await fetch(`${http1.base}${location}`, {
      method: 'PATCH',
      body: new Uint8Array(video.subarray(half)),
      headers: {
        ...student.headers,
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': String(half),
        'Content-Type': 'application/offset+octet-stream',
      },
    });
    expect(rest.status).toBe(204);
    expect(rest.headers.get('upload-offset')).toBe(String(video.length));
    const medium = await fetch(`${http1.base}${rest.headers.get('content-location')}`, { headers: student.headers });
    expect((await medium.json()).sha256).toBe(sha256(video));
  });

  it('survives a server restart mid-upload: HEAD on the new server returns the offset and the upload completes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-restart-'));
    const a = await createTestApp({}, { dir });
    let b: TestApp | undefined;
    try {
      const httpA = await listen(a);
      const s = await sessionFor(a);
      const id = await createInterview(a, s);
      const first = await tusUpload(httpA.base, video, {
        headers: s.headers,
        metadata: { interviewId: id, filename: 'Neustart.mp4' },
        stopAfterChunks: 3,
      });
      const uploadPath = new URL(first.url).pathname;
      await httpA.close();
      await a.close({ keepFiles: true });

      b = await createTestApp({}, { dir });
      const httpB = await listen(b);
      try {
        const head = await fetch(`${httpB.base}${uploadPath}`, {
          method: 'HEAD',
          headers: { ...s.headers, 'Tus-Resumable': '1.0.0' },
        });
        expect(head.status).toBe(200);
        expect(head.headers.get('upload-offset')).toBe(String(3 * 64 * 1024));
        const offsets: number[] = [];
        const done = (await tusUpload(httpB.base, video, {
          headers: s.headers,
          uploadUrl: `${httpB.base}${uploadPath}`,
          onPatchOffset: (o) => offsets.push(o),
        })) as Finished;
        expect(offsets[0]).toBe(3 * 64 * 1024);
        expect(done.status).toBe(204);
        expect(done.body.sha256).toBe(sha256(video));
        expect(
          sha256(fs.readFileSync(path.join(b.config.uploadsDir, 'originals', id, done.body.id, 'original.mp4'))),
        ).toBe(sha256(video));
      } finally {
        await httpB.close();
      }
    } finally {
      await b?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without a viewer: 401 problem+json; with a session cookie but no CSRF token: 403', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${http1.base}/api/uploads`, {
        method: 'POST',
        headers: {
          'Tus-Resumable': '1.0.0',
          'Upload-Length': '100',
          'Upload-Metadata': meta({ interviewId, filename: 'x.mp4' }),
          ...headers,
        },
      });
    const anon = await post({});
    expect(anon.status).toBe(401);
    expect(anon.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const anonHead = await fetch(`${http1.base}/api/uploads/${crypto.randomUUID()}`, {
      method: 'HEAD',
      headers: { 'Tus-Resumable': '1.0.0' },
    });
    expect(anonHead.status).toBe(401);
    const noCsrf = await post({ Cookie: student.cookie });
    expect(noCsrf.status).toBe(403);
    expect((await noCsrf.json()).type).toBe('/problems/csrf');
    const badBearer = await post({ Authorization: 'Bearer nope' });
    expect(badBearer.status).toBe(401);
    expect(filesUnder(path.join(t.config.uploadsDir, 'tmp'))).toEqual([]);
  });

  it('an API token needs no CSRF token', async () => {
    const token = (
      await supertest(t.app).post('/api/auth/tokens').set(student.headers).send({ name: 'Digitalisierung' }).expect(201)
    ).body.token as string;
    const audio = video; // any valid media will do
    const done = (await tusUpload(http1.base, audio, {
      headers: { Authorization: `Bearer ${token}` },
      metadata: { interviewId, filename: 'skript.mp4' },
    })) as Finished;
    expect(done.status).toBe(204);
    expect(done.body.sha256).toBe(sha256(video));
  });

  it("refuses before storing a byte: someone else's interview (404), a locked one (403), someone else's upload URL (404)", async () => {
    const other = await sessionFor(t);
    const curator = await sessionFor(t, 'curator');
    const create = (s: Session, id: string, body?: Buffer) =>
      fetch(`${http1.base}/api/uploads`, {
        method: 'POST',
        body: body ? new Uint8Array(body) : null,
        headers: {
          ...s.headers,
          'Tus-Resumable': '1.0.0',
          'Upload-Length': String(video.length),
          'Upload-Metadata': meta({ interviewId: id, filename: 'x.mp4' }),
          ...(body ? { 'Content-Type': 'application/offset+octet-stream' } : {}),
        },
      });
    const foreign = await create(other, interviewId, video);
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    // published: visible to its contributor, but no longer theirs to change
    const published = await createInterview(t, student, { visibility: 'public' });
    await supertest(t.app)
      .patch(`/api/interviews/${published}`)
      .set(student.headers)
      .send({ status: 'ready_for_review' })
      .expect(200);
    await supertest(t.app)
      .post(`/api/interviews/${published}/consents`)
      .set(curator.headers)
      .send(fullConsent)
      .expect(201);
    for (const status of ['in_review', 'approved', 'published']) {
      await supertest(t.app).patch(`/api/interviews/${published}`).set(curator.headers).send({ status }).expect(200);
    }
    const locked = await create(student, published, video);
    expect(locked.status).toBe(403);
    expect((await locked.json()).type).toBe('/problems/forbidden');
    expect(filesUnder(path.join(t.config.uploadsDir, 'tmp'))).toEqual([]);

    // an upload URL belongs to the user who created it
    const mine = await create(student, interviewId);
    const url = `${http1.base}${mine.headers.get('location')}`;
    const peek = await fetch(url, { method: 'HEAD', headers: { ...other.headers, 'Tus-Resumable': '1.0.0' } });
    expect(peek.status).toBe(404);
    const push = await fetch(url, {
      method: 'PATCH',
      body: new Uint8Array(video.subarray(0, 1000)),
      headers: {
        ...other.headers,
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': '0',
        'Content-Type': 'application/offset+octet-stream',
      },
    });
    expect(push.status).toBe(404);
    const own = await fetch(url, { method: 'HEAD', headers: { ...student.headers, 'Tus-Resumable': '1.0.0' } });
    expect(own.headers.get('upload-offset')).toBe('0');
    // terminating it removes its bytes and record
    const del = await fetch(url, { method: 'DELETE', headers: { ...student.headers, 'Tus-Resumable': '1.0.0' } });
    expect(del.status).toBe(204);
    expect(filesUnder(path.join(t.config.uploadsDir, 'tmp'))).toEqual([]);
    // unfinished bytes are never served
    const get = await fetch(url, { headers: { ...student.headers, 'Tus-Resumable': '1.0.0' } });
    expect(get.status).toBe(405);
  });

  it('cleanUpExpiredUploads removes expired partial uploads and leaves fresh ones', async () => {
    const start = async () => {
      const r = await tusUpload(http1.base, video, {
        headers: student.headers,
        metadata: { interviewId, filename: 'halb.mp4' },
        stopAfterChunks: 1,
      });
      return path.basename(new URL(r.url).pathname);
    };
    const [stale, fresh] = [await start(), await start()];
    const tusDir = path.join(t.config.uploadsDir, 'tmp', 'tus');
    const record = JSON.parse(fs.readFileSync(path.join(tusDir, `${stale}.json`), 'utf8'));
    record.creation_date = new Date(Date.now() - (t.config.UPLOAD_EXPIRY_HOURS + 1) * 3600_000).toISOString();
    fs.writeFileSync(path.join(tusDir, `${stale}.json`), JSON.stringify(record));

    // expired uploads are refused even before the cleanup ran
    const gone = await fetch(`${http1.base}/api/uploads/${stale}`, {
      method: 'HEAD',
      headers: { ...student.headers, 'Tus-Resumable': '1.0.0' },
    });
    expect(gone.status).toBe(410);

    expect(await t.services.uploads.cleanUpExpiredUploads()).toBe(1);
    expect(filesUnder(tusDir).sort()).toEqual([fresh, `${fresh}.json`].sort());
    const after = await fetch(`${http1.base}/api/uploads/${stale}`, {
      method: 'HEAD',
      headers: { ...student.headers, 'Tus-Resumable': '1.0.0' },
    });
    expect(after.status).toBe(404);
    expect(after.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    await fetch(`${http1.base}/api/uploads/${fresh}`, {
      method: 'DELETE',
      headers: { ...student.headers, 'Tus-Resumable': '1.0.0' },
    });
  });
});
