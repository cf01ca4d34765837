// Faults of the speech-recognition engine, with the real ingest chain, worker and store. The engine here is either
// nothing at all (a closed port: really unreachable) or a stub HTTP server that answers empty, garbage or "no text"
// — answers a real engine gives only when it is broken, so they are stubbed (said in the test names).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpAsrEngine } from '../../server/asr/http-engine.js';
import { startWorkers, type Workers } from '../../workers/setup.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeAudio } from '../helpers/media.js';
import { freePort, hasEspeak, speakSentences } from '../helpers/speech.js';
import { untilWithin } from '../helpers/until.js';

type Login = Awaited<ReturnType<TestApp['loginAs']>>;

const until = untilWithin(90_000, 200);

describe.skipIf(!hasEspeak())(
  'speech-recognition faults: engine down, empty or garbage answers; transcript untouched',
  () => {
    let t: TestApp;
    let workers: Workers;
    let curator: Login;
    let dir: string;
    let mediaId: string;
    let interviewId: string;
    let stub: http.Server;
    let stubMode: 'empty' | 'garbage' | 'html' | 'nothing' | 'hang' = 'empty';
    const hanging: http.ServerResponse[] = [];
    let stubCalls = 0;
    let stubUrl: string;
    const engine = { current: null as HttpAsrEngine | null };

    const send = (method: 'post' | 'put', url: string) => curator.agent[method](url).set('X-CSRF-Token', curator.csrf);
    const waitJob = (id: string) =>
      until(async () => {
        const res = await curator.agent.get(`/api/jobs/${id}`).expect(200);
        return ['done', 'failed', 'cancelled'].includes(res.body.status) ? res.body : undefined;
      });

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-asr-faults-'));
      stub = http.createServer((req, res) => {
        stubCalls++;
        req.resume();
        req.on('end', () => {
          if (stubMode === 'hang')
            hanging.push(res); // answers only when the test ends
          else if (stubMode === 'empty') res.writeHead(200, { 'content-type': 'application/json' }).end('');
          else if (stubMode === 'garbage')
            res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":"ok","items":[1,2,3]}');
          else if (stubMode === 'html')
            res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Bad gateway config</body></html>');
          else
            res
              .writeHead(200, { 'content-type': 'application/json' })
              .end('{"text":"","segments":[],"language":"en","duration":"12.5"}');
        });
      });
      stub.listen(0, '127.0.0.1');
      await new Promise((r) => stub.once('listening', r));
      stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/v1`;
      // a port nobody listens on: connection refused
      const deadUrl = `http://127.0.0.1:${await freePort()}/v1`;
      t = await createTestApp({ ASR_URL: deadUrl, ASR_MODEL: 'tiny.en' });
      engine.current = new HttpAsrEngine({ url: deadUrl, model: 'tiny.en' });
      // the worker's engine is swapped per test through this proxy (same interface, same code path)
      const proxy = {
        name: 'http',
        model: 'tiny.en',
        maxChunkSec: 600,
        transcribe: (
          audio: Parameters<HttpAsrEngine['transcribe']>[0],
          o: Parameters<HttpAsrEngine['transcribe']>[1],
        ) => engine.current!.transcribe(audio, o),
      };
      workers = startWorkers(t.config, t.store, t.services.queue, { pollMs: 50, sweepMs: 1000, asr: proxy });
      t.services.queue.on('enqueued', () => workers.worker.poke());
      curator = await t.loginAs('curator');
      interviewId = (await send('post', '/api/interviews').send({ title: 'Störungen', language: 'en' }).expect(201))
        .body.id;
      const spoken = await speakSentences(dir, { sentences: ['The excavator stopped.', 'Nobody knew why.'] });
      const up = await send('post', `/api/interviews/${interviewId}/media`)
        .attach('file', spoken.file, 'band.wav')
        .expect(202);
      mediaId = up.body.id;
      await until(async () => (await curator.agent.get(`/api/media/${mediaId}`).expect(200)).body.status === 'ready');
      const human = { version: 1, segments: [{ start: 0.5, end: 3, speaker: null, text: 'Von Hand geschrieben.' }] };
      await send('put', `/api/interviews/${interviewId}/media/${mediaId}/transcript?format=json`)
        .set('content-type', 'application/json')
        .send(JSON.stringify(human))
        .expect(201);
    }, 120_000);

    afterAll(async () => {
      await workers?.stop();
      await t?.close();
      for (const res of hanging) res.destroy();
      stub?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const untouched = async () => {
      const head = await t.store.transcripts.head(mediaId);
      expect(head?.currentVersion).toBe(1);
      expect((await t.store.transcripts.listVersions(mediaId)).map((v) => v.source)).toEqual(['import:json']);
    };

    it('engine unreachable (closed port): three attempts with backoff, then a failed job naming the engine; transcript untouched', async () => {
      const res = await send('post', `/api/media/${mediaId}/transcribe`).send({ language: 'en' }).expect(202);
      const job = await waitJob(res.body.id);
      expect(job.status).toBe('failed');
      expect(job.attempts).toBe(3);
      expect(job.error).toMatch(/engine unreachable .*127\.0\.0\.1.*ECONNREFUSED/);
      await untouched();
    }, 90_000);

    it('cancel a queued job and retry it: a new job with the same payload', async () => {
      engine.current = new HttpAsrEngine({ url: stubUrl, model: 'tiny.en' });
      stubMode = 'nothing';
      await workers.worker.stop();
      const res = await send('post', `/api/media/${mediaId}/transcribe`).send({ language: 'en' }).expect(202);
      // asked twice while queued: the same job
      const again = await send('post', `/api/media/${mediaId}/transcribe`).send({ language: 'en' }).expect(202);
      expect(again.body.id).toBe(res.body.id);
      const cancelled = await send('post', `/api/jobs/${res.body.id}/cancel`).send({}).expect(200);
      expect(cancelled.body.status).toBe('cancelled');
      await send('post', `/api/jobs/${res.body.id}/cancel`).send({}).expect(409);
      const retried = await send('post', `/api/jobs/${res.body.id}/retry`).send({}).expect(202);
      expect(retried.body.id).not.toBe(res.body.id);
      expect(retried.body).toMatchObject({ name: 'media.transcribe', status: 'queued' });
      workers.worker.start();
      const job = await waitJob(retried.body.id);
      // the stub answers "no text at all" for audible speech
      expect(job.status).toBe('failed');
      expect(job.error).toContain('no speech found');
      await untouched();
    });

    it('cancel a running job (stub engine that never answers): the worker stops at once, no version', async () => {
      engine.current = new HttpAsrEngine({ url: stubUrl, model: 'tiny.en' });
      stubMode = 'hang';
      const res = await send('post', `/api/media/${mediaId}/transcribe`).send({ language: 'en' }).expect(202);
      await until(
        async () =>
          hanging.length > 0 &&
          (await curator.agent.get(`/api/jobs/${res.body.id}`).expect(200)).body.status === 'running',
      );
      const cancelled = await send('post', `/api/jobs/${res.body.id}/cancel`).send({}).expect(200);
      expect(cancelled.body.status).toBe('cancelled');
      // the worker gives up the attempt (heartbeat sees the cancel) and the job stays cancelled
      await until(async () => workers.worker.activeJobIds.length === 0, 20_000);
      const job = (await curator.agent.get(`/api/jobs/${res.body.id}`).expect(200)).body;
      expect(job.status).toBe('cancelled');
      await untouched();
    });

    for (const [mode, message] of [
      ['empty', /not JSON/],
      ['garbage', /not a transcription/],
      ['html', /not JSON/],
    ] as const) {
      it(`${mode} answer (stub engine) → failed at once with a clear message, no empty version`, async () => {
        engine.current = new HttpAsrEngine({ url: stubUrl, model: 'tiny.en' });
        stubMode = mode;
        const calls = stubCalls;
        const res = await send('post', `/api/media/${mediaId}/transcribe`).send({ language: 'en' }).expect(202);
        const job = await waitJob(res.body.id);
        expect(job.status).toBe('failed');
        expect(job.attempts).toBe(1);
        expect(job.error).toMatch(message);
        expect(stubCalls).toBe(calls + 1);
        await untouched();
      });
    }
  },
);

describe('speech recognition switched off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('GET /api/asr says it is off and how to turn it on; starting a transcription answers 503 with that text', async () => {
    const status = await t.request.get('/api/asr').expect(200);
    expect(status.body).toMatchObject({ enabled: false, engine: null });
    expect(status.body.howToEnable.de).toContain('ASR_URL');
    const curator = await t.loginAs('curator');
    const interview = (
      await curator.agent.post('/api/interviews').set('X-CSRF-Token', curator.csrf).send({ title: 'Aus' }).expect(201)
    ).body;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-asr-off-'));
    const file = await makeAudio(dir, { seconds: 2, format: 'wav' });
    const medium = (
      await curator.agent
        .post(`/api/interviews/${interview.id}/media`)
        .set('X-CSRF-Token', curator.csrf)
        .attach('file', file, 'a.wav')
        .expect(202)
    ).body;
    fs.rmSync(dir, { recursive: true, force: true });
    const res = await curator.agent
      .post(`/api/media/${medium.id}/transcribe`)
      .set('X-CSRF-Token', curator.csrf)
      .send({ language: 'de' });
    expect(res.status).toBe(503);
    expect(res.body.detail).toContain('ASR_URL');
  });
});
