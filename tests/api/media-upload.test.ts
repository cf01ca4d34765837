// Multipart upload end to end on real ffprobe and SQLite: the medium's JSON contract, the immutable original, its
// first job, range requests on the original, part numbers, access (404 for those who may not see) and deletion.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, fullConsent, type TestApp } from '../helpers/app.js';
import { makeAudio, makeVideo } from '../helpers/media.js';

const exec = promisify(execFile);

async function sha256sum(file: string): Promise<string> {
  const { stdout } = await exec('sha256sum', [file]);
  return stdout.split(' ')[0] ?? '';
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

type Login = Awaited<ReturnType<TestApp['loginAs']>>;

describe('media upload (multipart)', () => {
  let t: TestApp;
  let student: Login;
  let other: Login;
  let curator: Login;
  let interviewId: string;
  let tmp: string;
  let video: string;
  let audio: string;
  let first: Record<string, any>;

  beforeAll(async () => {
    t = await createTestApp();
    [student, other, curator] = await Promise.all([
      t.loginAs('contributor'),
      t.loginAs('contributor'),
      t.loginAs('curator'),
    ]);
    interviewId = (
      await student.agent
        .post('/api/interviews')
        .set('X-CSRF-Token', student.csrf)
        .send({ title: 'Förderbrücke F60' })
        .expect(201)
    ).body.id;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-media-'));
    [video, audio] = await Promise.all([
      makeVideo(tmp, { seconds: 5, width: 320, height: 240, fps: 25, withAudio: true }),
      makeAudio(tmp, { seconds: 3, format: 'm4a' }),
    ]);
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const upload = (who: Login, file: string, name: string, id = interviewId) =>
    who.agent.post(`/api/interviews/${id}/media`).set('X-CSRF-Token', who.csrf).attach('file', file, name);

  it('202 with the medium JSON, the SHA-256 of the bytes, a read-only original and a queued renditions job', async () => {
    const res = await upload(student, video, 'Interview Müller, Band 1.mp4').expect(202);
    first = res.body;
    expect(res.headers.location).toBe(`/api/media/${first.id}`);
    const size = fs.statSync(video).size;
    expect(first).toMatchObject({
      interviewId,
      part: 1,
      kind: 'video',
      status: 'stored',
      progress: 0,
      sizeBytes: size,
      originalFilename: 'Interview Müller, Band 1.mp4',
      // a private draft: URLs are signed for this viewer and expire (server/media/signing.ts)
      original: expect.stringMatching(
        new RegExp(`^/media/g/\\d{10}\\.u~[0-9a-f-]{36}\\.[\\w-]{32}/${first.id}/original$`),
      ),
      originalPlayable: true,
      originalMime: 'video/mp4',
      hls: null,
      download: null,
      poster: null,
      waveform: null,
      storyboard: null,
      error: null,
      technical: {
        container: 'mp4',
        playableMime: 'video/mp4',
        audio: { codec: 'aac', channels: 1, sampleRate: 48000 },
        video: { codec: 'h264', width: 320, height: 240, fps: 25, rotation: null },
      },
    });
    expect(first.sha256).toBe(await sha256sum(video));
    expect(first.durationSec).toBeGreaterThan(4.9);
    expect(first.durationSec).toBeLessThan(5.2);
    expect(typeof first.createdAt).toBe('string');
    expect(first.jobs).toHaveLength(1);
    expect(first.jobs[0]).toMatchObject({
      name: 'media.renditions',
      status: 'queued',
      attempts: 0,
      maxAttempts: 4,
      progress: 0,
      error: null,
      startedAt: null,
      finishedAt: null,
    });

    const stored = path.join(t.config.uploadsDir, 'originals', interviewId, first.id, 'original.mp4');
    expect(fs.statSync(stored).mode & 0o777).toBe(0o444);
    expect(await sha256sum(stored)).toBe(first.sha256);
    // the temporary file is gone: only the original is left
    expect(filesUnder(t.config.uploadsDir)).toEqual([path.join('originals', interviewId, first.id, 'original.mp4')]);

    const job = await student.agent.get(`/api/jobs/${first.jobs[0].id}`).expect(200);
    expect(job.body).toMatchObject({
      id: first.jobs[0].id,
      name: 'media.renditions',
      status: 'queued',
      mediaId: first.id,
    });
    expect(job.body).not.toHaveProperty('payload');
    const again = await student.agent.get(`/api/media/${first.id}`).expect(200);
    expect(again.body).toEqual(first);
  });

  it('serves the original with Range (206), its MIME type, validators and no shared caching', async () => {
    const bytes = fs.readFileSync(video);
    const res = await student.agent
      .get(`/media/${first.id}/original`)
      .set('Range', 'bytes=0-99')
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(206);
    expect(res.headers['content-range']).toBe(`bytes 0-99/${bytes.length}`);
    expect(res.headers['content-length']).toBe('100');
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(res.headers['cache-control']).toBe('private, no-cache');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers.etag).toBeTruthy();
    expect(res.headers['last-modified']).toBeTruthy();
    expect(Buffer.compare(res.body as Buffer, bytes.subarray(0, 100))).toBe(0);

    const head = await student.agent.head(`/media/${first.id}/original`).expect(200);
    expect(head.headers['content-length']).toBe(String(bytes.length));
    await student.agent
      .get(`/media/${first.id}/original`)
      .set('If-None-Match', head.headers.etag as string)
      .expect(304);

    const beyond = await student.agent
      .get(`/media/${first.id}/original`)
      .set('Range', `bytes=${bytes.length + 10}-`)
      .expect(416);
    expect(beyond.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(beyond.headers['content-range']).toBe(`bytes */${bytes.length}`);

    // derivatives exist only once registered; paths outside the medium never resolve
    await student.agent.get(`/media/${first.id}/hls/master.m3u8`).expect(404);
    await student.agent.get(`/media/${first.id}/poster.jpg`).expect(404);
    await student.agent.get(`/media/${first.id}/..%2F..%2Foriginals`).expect(404);
    await student.agent.get(`/media/${first.id}/.hidden`).expect(404);
    await student.agent.get('/media/not-a-uuid/original').expect(404);
  });

  it('serves a registered derivative by its exact name, and HLS files below hls/ once the playlist is registered', async () => {
    const dir = path.join(t.config.uploadsDir, 'renditions', first.id);
    fs.mkdirSync(path.join(dir, 'hls', '720p'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'hls', 'master.m3u8'), '#EXTM3U\n');
    fs.writeFileSync(path.join(dir, 'hls', '720p', 'seg_00000.m4s'), 'x');
    fs.writeFileSync(path.join(dir, 'waveform.json'), '{"data":[]}');
    fs.writeFileSync(path.join(dir, 'poster.jpg'), 'jpg');
    await student.agent.get(`/media/${first.id}/waveform.json`).expect(404); // on disk, but not registered
    await t.store.media.setDerivatives(
      first.id,
      {
        hls: `renditions/${first.id}/hls/master.m3u8`,
        waveform: `renditions/${first.id}/waveform.json`,
      },
      new Date().toISOString(),
    );
    const m3u8 = await student.agent.get(`/media/${first.id}/hls/master.m3u8`).expect(200);
    expect(m3u8.headers['content-type']).toBe('application/vnd.apple.mpegurl');
    const seg = await student.agent.get(`/media/${first.id}/hls/720p/seg_00000.m4s`).expect(200);
    expect(seg.headers['content-type']).toBe('video/iso.segment');
    const wave = await student.agent.get(`/media/${first.id}/waveform.json`).expect(200);
    expect(wave.headers['content-type']).toMatch(/^application\/json/);
    await student.agent.get(`/media/${first.id}/poster.jpg`).expect(404);
    const json = (await student.agent.get(`/api/media/${first.id}`).expect(200)).body;
    expect(json).toMatchObject({
      hls: expect.stringMatching(new RegExp(`^/media/g/[^/]+/${first.id}/hls/master.m3u8$`)),
      waveform: expect.stringMatching(/\/waveform\.json$/),
      poster: null,
    });
    // the signed URL works without the cookie (e.g. for the player), a forged or foreign one does not
    const signed = await t.request.get(json.hls).expect(200);
    expect(signed.text).toContain('#EXTM3U');
    await t.request.get(json.hls.replace(/\.[\w-]{32}\//, `.${'A'.repeat(32)}/`)).expect(404);
    await t.request.get(json.hls.replace(first.id, crypto.randomUUID())).expect(404);
  });

  it('a second upload becomes part 2; the interview embeds its media by part', async () => {
    const res = await upload(student, audio, 'band2.m4a').expect(202);
    expect(res.body).toMatchObject({
      part: 2,
      kind: 'audio',
      originalMime: 'audio/mp4',
      originalPlayable: true,
      technical: { container: 'm4a', video: null },
    });
    const interview = await student.agent.get(`/api/interviews/${interviewId}`).expect(200);
    expect(interview.body.media.map((m: { part: number; id: string }) => [m.part, m.id])).toEqual([
      [1, first.id],
      [2, res.body.id],
    ]);
    expect(interview.body.media[1].jobs[0]).toMatchObject({ name: 'media.renditions', status: 'queued' });
    const original = await student.agent.get(`/media/${res.body.id}/original`).expect(200);
    expect(original.headers['content-type']).toBe('audio/mp4');
  });

  it('anonymous visitors and other contributors get 404 for the medium, its files and its job; curators see them', async () => {
    const jobId = first.jobs[0].id as string;
    for (const agent of [t.request, other.agent]) {
      await agent.get(`/api/media/${first.id}`).expect(404);
      await agent.get(`/media/${first.id}/original`).expect(404);
      await agent.get(`/media/${first.id}/hls/master.m3u8`).expect(404);
      await agent.get(`/api/jobs/${jobId}`).expect(404);
    }
    // uploading to someone else's draft: 404 (not disclosed); anonymous: 401 on a visible one is tested via publish below
    const denied = await upload(other, audio, 'x.m4a').expect(404);
    expect(denied.headers['content-type']).toMatch(/^application\/problem\+json/);
    await other.agent.delete(`/api/media/${first.id}`).set('X-CSRF-Token', other.csrf).expect(404);
    await curator.agent.get(`/api/media/${first.id}`).expect(200);
    await curator.agent.get(`/media/${first.id}/original`).set('Range', 'bytes=0-9').expect(206);
    await curator.agent.get(`/api/jobs/${jobId}`).expect(200);
  });

  it('DELETE cancels the jobs (running ones reported for the worker) and removes original and renditions', async () => {
    const jobId = first.jobs[0].id as string;
    // a worker has taken the job: deleting must report it so that the in-process worker kills ffmpeg at once
    const claimed = await t.store.jobs.claim('test-worker', 60_000, new Date(Date.now() + 1000), ['media.renditions']);
    expect(claimed?.id).toBe(jobId);
    const cancelled: string[][] = [];
    t.services.media.on('jobsCancelled', (ids) => cancelled.push(ids));

    await student.agent.delete(`/api/media/${first.id}`).set('X-CSRF-Token', student.csrf).expect(204);
    expect(cancelled).toEqual([[jobId]]);
    await student.agent.get(`/api/media/${first.id}`).expect(404);
    await student.agent.get(`/media/${first.id}/original`).expect(404);
    await student.agent.get(`/api/jobs/${jobId}`).expect(404);
    // job rows go with their medium (the history is of no use without it)
    expect(t.store.db.prepare('SELECT count(*) FROM jobs WHERE id = ?').pluck().get(jobId)).toBe(0);
    expect(fs.existsSync(path.join(t.config.uploadsDir, 'originals', interviewId, first.id))).toBe(false);
    expect(fs.existsSync(path.join(t.config.uploadsDir, 'renditions', first.id))).toBe(false);
    const interview = await student.agent.get(`/api/interviews/${interviewId}`).expect(200);
    expect(interview.body.media.map((m: { part: number }) => m.part)).toEqual([2]);
  });

  it('deleting the interview deletes its media first (queued job cancelled, files gone)', async () => {
    const { body } = await student.agent
      .post('/api/interviews')
      .set('X-CSRF-Token', student.csrf)
      .send({ title: 'Kurz' })
      .expect(201);
    const medium = (await upload(student, audio, 'kurz.m4a', body.id).expect(202)).body;
    expect(fs.existsSync(path.join(t.config.uploadsDir, 'originals', body.id, medium.id))).toBe(true);
    await student.agent.delete(`/api/interviews/${body.id}`).set('X-CSRF-Token', student.csrf).expect(204);
    expect(t.store.db.prepare('SELECT count(*) FROM jobs WHERE media_id = ?').pluck().get(medium.id)).toBe(0);
    expect(fs.existsSync(path.join(t.config.uploadsDir, 'originals', body.id))).toBe(false);
    await curator.agent.get(`/api/media/${medium.id}`).expect(404);
  });

  it('anonymous uploads to a published interview are 401; contributors cannot add media once it is published (403)', async () => {
    const { body } = await student.agent
      .post('/api/interviews')
      .set('X-CSRF-Token', student.csrf)
      .send({ title: 'Öffentlich', visibility: 'public' })
      .expect(201);
    await student.agent
      .patch(`/api/interviews/${body.id}`)
      .set('X-CSRF-Token', student.csrf)
      .send({ status: 'ready_for_review' })
      .expect(200);
    await curator.agent
      .post(`/api/interviews/${body.id}/consents`)
      .set('X-CSRF-Token', curator.csrf)
      .send(fullConsent)
      .expect(201);
    for (const status of ['in_review', 'approved', 'published']) {
      await curator.agent
        .patch(`/api/interviews/${body.id}`)
        .set('X-CSRF-Token', curator.csrf)
        .send({ status })
        .expect(200);
    }
    const anon = await t.request.post(`/api/interviews/${body.id}/media`).attach('file', audio, 'a.m4a').expect(401);
    expect(anon.headers['content-type']).toMatch(/^application\/problem\+json/);
    await upload(student, audio, 'a.m4a', body.id).expect(403);
    expect(filesUnder(path.join(t.config.uploadsDir, 'tmp'))).toEqual([]);
  });
});
