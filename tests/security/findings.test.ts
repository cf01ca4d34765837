// Issue 11, findings 2–9 and 11 (API side): each test failed before its fix (checked by reverting the fix once).
// Real app, real SQLite, the run's Meilisearch, real ffprobe for uploads. Finding 1 (map) and the CSP measurement are
// in browser.test.ts, finding 10 (full / read-only store) in storage.test.ts, fairness (6) in the repository contract.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createTestApp, fullConsent, testPassword, type TestApp } from '../helpers/app.js';
import { makeAudio, makeVideo } from '../helpers/media.js';
import { expectNothingStored, postRaw, problemOf, rawMultipart, send, type Login } from './helpers.js';

let tmp: string;
let audio: string;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-findings-'));
  audio = await makeAudio(tmp, { seconds: 5, format: 'mp3' });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function draft(who: Login, title = 'Schicht im Tagebau'): Promise<string> {
  const res = await send(who, 'post', '/api/interviews')
    .send({ title, visibility: 'private', people: [{ name: 'Horst Krüger', role: 'narrator' }] })
    .expect(201);
  return res.body.id as string;
}

describe('finding 2: one review-credential limiter for /api and /media', () => {
  it('wrong review codes on /media count and end in 429, shared with /api; the wrong credential answers alike everywhere', async () => {
    const t = await createTestApp({ REVIEW_RATE_LIMIT: '3' });
    onTestFinished(() => t.close());
    const guess = (url: string, n: number) =>
      supertest(t.app)
        .get(url)
        .set('Authorization', `Review ABCD-EFGH-${String(n).padStart(2, '2')}`);
    const mediaUrl = '/media/0b6f3c9e-7a51-4c1e-9d2a-5f8e1b2c3d4e/waveform.json';
    const a = await guess(mediaUrl, 22);
    const b = await guess('/api/review', 23);
    expect([problemOf(a), problemOf(b)]).toEqual([
      { status: 401, type: '/problems/review-link' },
      { status: 401, type: '/problems/review-link' },
    ]);
    expect(a.body.title).toBe(b.body.title);
    expect(problemOf(await guess(mediaUrl, 24))).toEqual({ status: 401, type: '/problems/review-link' });
    // the fourth wrong credential from this address, two of them on /media: refused before it is looked at
    const limited = await guess(mediaUrl, 25);
    expect(problemOf(limited)).toEqual({ status: 429, type: '/problems/rate-limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(problemOf(await guess('/api/review', 26))).toEqual({ status: 429, type: '/problems/rate-limited' });
  });
});

describe('finding 3: the role decides before ownership', () => {
  it('a contributor made researcher reads their interview but can no longer edit, upload, import, change status or delete it', async () => {
    const t = await createTestApp();
    onTestFinished(() => t.close());
    const [owner, admin] = [await t.loginAs('contributor'), await t.loginAs('admin')];
    const id = await draft(owner);
    const medium = await send(owner, 'post', `/api/interviews/${id}/media`)
      .attach('file', audio, 'band1.mp3')
      .expect(202);
    await send(admin, 'patch', `/api/users/${owner.userId}`).send({ role: 'researcher' }).expect(200);

    await owner.agent.get(`/api/interviews/${id}`).expect(200);
    const vtt = 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nGlück auf.\n';
    const tries = await expectNothingStored(t, async () => ({
      patch: problemOf(await send(owner, 'patch', `/api/interviews/${id}`).send({ title: 'Geändert' })),
      status: problemOf(await send(owner, 'patch', `/api/interviews/${id}`).send({ status: 'ready_for_review' })),
      upload: problemOf(await send(owner, 'post', `/api/interviews/${id}/media`).attach('file', audio, 'band2.mp3')),
      tus: problemOf(
        await send(owner, 'post', '/api/uploads')
          .set('Tus-Resumable', '1.0.0')
          .set('Upload-Length', '10')
          .set(
            'Upload-Metadata',
            `interviewId ${Buffer.from(id).toString('base64')},filename ${Buffer.from('a.mp3').toString('base64')}`,
          ),
      ),
      transcript: problemOf(
        await send(owner, 'put', `/api/interviews/${id}/media/${medium.body.id}/transcript`)
          .set('Content-Type', 'text/vtt')
          .send(vtt),
      ),
      deleteMedium: problemOf(await send(owner, 'delete', `/api/media/${medium.body.id}`)),
      deleteInterview: problemOf(await send(owner, 'delete', `/api/interviews/${id}`)),
    }));
    const forbidden = { status: 403, type: '/problems/forbidden' };
    expect(tries).toEqual({
      patch: forbidden,
      status: forbidden,
      upload: forbidden,
      tus: forbidden,
      transcript: forbidden,
      deleteMedium: forbidden,
      deleteInterview: forbidden,
    });
  });
});

describe('finding 4: /metrics labels by route pattern and is served to a token or loopback only', () => {
  it('no interview or media id in any label; one series per pattern', async () => {
    const t = await createTestApp();
    onTestFinished(() => t.close());
    const owner = await t.loginAs('contributor');
    const ids: string[] = [];
    for (const title of ['Privat 1', 'Privat 2']) {
      const id = await draft(owner, title);
      const mediaId = (
        await send(owner, 'post', `/api/interviews/${id}/media`).attach('file', audio, 'band1.mp3').expect(202)
      ).body.id as string;
      ids.push(id, mediaId);
      await owner.agent.get(`/api/interviews/${id}`).expect(200);
      // routers mounted below /interviews/:id/media/:mediaId saw the real ids in baseUrl
      await owner.agent.get(`/api/interviews/${id}/media/${mediaId}/transcript/versions`).expect(200);
      await owner.agent.get(`/api/interviews/${id}/media/${mediaId}/index`).expect(200);
      await owner.agent.get(`/media/${mediaId}/waveform.json`);
    }
    const text = (await supertest(t.app).get('/metrics').expect(200)).text;
    for (const id of ids) expect(text).not.toContain(id);
    expect(text).toMatch(/route="\/api\/interviews\/:id"/);
    expect(text).toMatch(/route="\/api\/interviews\/:param\/media\/:param\/transcript\/versions"/);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  });

  it('a request forwarded from outside gets 403 without METRICS_TOKEN; with it, only the right bearer token', async () => {
    const open = await createTestApp();
    onTestFinished(() => open.close());
    expect(problemOf(await supertest(open.app).get('/metrics').set('X-Forwarded-For', '203.0.113.7'))).toEqual({
      status: 403,
      type: '/problems/forbidden',
    });
    const token = 'metrics-token-0123456789abcdef';
    const guarded = await createTestApp({ METRICS_TOKEN: token });
    onTestFinished(() => guarded.close());
    const outside = () => supertest(guarded.app).get('/metrics').set('X-Forwarded-For', '203.0.113.7');
    expect(problemOf(await outside())).toEqual({ status: 401, type: '/problems/unauthenticated' });
    expect(problemOf(await outside().set('Authorization', 'Bearer wrong-token-0123456789abcdef'))).toEqual({
      status: 401,
      type: '/problems/unauthenticated',
    });
    const ok = await outside().set('Authorization', `Bearer ${token}`).expect(200);
    expect(ok.text).toContain('schichtbuch_http_request_duration_seconds');
  });
});

describe('finding 5: invitation links never come from the Host header', () => {
  it('without PUBLIC_URL the API refuses to make a link (409 public-url-required) and stores nothing; with it, links use PUBLIC_URL whatever Host says', async () => {
    const bare = await createTestApp({ PUBLIC_URL: '' });
    onTestFinished(() => bare.close());
    const curator = await bare.loginAs('curator');
    const id = await draft(curator);
    const refused = await expectNothingStored(bare, async () =>
      send(curator, 'post', `/api/interviews/${id}/review-invitations`)
        .set('Host', 'evil.example')
        .send({ narrator: 'Horst Krüger' }),
    );
    expect(problemOf(refused)).toEqual({ status: 409, type: '/problems/public-url-required' });
    expect(JSON.stringify(refused.body)).not.toContain('evil.example');

    const configured = await createTestApp({ PUBLIC_URL: 'https://archiv.ferropolis.example', COOKIE_SECURE: 'false' });
    onTestFinished(() => configured.close());
    const c2 = await configured.loginAs('curator');
    const id2 = await draft(c2);
    const made = await send(c2, 'post', `/api/interviews/${id2}/review-invitations`)
      .set('Host', 'evil.example')
      .send({ narrator: 'Horst Krüger' })
      .expect(201);
    expect(made.body.link).toBe(`https://archiv.ferropolis.example/durchsicht/${made.body.token}`);
    expect(made.body.codeUrl).toBe('https://archiv.ferropolis.example/durchsicht');
    expect(JSON.stringify(made.body)).not.toContain('evil.example');
  });
});

describe('finding 6: what an upload may cost', () => {
  it('MEDIA_MAX_DURATION: a longer recording is refused with 422 reason too-long; nothing is kept', async () => {
    const t = await createTestApp({ MEDIA_MAX_DURATION: '3' });
    onTestFinished(() => t.close());
    const owner = await t.loginAs('contributor');
    const id = await draft(owner);
    const res = await expectNothingStored(t, async () =>
      send(owner, 'post', `/api/interviews/${id}/media`).attach('file', audio, 'lang.mp3'),
    );
    expect({ ...problemOf(res), reason: res.body.reason }).toEqual({
      status: 422,
      type: '/problems/unprocessable',
      reason: 'too-long',
    });
    expect(res.body.detail).toMatch(/0:00:05.*0:00:03/);
  });

  it('MEDIA_MAX_PIXELS: a larger picture is refused with 422 reason too-many-pixels', async () => {
    const t = await createTestApp({ MEDIA_MAX_PIXELS: String(320 * 240) });
    onTestFinished(() => t.close());
    const owner = await t.loginAs('contributor');
    const id = await draft(owner);
    const video = await makeVideo(tmp, { seconds: 1, width: 640, height: 360, fps: 10, withAudio: true });
    const res = await expectNothingStored(t, async () =>
      send(owner, 'post', `/api/interviews/${id}/media`).attach('file', video, 'gross.mp4'),
    );
    expect({ ...problemOf(res), reason: res.body.reason }).toEqual({
      status: 422,
      type: '/problems/unprocessable',
      reason: 'too-many-pixels',
    });
  });

  it('MEDIA_URL_MAX_TTL caps a signed URL whatever the TTL and duration, and a grant reaching further is not honoured', async () => {
    const t = await createTestApp({ MEDIA_URL_TTL_SECONDS: '900', MEDIA_URL_MAX_TTL: '60' });
    onTestFinished(() => t.close());
    const owner = await t.loginAs('contributor');
    const id = await draft(owner);
    const medium = await send(owner, 'post', `/api/interviews/${id}/media`)
      .attach('file', audio, 'band1.mp3')
      .expect(202);
    const url = medium.body.original as string;
    const grant = url.split('/')[3]!;
    const exp = Number(grant.split('.')[0]);
    expect(exp - Date.now() / 1000).toBeLessThanOrEqual(60 + 60); // the cap, rounded up to the whole minute
    await supertest(t.app).get(url).expect(200);
    // the same key with a longer life (as an older configuration would have signed it): refused
    const longSigner = new (t.services.signer.constructor as new (s: Buffer, ttl: number) => typeof t.services.signer)(
      (t.services.signer as unknown as { secret: Buffer }).secret,
      7200,
    );
    const longGrant = longSigner.grantFor({ kind: 'user', user: { id: owner.userId } } as never, medium.body.id, 0)!;
    await supertest(t.app).get(`/media/g/${longGrant}/${medium.body.id}/original`).expect(404);
  });
});

describe('finding 7: consent scans', () => {
  const pdf = (inner = '') =>
    Buffer.from(`%PDF-1.4\n${inner}1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`, 'latin1');

  it('a hostile scan name is sanitized like a media name (no U+202E, CR/LF, HTML) and served as an attachment with nosniff and the type of its bytes', async () => {
    const t = await createTestApp();
    onTestFinished(() => t.close());
    const curator = await t.loginAs('curator');
    const id = await draft(curator);
    const name = 'Einverst\u202Efdp.exe\r\nX-Evil: 1<img src=x onerror=alert(1)>.html';
    const form = rawMultipart([
      { name: 'record', body: JSON.stringify(fullConsent), type: 'application/json' },
      { name: 'file', filename: name, type: 'text/html', body: pdf() },
    ]);
    const created = await postRaw(curator, t.app, `/api/interviews/${id}/consents`, form).expect(201);
    const stored = created.body.scan.filename as string;
    expect(stored).not.toMatch(/[\u202E\r\n<>]/);
    expect(stored).toMatch(/\.pdf$/);
    const scan = await curator.agent
      .get(`/api/interviews/${id}/consents/${created.body.id}/scan`)
      .buffer(true)
      .expect(200);
    expect(scan.headers['content-type']).toBe('application/pdf');
    expect(scan.headers['x-content-type-options']).toBe('nosniff');
    expect(scan.headers['content-disposition']).toMatch(/^attachment; filename="[^"\r\n<>\u202E]+\.pdf"/);
  });

  it('a PDF polyglot with HTML in its first kilobyte is refused with 422; nothing is stored', async () => {
    const t = await createTestApp();
    onTestFinished(() => t.close());
    const curator = await t.loginAs('curator');
    const id = await draft(curator);
    const form = rawMultipart([
      { name: 'record', body: JSON.stringify(fullConsent), type: 'application/json' },
      {
        name: 'file',
        filename: 'scan.pdf',
        type: 'application/pdf',
        body: pdf('<html><body><script>alert(document.domain)</script></body></html>\n'),
      },
    ]);
    const res = await expectNothingStored(t, async () =>
      postRaw(curator, t.app, `/api/interviews/${id}/consents`, form),
    );
    expect(problemOf(res)).toEqual({ status: 422, type: '/problems/unprocessable' });
  });
});

describe('finding 8: nobody can lock an account from outside', () => {
  it('ten wrong passwords from ten forwarded addresses: the right one from an eleventh address gets in after a short wait; admins see the failures', async () => {
    const t = await createTestApp();
    onTestFinished(() => t.close());
    const admin = await t.loginAs('admin', 'admin-ziel@example.org');
    const login = (ip: string, password: string) =>
      supertest(t.app)
        .post('/api/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ email: 'admin-ziel@example.org', password });
    for (let n = 1; n <= 10; n++) expect((await login(`198.51.100.${n}`, 'falsches-passwort-123')).status).toBe(401);
    const waiting = await login('192.0.2.200', testPassword);
    expect(problemOf(waiting)).toEqual({ status: 429, type: '/problems/rate-limited' });
    const wait = Number(waiting.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(2);
    await new Promise((r) => setTimeout(r, wait * 1000 + 50));
    await login('192.0.2.200', testPassword).expect(200);
    const warnings = await admin.agent.get('/api/admin/warnings').expect(200);
    // the success reset the delay; the report keeps what happened until then? no: a success clears it — the audit log keeps it
    const audit = await admin.agent.get('/api/audit?action=auth.login-failures').expect(200);
    expect(audit.body.items[0]).toMatchObject({
      action: 'auth.login-failures',
      entityId: admin.userId,
      after: { email: 'admin-ziel@example.org', failures: 10, addresses: 10 },
    });
    expect(warnings.body.loginFailures).toEqual([]);
  });

  it('while failures go on, /api/admin/warnings lists the account (admins only)', async () => {
    const t = await createTestApp({ LOGIN_RATE_LIMIT: '2' });
    onTestFinished(() => t.close());
    const [admin, curator] = [await t.loginAs('admin'), await t.loginAs('curator')];
    for (const ip of ['198.51.100.1', '198.51.100.2']) {
      await supertest(t.app)
        .post('/api/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ email: curator.email, password: 'falsches-passwort-123' })
        .expect(401);
    }
    const warnings = await admin.agent.get('/api/admin/warnings').expect(200);
    expect(warnings.body.loginFailures).toMatchObject([{ email: curator.email, failures: 2, addresses: 2 }]);
    expect(warnings.body.warnings.map((w: { kind: string }) => w.kind)).toEqual(['login-failures']);
    expect(problemOf(await curator.agent.get('/api/admin/warnings'))).toEqual({
      status: 403,
      type: '/problems/forbidden',
    });
  });
});

describe('finding 9: wrong answers', () => {
  let t: TestApp;
  let owner: Login;
  let id: string;
  beforeAll(async () => {
    t = await createTestApp({}, { clientDir: path.resolve('client/dist') });
    owner = await t.loginAs('contributor');
    id = await draft(owner);
  });
  afterAll(() => t?.close());

  it('a NUL or control byte in a multipart file name or field name is 400, nothing stored', async () => {
    const bytes = fs.readFileSync(audio);
    for (const [name, filename] of [
      ['file', 'band\u00001.mp3'],
      ['file', 'band\u00071.mp3'],
      ['fi\u0000le', 'band1.mp3'],
      ['fi\u001ble', 'band1.mp3'],
    ] as const) {
      const res = await expectNothingStored(t, async () =>
        postRaw(
          owner,
          t.app,
          `/api/interviews/${id}/media`,
          rawMultipart([{ name, filename, type: 'audio/mpeg', body: bytes }]),
        ),
      );
      expect({ name: JSON.stringify(name + filename), ...problemOf(res) }).toEqual({
        name: JSON.stringify(name + filename),
        status: 400,
        type: '/problems/bad-request',
      });
    }
  });

  it('GET /assets/nope.js is a 404 problem; /api/, /media/, /iiif/, /oai never get the SPA page', async () => {
    for (const url of ['/assets/nope.js', '/assets/', '/api/nope', '/media/nope', '/iiif/nope']) {
      const res = await supertest(t.app).get(url).set('Accept', 'text/html,*/*');
      expect({ url, status: res.status, type: res.headers['content-type'] }).toEqual({
        url,
        status: 404,
        type: 'application/problem+json; charset=utf-8',
      });
    }
    // /oai is the OAI-PMH endpoint: XML (its errors are <error> elements), never the SPA page
    for (const url of ['/oai', '/oai?verb=Identify', '/oai?verb=Nope']) {
      const res = await supertest(t.app).get(url).set('Accept', 'text/html,*/*');
      expect({ url, type: String(res.headers['content-type']).split(';')[0] }).toEqual({ url, type: 'text/xml' });
      expect(res.text).not.toContain('<div id="root">');
    }
    const page = await supertest(t.app).get('/interviews/whatever').set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('<div id="root">');
  });

  it('a tus PATCH with a stale offset is 409 /problems/upload-offset-mismatch', async () => {
    const created = await send(owner, 'post', '/api/uploads')
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Length', '100')
      .set(
        'Upload-Metadata',
        `interviewId ${Buffer.from(id).toString('base64')},filename ${Buffer.from('a.mp3').toString('base64')}`,
      )
      .expect(201);
    const url = `/api/uploads/${String(created.headers.location).split('/').pop()}`;
    await send(owner, 'patch', url)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Offset', '0')
      .set('Content-Type', 'application/offset+octet-stream')
      .send(Buffer.alloc(10))
      .expect(204);
    const stale = await send(owner, 'patch', url)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Offset', '0')
      .set('Content-Type', 'application/offset+octet-stream')
      .send(Buffer.alloc(10));
    expect(problemOf(stale)).toEqual({ status: 409, type: '/problems/upload-offset-mismatch' });
  });
});

describe('finding 1 (the CSP part): injected markup can neither re-base, submit elsewhere nor frame', () => {
  it("CSP has base-uri 'self', form-action 'self' and frame-src 'none'", async () => {
    const t = await createTestApp();
    onTestFinished(() => t.close());
    const csp = String((await supertest(t.app).get('/healthz')).headers['content-security-policy']);
    expect(csp.split(';').map((d) => d.trim())).toEqual(
      expect.arrayContaining(["base-uri 'self'", "form-action 'self'", "frame-src 'none'"]),
    );
  });
});

describe('finding 11: https PUBLIC_URL', () => {
  it('Secure cookie, HSTS and upgrade-insecure-requests with https; none of them with http', async () => {
    const https = await createTestApp({ PUBLIC_URL: 'https://archiv.ferropolis.example' });
    onTestFinished(() => https.close());
    await https.services.users.create({ email: 'k@example.org', password: testPassword, role: 'curator' });
    const res = await supertest(https.app)
      .post('/api/auth/login')
      .send({ email: 'k@example.org', password: testPassword })
      .expect(200);
    expect(String(res.headers['set-cookie'])).toMatch(/sb_session=[^;]+;.*\bSecure\b/i);
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly/i);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');

    const http = await createTestApp({ PUBLIC_URL: 'http://archiv.ferropolis.example' });
    onTestFinished(() => http.close());
    await http.services.users.create({ email: 'k@example.org', password: testPassword, role: 'curator' });
    const plain = await supertest(http.app)
      .post('/api/auth/login')
      .send({ email: 'k@example.org', password: testPassword })
      .expect(200);
    expect(String(plain.headers['set-cookie'])).not.toMatch(/\bSecure\b/i);
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(plain.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });
});
