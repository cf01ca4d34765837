// Files that are not usable interviews, and malformed upload requests: each gets a clear 4xx problem+json and leaves
// nothing behind — no media or job row, no byte under uploads/ (empty directories aside).
//
// Decisions tested here:
//  - A path-traversal file name with real media is ACCEPTED: the name is only ever a display label (reduced to its
//    last segment, control/bidi characters removed), the file on disk is always originals/<interview>/<medium>/original.<ext>.
//  - Media without an audio stream (a silent video, a still image) are REFUSED with reason `no-audio`: an oral-history
//    interview without sound cannot be listened to, transcribed or indexed.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { sanitizeFilename } from '../../server/media/filenames.js';
import { testPassword } from '../helpers/app.js';
import { until } from '../helpers/until.js';
import {
  expectNothingKept,
  filesUnder,
  interviewId,
  noise,
  postFile,
  postParts,
  read,
  student,
  t,
  tusCreate,
  tusMeta,
  useBadFilesFixture,
} from './media-bad-files.fixture.js';

describe('bad files and malformed uploads are refused and leave nothing behind', () => {
  useBadFilesFixture();

  type Case = {
    name: string;
    status: number;
    type: string;
    reason?: string;
    send: () => PromiseLike<supertest.Response>;
  };
  const cases: Case[] = [
    {
      name: 'a text file renamed .mp4',
      status: 422,
      type: 'unprocessable',
      reason: 'not-media',
      send: () => postFile(read('text'), 'interview.mp4'),
    },
    {
      name: 'a truncated MP4 (first 3 kB)',
      status: 422,
      type: 'unprocessable',
      reason: 'damaged',
      send: () => postFile(read('video').subarray(0, 3000), 'abgebrochen.mp4'),
    },
    {
      name: 'a 12 s MP4 cut off at 85 % (headers complete, end missing)',
      status: 422,
      type: 'unprocessable',
      reason: 'damaged',
      send: () => postFile(read('longVideo').subarray(0, Math.floor(read('longVideo').length * 0.85)), 'halb.mp4'),
    },
    {
      name: 'a 12 s MP3 cut off at 60 %',
      status: 422,
      type: 'unprocessable',
      reason: 'damaged',
      send: () => postFile(read('mp3').subarray(0, Math.floor(read('mp3').length * 0.6)), 'halb.mp3'),
    },
    {
      name: 'zero bytes',
      status: 422,
      type: 'unprocessable',
      reason: 'empty',
      send: () => postFile(Buffer.alloc(0), 'leer.mp4'),
    },
    {
      name: 'zero bytes via tus',
      status: 422,
      type: 'unprocessable',
      reason: 'empty',
      send: () => tusCreate(0, 'leer.mp4'),
    },
    {
      name: 'a PNG image only',
      status: 422,
      type: 'unprocessable',
      reason: 'no-audio',
      send: () => postFile(read('png'), 'bild.mp4'),
    },
    {
      name: 'a JPEG image only',
      status: 422,
      type: 'unprocessable',
      reason: 'no-audio',
      send: () => postFile(read('jpeg'), 'foto.jpg'),
    },
    {
      name: 'a video without an audio stream',
      status: 422,
      type: 'unprocessable',
      reason: 'no-audio',
      send: () => postFile(read('silentVideo'), 'stumm.mp4'),
    },
    {
      name: 'a corrupt header (noise, then a valid MP4)',
      status: 422,
      type: 'unprocessable',
      reason: 'not-media',
      send: () => postFile(Buffer.concat([noise(4096), read('video')]), 'kaputt.mp4'),
    },
    {
      name: 'the first 2 kB of a valid MP4 overwritten with noise',
      status: 422,
      type: 'unprocessable',
      reason: 'not-media',
      send: () => postFile(Buffer.concat([noise(2048, 7), read('video').subarray(2048)]), 'kaputt2.mp4'),
    },
    {
      name: 'real media finished via tus, but a text file',
      status: 422,
      type: 'unprocessable',
      reason: 'not-media',
      send: () => tusCreate(read('text').length, 'notiz.mp4', read('text')),
    },
    {
      name: 'multipart larger than UPLOAD_MAX_BYTES',
      status: 413,
      type: 'payload-too-large',
      send: () => postFile(noise(2 * 1024 * 1024 + 1), 'riesig.mp4'),
    },
    {
      name: 'tus Upload-Length larger than UPLOAD_MAX_BYTES',
      status: 413,
      type: 'payload-too-large',
      send: () => tusCreate(50 * 1024 ** 3, 'riesig.mp4'),
    },
    {
      name: 'a wrong field name',
      status: 400,
      type: 'bad-request',
      send: () => postFile(read('video'), 'a.mp4', 'upload'),
    },
    {
      name: 'no file at all (text field only)',
      status: 400,
      type: 'bad-request',
      send: () => postParts([{ name: 'note', content: 'Band 1' }]),
    },
    {
      name: 'an empty file input (no file chosen)',
      status: 400,
      type: 'bad-request',
      send: () => postParts([{ name: 'file', filename: '', content: '' }]),
    },
    {
      name: 'two files',
      status: 400,
      type: 'bad-request',
      send: () =>
        postParts([
          { name: 'file', filename: 'a.mp4', content: read('video') },
          { name: 'file', filename: 'b.mp4', content: read('video') },
        ]),
    },
    {
      name: 'a second file field',
      status: 400,
      type: 'bad-request',
      send: () =>
        postParts([
          { name: 'file', filename: 'a.mp4', content: read('video') },
          { name: 'extra', filename: 'b.mp4', content: read('video') },
        ]),
    },
    {
      name: 'JSON instead of multipart',
      status: 415,
      type: 'unsupported-media-type',
      send: () =>
        student.agent
          .post(`/api/interviews/${interviewId}/media`)
          .set('X-CSRF-Token', student.csrf)
          .send({ file: 'x' }),
    },
    {
      name: 'a broken multipart body',
      status: 400,
      type: 'bad-request',
      send: () =>
        student.agent
          .post(`/api/interviews/${interviewId}/media`)
          .set('X-CSRF-Token', student.csrf)
          .set('Content-Type', 'multipart/form-data; boundary=xyz')
          .send('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.mp4"\r\n\r\nabc'),
    },
    {
      name: 'tus without interviewId metadata',
      status: 400,
      type: 'bad-request',
      send: () =>
        student.agent
          .post('/api/uploads')
          .set('X-CSRF-Token', student.csrf)
          .set('Tus-Resumable', '1.0.0')
          .set('Upload-Length', '10')
          .set('Upload-Metadata', tusMeta({ filename: 'a.mp4' }))
          .send(),
    },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status}`, async () => {
      const res = await c.send();
      expect(res.status).toBe(c.status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.type).toBe(`/problems/${c.type}`);
      expect(res.body.detail ?? res.body.errors).toBeTruthy();
      if (c.reason) expect(res.body.reason).toBe(c.reason);
      expect(JSON.stringify(res.body)).not.toMatch(/\/tmp\/|uploads\/|at .*\.ts/); // no paths, no stack
      expectNothingKept();
    });
  }

  it('problem details are German by default and English on request', async () => {
    const de = await postFile(read('text'), 'x.mp4').expect(422);
    expect(de.body.detail).toMatch(/keine lesbare Audio- oder Videodatei/);
    const en = await student.agent
      .post(`/api/interviews/${interviewId}/media?lang=en`)
      .set('X-CSRF-Token', student.csrf)
      .attach('file', read('png'), 'bild.png')
      .expect(422);
    expect(en.body.detail).toMatch(/no audio track/);
    expectNothingKept();
  });

  it('path traversal in the file name: accepted, stored under originals/ only, name reduced to a safe basename', async () => {
    const outside = path.resolve(t.config.uploadsDir, '../../../../etc/evil.mp4');
    // multipart (busboy already drops the directories; the service would too)
    const viaForm = await postFile(read('video'), '../../../../etc/evil.mp4').expect(202);
    expect(viaForm.body.originalFilename).toBe('evil.mp4');
    // tus metadata arrives unfiltered: the service reduces it, and strips control and bidi-override characters
    const viaTus = await tusCreate(
      read('video').length,
      '..\\..\\..\\etc\\\u202Egnp.\u0007evil.mp4',
      read('video'),
    ).expect(201);
    expect(viaTus.body.originalFilename).toBe('gnp.evil.mp4');
    expect(viaTus.headers['upload-medium-id']).toBe(viaTus.body.id);
    for (const m of [viaForm.body, viaTus.body]) {
      expect(filesUnder(path.join(t.config.uploadsDir, 'originals', interviewId, m.id))).toEqual(['original.mp4']);
    }
    expect(fs.existsSync(outside)).toBe(false);
    expect(fs.existsSync('/etc/evil.mp4')).toBe(false);
    expect(fs.readdirSync(t.dir).sort()).toEqual(['data', 'uploads']);
    expect(filesUnder(t.dir).filter((p) => p.includes('evil'))).toEqual([]);
    for (const m of [viaForm.body, viaTus.body]) {
      await student.agent.delete(`/api/media/${m.id}`).set('X-CSRF-Token', student.csrf).expect(204);
    }
    expectNothingKept();
  });

  it('complete long files pass the decode check (start and end)', async () => {
    for (const [name, file] of [
      ['lang.mp4', 'longVideo'],
      ['lang.mp3', 'mp3'],
    ] as const) {
      const res = await postFile(read(file), name).expect(202);
      expect(res.body.durationSec).toBeGreaterThan(11.9);
      await student.agent.delete(`/api/media/${res.body.id}`).set('X-CSRF-Token', student.csrf).expect(204);
    }
    expectNothingKept();
  });

  it('sanitizeFilename keeps a readable, bounded basename', () => {
    expect(sanitizeFilename('../../../../etc/evil.mp4')).toBe('evil.mp4');
    expect(sanitizeFilename('C:\\Users\\lena\\Interview Krüger.m4a')).toBe('Interview Krüger.m4a');
    expect(sanitizeFilename('..')).toBe('upload');
    expect(sanitizeFilename('.htaccess')).toBe('htaccess');
    expect(sanitizeFilename('a\r\nb\t.mp3')).toBe('ab.mp3');
    expect(sanitizeFilename('x<y>|z?.wav')).toBe('x_y__z_.wav');
    const long = sanitizeFilename(`${'ä'.repeat(500)}.flac`);
    expect(Array.from(long)).toHaveLength(200);
    expect(long.endsWith('.flac')).toBe(true);
  });

  it('a multipart upload declaring more than UPLOAD_MAX_BYTES is refused (413) before its body is read', async () => {
    const server = http.createServer(t.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const login = await supertest(t.app)
        .post('/api/auth/login')
        .send({ email: (await t.loginAs('contributor')).email, password: testPassword })
        .expect(200);
      const cookie = (login.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
      const id = (
        await supertest(t.app)
          .post('/api/interviews')
          .set('Cookie', cookie)
          .set('X-CSRF-Token', login.body.csrfToken)
          .send({ title: 'Groß' })
          .expect(201)
      ).body.id;
      const res = await new Promise<{ status: number; type: string; connection: string; body: string }>(
        (resolve, reject) => {
          const req = http.request(
            {
              host: '127.0.0.1',
              port: (server.address() as AddressInfo).port,
              method: 'POST',
              path: `/api/interviews/${id}/media`,
              headers: {
                Cookie: cookie,
                'X-CSRF-Token': login.body.csrfToken,
                'Content-Type': 'multipart/form-data; boundary=b',
                'Content-Length': String(50 * 1024 ** 3),
              },
            },
            (r) => {
              let body = '';
              r.on('data', (c: Buffer) => (body += c.toString('utf8')));
              r.on('end', () =>
                resolve({
                  status: r.statusCode ?? 0,
                  type: String(r.headers['content-type']),
                  connection: String(r.headers.connection),
                  body,
                }),
              );
            },
          );
          req.on('error', reject);
          req.write('--b\r\nContent-Disposition: form-data; name="file"; filename="riesig.mp4"\r\n\r\n');
          req.write(noise(64 * 1024));
        },
      );
      expect(res.status).toBe(413);
      expect(res.type).toMatch(/^application\/problem\+json/);
      expect(res.connection).toBe('close');
      expect(JSON.parse(res.body).maxBytes).toBe(2 * 1024 * 1024);
      expectNothingKept();
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('a client that disconnects mid-upload leaves no partial file', async () => {
    const login = await supertest(t.app)
      .post('/api/auth/login')
      .send({ email: (await t.loginAs('contributor', 'abbruch@example.org')).email, password: testPassword })
      .expect(200);
    const cookie = (login.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const csrf = login.body.csrfToken as string;
    const id = (
      await supertest(t.app)
        .post('/api/interviews')
        .set('Cookie', cookie)
        .set('X-CSRF-Token', csrf)
        .send({ title: 'Abbruch' })
        .expect(201)
    ).body.id;
    const server = http.createServer(t.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const boundary = 'abbruchgrenze';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="lang.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
      );
      const req = http.request({
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        method: 'POST',
        path: `/api/interviews/${id}/media`,
        headers: {
          Cookie: cookie,
          'X-CSRF-Token': csrf,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': String(1_500_000),
        },
      });
      req.on('error', () => undefined);
      req.write(head);
      req.write(noise(300_000));
      const tmpUploads = path.join(t.config.uploadsDir, 'tmp', 'uploads');
      await until(
        () =>
          filesUnder(tmpUploads).length === 1 &&
          fs.statSync(path.join(tmpUploads, filesUnder(tmpUploads)[0] as string)).size > 0,
        5000,
        20,
        'the upload reaching the temp file',
      );
      req.destroy();
      await until(() => filesUnder(t.config.uploadsDir).length === 0, 5000, 20, 'no partial file left under uploads/');
      expectNothingKept();
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
