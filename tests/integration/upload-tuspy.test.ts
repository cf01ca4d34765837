// tus 1.0 against a strict peer: Python's tuspy (the tus project's client, PyPI), installed into .venv-test by
// `scripts/setup.sh --with-test-tools`. It runs through a loopback TCP proxy that cuts the connection in the middle
// of a PATCH once; tuspy must HEAD the upload, continue from the server's offset and finish. Every PATCH answer
// must be the protocol's 204 No Content, and the final one names the medium in Upload-Medium-Id / Content-Location.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeVideo } from '../helpers/media.js';

const python = path.resolve('.venv-test/bin/python');
const hasTuspy = fs.existsSync(python) && spawnOk(python, ['-c', 'import tusclient']);

function spawnOk(cmd: string, args: string[]): boolean {
  try {
    return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
}

interface ProxyStats {
  connections: number;
  cuts: number;
  bytesUp: number;
}

/** Forwards loopback TCP to `target`; once `cutAfter` request bytes went through, it drops both sides (once). */
async function cuttingProxy(
  targetPort: number,
  cutAfter: number,
): Promise<{ port: number; stats: ProxyStats; close(): Promise<void> }> {
  const stats: ProxyStats = { connections: 0, cuts: 0, bytesUp: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    stats.connections++;
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      stats.bytesUp += chunk.length;
      if (stats.cuts === 0 && stats.bytesUp > cutAfter) {
        stats.cuts++;
        // forward part of this chunk, then the line goes dead (like a train into a tunnel)
        upstream.write(chunk.subarray(0, Math.floor(chunk.length / 2)));
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    stats,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

interface TuspyLogEntry {
  method: 'PATCH' | 'HEAD';
  offset?: string;
  status?: number;
  error?: string;
  uploadOffset?: string | null;
  bodyLength?: number;
}

interface TuspyResult {
  ok: boolean;
  error?: string;
  url?: string;
  offset?: number;
  finalStatus?: number;
  finalHeaders?: Record<string, string>;
  log: TuspyLogEntry[];
}

function runTuspy(args: string[]): Promise<{ code: number; result: TuspyResult; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [path.resolve('tests/peers/tuspy_upload.py'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({
          code: code ?? 1,
          result: JSON.parse(out.trim().split('\n').pop() ?? '{}') as TuspyResult,
          stderr: err,
        });
      } catch {
        reject(new Error(`tuspy printed no result (exit ${code}): ${out}\n${err}`));
      }
    });
  });
}

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

describe.skipIf(!hasTuspy)(
  `tus with a strict client: tuspy${hasTuspy ? '' : ' [needs tuspy] skipped: .venv-test lacks tuspy (scripts/setup.sh --with-test-tools)'}`,
  () => {
    let t: TestApp;
    let server: http.Server;
    let port: number;
    let token: string;
    let interviewId: string;
    let tmp: string;
    let video: string;

    beforeAll(async () => {
      t = await createTestApp();
      server = http.createServer(t.app).listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      port = (server.address() as net.AddressInfo).port;
      const { agent, csrf } = await t.loginAs('contributor');
      token = (await agent.post('/api/auth/tokens').set('X-CSRF-Token', csrf).send({ name: 'tuspy' }).expect(201)).body
        .token as string;
      interviewId = (
        await agent
          .post('/api/interviews')
          .set('X-CSRF-Token', csrf)
          .send({ title: 'Schaufelradbagger 1452' })
          .expect(201)
      ).body.id as string;
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-tuspy-'));
      video = await makeVideo(tmp, { seconds: 8, width: 640, height: 360, fps: 25, withAudio: true });
    });
    afterAll(async () => {
      server?.closeAllConnections();
      await new Promise((r) => server?.close(r));
      await t?.close();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('uploads in chunks; every PATCH answers 204 No Content; the final one names the medium', async () => {
      const bytes = fs.readFileSync(video);
      const chunk = 128 * 1024;
      expect(bytes.length).toBeGreaterThan(3 * chunk);
      const { code, result, stderr } = await runTuspy([
        `http://127.0.0.1:${port}/api/uploads`,
        video,
        token,
        interviewId,
        'Band 1.mp4',
        String(chunk),
      ]);
      expect(result.error ?? '', stderr).toBe('');
      expect(code).toBe(0);
      const patches = result.log.filter((e) => e.method === 'PATCH');
      expect(patches.length).toBe(Math.ceil(bytes.length / chunk));
      expect(patches.every((p) => p.status === 204 && p.bodyLength === 0)).toBe(true);
      expect(result.finalStatus).toBe(204);
      const mediumId = result.finalHeaders?.['upload-medium-id'];
      expect(mediumId).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.finalHeaders?.['content-location']).toBe(`/api/media/${mediumId}`);
      const medium = await supertest(t.app)
        .get(`/api/media/${mediumId}`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(medium.body).toMatchObject({
        interviewId,
        originalFilename: 'Band 1.mp4',
        sizeBytes: bytes.length,
        sha256: sha256(bytes),
      });
      console.log(
        `tuspy (no drop): ${JSON.stringify(result.log.map((e) => `${e.method} ${e.offset ?? ''}→${e.status ?? e.error}`))}`,
      );
    });

    it("resumes after the connection drops mid-PATCH: HEAD, continue from the server's offset, same SHA-256", async () => {
      const bytes = fs.readFileSync(video);
      const chunk = 256 * 1024;
      const proxy = await cuttingProxy(port, Math.floor(bytes.length * 0.6));
      try {
        const { code, result, stderr } = await runTuspy([
          `http://127.0.0.1:${proxy.port}/api/uploads`,
          video,
          token,
          interviewId,
          'Band 2.mp4',
          String(chunk),
        ]);
        console.log(
          `tuspy (connection cut once by the proxy): ${JSON.stringify(result.log.map((e) => `${e.method} ${e.offset ?? ''}→${e.status ?? e.error}${e.method === 'HEAD' ? ` offset ${e.uploadOffset}` : ''}`))}`,
        );
        expect(result.error ?? '', stderr).toBe('');
        expect(code).toBe(0);
        expect(proxy.stats.cuts).toBe(1);
        const failedAt = result.log.findIndex((e) => e.error !== undefined);
        expect(failedAt).toBeGreaterThan(0);
        const afterDrop = result.log.slice(failedAt + 1);
        const head = afterDrop.find((e) => e.method === 'HEAD' && e.status === 200);
        expect(head).toBeDefined();
        // it continued where the server was, not from zero
        const resumedFrom = Number(afterDrop.find((e) => e.method === 'PATCH')?.offset);
        expect(resumedFrom).toBeGreaterThan(0);
        expect(resumedFrom).toBe(Number(head!.uploadOffset));
        expect(
          result.log
            .filter((e) => e.method === 'PATCH' && e.status !== undefined)
            .every((p) => p.status === 204 || p.status === 409),
        ).toBe(true);
        expect(result.finalStatus).toBe(204);
        const mediumId = result.finalHeaders?.['upload-medium-id'];
        const medium = await supertest(t.app)
          .get(`/api/media/${mediumId}`)
          .set('Authorization', `Bearer ${token}`)
          .expect(200);
        expect(medium.body).toMatchObject({ interviewId, part: 2, sizeBytes: bytes.length, sha256: sha256(bytes) });
        expect(
          sha256(fs.readFileSync(path.join(t.config.uploadsDir, 'originals', interviewId, mediumId!, 'original.mp4'))),
        ).toBe(sha256(bytes));
      } finally {
        await proxy.close();
      }
    });
  },
);
