// Issue #10 §5, the scale tier end to end on the MongoDB-wire engine (FerretDB), all real: `server/main.ts` as its
// own process with MONGODB_URI and WORKERS_IN_PROCESS=false (it runs no jobs; its embedded Meilisearch is the search
// engine), and two `npm run worker` processes that share nothing with it but the store, UPLOADS_DIR and Meilisearch
// (each its own DATA_DIR, MEILI_URL + key as on another machine). A 1280x720 video is uploaded; the worker holding
// the transcode's lease (the job record's leaseOwner names its pid) gets kill -9 mid-transcode; the other worker
// takes the job over once the lease expired and finishes it. Until then nothing of the medium's renditions is served.
// Then: transcript → search hit → publish → public search hit and playback → withdraw → hit gone, media refused.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { openMongoStore, type MongoStore } from '../../server/store/mongo/index.js';
import { needsFerret, withDatabase } from '../helpers/mongo-engine.js';
import { makeVideo } from '../helpers/media.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { processesIn } from '../helpers/processes.js';
import { processAlive, startWorkerProcess, type WorkerProcess } from './helpers/workers.js';

const mongoUri = inject('mongoUri');
const admin = { email: 'verbund@example.org', password: 'glück-auf-verbund-2026' };
/** Short leases so the takeover happens within seconds; the worker renews every lease/3 and sweeps every lease. */
const LEASE_SECONDS = 4;
const VIDEO_SECONDS = 16;
const WORD = 'Abraumförderbrücke';

async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  timeoutMs = 60_000,
  stepMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** ffprobe/ffmpeg over HTTP: the playlist is read as a player reads it, through the app. */
function probe(url: string): {
  format: { duration: string };
  streams: { codec_type: string; width?: number; height?: number; nb_read_packets?: string }[];
} {
  const r = spawnSync(
    'ffprobe',
    ['-v', 'error', '-count_packets', '-print_format', 'json', '-show_format', '-show_streams', url],
    { timeout: 60_000 },
  );
  if (r.status !== 0) throw new Error(`ffprobe ${url}: ${r.stderr.toString()}`);
  return JSON.parse(r.stdout.toString());
}

/** Decodes every segment of a playlist to the null muxer; any broken or truncated segment is an error. */
function decodeErrors(url: string): string {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-xerror', '-i', url, '-map', '0', '-f', 'null', '-'], {
    timeout: 120_000,
  });
  return r.status === 0 ? r.stderr.toString().trim() : `exit ${r.status}: ${r.stderr.toString()}`;
}

/** Pids of the processes whose working directory is `dir` (ffmpeg runs in the job's work directory, with relative names). */
interface Poll {
  at: number;
  file: string;
  status: number;
  body: string;
}

