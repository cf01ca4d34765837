// A tus 1.0 client for the upload tests: a logged-in session, the app on a port, and one upload run through tus-js-client.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import supertest from 'supertest';
import * as tus from 'tus-js-client';
import { testPassword, type TestApp } from '../../helpers/app.js';

export interface Session {
  cookie: string;
  csrf: string;
  userId: string;
  headers: Record<string, string>;
}

export async function sessionFor(t: TestApp, role: 'contributor' | 'curator' = 'contributor'): Promise<Session> {
  const { email, userId } = await t.loginAs(role);
  const res = await supertest(t.app).post('/api/auth/login').send({ email, password: testPassword }).expect(200);
  const cookie = (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
  const csrf = res.body.csrfToken as string;
  return { cookie, csrf, userId, headers: { Cookie: cookie, 'X-CSRF-Token': csrf } };
}

export async function listen(t: TestApp): Promise<{ server: http.Server; base: string; close(): Promise<void> }> {
  const server = http.createServer(t.app).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
export const meta = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');

export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

export async function createInterview(t: TestApp, s: Session, extra: Record<string, unknown> = {}): Promise<string> {
  return (
    await supertest(t.app)
      .post('/api/interviews')
      .set(s.headers)
      .send({ title: 'Tagebau Golpa-Nord', ...extra })
      .expect(201)
  ).body.id;
}

export interface Finished {
  status: number;
  body: Record<string, any>;
  mediumId: string | null;
  url: string;
}

/** Runs a tus-js-client upload to the end (or until `stopAfterChunks`, then aborts) and reports what happened. */
export function tusUpload(
  base: string,
  data: Buffer,
  opts: {
    headers: Record<string, string>;
    metadata?: Record<string, string>;
    uploadUrl?: string;
    stopAfterChunks?: number;
    onPatchOffset?: (o: number) => void;
  },
): Promise<Finished | { aborted: true; url: string }> {
  return new Promise((resolve, reject) => {
    let chunks = 0;
    const upload: tus.Upload = new tus.Upload(data, {
      endpoint: `${base}/api/uploads`,
      ...(opts.uploadUrl ? { uploadUrl: opts.uploadUrl } : {}),
      chunkSize: 64 * 1024,
      retryDelays: null,
      headers: opts.headers,
      metadata: opts.metadata ?? {},
      onBeforeRequest(req) {
        if (req.getMethod() === 'PATCH') opts.onPatchOffset?.(Number(req.getHeader('Upload-Offset')));
      },
      onChunkComplete() {
        chunks += 1;
        if (opts.stopAfterChunks !== undefined && chunks === opts.stopAfterChunks) {
          void upload.abort().then(() => resolve({ aborted: true, url: upload.url ?? '' }));
        }
      },
      onSuccess({ lastResponse }) {
        // tus 1.0: the final PATCH is 204 without a body; the medium is named by Upload-Medium-Id / Content-Location
        const status = lastResponse.getStatus();
        const mediumId = lastResponse.getHeader('Upload-Medium-Id') ?? null;
        const location = lastResponse.getHeader('Content-Location');
        const bodyText = lastResponse.getBody();
        const url = upload.url ?? '';
        if (bodyText) return resolve({ status, body: JSON.parse(bodyText), mediumId, url });
        if (!location) return resolve({ status, body: {}, mediumId, url });
        fetch(`${base}${location}`, { headers: opts.headers })
          .then(async (r) => resolve({ status, body: (await r.json()) as Record<string, any>, mediumId, url }))
          .catch(reject);
      },
      onError: reject,
    });
    upload.start();
  });
}
