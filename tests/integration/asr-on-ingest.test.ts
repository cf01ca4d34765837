// "Or on ingest when the collection says so": a collection with autoTranscribe on gets an automatic draft for every
// medium once its renditions are ready, without anyone POSTing …/transcribe; a collection without it gets none; and
// the decision is idempotent (re-run chain, renditions re-made after a restriction, a sweep that finds the medium
// again). Real parts: Whisper tiny.en served by `npm run asr-engine`, English speech from espeak-ng, the real ingest
// chain (ffmpeg → HLS + M4A), the real job worker, SQLite and the run's Meilisearch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpAsrEngine } from '../../server/asr/http-engine.js';
import { planTranscriptionOnIngest, transcriptionLanguage } from '../../server/asr/on-ingest.js';
import { moduleLogger } from '../../server/logger.js';
import { remakeRenditions } from '../../server/media/restrictions.js';
import { advanceIngest } from '../../server/media/ingest-flow.js';
import { startWorkers, type Workers } from '../../workers/setup.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import {
  englishSentences,
  freePort,
  hasAsrEngine,
  hasEspeak,
  speakSentences,
  startAsrEngine,
  wordErrorRate,
  type SpokenText,
} from '../helpers/speech.js';
import { untilWithin } from '../helpers/until.js';

type Login = Awaited<ReturnType<TestApp['loginAs']>>;

const until = untilWithin(180_000, 200);

describe('transcriptionLanguage (which language the engine is told)', () => {
  it("the collection's language first, else the interview's primary subtag, else German", () => {
    expect(transcriptionLanguage('en', 'de')).toBe('en');
    expect(transcriptionLanguage(null, 'de-DE')).toBe('de');
    expect(transcriptionLanguage(null, 'nds')).toBe('nds');
    expect(transcriptionLanguage(null, 'EN-gb')).toBe('en');
    expect(transcriptionLanguage(null, null)).toBe('de');
    expect(transcriptionLanguage(null, 'x-klingon-long')).toBe('de');
  });
});

const ready = hasAsrEngine() && hasEspeak();