describe.skipIf(!mongoUri)(
  `end to end at scale: app + 2 worker processes on the MongoDB-wire engine ${needsFerret}`,
  () => {
    let server: RunningServer;
    const workers: WorkerProcess[] = [];
    let store: MongoStore;
    let dir: string;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-scale-'));
      const uri = withDatabase(mongoUri, `schichtbuch_e2e_${crypto.randomBytes(5).toString('hex')}`);
      server = await startServer({
        MONGODB_URI: uri,
        WORKERS_IN_PROCESS: 'false',
        ADMIN_EMAIL: admin.email,
        ADMIN_PASSWORD: admin.password,
      });
      store = await openMongoStore(uri);
      // the app's embedded Meilisearch, handed to the workers the way a remote machine gets it
      const meiliUrl = fs.readFileSync(path.join(server.dir, 'data', 'meili-url'), 'utf8').trim();
      const meiliKey = fs.readFileSync(path.join(server.dir, 'data', 'meili-master-key'), 'utf8').trim();
      const workerEnv = (name: string) => ({
        MONGODB_URI: uri,
        MEILI_URL: meiliUrl,
        MEILI_MASTER_KEY: meiliKey,
        UPLOADS_DIR: path.join(server.dir, 'uploads'),
        DATA_DIR: path.join(dir, `${name}-data`),
        WORKER_CONCURRENCY: '1',
        JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      });
      workers.push(
        ...(await Promise.all(['worker-a', 'worker-b'].map((name) => startWorkerProcess(name, workerEnv(name))))),
      );
    }, 120_000);

    afterAll(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await store?.dropDatabase().catch(() => undefined);
      await store?.close();
      await server?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('upload → kill -9 of the transcoding worker → takeover after the lease → HLS ready, never half-served → transcript → search → publish → withdraw', async () => {
      expect(workers[0]!.owner).not.toBe(workers[1]!.owner);
      const staff = supertest.agent(server.url);
      const login = await staff.post('/api/auth/login').send(admin).expect(200);
      const csrf = login.body.csrfToken as string;
      const send = (method: 'post' | 'patch' | 'put', url: string) => staff[method](url).set('X-CSRF-Token', csrf);
      const publicAgent = () => supertest(server.url);

      const interview = (
        await send('post', '/api/interviews').send({ title: 'Verbund: die Abraumförderbrücke' }).expect(201)
      ).body;
      const file = await makeVideo(dir, { seconds: VIDEO_SECONDS, width: 1280, height: 720, fps: 25, withAudio: true });
      const uploadedAt = Date.now();
      const upload = await staff
        .post(`/api/interviews/${interview.id}/media`)
        .set('X-CSRF-Token', csrf)
        .attach('file', file, 'band1.mp4')
        .expect(202);
      const mediaId = upload.body.id as string;

      // from now on, until the medium is ready: what the app serves of its renditions
      const polls: Poll[] = [];
      let polling = true;
      const files = [
        'hls/master.m3u8',
        'hls/720p/index.m3u8',
        'hls/720p/init.mp4',
        'hls/720p/seg_00000.m4s',
        'download.m4a',
        'poster.jpg',
      ];
      const poller = (async () => {
        while (polling && server.process.exitCode === null) {
          for (const f of files) {
            const at = Date.now();
            const res = await staff
              .get(`/media/${mediaId}/${f}`)
              .buffer(true)
              .parse((r, cb) => {
                let body = '';
                r.on('data', (c: Buffer) => (body += c.toString('latin1')));
                r.on('end', () => cb(null, body));
              });
            polls.push({ at, file: f, status: res.status, body: String(res.body ?? '') });
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      })();

      poller.catch(() => undefined);
      onTestFinished(() => {
        polling = false;
      });
      const renditionsJob = async () =>
        (await store.jobs.listByMedia(mediaId)).find((j) => j.name === 'media.renditions');
      const first = await until(
        'a worker transcodes (progress ≥ 5 %)',
        async () => {
          const job = await renditionsJob();
          return job?.status === 'running' && job.progress >= 5 ? job : null;
        },
        90_000,
        50,
      );
      const victim = workers.find((w) => w.owner === first.leaseOwner);
      const survivor = workers.find((w) => w.owner !== first.leaseOwner)!;
      expect(victim, `lease owner ${first.leaseOwner} is one of the two workers`).toBeDefined();
      expect(first.attempts).toBe(1);
      const victimWorkDir = path.join(server.dir, 'uploads', 'tmp', 'jobs', `${first.id}.1`);
      expect(
        fs.readdirSync(victimWorkDir, { recursive: true }).length,
        'the victim has partial output',
      ).toBeGreaterThan(0);
      const victimFfmpeg = processesIn(victimWorkDir);
      expect(
        victimFfmpeg.map((pid) => fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim()),
        'its ffmpeg runs in the work directory',
      ).toEqual(['ffmpeg']);

      const beforeKill = (await renditionsJob())!;
      expect(beforeKill.status).toBe('running');
      expect(beforeKill.progress).toBeLessThan(90);
      const killedAt = Date.now();
      await victim!.crash();
      expect(processAlive(victim!.pid)).toBe(false);
      // its ffmpeg loses the progress pipe and ends too: no orphan keeps writing into the shared uploads
      await until('the orphaned ffmpeg ends', () => victimFfmpeg.every((pid) => !processAlive(pid)), 10_000, 50);
      const ffmpegGoneMs = Date.now() - killedAt;
      const leaseAtKill = (await renditionsJob())!;
      expect(leaseAtKill).toMatchObject({ status: 'running', leaseOwner: victim!.owner, attempts: 1 });

      const takeover = await until(
        'the survivor takes the job over',
        async () => {
          const job = await renditionsJob();
          return job?.status === 'running' && job.leaseOwner === survivor.owner ? job : null;
        },
        60_000,
        50,
      );
      const takenOverAt = Date.now();
      expect(takeover.attempts).toBe(2);
      const expiredAt = Date.parse(leaseAtKill.leaseExpiresAt!);
      // not before the lease ran out: nobody takes a live worker's job
      expect(Date.parse(takeover.startedAt!)).toBeGreaterThanOrEqual(expiredAt);

      const ready = await until(
        'the medium is ready',
        async () => {
          const res = await staff.get(`/api/media/${mediaId}`).expect(200);
          if (res.body.status === 'failed') throw new Error(`medium failed: ${res.body.error}`);
          return res.body.status === 'ready' ? res.body : null;
        },
        120_000,
        100,
      );
      const readyAt = Date.now();
      polling = false;
      await poller;

      const done = (await renditionsJob())!;
      expect(done).toMatchObject({ status: 'done', attempts: 2, progress: 100 });
      expect(
        ready.jobs.map(
          (j: { name: string; status: string; attempts: number }) => `${j.name}:${j.status}:${j.attempts}`,
        ),
      ).toEqual(['media.renditions:done:2']);
      // the survivor's log names the job it finished; the victim's log ends before "job done"
      const finishedBy = (w: WorkerProcess) => w.records().some((r) => r.msg === 'job done' && r.jobId === first.id);
      expect(finishedBy(survivor)).toBe(true);
      expect(finishedBy(victim!)).toBe(false);

      // nothing half-made was served: while attempt 1 ran, and until attempt 2 had put its verified files in place,
      // every rendition URL was refused; whatever was served afterwards is the final, complete file
      const master = await staff.get(ready.hls).expect(200);
      expect(master.text).toMatch(/RESOLUTION=1280x720/);
      expect(master.text).toMatch(/RESOLUTION=640x360/);
      const servedBefore = (t: number) => polls.filter((p) => p.at < t);
      expect(servedBefore(killedAt).length).toBeGreaterThan(0);
      expect(servedBefore(takenOverAt).every((p) => p.status === 404 || p.status === 409)).toBe(true);
      const refused = polls.filter((p) => p.status === 404 || p.status === 409).length;
      const served = polls.filter((p) => p.status === 200);
      expect(polls.filter((p) => p.status !== 200 && p.status !== 404 && p.status !== 409)).toEqual([]);
      for (const p of served.filter((s) => s.file === 'hls/master.m3u8')) expect(p.body).toBe(master.text);
      const renditionDir = path.join(server.dir, 'uploads', 'renditions', mediaId);
      for (const p of served.filter((s) => s.file !== 'hls/master.m3u8')) {
        expect(p.body.length, `${p.file} served whole`).toBe(fs.statSync(path.join(renditionDir, p.file)).size);
      }

      // every segment of both rungs decodes, and the ladder lasts as long as the original
      const signedBase = `${server.url}${ready.hls.slice(0, -'master.m3u8'.length)}`;
      const probed = probe(`${signedBase}master.m3u8`);
      expect(Number(probed.format.duration)).toBeCloseTo(VIDEO_SECONDS, 0);
      for (const rung of master.text.split('\n').filter((l: string) => l.endsWith('index.m3u8'))) {
        const rungProbe = probe(`${signedBase}${rung}`);
        const video = rungProbe.streams.find((s) => s.codec_type === 'video')!;
        expect(Number(video.nb_read_packets)).toBe(VIDEO_SECONDS * 25);
        expect(decodeErrors(`${signedBase}${rung}`)).toBe('');
      }
      // the killed worker's partial output is gone (the survivor's sweep), and nothing is left in tmp/jobs
      await until(
        "the killed attempt's work directory is swept",
        () => !fs.existsSync(victimWorkDir),
        3 * LEASE_SECONDS * 1000,
        100,
      );
      expect(fs.readdirSync(path.join(server.dir, 'uploads', 'tmp', 'jobs'))).toEqual([]);

      // transcript → search hit (staff sees the draft)
      const vtt = `WEBVTT\n\n00:00:01.000 --> 00:00:08.000\n<v Horst Krüger>Glück auf. Ich habe an der ${WORD} gearbeitet.\n\n00:00:08.000 --> 00:00:20.000\n<v Horst Krüger>Dreißig Jahre im Tagebau Golpa-Nord.\n`;
      await send('put', `/api/interviews/${interview.id}/media/${mediaId}/transcript?filename=band1.vtt`)
        .set('Content-Type', 'text/vtt')
        .send(vtt)
        .expect(201);
      const staffHit = await until(
        'the transcript is searchable for staff',
        async () => {
          const res = await staff.get(`/api/search?q=${encodeURIComponent(WORD)}`).expect(200);
          return res.body.hits?.find((h: { interviewId: string }) => h.interviewId === interview.id) ?? null;
        },
        60_000,
        200,
      );
      expect(staffHit.start).toBeCloseTo(1, 1);
      expect(
        (
          await publicAgent()
            .get(`/api/search?q=${encodeURIComponent(WORD)}`)
            .expect(200)
        ).body.hits,
      ).toEqual([]);
      await publicAgent().get(`/media/${mediaId}/hls/master.m3u8`).expect(404);

      // publish
      await send('post', `/api/interviews/${interview.id}/consents`)
        .send({
          narrator: 'Horst Krüger',
          scope: ['archive', 'research', 'education', 'public_web'],
          givenOn: '2019-05-17',
          method: 'signed_form',
        })
        .expect(201);
      await send('patch', `/api/interviews/${interview.id}`).send({ visibility: 'public' }).expect(200);
      for (const status of ['ready_for_review', 'in_review', 'approved', 'published']) {
        await send('patch', `/api/interviews/${interview.id}`).send({ status }).expect(200);
      }
      const publicHit = await until(
        'the public finds it',
        async () => {
          const res = await publicAgent()
            .get(`/api/search?q=${encodeURIComponent(WORD)}`)
            .expect(200);
          return res.body.hits?.find((h: { interviewId: string }) => h.interviewId === interview.id) ?? null;
        },
        60_000,
        200,
      );
      expect(publicHit.mediaId).toBe(mediaId);
      const publicMaster = await publicAgent().get(`/media/${mediaId}/hls/master.m3u8`).expect(200);
      expect(publicMaster.text).toBe(master.text);
      expect(Number(probe(`${server.url}/media/${mediaId}/hls/master.m3u8`).format.duration)).toBeCloseTo(
        VIDEO_SECONDS,
        0,
      );

      // withdraw: the hit goes, the media are refused (the staff's signed URL too)
      await send('patch', `/api/interviews/${interview.id}`)
        .send({ status: 'withdrawn', reason: 'Der Zeitzeuge widerruft.' })
        .expect(200);
      await until(
        'the hit is gone',
        async () => {
          const res = await publicAgent()
            .get(`/api/search?q=${encodeURIComponent(WORD)}`)
            .expect(200);
          return res.body.hits?.length === 0;
        },
        60_000,
        200,
      );
      await publicAgent().get(`/media/${mediaId}/hls/master.m3u8`).expect(404);
      await publicAgent().get(`/media/${mediaId}/original`).expect(404);
      await publicAgent().get(`/api/interviews/${interview.id}`).expect(404);
      expect([403, 404, 410]).toContain((await staff.get(ready.hls)).status);

      const timings = {
        leaseSeconds: LEASE_SECONDS,
        heartbeatMs: Math.round((LEASE_SECONDS * 1000) / 3),
        sweepMs: LEASE_SECONDS * 1000,
        uploadToClaimMs: Date.parse(first.startedAt!) - uploadedAt,
        killAtProgress: beforeKill.progress,
        orphanFfmpegGoneMs: ffmpegGoneMs,
        leaseExpiredAfterKillMs: expiredAt - killedAt,
        takeoverAfterKillMs: Date.parse(takeover.startedAt!) - killedAt,
        takeoverAfterLeaseExpiryMs: Date.parse(takeover.startedAt!) - expiredAt,
        readyAfterKillMs: readyAt - killedAt,
        uploadToReadyMs: readyAt - uploadedAt,
        renditionPolls: polls.length,
        refused,
        served: served.length,
        firstServedAfterTakeoverMs: served.length ? Math.min(...served.map((p) => p.at)) - takenOverAt : null,
      };
      console.log(`scale-workers timings: ${JSON.stringify(timings)}`);
    }, 240_000);
  },
);
