// The catalogue's upload cases: hostile file names, upload abuse and tus abuse.
import fs from 'node:fs';
import type supertest from 'supertest';
import { makeImageOnly } from '../helpers/media.js';
import { postRaw, rawMultipart, send, type Login } from './helpers.js';
import { audio, demoted, demotedDraft, other, owner, ownDraft, t, tmp } from './catalogue-fixture.js';
import { anon, type ApiCase } from './catalogue-api-cases.js';

const meta = (pairs: Record<string, string>) =>
  Object.entries(pairs)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');
const tusCreate = (who: Login | null, headers: Record<string, string>) => {
  const req = who ? send(who, 'post', '/api/uploads') : anon().post('/api/uploads');
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  return req;
};
const tusOk = () => ({
  'Tus-Resumable': '1.0.0',
  'Upload-Length': '1000',
  'Upload-Metadata': meta({ interviewId: ownDraft, filename: 'a.mp3' }),
});
const tusPatch = (who: Login, url: string, offset: string, body: Buffer, type = 'application/offset+octet-stream') =>
  send(who, 'patch', url)
    .set('Tus-Resumable', '1.0.0')
    .set('Upload-Offset', offset)
    .set('Content-Type', type)
    .send(body);
let tusUrl = '';

const fileUpload = (filename: string) => () =>
  postRaw(
    owner,
    t.app,
    `/api/interviews/${ownDraft}/media`,
    rawMultipart([{ name: 'file', filename, type: 'audio/mpeg', body: fs.readFileSync(audio) }]),
  );
