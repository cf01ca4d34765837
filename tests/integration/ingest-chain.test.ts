// The whole ingest chain, all real: multipart upload → ffprobe → original → worker (renditions, artwork, waveform)
// with real ffmpeg → verified derivatives served through /media with the access check. Plus the crash case:
// kill -9 of a separate worker process mid-transcode → the lease runs out, the job is retried and completes,
// and no partial output was ever served.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type Workers } from '../../workers/setup.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeAudio, makeVideo } from '../helpers/media.js';
import { untilWithin } from '../helpers/until.js';
import { commandOf, processesIn } from '../helpers/processes.js';

type Login = Awaited<ReturnType<TestApp['loginAs']>>;

const until = untilWithin(60_000);

function ffprobeJson(target: string): {
  format: { duration: string };
  streams: { codec_type: string; width?: number; height?: number }[];
} {
  const r = spawnSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', target]);
  if (r.status !== 0) throw new Error(`ffprobe ${target}: ${r.stderr.toString()}`);
  return JSON.parse(r.stdout.toString());
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => !e.isDirectory())
    .map((e) => e.name);
}

describe('ingest chain with real ffmpeg', () => {
  let t: TestApp;
  let workers: Workers;
  let student: Login;
  let interviewId: string;
  let media: string;

  beforeAll(async () => {
    t = await createTestApp();
    workers = startWorkers(t.config, t.store, t.services.queue, { pollMs: 50, concurrency: 2 });
    t.services.queue.on('enqueued', () => workers.worker.poke());
    student = await t.loginAs('contributor');
    interviewId = (
      await student.agent
        .post('/api/interviews')
        .set('X-CSRF-Token', student.csrf)
        .send({ title: 'Brikettfabrik' })
        .expect(201)
    ).body.id;
    media = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-chain-'));
  });
  afterAll(async () => {
    await workers?.stop();
    await t?.close();
    fs.rmSync(media, { recursive: true, force: true });
  });

  const waitReady = (id: string) =>
    until(async () => {
      const res = await student.agent.get(`/api/media/${id}`).expect(200);
      if (res.body.status === 'failed') throw new Error(`medium failed: ${res.body.error}`);
      return res.body.status === 'ready' ? res.body : undefined;
    });

  it('video: 8 s 1280x720 → HLS 720p + 360p ladder, M4A, poster, storyboard, waveform; all jobs done, no temp files', async () => {
    const file = await makeVideo(media, { seconds: 8, width: 1280, height: 720, fps: 25, withAudio: true });
    const upload = await student.agent
      .post(`/api/interviews/${interviewId}/media`)
      .set('X-CSRF-Token', student.csrf)
      .attach('file', file, 'band1.mp4')
      .expect(202);
    const progressSeen = new Set<number>();
    const progressLog: number[] = [];
    const ready = await until(async () => {
      const res = await student.agent.get(`/api/media/${upload.body.id}`).expect(200);
      progressSeen.add(res.body.progress);
      progressLog.push(res.body.progress);
      return res.body.status === 'ready' ? res.body : undefined;
    });
    expect(ready).toMatchObject({
      kind: 'video',
      status: 'ready',
      progress: 100,
      error: null,
    });
    // a private draft: every URL is signed for this viewer (server/media/signing.ts)
    const signed = (file: string) =>
      expect.stringMatching(new RegExp(`^/media/g/[^/]+/${ready.id}/${file.replace('.', '\\.')}$`));
    expect(ready).toMatchObject({
      hls: signed('hls/master.m3u8'),
      download: signed('download.m4a'),
      poster: signed('poster.jpg'),
      storyboard: signed('storyboard.vtt'),
      waveform: signed('waveform.json'),
    });
    // one pass made every derivative: no artwork or waveform job was needed
    expect(ready.jobs.map((j: { name: string; status: string }) => `${j.name}:${j.status}`)).toEqual([
      'media.renditions:done',
    ]);
    expect(progressSeen.size).toBeGreaterThan(1);
    // monotonic across the combined pass
    expect(progressLog).toEqual([...progressLog].sort((a, b) => a - b));

    // the master playlist, fetched over HTTP by ffprobe through the session cookie, has both rungs
    const cookie = (await student.agent.get('/api/auth/me')).request.cookies;
    const master = await student.agent.get(ready.hls).expect(200);
    expect(master.headers['content-type']).toMatch(/application\/vnd\.apple\.mpegurl/);
    expect(master.text).toMatch(/RESOLUTION=1280x720/);
    expect(master.text).toMatch(/RESOLUTION=640x360/);
    const probed = ffprobeJson(path.join(t.config.uploadsDir, 'renditions', ready.id, 'hls', 'master.m3u8'));
    expect(Number(probed.format.duration)).toBeGreaterThan(7);
    expect(probed.streams.some((s) => s.codec_type === 'audio')).toBe(true);
    expect(typeof cookie).not.toBe('undefined');

    // segments are 6 s: an 8 s clip has two per rung, and the rungs align
    const rung = master.text.split('\n').find((l: string) => l.endsWith('index.m3u8'))!;
    const playlist = await student.agent.get(`/media/${ready.id}/hls/${rung}`).expect(200);
    const durations = [...playlist.text.matchAll(/#EXTINF:([\d.]+)/g)].map((m) => Number(m[1]));
    expect(durations).toHaveLength(2);
    expect(durations[0]).toBeCloseTo(6, 0);

    const poster = await student.agent.get(ready.poster).buffer(true).expect(200);
    expect(poster.headers['content-type']).toBe('image/jpeg');
    const vtt = await student.agent.get(ready.storyboard).expect(200);
    expect(vtt.text).toMatch(/^WEBVTT/);
    expect(vtt.text).toMatch(/storyboard\.jpg#xywh=0,0,160,90/);
    await student.agent.get(`/media/${ready.id}/storyboard.jpg`).expect(200);
    const wave = await student.agent.get(ready.waveform).expect(200);
    expect(wave.body.length).toBe(80);
    // lavfi's sine has amplitude 1/8: about 16 in int8
    expect(Math.max(...wave.body.data)).toBeGreaterThan(10);

    const m4a = ffprobeJson(path.join(t.config.uploadsDir, 'renditions', ready.id, 'download.m4a'));
    expect(Number(m4a.format.duration)).toBeCloseTo(8, 0);
    expect(filesUnder(path.join(t.config.uploadsDir, 'tmp', 'jobs'))).toEqual([]);

    // the public sees none of it without the signed URL (which names the student and expires)
    await t.request.get(`/media/${ready.id}/hls/master.m3u8`).expect(404);
    await t.request.get(`/media/${ready.id}/original`).expect(404);
  });

  it('audio: 5 s MP3 → AAC HLS, M4A, waveform picture as poster, waveform JSON; never upscaled into video', async () => {
    const file = await makeAudio(media, { seconds: 5, format: 'mp3' });
    const upload = await student.agent
      .post(`/api/interviews/${interviewId}/media`)
      .set('X-CSRF-Token', student.csrf)
      .attach('file', file, 'kassette.mp3')
      .expect(202);
    expect(upload.body.originalPlayable).toBe(true);
    // playable before any job ran
    await student.agent.get(`/media/${upload.body.id}/original`).set('Range', 'bytes=0-9').expect(206);
    const ready = await waitReady(upload.body.id);
    expect(ready).toMatchObject({ kind: 'audio', storyboard: null });
    const probed = ffprobeJson(path.join(t.config.uploadsDir, 'renditions', ready.id, 'hls', 'master.m3u8'));
    expect(probed.streams.map((s) => s.codec_type)).toEqual(['audio']);
    expect(Number(probed.format.duration)).toBeCloseTo(5, 0);
    const poster = ffprobeJson(path.join(t.config.uploadsDir, 'renditions', ready.id, 'poster.jpg'));
    expect(poster.streams[0]).toMatchObject({ width: 1280, height: 360 });
  });

  it('deleting a medium while it transcodes kills the job, leaves no output and no temp files', async () => {
    const file = await makeVideo(media, { seconds: 30, width: 1280, height: 720, fps: 25, withAudio: true });
    const upload = await student.agent
      .post(`/api/interviews/${interviewId}/media`)
      .set('X-CSRF-Token', student.csrf)
      .attach('file', file, 'lang.mp4')
      .expect(202);
    const id = upload.body.id as string;
    const running = await until(
      async () => (await t.store.jobs.listByMedia(id)).find((j) => j.status === 'running' && j.progress > 0),
      30_000,
      50,
    );
    const workDir = path.join(t.config.uploadsDir, 'tmp', 'jobs', `${running.id}.${running.attempts}`);
    expect(processesIn(workDir).map(commandOf), 'its ffmpeg runs in the work directory').toContain('ffmpeg');
    await student.agent.delete(`/api/media/${id}`).set('X-CSRF-Token', student.csrf).expect(204);
    await until(() => !workers.worker.activeJobIds.length, 10_000, 50);
    expect(fs.existsSync(path.join(t.config.uploadsDir, 'renditions', id))).toBe(false);
    expect(filesUnder(path.join(t.config.uploadsDir, 'tmp', 'jobs'))).toEqual([]);
    await until(() => processesIn(workDir).length === 0, 5_000, 50);
  });
});

describe('crash safety: kill -9 of a worker process mid-transcode', () => {
  let t: TestApp;
  let student: Login;
  let dir: string;
  let worker: ChildProcess | undefined;

  const startWorkerProcess = (leaseSeconds: string) =>
    spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      env: {
        ...process.env,
        DATA_DIR: t.config.dataDir,
        UPLOADS_DIR: t.config.uploadsDir,
        LOG_LEVEL: 'warn',
        WORKER_CONCURRENCY: '1',
        JOB_LEASE_SECONDS: leaseSeconds,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });

  beforeAll(async () => {
    t = await createTestApp();
    student = await t.loginAs('contributor');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-crash-'));
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the job is retried after the lease runs out and completes; partial output is never served', async () => {
    const interviewId = (
      await student.agent
        .post('/api/interviews')
        .set('X-CSRF-Token', student.csrf)
        .send({ title: 'Absturz' })
        .expect(201)
    ).body.id;
    const file = await makeVideo(dir, { seconds: 40, width: 1280, height: 720, fps: 25, withAudio: true });
    const upload = await student.agent
      .post(`/api/interviews/${interviewId}/media`)
      .set('X-CSRF-Token', student.csrf)
      .attach('file', file, 'absturz.mp4')
      .expect(202);
    const id = upload.body.id as string;

    worker = startWorkerProcess('2');
    const running = await until(
      async () => (await t.store.jobs.listByMedia(id)).find((j) => j.status === 'running' && j.progress >= 5),
      60_000,
      50,
    );
    const workDir = path.join(t.config.uploadsDir, 'tmp', 'jobs', `${running.id}.1`);
    expect(filesUnder(workDir).length).toBeGreaterThan(0);
    // while it transcodes, nothing of the rendition is reachable
    await student.agent.get(`/media/${id}/hls/master.m3u8`).expect(404);
    const ffmpeg = processesIn(workDir);
    expect(ffmpeg.map(commandOf), 'its ffmpeg runs in the work directory').toContain('ffmpeg');
    worker.kill('SIGKILL');
    await new Promise((r) => worker!.once('exit', r));
    // its ffmpeg loses the progress pipe and ends too
    await until(() => ffmpeg.every((pid) => commandOf(pid) === null), 5_000, 50);
    await student.agent.get(`/media/${id}/hls/master.m3u8`).expect(404);

    worker = startWorkerProcess('2');
    const ready = await until(
      async () => {
        const res = await student.agent.get(`/api/media/${id}`).expect(200);
        return res.body.status === 'ready' ? res.body : undefined;
      },
      120_000,
      200,
    );
    const renditionsJob = ready.jobs.find((j: { name: string }) => j.name === 'media.renditions');
    expect(renditionsJob).toMatchObject({ status: 'done', attempts: 2 });
    expect(fs.existsSync(workDir)).toBe(false);
    const probed = ffprobeJson(path.join(t.config.uploadsDir, 'renditions', id, 'hls', 'master.m3u8'));
    expect(Number(probed.format.duration)).toBeCloseTo(40, 0);
    worker.kill('SIGTERM');
    await new Promise((r) => worker!.once('exit', r));
  }, 180_000);
});
