// The hostile-input catalogue (issue 11), as data: stored XSS in every text field and every transcript format
// (rendered by the real client in Debian's Chromium: no injected element, no dialog, no navigation), hostile file
// names, upload abuse, tus abuse, role × ownership × endpoint, signed-URL tampering, CSRF variants and injection
// into every query parameter. Each API case states the exact status and problem type and proves that nothing was
// stored (a digest of every table and the file list of UPLOADS_DIR, before and after). Real app, real SQLite, the
// run's Meilisearch, real ffprobe, real Chromium. Ends with `security: N cases, N held`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../e2e/helpers/browser.js';
import { createTestApp, fullConsent, testPassword, type TestApp } from '../helpers/app.js';
import { makeAudio, makeImageOnly } from '../helpers/media.js';
import { postRaw, rawMultipart, send, storedRows, uploadFiles, type Login } from './helpers.js';
import {
  FORMATS, METADATA_FIELDS, PAYLOAD_NAMES, type Planted, type Result, payload, record, results, transcriptDoc,
} from './catalogue.data.js';

// ── the fixture ───────────────────────────────────────────────────────────────────────────────────────────────────

let t: TestApp;
let tmp: string;
let server: http.Server;
let base: string;
let browser: Browser;
let audio: string;
let admin: Login;
let owner: Login;
let other: Login;
let researcher: Login;
let curator: Login;
let demoted: Login;
let ownDraft: string; // owner's private draft (the target of most API cases)
let ownMedium: string;
let demotedDraft: string;
const SECRET = 'Verschlusssachewort';

const ATTRIBUTION_ID = 'attr';

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-catalogue-'));
  t = await createTestApp({
    MAP_TILE_URL: 'https://{s}.tiles.invalid/{z}/{x}/{y}.png',
    MAP_TILE_ATTRIBUTION: `© OSM ${payload('img', ATTRIBUTION_ID)}`,
    UPLOAD_MAX_BYTES: '8MiB',
    REVIEW_RATE_LIMIT: '100000',
  }, { clientDir: path.resolve('client/dist') });
  // no workers: media stay `stored` (playable originals), so nothing changes the store behind the cases' backs
  server = http.createServer(t.app).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  [admin, owner, other, researcher, curator, demoted] = await Promise.all([
    t.loginAs('admin'), t.loginAs('contributor'), t.loginAs('contributor'), t.loginAs('researcher'), t.loginAs('curator'), t.loginAs('contributor'),
  ]);
  audio = await makeAudio(tmp, { seconds: 3, format: 'mp3' });
  ownDraft = (await send(owner, 'post', '/api/interviews').send({ title: `Entwurf ${SECRET}`, visibility: 'private', summary: SECRET }).expect(201)).body.id;
  ownMedium = (await send(owner, 'post', `/api/interviews/${ownDraft}/media`).attach('file', audio, 'band1.mp3').expect(202)).body.id;
  demotedDraft = (await send(demoted, 'post', '/api/interviews').send({ title: 'Vom Herabgestuften', visibility: 'private' }).expect(201)).body.id;
  await send(admin, 'patch', `/api/users/${demoted.userId}`).send({ role: 'researcher' }).expect(200);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  await t?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  const failed = results.filter((r) => !r.held);
  if (failed.length > 0) console.log(['security cases that did not hold:', ...failed.map((r) => `  ${r.group} / ${r.id}: ${r.detail}`)].join('\n'));
  const groups = [...new Set(results.map((r) => r.group))].map((g) => `${g} ${results.filter((r) => r.group === g).length}`);
  console.log(`security catalogue groups: ${groups.join(', ')}`);
  console.log(`security: ${results.length} cases, ${results.filter((r) => r.held).length} held`);
});

// ── API cases as data ─────────────────────────────────────────────────────────────────────────────────────────────

interface ApiCase {
  id: string;
  /** the exact answer */
  status: number;
  type: string | null;
  request: () => supertest.Test | Promise<supertest.Response>;
  /** default: nothing stored. `medium`: a medium is the point of the case (its name is checked by `check`). */
  stores?: 'medium';
  /** more to hold, e.g. the stored file name; returns a reason when it does not */
  check?: (res: supertest.Response) => string | null | Promise<string | null>;
}