const storedName = (check: (name: string) => string | null) => async (res: supertest.Response) => {
  const row = t.store.db.prepare('SELECT original_filename FROM media WHERE id = ?').pluck().get(res.body.id) as
    string | undefined;
  return row === undefined ? 'no medium stored' : check(row);
};
const cleanName = (name: string): string | null =>
  /[\p{Cc}\p{Cf}<>:"|?*\\/]/u.test(name) || name.startsWith('.') || Array.from(name).length > 200
    ? `unsafe name kept: ${JSON.stringify(name)}`
    : null;

export const FILENAME_CASES: ApiCase[] = [
  ['path-traversal', '../../../etc/passwd.mp3', 'passwd.mp3'],
  ['windows-path', '..\\..\\Windows\\System32\\band.mp3', 'band.mp3'],
  ['bidi-override', 'Interview\u202E3pm.exe', null],
  ['html', '<img src=x onerror=alert(1)>.mp3', null],
  ['crlf-header', 'band\r\nContent-Type: text/html\r\n\r\n<h1>x</h1>.mp3', null],
  ['dotfile', '.htaccess', null],
  ['overlong', `${'ä'.repeat(400)}.mp3`, null],
  ['zero-width', 'Band\u200B\u2060\uFEFF1.mp3', 'Band1.mp3'],
].map(([id, raw, exact]) => ({
  id: `filename: ${id}`,
  status: 202,
  type: null,
  stores: 'medium' as const,
  request: fileUpload(raw!),
  check: storedName(
    (name) => cleanName(name) ?? (exact && name !== exact ? `expected ${exact}, stored ${name}` : null),
  ),
}));

export const UPLOAD_CASES: ApiCase[] = [
  {
    id: 'upload: JSON instead of multipart',
    status: 415,
    type: '/problems/unsupported-media-type',
    request: () => send(owner, 'post', `/api/interviews/${ownDraft}/media`).send({ file: 'x' }),
  },
  {
    id: 'upload: form without a file',
    status: 400,
    type: '/problems/bad-request',
    request: () => send(owner, 'post', `/api/interviews/${ownDraft}/media`).field('title', 'x'),
  },
  {
    id: 'upload: two files',
    status: 400,
    type: '/problems/bad-request',
    request: () =>
      send(owner, 'post', `/api/interviews/${ownDraft}/media`)
        .attach('file', audio, 'a.mp3')
        .attach('file', audio, 'b.mp3'),
  },
  {
    id: 'upload: file in another field',
    status: 400,
    type: '/problems/bad-request',
    request: () => send(owner, 'post', `/api/interviews/${ownDraft}/media`).attach('datei', audio, 'a.mp3'),
  },
  {
    id: 'upload: empty file',
    status: 422,
    type: '/problems/unprocessable',
    request: () => send(owner, 'post', `/api/interviews/${ownDraft}/media`).attach('file', Buffer.alloc(0), 'leer.mp3'),
  },
  {
    id: 'upload: HTML named .mp4',
    status: 422,
    type: '/problems/unprocessable',
    request: () =>
      send(owner, 'post', `/api/interviews/${ownDraft}/media`).attach(
        'file',
        Buffer.from('<html><script>alert(1)</script></html>'),
        { filename: 'video.mp4', contentType: 'video/mp4' },
      ),
  },
  {
    id: 'upload: still image',
    status: 422,
    type: '/problems/unprocessable',
    request: async () =>
      send(owner, 'post', `/api/interviews/${ownDraft}/media`).attach('file', await makeImageOnly(tmp), 'bild.mp4'),
  },
  {
    id: 'upload: beyond UPLOAD_MAX_BYTES (declared)',
    status: 413,
    type: '/problems/payload-too-large',
    request: () =>
      send(owner, 'post', `/api/interviews/${ownDraft}/media`).attach(
        'file',
        Buffer.alloc(10 * 1024 * 1024, 7),
        'gross.mp3',
      ),
  },
  {
    id: 'upload: NUL in the file name',
    status: 400,
    type: '/problems/bad-request',
    request: () =>
      postRaw(
        owner,
        t.app,
        `/api/interviews/${ownDraft}/media`,
        rawMultipart([{ name: 'file', filename: 'a\u0000.mp3', body: fs.readFileSync(audio) }]),
      ),
  },
  {
    id: 'upload: control byte in the field name',
    status: 400,
    type: '/problems/bad-request',
    request: () =>
      postRaw(
        owner,
        t.app,
        `/api/interviews/${ownDraft}/media`,
        rawMultipart([{ name: 'fi\u0001le', filename: 'a.mp3', body: fs.readFileSync(audio) }]),
      ),
  },
  {
    id: 'upload: malformed multipart',
    status: 400,
    type: '/problems/bad-request',
    request: () =>
      send(owner, 'post', `/api/interviews/${ownDraft}/media`)
        .set('Content-Type', 'multipart/form-data; boundary=xyz')
        .send('--xyz\r\nnonsense'),
  },
  {
    id: 'upload: interview id not a UUID',
    status: 404,
    type: '/problems/not-found',
    request: () => send(owner, 'post', "/api/interviews/1'%20OR%20'1'='1/media").attach('file', audio, 'a.mp3'),
  },
  {
    id: "upload: into another contributor's draft",
    status: 404,
    type: '/problems/not-found',
    request: () => send(other, 'post', `/api/interviews/${ownDraft}/media`).attach('file', audio, 'a.mp3'),
  },
  {
    id: 'upload: anonymous',
    status: 404,
    type: '/problems/not-found',
    request: () => anon().post(`/api/interviews/${ownDraft}/media`).attach('file', audio, 'a.mp3'),
  },
];

export const TUS_CASES: ApiCase[] = [
  {
    id: 'tus: no Tus-Resumable',
    status: 412,
    type: '/problems/precondition-failed',
    request: () =>
      tusCreate(owner, {
        'Upload-Length': '10',
        'Upload-Metadata': meta({ interviewId: ownDraft, filename: 'a.mp3' }),
      }),
  },
  {
    id: 'tus: Upload-Length beyond the maximum',
    status: 413,
    type: '/problems/payload-too-large',
    request: () => tusCreate(owner, { ...tusOk(), 'Upload-Length': String(9 * 1024 * 1024) }),
  },
  {
    id: 'tus: negative Upload-Length',
    status: 400,
    type: '/problems/bad-request',
    request: () => tusCreate(owner, { ...tusOk(), 'Upload-Length': '-1' }),
  },
  {
    id: 'tus: no metadata',
    status: 400,
    type: '/problems/bad-request',
    request: () => tusCreate(owner, { 'Tus-Resumable': '1.0.0', 'Upload-Length': '10' }),
  },
  {
    id: 'tus: interview id injection',
    status: 400,
    type: '/problems/bad-request',
    request: () =>
      tusCreate(owner, { ...tusOk(), 'Upload-Metadata': meta({ interviewId: "' OR 1=1 --", filename: 'a.mp3' }) }),
  },
  {
    id: 'tus: malformed metadata',
    status: 400,
    type: '/problems/bad-request',
    request: () => tusCreate(owner, { ...tusOk(), 'Upload-Metadata': 'interviewId !!!,,filename' }),
  },
  {
    id: "tus: into another contributor's draft",
    status: 404,
    type: '/problems/not-found',
    request: () => tusCreate(other, tusOk()),
  },
  {
    id: 'tus: researcher who created the interview',
    status: 403,
    type: '/problems/forbidden',
    request: () =>
      tusCreate(demoted, { ...tusOk(), 'Upload-Metadata': meta({ interviewId: demotedDraft, filename: 'a.mp3' }) }),
  },
  { id: 'tus: anonymous', status: 401, type: '/problems/unauthenticated', request: () => tusCreate(null, tusOk()) },
  {
    id: "tus: PATCH someone else's upload",
    status: 404,
    type: '/problems/not-found',
    request: () => tusPatch(other, tusUrl, '0', Buffer.alloc(10)),
  },
  {
    id: 'tus: PATCH at a stale offset',
    status: 409,
    type: '/problems/upload-offset-mismatch',
    request: () => tusPatch(owner, tusUrl, '0', Buffer.alloc(10)),
  },
  {
    id: 'tus: PATCH past Upload-Length',
    status: 413,
    type: '/problems/payload-too-large',
    request: () => tusPatch(owner, tusUrl, '10', Buffer.alloc(2000)),
  },
  {
    id: 'tus: PATCH with the wrong content type (it used to reach tus as a consumed JSON stream: 500)',
    status: 400,
    type: '/problems/bad-request',
    request: () => tusPatch(owner, tusUrl, '10', Buffer.alloc(10), 'application/json'),
  },
  {
    id: 'tus: GET an unfinished upload',
    status: 405,
    type: '/problems/method-not-allowed',
    request: () => owner.agent.get(tusUrl),
  },
  {
    id: 'tus: path traversal in the upload id',
    status: 404,
    type: '/problems/not-found',
    request: () => tusPatch(owner, '/api/uploads/..%2F..%2Fdata%2Farchive.sqlite', '0', Buffer.alloc(10)),
  },
];

/** For the tus PATCH cases: an upload with 10 of 1000 bytes received. */
export async function prepareTusUpload(): Promise<void> {
  const created = await tusCreate(owner, tusOk()).expect(201);
  tusUrl = `/api/uploads/${String(created.headers.location).split('/').pop()}`;
  await tusPatch(owner, tusUrl, '0', Buffer.alloc(10)).expect(204);
}
