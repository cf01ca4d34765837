// The bad-files tests' fixture: an app with a 2 MiB upload limit, a contributor with one interview, the test media,
// hand-built multipart and tus requests, and the check that nothing was kept.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeAudio, makeImageOnly, makeTextFile, makeVideo } from '../helpers/media.js';

export const exec = promisify(execFile);

export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** A hand-built multipart body, so that file names reach the server exactly as written (form-data would clean them). */
export function multipart(parts: Array<{ name: string; filename?: string; content: Buffer | string }>): {
  body: Buffer;
  type: string;
} {
  const boundary = `----schichtbuch${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    const type = p.filename !== undefined ? 'Content-Type: application/octet-stream\r\n' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`, 'utf8'));
    chunks.push(Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

/** Deterministic "random" bytes (xorshift), so a corrupt-header case behaves the same on every run. */
export function noise(length: number, seed = 0x2545f491): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export const tusMeta = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${Buffer.from(v, 'utf8').toString('base64')}`)
    .join(',');

export type Login = Awaited<ReturnType<TestApp['loginAs']>>;

export let t: TestApp;
export let student: Login;
export let interviewId: string;
export let tmp: string;
export const f: Record<string, string> = {};

export const read = (name: string) => fs.readFileSync(f[name] as string);
export const postFile = (content: Buffer, filename: string, field = 'file') => {
  const { body, type } = multipart([{ name: field, filename, content }]);
  return student.agent
    .post(`/api/interviews/${interviewId}/media`)
    .set('X-CSRF-Token', student.csrf)
    .set('Content-Type', type)
    .send(body);
};
export const postParts = (parts: Parameters<typeof multipart>[0]) => {
  const { body, type } = multipart(parts);
  return student.agent
    .post(`/api/interviews/${interviewId}/media`)
    .set('X-CSRF-Token', student.csrf)
    .set('Content-Type', type)
    .send(body);
};
export const tusCreate = (length: number, filename: string, body?: Buffer) => {
  const req = student.agent
    .post('/api/uploads')
    .set('X-CSRF-Token', student.csrf)
    .set('Tus-Resumable', '1.0.0')
    .set('Upload-Length', String(length))
    .set('Upload-Metadata', tusMeta({ interviewId, filename }));
  return body ? req.set('Content-Type', 'application/offset+octet-stream').send(body) : req.send();
};

export function expectNothingKept(): void {
  expect(t.store.db.prepare('SELECT count(*) FROM media').pluck().get()).toBe(0);
  expect(t.store.db.prepare('SELECT count(*) FROM jobs WHERE media_id IS NOT NULL').pluck().get()).toBe(0);
  expect(filesUnder(t.config.uploadsDir)).toEqual([]);
}

/** Registers the fixture's hooks in the calling describe block. */
export function useBadFilesFixture(): void {
  beforeAll(async () => {
    t = await createTestApp({ UPLOAD_MAX_BYTES: '2MiB' });
    student = await t.loginAs('contributor');
    interviewId = (
      await student.agent
        .post('/api/interviews')
        .set('X-CSRF-Token', student.csrf)
        .send({ title: 'Prüfstand' })
        .expect(201)
    ).body.id;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-bad-'));
    [f.video, f.longVideo, f.mp3, f.silentVideo, f.png, f.text] = await Promise.all([
      makeVideo(tmp, { seconds: 2, width: 160, height: 120, fps: 25, withAudio: true }),
      makeVideo(tmp, { seconds: 12, width: 160, height: 120, fps: 25, withAudio: true }),
      makeAudio(tmp, { seconds: 12, format: 'mp3' }),
      makeVideo(tmp, { seconds: 2, width: 160, height: 120, fps: 25, withAudio: false }),
      makeImageOnly(tmp),
      makeTextFile(tmp),
    ]);
    f.jpeg = path.join(tmp, 'foto.jpg');
    await exec('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', f.png, f.jpeg]);
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
}