const anon = () => supertest(t.app);
const meta = (pairs: Record<string, string>) => Object.entries(pairs).map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`).join(',');
const tusCreate = (who: Login | null, headers: Record<string, string>) => {
  const req = who ? send(who, 'post', '/api/uploads') : anon().post('/api/uploads');
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  return req;
};
const tusOk = () => ({ 'Tus-Resumable': '1.0.0', 'Upload-Length': '1000', 'Upload-Metadata': meta({ interviewId: ownDraft, filename: 'a.mp3' }) });
const tusPatch = (who: Login, url: string, offset: string, body: Buffer, type = 'application/offset+octet-stream') =>
  send(who, 'patch', url).set('Tus-Resumable', '1.0.0').set('Upload-Offset', offset).set('Content-Type', type).send(body);
let tusUrl = '';

const fileUpload = (filename: string) => () => postRaw(owner, t.app, `/api/interviews/${ownDraft}/media`,
  rawMultipart([{ name: 'file', filename, type: 'audio/mpeg', body: fs.readFileSync(audio) }]));
const storedName = (check: (name: string) => string | null) => async (res: supertest.Response) => {
  const row = t.store.db.prepare('SELECT original_filename FROM media WHERE id = ?').pluck().get(res.body.id) as string | undefined;
  return row === undefined ? 'no medium stored' : check(row);
};
const cleanName = (name: string): string | null =>
  /[\p{Cc}\p{Cf}<>:"|?*\\/]/u.test(name) || name.startsWith('.') || Array.from(name).length > 200 ? `unsafe name kept: ${JSON.stringify(name)}` : null;

const FILENAME_CASES: ApiCase[] = [
  ['path-traversal', '../../../etc/passwd.mp3', 'passwd.mp3'],
  ['windows-path', '..\\..\\Windows\\System32\\band.mp3', 'band.mp3'],
  ['bidi-override', 'Interview\u202E3pm.exe', null],
  ['html', '<img src=x onerror=alert(1)>.mp3', null],
  ['crlf-header', 'band\r\nContent-Type: text/html\r\n\r\n<h1>x</h1>.mp3', null],
  ['dotfile', '.htaccess', null],
  ['overlong', `${'ä'.repeat(400)}.mp3`, null],
  ['zero-width', 'Band\u200B\u2060\uFEFF1.mp3', 'Band1.mp3'],
].map(([id, raw, exact]) => ({
  id: `filename: ${id}`, status: 202, type: null, stores: 'medium' as const, request: fileUpload(raw!),
  check: storedName((name) => cleanName(name) ?? (exact && name !== exact ? `expected ${exact}, stored ${name}` : null)),
}));

const UPLOAD_CASES: ApiCase[] = [
  { id: 'upload: JSON instead of multipart', status: 415, type: '/problems/unsupported-media-type', request: () => send(owner, 'post', `/api/interviews/${ownDraft}/media`).send({ file: 'x' }) },
  { id: 'upload: form without a file', status: 400, type: '/problems/bad-request', request: () => send(owner, 'post', `/api/interviews/${ownDraft}/media`).field('title', 'x') },
  { id: 'upload: two files', status: 400, type: '/problems/bad-request', request: () => send(owner, 'post', `/api/interviews/${ownDraft}/media`).attach('file', audio, 'a.mp3').attach('file', audio, 'b.mp3') },
  { id: 'upload: file in another field', status: 400, type: '/problems/bad-request', request: () => send(owner, 'post', `/api/interviews/${ownDraft}/media`).attach('datei', audio, 'a.mp3') },
  { id: 'upload: empty file', status: 422, type: '/problems/unprocessable', request: () => send(owner, 'post', `/api/interviews/${ownDraft}/media`).attach('file', Buffer.alloc(0), 'leer.mp3') },
  { id: 'upload: HTML named .mp4', status: 422, type: '/problems/unprocessable', request: () => send(owner, 'post', `/api/interviews/${ownDraft}/media`).attach('file', Buffer.from('<html><script>alert(1)</script></html>'), { filename: 'video.mp4', contentType: 'video/mp4' }) },
  { id: 'upload: still image', status: 422, type: '/problems/unprocessable', request: async () => send(owner, 'post', `/api/interviews/${ownDraft}/media`).attach('file', await makeImageOnly(tmp), 'bild.mp4') },
  { id: 'upload: beyond UPLOAD_MAX_BYTES (declared)', status: 413, type: '/problems/payload-too-large', request: () => send(owner, 'post', `/api/interviews/${ownDraft}/media`).attach('file', Buffer.alloc(10 * 1024 * 1024, 7), 'gross.mp3') },
  { id: 'upload: NUL in the file name', status: 400, type: '/problems/bad-request', request: () => postRaw(owner, t.app, `/api/interviews/${ownDraft}/media`, rawMultipart([{ name: 'file', filename: 'a\u0000.mp3', body: fs.readFileSync(audio) }])) },
  { id: 'upload: control byte in the field name', status: 400, type: '/problems/bad-request', request: () => postRaw(owner, t.app, `/api/interviews/${ownDraft}/media`, rawMultipart([{ name: 'fi\u0001le', filename: 'a.mp3', body: fs.readFileSync(audio) }])) },
  { id: 'upload: malformed multipart', status: 400, type: '/problems/bad-request', request: () => send(owner, 'post', `/api/interviews/${ownDraft}/media`).set('Content-Type', 'multipart/form-data; boundary=xyz').send('--xyz\r\nnonsense') },
  { id: 'upload: interview id not a UUID', status: 404, type: '/problems/not-found', request: () => send(owner, 'post', "/api/interviews/1'%20OR%20'1'='1/media").attach('file', audio, 'a.mp3') },
  { id: "upload: into another contributor's draft", status: 404, type: '/problems/not-found', request: () => send(other, 'post', `/api/interviews/${ownDraft}/media`).attach('file', audio, 'a.mp3') },
  { id: 'upload: anonymous', status: 404, type: '/problems/not-found', request: () => anon().post(`/api/interviews/${ownDraft}/media`).attach('file', audio, 'a.mp3') },
];

const TUS_CASES: ApiCase[] = [
  { id: 'tus: no Tus-Resumable', status: 412, type: '/problems/precondition-failed', request: () => tusCreate(owner, { 'Upload-Length': '10', 'Upload-Metadata': meta({ interviewId: ownDraft, filename: 'a.mp3' }) }) },
  { id: 'tus: Upload-Length beyond the maximum', status: 413, type: '/problems/payload-too-large', request: () => tusCreate(owner, { ...tusOk(), 'Upload-Length': String(9 * 1024 * 1024) }) },
  { id: 'tus: negative Upload-Length', status: 400, type: '/problems/bad-request', request: () => tusCreate(owner, { ...tusOk(), 'Upload-Length': '-1' }) },
  { id: 'tus: no metadata', status: 400, type: '/problems/bad-request', request: () => tusCreate(owner, { 'Tus-Resumable': '1.0.0', 'Upload-Length': '10' }) },
  { id: 'tus: interview id injection', status: 400, type: '/problems/bad-request', request: () => tusCreate(owner, { ...tusOk(), 'Upload-Metadata': meta({ interviewId: "' OR 1=1 --", filename: 'a.mp3' }) }) },
  { id: 'tus: malformed metadata', status: 400, type: '/problems/bad-request', request: () => tusCreate(owner, { ...tusOk(), 'Upload-Metadata': 'interviewId !!!,,filename' }) },
  { id: "tus: into another contributor's draft", status: 404, type: '/problems/not-found', request: () => tusCreate(other, tusOk()) },
  { id: 'tus: researcher who created the interview', status: 403, type: '/problems/forbidden', request: () => tusCreate(demoted, { ...tusOk(), 'Upload-Metadata': meta({ interviewId: demotedDraft, filename: 'a.mp3' }) }) },
  { id: 'tus: anonymous', status: 401, type: '/problems/unauthenticated', request: () => tusCreate(null, tusOk()) },
  { id: "tus: PATCH someone else's upload", status: 404, type: '/problems/not-found', request: () => tusPatch(other, tusUrl, '0', Buffer.alloc(10)) },
  { id: 'tus: PATCH at a stale offset', status: 409, type: '/problems/upload-offset-mismatch', request: () => tusPatch(owner, tusUrl, '0', Buffer.alloc(10)) },
  { id: 'tus: PATCH past Upload-Length', status: 413, type: '/problems/payload-too-large', request: () => tusPatch(owner, tusUrl, '10', Buffer.alloc(2000)) },
  { id: 'tus: PATCH with the wrong content type (it used to reach tus as a consumed JSON stream: 500)', status: 400, type: '/problems/bad-request', request: () => tusPatch(owner, tusUrl, '10', Buffer.alloc(10), 'application/json') },
  { id: 'tus: GET an unfinished upload', status: 405, type: '/problems/method-not-allowed', request: () => owner.agent.get(tusUrl) },
  { id: 'tus: path traversal in the upload id', status: 404, type: '/problems/not-found', request: () => tusPatch(owner, '/api/uploads/..%2F..%2Fdata%2Farchive.sqlite', '0', Buffer.alloc(10)) },
];

const ROLE_CASES: ApiCase[] = [
  { id: "role: researcher edits someone's draft", status: 404, type: '/problems/not-found', request: () => send(researcher, 'patch', `/api/interviews/${ownDraft}`).send({ title: 'x' }) },
  { id: 'role: researcher edits the interview they created as contributor', status: 403, type: '/problems/forbidden', request: () => send(demoted, 'patch', `/api/interviews/${demotedDraft}`).send({ title: 'x' }) },
  { id: 'role: researcher deletes the interview they created', status: 403, type: '/problems/forbidden', request: () => send(demoted, 'delete', `/api/interviews/${demotedDraft}`) },
  { id: 'role: researcher creates an interview', status: 403, type: '/problems/forbidden', request: () => send(researcher, 'post', '/api/interviews').send({ title: 'Forschung' }) },
  { id: "role: contributor edits another's draft", status: 404, type: '/problems/not-found', request: () => send(other, 'patch', `/api/interviews/${ownDraft}`).send({ title: 'x' }) },
  { id: 'role: contributor adds a consent record to their own draft', status: 403, type: '/problems/forbidden', request: () => send(owner, 'post', `/api/interviews/${ownDraft}/consents`).send(fullConsent) },
  { id: 'role: contributor invites a narrator', status: 403, type: '/problems/forbidden', request: () => send(owner, 'post', `/api/interviews/${ownDraft}/review-invitations`).send({ narrator: 'Horst Krüger' }) },
  { id: 'role: contributor creates a collection', status: 403, type: '/problems/forbidden', request: () => send(owner, 'post', '/api/collections').send({ title: 'Meine' }) },
  { id: 'role: curator makes themselves admin', status: 403, type: '/problems/forbidden', request: () => send(curator, 'patch', `/api/users/${curator.userId}`).send({ role: 'admin' }) },
  { id: 'role: contributor creates a group', status: 403, type: '/problems/forbidden', request: () => send(owner, 'post', '/api/groups').send({ name: 'G' }) },
  { id: 'role: anonymous reads the audit log', status: 401, type: '/problems/unauthenticated', request: () => anon().get('/api/audit') },
  { id: 'role: contributor reads the admin warnings', status: 403, type: '/problems/forbidden', request: () => owner.agent.get('/api/admin/warnings') },
  { id: "role: contributor deletes another's medium", status: 404, type: '/problems/not-found', request: () => send(other, 'delete', `/api/media/${ownMedium}`) },
];

let grant = '';
const signedCase = (id: string, url: () => string, status = 404): ApiCase => ({ id: `signed URL: ${id}`, status, type: status === 404 ? '/problems/not-found' : null, request: () => anon().get(url()) });
const flip = (s: string) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A');
const SIGNED_CASES: ApiCase[] = [
  signedCase('untouched (control: it works without a cookie)', () => `/media/g/${grant}/${ownMedium}/original`, 200),
  signedCase('signature changed', () => `/media/g/${flip(grant)}/${ownMedium}/original`),
  signedCase('expiry pushed later', () => `/media/g/${String(Number(grant.split('.')[0]) + 3600)}.${grant.split('.').slice(1).join('.')}/${ownMedium}/original`),
  signedCase('principal swapped to another user', () => `/media/g/${grant.replace(/u~[0-9a-f-]{36}/, `u~${other.userId}`)}/${ownMedium}/original`),
  signedCase('principal kind swapped to narrator', () => `/media/g/${grant.replace('.u~', '.n~')}/${ownMedium}/original`),
  signedCase('grant for another medium', () => `/media/g/${grant}/${crypto.randomUUID()}/original`),
  signedCase('malformed grant', () => `/media/g/${encodeURIComponent("1' OR '1'='1")}/${ownMedium}/original`),
  signedCase('expired grant', () => `/media/g/${t.services.signer.grantFor({ kind: 'user', user: { id: owner.userId } } as never, ownMedium, 0, Date.now() - 7 * 86_400_000)}/${ownMedium}/original`),
  signedCase('path traversal after the grant', () => `/media/g/${grant}/${ownMedium}/..%2F..%2F..%2Fdata%2Farchive.sqlite`),
];

const csrfPatch = (who: Login) => who.agent.patch(`/api/interviews/${ownDraft}`);
const CSRF_CASES: ApiCase[] = [
  { id: 'csrf: no token', status: 403, type: '/problems/csrf', request: () => csrfPatch(owner).send({ title: 'x' }) },
  { id: 'csrf: wrong token', status: 403, type: '/problems/csrf', request: () => csrfPatch(owner).set('X-CSRF-Token', 'x'.repeat(43)).send({ title: 'x' }) },
  { id: "csrf: another session's token", status: 403, type: '/problems/csrf', request: () => csrfPatch(owner).set('X-CSRF-Token', other.csrf).send({ title: 'x' }) },
  { id: 'csrf: right token, foreign Origin', status: 403, type: '/problems/csrf', request: () => csrfPatch(owner).set('X-CSRF-Token', owner.csrf).set('Origin', 'https://evil.example').send({ title: 'x' }) },
  { id: 'csrf: token in the query string', status: 403, type: '/problems/csrf', request: () => owner.agent.patch(`/api/interviews/${ownDraft}?csrfToken=${owner.csrf}`).send({ title: 'x' }) },
  { id: 'csrf: simple text/plain form post', status: 403, type: '/problems/csrf', request: () => owner.agent.post('/api/interviews').set('Content-Type', 'text/plain').send('{"title":"x"}') },
  { id: 'csrf: delete without token', status: 403, type: '/problems/csrf', request: () => owner.agent.delete(`/api/interviews/${ownDraft}`) },
  { id: 'csrf: logout-style post from a foreign origin', status: 403, type: '/problems/csrf', request: () => owner.agent.post('/api/auth/tokens').set('Origin', 'https://evil.example').set('X-CSRF-Token', owner.csrf).send({ name: 'x' }) },
];

const INJECTION = "' OR 1=1 --";
// the query itself may be echoed; the private draft's id (any hit, listing or facet of it) must not appear
const leakFree = (res: supertest.Response) => (JSON.stringify(res.body).includes(ownDraft) || JSON.stringify(res.body).includes(`Entwurf ${SECRET}`) ? 'the private draft leaked' : null);
const q = (param: string, value = INJECTION) => `${param}=${encodeURIComponent(value)}`;
const injection = (url: string, status: number, type: string | null): ApiCase => ({ id: `injection: GET ${decodeURIComponent(url)}`, status, type, request: () => anon().get(url), check: leakFree });
const INJECTION_CASES: ApiCase[] = [
  ...['collectionId', 'status', 'visibility', 'recordedFrom', 'recordedTo', 'mine', 'sort', 'page', 'pageSize', 'language'].map((p) => injection(`/api/interviews?${q(p)}`, 400, '/problems/bad-request')),
  ...['q', 'keyword', 'person'].map((p) => injection(`/api/interviews?${q(p)}`, 200, null)),
  injection(`/api/interviews?${q('q', `${SECRET}" OR "1"="1`)}`, 200, null),
  injection(`/api/interviews?${q('status', 'draft')}&${q('visibility', 'private')}`, 200, null),
  // free text is text (200, nothing more found); typed filters refuse what they cannot be (400)
  ...['q', 'collection', 'narrator', 'place', 'year', 'decade', 'keyword', 'language', 'speaker'].map((p) => {
    const typed = ['collection', 'year', 'decade'].includes(p);
    return injection(`/api/search?${q(p, `x" OR interviewId EXISTS OR "a"="a`)}`, typed ? 400 : 200, typed ? '/problems/bad-request' : null);
  }),
  injection(`/api/search?${q('q', SECRET)}`, 200, null),
  injection(`/api/search?${q('page')}`, 400, '/problems/bad-request'),
  injection(`/api/search/suggest?${q('q')}`, 200, null),
  injection(`/api/interviews/${encodeURIComponent(INJECTION)}`, 404, '/problems/not-found'),
  injection(`/api/audit?${q('action')}`, 401, '/problems/unauthenticated'),
  { id: 'injection: transcript ?format=', status: 400, type: '/problems/bad-request', request: () => owner.agent.get(`/api/interviews/${ownDraft}/media/${ownMedium}/transcript?${q('format')}`) },
  { id: 'injection: transcript ?version=', status: 400, type: '/problems/bad-request', request: () => owner.agent.get(`/api/interviews/${ownDraft}/media/${ownMedium}/transcript?${q('version')}`) },
  { id: 'injection: in-interview search ?q= (as owner)', status: 200, type: null, request: () => owner.agent.get(`/api/interviews/${ownDraft}/search?${q('q')}`) },
  { id: 'injection: admin audit ?actorId= (as admin)', status: 200, type: null, request: () => admin.agent.get(`/api/audit?${q('actorId')}`), check: (res) => (res.body.total === 0 ? null : `audit rows matched an injected actor id: ${res.body.total}`) },
];

async function runApiCase(group: string, c: ApiCase): Promise<Result> {
  const rows = storedRows(t);
  const files = uploadFiles(t);
  const res = await c.request();
  const problems: string[] = [];
  const type = (res.body as { type?: string } | undefined)?.type ?? null;
  if (res.status !== c.status) problems.push(`status ${res.status} instead of ${c.status}`);
  if (c.type !== null && type !== c.type) problems.push(`type ${type} instead of ${c.type}`);
  if (res.status >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) problems.push(`not problem+json: ${res.headers['content-type']}`);
  if (!c.stores) {
    const now = storedRows(t);
    const changed = Object.keys(now).filter((k) => now[k] !== rows[k]);
    if (changed.length > 0) problems.push(`stored: ${changed.join(', ')}`);
    const newFiles = uploadFiles(t).filter((f) => !files.includes(f));
    if (newFiles.length > 0) problems.push(`files left: ${newFiles.join(', ')}`);
  }
  const extra = await c.check?.(res);
  if (extra) problems.push(extra);
  const result = { id: c.id, group, held: problems.length === 0, detail: problems.join('; ') };
  results.push(result);
  return result;
}

const API_GROUPS: Array<[string, () => ApiCase[]]> = [
  ['filenames', () => FILENAME_CASES],
  ['upload abuse', () => UPLOAD_CASES],
  ['tus abuse', () => TUS_CASES],
  ['role × ownership × endpoint', () => ROLE_CASES],
  ['signed-URL tampering', () => SIGNED_CASES],
  ['CSRF variants', () => CSRF_CASES],
  ['query injection', () => INJECTION_CASES],
];

describe('security catalogue: API cases', () => {
  beforeAll(async () => {
    // a tus upload with 10 of 1000 bytes received, for the PATCH cases
    const created = await tusCreate(owner, tusOk()).expect(201);
    tusUrl = `/api/uploads/${String(created.headers.location).split('/').pop()}`;
    await tusPatch(owner, tusUrl, '0', Buffer.alloc(10)).expect(204);
    // a signed URL the owner's medium JSON hands out (the draft is not public)
    const medium = await owner.agent.get(`/api/media/${ownMedium}`).expect(200);
    grant = String(medium.body.original).split('/')[3]!;
  });

  for (const [group, cases] of API_GROUPS) {
    it(group, async () => {
      const failed: Result[] = [];
      for (const c of cases()) {
        const r = await runApiCase(group, c);
        if (!r.held) failed.push(r);
      }
      expect(failed.map((r) => `${r.id}: ${r.detail}`)).toEqual([]);
    }, 120_000);
  }
});

// ── stored XSS, rendered in Chromium ──────────────────────────────────────────────────────────────────────────────

describe('security catalogue: stored XSS in every text field and transcript format, rendered in Chromium', () => {
  const planted: Planted[] = [];
  const dialogs: string[] = [];
  let page: Page;

  beforeAll(async () => {
    // one published interview per payload, every metadata field carrying it (ids say payload and field)
    // short ids: keywords may be 100 characters
    const id = (p: string, field: string) => `${p}.${field.slice(0, 4)}`;
    let n = 0;
    for (const p of PAYLOAD_NAMES) {
      n++;
      const created = await send(curator, 'post', '/api/interviews').send({
        title: payload(p, id(p, 'title')), summary: `Zusammenfassung ${payload(p, id(p, 'summary'))}`, visibility: 'public', recordedAt: '1987',
        people: [{ name: payload(p, id(p, 'narrator')), role: 'narrator' }, { name: payload(p, id(p, 'interviewer')), role: 'interviewer' }],
        place: { name: payload(p, id(p, 'place')), lat: 51.70 + n * 0.02, lon: 12.40 + n * 0.02 },
        keywords: [payload(p, id(p, 'keyword'))],
      }).expect(201);
      const interviewId = created.body.id as string;
      const medium = await send(curator, 'post', `/api/interviews/${interviewId}/media`).attach('file', audio, 'band1.mp3').expect(202);
      await send(curator, 'put', `/api/interviews/${interviewId}/media/${medium.body.id}/index`).send({
        points: [{ start: 0, title: payload(p, id(p, 'chapter')), synopsis: payload(p, id(p, 'synopsis')) }],
      }).expect(200);
      await send(curator, 'post', `/api/interviews/${interviewId}/consents`).send(fullConsent).expect(201);
      for (const status of ['ready_for_review', 'in_review', 'approved', 'published']) await send(curator, 'patch', `/api/interviews/${interviewId}`).send({ status }).expect(200);
      for (const field of METADATA_FIELDS) {
        planted.push({
          id: id(p, field), group: 'stored XSS: metadata', where: field, page: `/interviews/${interviewId}`,
          // JSON fields are stored verbatim (text is never HTML): each must show up as text
          stored: async () => payload(p, id(p, field)),
        });
      }
      planted.push({ id: id(p, 'place'), group: 'stored XSS: places map', where: 'map tooltip', page: '/places', stored: async () => null });
    }
    // one interview, one medium per transcript format, one segment per payload (10 s: TXT and OHMS count in seconds)
    const longAudio = await makeAudio(tmp, { seconds: 10, format: 'mp3' });
    const formats = await send(curator, 'post', '/api/interviews').send({ title: 'Formate', visibility: 'private' }).expect(201);
    for (const format of FORMATS) {
      const medium = await send(curator, 'post', `/api/interviews/${formats.body.id}/media`).attach('file', longAudio, `${format}.mp3`).expect(202);
      const texts = PAYLOAD_NAMES.map((p) => ({ id: `${p}.${format}`, text: payload(p, `${p}.${format}`) }));
      const doc = transcriptDoc(format, texts);
      const res = await send(curator, 'put', `/api/interviews/${formats.body.id}/media/${medium.body.id}/transcript?format=${format}`).set('Content-Type', doc.type).send(doc.body);
      expect({ format, status: res.status, errors: res.body.errors, detail: res.body.detail }).toMatchObject({ format, status: 201 });
      for (const x of texts) {
        planted.push({
          id: x.id, group: `stored XSS: transcript ${format}`, where: `transcript (${format})`, page: `/interviews/${formats.body.id}?m=${medium.body.id}`,
          stored: async () => {
            const segments = (await admin.agent.get(`/api/interviews/${formats.body.id}/media/${medium.body.id}/transcript`)).body.segments as Array<{ text: string }>;
            return segments.some((s) => s.text.includes(`data-xss="${x.id}"`)) ? x.text : null;
          },
        });
      }
    }
    planted.push({ id: ATTRIBUTION_ID, group: 'stored XSS: places map', where: 'map attribution (MAP_TILE_ATTRIBUTION)', page: '/places', stored: async () => null });

    const context = await browser.newContext({ baseURL: base });
    page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const login = await page.request.post('/api/auth/login', { data: { email: admin.email, password: testPassword } });
    expect(login.status()).toBe(200);
  }, 180_000);

  /** Visits a page, lets it render, and judges each case planted there. */
  async function judge(url: string, cases: Planted[], interact?: () => Promise<{ injected: string[]; text: string }>): Promise<string[]> {
    const before = dialogs.length;
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    // what the store kept should be on the page: wait (a little) until it is, the verdict below says if it is not
    const expectedIds = (await Promise.all(cases.map(async (c) => ((await c.stored()) !== null ? c.id : null)))).filter((x): x is string => x !== null);
    await page.waitForFunction((ids) => ids.every((id) => document.body.innerText.includes(`data-xss="${id}"`)), expectedIds, { timeout: 5000 }).catch(() => undefined);
    await page.waitForTimeout(200);
    const during = await interact?.();
    await page.waitForTimeout(during ? 500 : 0); // a meta refresh injected on hover would navigate now
    const seen = await page.evaluate(() => ({
      injected: [...document.querySelectorAll('[data-xss]')].map((e) => `${e.tagName.toLowerCase()}:${e.getAttribute('data-xss')}`),
      text: document.body.innerText,
      html: document.documentElement.outerHTML,
      href: location.href,
    }));
    const failures: string[] = [];
    for (const c of cases) {
      const problems: string[] = [];
      const injected = [...seen.injected, ...(during?.injected ?? [])].filter((e) => e.endsWith(`:${c.id}`));
      if (injected.length > 0) problems.push(`element(s) ${injected.join(', ')}`);
      if (!seen.href.startsWith(base)) problems.push(`navigated to ${seen.href}`);
      const own = dialogs.slice(before).filter((m) => m.includes(c.id));
      if (own.length > 0) problems.push(`dialog ${own.join(', ')}`);
      // what the store kept must be on the page as text: otherwise the check above proved nothing
      const stored = await c.stored();
      if (stored !== null && !seen.text.includes(`data-xss="${c.id}"`) && !seen.html.includes(`data-xss=&quot;${c.id}&quot;`)) problems.push('stored text not shown as text');
      if (!record(c.group, `${c.where}: ${c.id}`, problems.length === 0, problems.join('; '))) failures.push(`${c.id}: ${problems.join('; ')}`);
    }
    return failures;
  }

  it('interview pages: title, summary, people, place, keywords, chapters', async () => {
    const byPage = new Map<string, Planted[]>();
    for (const c of planted.filter((x) => x.group === 'stored XSS: metadata')) byPage.set(c.page, [...(byPage.get(c.page) ?? []), c]);
    const failures: string[] = [];
    for (const [url, cases] of byPage) failures.push(...(await judge(url, cases)));
    expect(failures).toEqual([]);
    expect(dialogs).toEqual([]);
  }, 120_000);

  it('transcripts imported as VTT, SRT, TXT, JSON and OHMS', async () => {
    const byPage = new Map<string, Planted[]>();
    for (const c of planted.filter((x) => x.group.startsWith('stored XSS: transcript'))) byPage.set(c.page, [...(byPage.get(c.page) ?? []), c]);
    const failures: string[] = [];
    for (const [url, cases] of byPage) failures.push(...(await judge(url, cases)));
    expect(failures).toEqual([]);
    expect(dialogs).toEqual([]);
  }, 120_000);

  it('places map (finding 1): tooltips on hover and the configured attribution stay text', async () => {
    const cases = planted.filter((x) => x.group === 'stored XSS: places map');
    const tooltips: string[] = [];
    const failures = await judge('/places', cases, async () => {
      await page.waitForSelector('[data-testid="places-map"] path.leaflet-interactive', { timeout: 10_000 });
      const markers = await page.$$('[data-testid="places-map"] path.leaflet-interactive');
      expect(markers.length).toBe(PAYLOAD_NAMES.length);
      const injected: string[] = [];
      for (const marker of markers) {
        await marker.hover({ force: true });
        await page.waitForTimeout(200);
        // a tooltip lives only while hovered: look at it now
        const now = await page.evaluate(() => ({
          injected: [...document.querySelectorAll('[data-xss]')].map((e) => `${e.tagName.toLowerCase()}:${e.getAttribute('data-xss')}`),
          tooltip: document.querySelector('.leaflet-tooltip')?.textContent ?? '',
        }));
        injected.push(...now.injected);
        tooltips.push(now.tooltip);
      }
      return { injected, text: tooltips.join('\n') };
    });
    // every marker's tooltip opened and showed its place name as text
    for (const p of PAYLOAD_NAMES) expect(tooltips.some((text) => text.includes(`data-xss="${p}.plac"`)), p).toBe(true);
    const attribution = await page.$eval('.leaflet-control-attribution', (e) => e.textContent ?? '');
    expect(attribution).toContain(`data-xss="${ATTRIBUTION_ID}"`);
    expect(failures).toEqual([]);
    expect(dialogs).toEqual([]);
  }, 60_000);
});
