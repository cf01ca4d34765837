// The world of the narrator-review enforcement tests: an app with real SQLite, ffmpeg and Meilisearch served over
// HTTP, in-process workers, a curator and an admin, plus the decoders the tests measure the public renditions with.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startWorkers, type Workers } from '../../../workers/setup.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { untilWithin } from '../../helpers/until.js';

const exec = promisify(execFile);

export const until = untilWithin(30_000, 50);

export const execBuffer = (cmd: string, args: string[]) =>
  new Promise<{ stdout: Buffer }>((resolve, reject) =>
    execFile(cmd, args, { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(err);
      if (stdout.length === 0) return reject(new Error(`${cmd} wrote nothing: ${stderr.toString()}`));
      resolve({ stdout });
    }),
  );

/** mean/max volume (dB) of a time window of a decoded stream; -Infinity for digital silence. */
export async function windowVolume(url: string, start: number, end: number): Promise<{ mean: number; max: number }> {
  const { stderr } = await exec('ffmpeg', [
    ...['-hide_banner', '-nostats', '-i', url, '-vn'],
    ...['-af', `atrim=start=${start}:end=${end},volumedetect`, '-f', 'null', '-'],
  ]);
  const read = (key: string) => {
    const m = new RegExp(`${key}:\\s*(-?inf|-?[\\d.]+) dB`).exec(stderr);
    if (!m) throw new Error(`no ${key} in ffmpeg output for ${start}–${end}`);
    return m[1]!.endsWith('inf') ? -Infinity : Number(m[1]);
  };
  return { mean: read('mean_volume'), max: read('max_volume') };
}

type Login = Awaited<ReturnType<TestApp['loginAs']>>;

export interface ReviewWorld {
  dir: string;
  t: TestApp;
  workers: Workers;
  origin: string;
  curator: Login;
  admin: Login;
  /** a curator's request with the CSRF token set */
  asCurator: (method: 'get' | 'post' | 'patch' | 'put', url: string) => ReturnType<Login['agent']['get']>;
  /** (re)start the in-process workers, as the test setup does */
  startWorkers: () => Workers;
  close: () => Promise<void>;
}

export async function openReviewWorld(): Promise<ReviewWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-review-'));
  const t = await createTestApp({ REVIEW_RATE_LIMIT: '5' });
  const server = t.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const start = () =>
    startWorkers(t.config, t.store, t.services.queue, { pollMs: 50, sweepMs: 300, search: t.services.search });
  const world: ReviewWorld = {
    dir,
    t,
    workers: start(),
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    curator: await t.loginAs('curator'),
    admin: await t.loginAs('admin'),
    asCurator: (method, url) => world.curator.agent[method](url).set('X-CSRF-Token', world.curator.csrf),
    startWorkers: () => (world.workers = start()),
    close: async () => {
      await world.workers?.stop();
      server.close();
      await t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  t.services.queue.on('enqueued', () => world.workers.worker.poke());
  t.services.interviews.on('jobsCancelled', (ids) => world.workers.worker.abort(ids));
  return world;
}
