// Shared pieces of the security suite: raw multipart bodies (supertest cleans what a hostile client would not),
// a CSRF-carrying request helper and the "nothing was stored" check.
import crypto from 'node:crypto';
import fs from 'node:fs';
import supertest from 'supertest';
import { expect } from 'vitest';
import { tableCounts, type TestApp } from '../helpers/app.js';

export type Login = Awaited<ReturnType<TestApp['loginAs']>>;

export const send = (who: Login, method: 'post' | 'patch' | 'put' | 'delete', url: string) =>
  who.agent[method](url).set('X-CSRF-Token', who.csrf);

/** A multipart body exactly as given: file name and field names reach the server byte for byte. */
export function rawMultipart(parts: Array<{ name: string; filename?: string; type?: string; body: Buffer | string }>): {
  boundary: string;
  body: Buffer;
} {
  const boundary = `----sb${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    // CR/LF and non-ASCII travel RFC 5987-encoded (filename*), as a hostile client would send them; NUL and other
    // control bytes stay raw, byte for byte
    const encoded = p.filename !== undefined && /[\r\n\u0080-\uffff]/.test(p.filename);
    const fileParam =
      p.filename === undefined
        ? ''
        : encoded
          ? `; filename*=utf-8''${rfc5987(p.filename)}`
          : `; filename="${p.filename}"`;
    const disposition = `form-data; name="${p.name}"${fileParam}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`,
        'utf8',
      ),
    );
    chunks.push(Buffer.isBuffer(p.body) ? p.body : Buffer.from(p.body, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { boundary, body: Buffer.concat(chunks) };
}

export function postRaw(
  who: Login | null,
  app: TestApp['app'],
  url: string,
  form: { boundary: string; body: Buffer },
): supertest.Test {
  const req = who ? who.agent.post(url).set('X-CSRF-Token', who.csrf) : supertest(app).post(url);
  return req.set('Content-Type', `multipart/form-data; boundary=${form.boundary}`).send(form.body);
}

/**
 * Every table's rows as a digest (so an UPDATE shows too), except those a refused request may legitimately touch:
 * sessions (sliding expiry), API tokens (last use), the audit log.
 */
export function storedRows(
  t: TestApp,
  ignore: readonly string[] = ['sessions', 'audit_events', 'api_tokens'],
): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const name of Object.keys(tableCounts(t.store))) {
    if (ignore.includes(name)) continue;
    const rows = t.store.db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all();
    digests[name] =
      `${rows.length}:${crypto.createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16)}`;
  }
  return digests;
}

/** Files under UPLOADS_DIR (temp areas included): a refused upload leaves none behind. */
export function uploadFiles(t: TestApp): string[] {
  const root = t.config.uploadsDir;
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile() && !d.name.startsWith('.health-'))
    .map((d) => `${d.parentPath ?? (d as unknown as { path: string }).path}/${d.name}`.slice(root.length))
    .sort();
}

export async function expectNothingStored<T>(t: TestApp, run: () => Promise<T>): Promise<T> {
  const rows = storedRows(t);
  const files = uploadFiles(t);
  const result = await run();
  expect(storedRows(t)).toEqual(rows);
  expect(uploadFiles(t)).toEqual(files);
  return result;
}

export const problemOf = (res: supertest.Response) => ({
  status: res.status,
  type: (res.body as { type?: string })?.type,
});

/** RFC 5987 value: percent-encoded UTF-8, token characters only. */
const rfc5987 = (v: string) =>
  encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