describe.skipIf(!ready)(
  '[needs asr-engine] automatic transcription on ingest when the collection says so, Whisper tiny.en (skipped: run scripts/setup.sh --with-test-tools)',
  () => {
    let t: TestApp;
    let workers: Workers;
    let engine: Awaited<ReturnType<typeof startAsrEngine>>;
    let curator: Login;
    let dir: string;
    let spoken: SpokenText;
    let autoCollection: string;
    let manualCollection: string;
    let autoMedium: string;
    let autoInterview: string;
    let manualMedium: string;
    const logger = moduleLogger('test');

    const send = (method: 'post' | 'put' | 'patch', url: string) =>
      curator.agent[method](url).set('X-CSRF-Token', curator.csrf);
    const transcribeJobs = async (mediaId: string) =>
      (await t.store.jobs.listByMedia(mediaId)).filter((j) => j.name === 'media.transcribe');
    const interviewIn = async (collectionId: string, title: string) =>
      (
        await send('post', '/api/interviews')
          .send({
            title,
            language: 'en',
            collectionId,
            people: [{ name: 'Horst Krüger', role: 'narrator' }],
            keywords: ['excavator'],
          })
          .expect(201)
      ).body.id as string;
    const uploadAndWaitReady = async (interviewId: string, name: string) => {
      const res = await send('post', `/api/interviews/${interviewId}/media`)
        .attach('file', spoken.file, name)
        .expect(202);
      await until(async () => {
        const m = await curator.agent.get(`/api/media/${res.body.id}`).expect(200);
        if (m.body.status === 'failed') throw new Error(m.body.error);
        return m.body.status === 'ready';
      });
      return res.body.id as string;
    };
    const workersIdle = () =>
      until(
        async () => !(await t.store.jobs.hasActive(autoMedium)) && !(await t.store.jobs.hasActive(manualMedium)),
        180_000,
        250,
      );

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-asr-ingest-'));
      engine = await startAsrEngine(await freePort());
      t = await createTestApp({ ASR_URL: engine.url, ASR_MODEL: 'tiny.en' });
      workers = startWorkers(t.config, t.store, t.services.queue, {
        pollMs: 50,
        sweepMs: 1000,
        search: t.services.search,
      });
      t.services.queue.on('enqueued', () => workers.worker.poke());
      curator = await t.loginAs('curator');
      // three sentences, ~10 s: enough to judge the draft, short enough for a shared 2-core machine
      spoken = await speakSentences(dir, { sentences: englishSentences.slice(0, 3) });
    }, 180_000);

    afterAll(async () => {
      await workers?.stop();
      await t?.close();
      await engine?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('the setting is part of a collection: off by default, set on create and by PATCH (If-Match), a bad language is a 422 naming the field', async () => {
      const manual = await send('post', '/api/collections').send({ title: 'Von Hand transkribiert' }).expect(201);
      expect(manual.body.autoTranscribe).toEqual({ enabled: false, language: null });
      manualCollection = manual.body.id;

      const auto = await send('post', '/api/collections')
        .send({ title: 'Spring School 2026 (English)', autoTranscribe: { enabled: true } })
        .expect(201);
      expect(auto.body.autoTranscribe).toEqual({ enabled: true, language: null });
      autoCollection = auto.body.id;
      const patched = await send('patch', `/api/collections/${autoCollection}`)
        .set('If-Match', 'W/"v1"')
        .send({ autoTranscribe: { enabled: true, language: 'EN' } })
        .expect(200);
      expect(patched.body).toMatchObject({ version: 2, autoTranscribe: { enabled: true, language: 'en' } });
      expect((await t.request.get(`/api/collections/${autoCollection}`).expect(200)).body.autoTranscribe).toEqual({
        enabled: true,
        language: 'en',
      });

      const bad = await send('patch', `/api/collections/${autoCollection}`)
        .send({ autoTranscribe: { enabled: true, language: 'english' } })
        .expect(422);
      expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(bad.body)).toContain('autoTranscribe');
      await send('patch', `/api/collections/${autoCollection}`)
        .send({ autoTranscribe: { language: 'en' } })
        .expect(422);
      await send('patch', `/api/collections/${autoCollection}`)
        .send({ autoTranscribe: { enabled: 'yes', language: null } })
        .expect(422);
      // a contributor may not change collections
      const student = await t.loginAs('contributor');
      await student.agent
        .patch(`/api/collections/${manualCollection}`)
        .set('X-CSRF-Token', student.csrf)
        .send({ autoTranscribe: { enabled: true, language: null } })
        .expect(403);
      expect((await t.store.collections.findById(manualCollection))?.autoTranscribe).toEqual({
        enabled: false,
        language: null,
      });
    });

    it('a medium of an interview in the collection with the setting gets an automatic draft after upload, without any POST …/transcribe; one without the setting gets none', async () => {
      autoInterview = await interviewIn(autoCollection, 'Tagebau Golpa-Nord');
      const manualInterview = await interviewIn(manualCollection, 'Kraftwerk Zschornewitz');
      const started = Date.now();
      [autoMedium, manualMedium] = await Promise.all([
        uploadAndWaitReady(autoInterview, 'band1.wav'),
        uploadAndWaitReady(manualInterview, 'band1.wav'),
      ]);

      // the decision is taken before the medium is marked ready, so the job is there the moment it is
      const [job] = await transcribeJobs(autoMedium);
      expect(job).toMatchObject({
        name: 'media.transcribe',
        payload: { v: 1, mediaId: autoMedium, language: 'en', requestedBy: null },
      });
      const done = await until(async () => {
        const j = (await curator.agent.get(`/api/jobs/${job!.id}`).expect(200)).body;
        return j.status === 'done' || j.status === 'failed' ? j : undefined;
      });
      expect(done.error).toBeNull();
      expect(done.status).toBe('done');
      const seconds = (Date.now() - started) / 1000;

      const draft = (
        await curator.agent.get(`/api/interviews/${autoInterview}/media/${autoMedium}/transcript`).expect(200)
      ).body;
      expect(draft).toMatchObject({
        version: 1,
        source: 'asr:http:tiny.en',
        draft: { origin: 1, source: 'asr:http:tiny.en' },
      });
      const hypothesis = draft.segments.map((s: { text: string }) => s.text).join(' ');
      const wer = wordErrorRate(spoken.sentences.map((s) => s.text).join(' '), hypothesis);
      console.log(
        `[asr-on-ingest] upload → ready → draft in ${seconds.toFixed(1)} s for ${spoken.durationSec.toFixed(1)} s of speech (both uploads at once); WER ${wer.toFixed(3)}: ${hypothesis}`,
      );
      expect(wer).toBeLessThanOrEqual(0.35);

      // the collection without the setting: the chain is through as well, and there is no job and no transcript
      await workersIdle();
      expect(await transcribeJobs(manualMedium)).toEqual([]);
      expect(await t.store.transcripts.head(manualMedium)).toBeNull();
      await curator.agent.get(`/api/interviews/${manualInterview}/media/${manualMedium}/transcript`).expect(404);
    }, 400_000);

    it('idempotent: the chain run again, the sweep finding the medium, and renditions re-made after a restriction queue no second transcription', async () => {
      const before = await transcribeJobs(autoMedium);
      expect(before).toHaveLength(1);
      const asr = new HttpAsrEngine({ url: engine.url, model: 'tiny.en' });

      // the chain's last step reported done twice (a redelivered hook), and its completion repeated
      await advanceIngest({ store: t.store, queue: t.services.queue, asr }, autoMedium);
      await advanceIngest(
        { store: t.store, queue: t.services.queue, asr },
        (await t.store.media.findById(autoMedium))!,
      );
      expect(
        await planTranscriptionOnIngest(
          { store: t.store, queue: t.services.queue, asr, logger },
          (await t.store.media.findById(autoMedium))!,
        ),
      ).toEqual({ outcome: 'has-transcript' });

      // a restriction changed: the renditions are made again and the chain completes again
      await remakeRenditions(t.store, t.services.queue, (await t.store.media.findById(autoMedium))!, logger);
      await until(
        async () =>
          (await t.store.media.findById(autoMedium))?.status === 'ready' && !(await t.store.jobs.hasActive(autoMedium)),
        180_000,
        250,
      );
      // the sweep finds nothing to finish, and says so
      const swept = await workers.sweepNow();
      expect(swept.completed).toBe(0);

      expect((await transcribeJobs(autoMedium)).map((j) => j.id)).toEqual(before.map((j) => j.id));
      const head = await t.store.transcripts.head(autoMedium);
      expect(head?.currentVersion).toBe(1);
    }, 300_000);

    it('no engine: nothing queued; the sweep completing an unfinished medium decides too; asked once, never again even without a transcript (cancelled or failed: a person retries)', async () => {
      // the collection without the setting turns it on now: its medium (no transcript yet) would be transcribed at its
      // next completion — once
      await send('patch', `/api/collections/${manualCollection}`)
        .send({ autoTranscribe: { enabled: true, language: null } })
        .expect(200);
      const asr = new HttpAsrEngine({ url: engine.url, model: 'tiny.en' });
      const medium = (await t.store.media.findById(manualMedium))!;

      // no engine on this worker: nothing is queued (the settings page says how to turn ASR on)
      expect(
        await planTranscriptionOnIngest({ store: t.store, queue: t.services.queue, asr: null, logger }, medium),
      ).toEqual({ outcome: 'asr-off' });
      expect(await transcribeJobs(manualMedium)).toEqual([]);

      // a crash left the medium unfinished although all its steps are done: the sweep completes the chain, and with it
      // the decision (this worker has an engine)
      await t.store.media.update(manualMedium, { status: 'processing' }, new Date().toISOString());
      await workers.sweepNow();
      expect((await t.store.media.findById(manualMedium))?.status).toBe('ready');
      const queued = await transcribeJobs(manualMedium);
      expect(queued).toHaveLength(1);
      expect(queued[0]!.payload).toMatchObject({ language: 'en', requestedBy: null }); // the interview's language
      const first = { job: queued[0]! };
      // cancelled before it ran (or while it ran): no transcript, and still no second job on the next completion
      const cancel = await send('post', `/api/jobs/${first.job.id}/cancel`);
      expect([200, 409]).toContain(cancel.status); // 409: it was faster than the cancel
      const cancelled = await until(async () => {
        const j = await t.store.jobs.findById(first.job.id);
        return j && j.status !== 'queued' && j.status !== 'running' ? j : undefined;
      });
      expect(['cancelled', 'done']).toContain(cancelled.status);
      expect(await planTranscriptionOnIngest({ store: t.store, queue: t.services.queue, asr, logger }, medium)).toEqual(
        { outcome: cancelled.status === 'done' ? 'has-transcript' : 'already-requested' },
      );
      await advanceIngest({ store: t.store, queue: t.services.queue, asr }, medium);
      expect(await transcribeJobs(manualMedium)).toHaveLength(1);
      await workersIdle();
    }, 300_000);
  },
);
