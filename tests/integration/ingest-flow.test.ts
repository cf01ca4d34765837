// The ingest flow module (server/media/ingest-flow.ts) on a real SQLite store and the real job queue: what it queues
// and what it writes on the medium when the chain starts, a step runs, succeeds or fails for good, the sweep advances
// a medium without a job, and derivatives become invalid. ffmpeg is not involved (ingest-chain.test.ts runs the steps).
// Plus the dependency direction: no file under server/ imports workers/, except the composition root server/main.ts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advanceIngest,
  ingestJobHooks,
  nextStep,
  overallProgress,
  replanIngest,
  startIngest,
  type IngestFlowDeps,
} from '../../server/media/ingest-flow.js';
import type { JobRecord, MediaDerivatives, Medium } from '../../server/store/types.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('ingest flow: start, advance, fail, re-plan', () => {
  let t: TestApp;
  let deps: IngestFlowDeps;
  let interviewId: string;

  beforeAll(async () => {
    t = await createTestApp();
    deps = { store: t.store, queue: t.services.queue };
    const student = await t.loginAs('contributor');
    interviewId = (
      await student.agent
        .post('/api/interviews')
        .set('X-CSRF-Token', student.csrf)
        .send({ title: 'Tagebau Golpa-Nord' })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  async function newMedium(derivatives: MediaDerivatives = {}, kind: Medium['kind'] = 'video'): Promise<Medium> {
    const now = new Date().toISOString();
    const id = crypto.randomUUID();
    return t.store.media.create({
      id,
      interviewId,
      part: await t.store.media.nextPart(interviewId),
      kind,
      status: 'stored',
      progress: 0,
      originalFilename: 'band1.mp4',
      originalPath: `originals/${interviewId}/${id}/original.mp4`,
      sha256: 'a'.repeat(64),
      sizeBytes: 1,
      technical: {
        container: 'mp4',
        durationSec: 60,
        bitRate: null,
        audio: { codec: 'aac', channels: 1, sampleRate: 48000 },
        video: null,
        playableMime: 'video/mp4',
      },
      derivatives,
      error: null,
      renditionRedaction: '',
      createdBy: null,
      createdAt: now,
      updatedAt: now,
    });
  }
  const jobsOf = async (mediaId: string) =>
    (await t.store.jobs.listByMedia(mediaId)).map((j) => `${j.name}:${j.status}`).sort();
  const medium = async (id: string) => (await t.store.media.findById(id))!;
  const jobNamed = async (mediaId: string, name: string): Promise<JobRecord> =>
    (await t.store.jobs.listByMedia(mediaId)).find((j) => j.name === name)!;

  const full: MediaDerivatives = {
    hls: 'h',
    download: 'd',
    poster: 'p',
    storyboard: 's',
    storyboardSprite: 'ss',
    waveform: 'w',
  };

  it('the chain begins with the one-pass renditions step', async () => {
    const m = await newMedium();
    await startIngest(deps, m);
    expect(await jobsOf(m.id)).toEqual(['media.renditions:queued']);
    expect(nextStep(m)).toBe('media.renditions');
  });

  it('the worker hooks mark the medium processing, carry the step progress, queue the missing step and end ready', async () => {
    const m = await newMedium();
    await startIngest(deps, m);
    const hooks = ingestJobHooks(deps);
    const job = await jobNamed(m.id, 'media.renditions');
    await hooks.onStart(job);
    expect(await medium(m.id)).toMatchObject({ status: 'processing', progress: 0, error: null });
    await hooks.onProgress(job, 50);
    expect((await medium(m.id)).progress).toBe(overallProgress('media.renditions', 50));
    expect((await medium(m.id)).progress).toBe(48);

    // the one pass left everything but the peaks: the waveform step is queued next
    await t.store.media.setDerivatives(
      m.id,
      { hls: 'h', download: 'd', poster: 'p', storyboard: 's' },
      new Date().toISOString(),
    );
    await t.store.jobs.cancelByMedia(m.id, new Date()); // the renditions job is over; only what the flow queues counts
    await hooks.onDone(job);
    expect((await jobsOf(m.id)).filter((j) => j.endsWith(':queued'))).toEqual(['media.waveform:queued']);
    expect((await medium(m.id)).status).toBe('processing');

    await t.store.media.setDerivatives(m.id, { waveform: 'w' }, new Date().toISOString());
    await hooks.onDone(await jobNamed(m.id, 'media.waveform'));
    expect(await medium(m.id)).toMatchObject({ status: 'ready', progress: 100, error: null });
  });

  it('a step that failed for good marks the medium failed with the step named; other jobs leave the medium alone', async () => {
    const m = await newMedium();
    await startIngest(deps, m);
    const hooks = ingestJobHooks(deps);
    await hooks.onFinalFailure(await jobNamed(m.id, 'media.renditions'), 'ffmpeg exited with code 1');
    expect(await medium(m.id)).toMatchObject({
      status: 'failed',
      error: 'media.renditions: ffmpeg exited with code 1',
    });

    const other = await newMedium(full);
    await t.services.queue.enqueue({ name: 'search.transcript', payload: { v: 1, mediaId: other.id } });
    const searchJob = await jobNamed(other.id, 'search.transcript');
    await hooks.onStart(searchJob);
    await hooks.onFinalFailure(searchJob, 'search down');
    await hooks.onDone(searchJob);
    expect(await medium(other.id)).toMatchObject({ status: 'stored', progress: 0, error: null });
  });

  it('advancing a medium without a job (the sweep) queues its next step or marks it ready; a deleted one is gone', async () => {
    const missingPeaks = await newMedium({ hls: 'h', download: 'd', poster: 'p', storyboard: 's' });
    expect(await advanceIngest(deps, missingPeaks)).toBe('queued');
    expect(await jobsOf(missingPeaks.id)).toEqual(['media.waveform:queued']);

    const audioComplete = await newMedium({ hls: 'h', download: 'd', poster: 'p', waveform: 'w' }, 'audio');
    expect(await advanceIngest(deps, audioComplete.id)).toBe('ready');
    expect(await medium(audioComplete.id)).toMatchObject({ status: 'ready', progress: 100 });
    expect(await jobsOf(audioComplete.id)).toEqual([]);

    expect(await advanceIngest(deps, crypto.randomUUID())).toBe('gone');
  });

  it('re-planning forgets the derivatives a step makes together and queues that step; a restriction change starts at the renditions', async () => {
    const fixity = await newMedium(full);
    await t.store.media.update(fixity.id, { status: 'ready', progress: 100 }, new Date().toISOString());
    // a failed download: the one pass makes HLS and download together, so both go and the renditions step runs again
    expect(await replanIngest(deps, await medium(fixity.id), { forget: ['download'] })).toBe('media.renditions');
    const afterFixity = await medium(fixity.id);
    expect(afterFixity.derivatives).toEqual({ poster: 'p', storyboard: 's', storyboardSprite: 'ss', waveform: 'w' });
    expect(afterFixity).toMatchObject({ status: 'processing', progress: 0 });
    expect(await jobsOf(fixity.id)).toEqual(['media.renditions:queued']);

    // a failed storyboard sprite takes poster and storyboard along: the artwork repair step
    const sprite = await newMedium(full);
    expect(await replanIngest(deps, sprite, { forget: ['storyboardSprite'] })).toBe('media.artwork');
    expect((await medium(sprite.id)).derivatives).toEqual({ hls: 'h', download: 'd', waveform: 'w' });

    // a changed restriction set: the ladder stays (for those who may hear everything) but the chain starts over
    const restricted = await newMedium(full);
    expect(
      await replanIngest(deps, restricted, {
        forget: ['poster', 'storyboard', 'storyboardSprite', 'waveform'],
        from: 'media.renditions',
      }),
    ).toBe('media.renditions');
    expect((await medium(restricted.id)).derivatives).toEqual({ hls: 'h', download: 'd' });
    expect(await jobsOf(restricted.id)).toEqual(['media.renditions:queued']);

    // nothing missing after forgetting nothing: no job, the medium stays as it was
    const complete = await newMedium(full);
    await t.store.media.update(complete.id, { status: 'ready', progress: 100 }, new Date().toISOString());
    expect(await replanIngest(deps, complete, { forget: [] })).toBeNull();
    expect(await medium(complete.id)).toMatchObject({ status: 'ready', progress: 100 });
    expect(await jobsOf(complete.id)).toEqual([]);
  });
});

describe('dependency direction: workers depend on the server, never the reverse', () => {
  it('no file under server/ imports workers/, except the composition root server/main.ts', () => {
    const serverDir = path.join(repoRoot, 'server');
    const files = (fs.readdirSync(serverDir, { recursive: true }) as string[]).filter((f) => /\.(ts|tsx|mts)$/.test(f));
    expect(files.length).toBeGreaterThan(50);
    const offenders: string[] = [];
    for (const rel of files) {
      const source = fs.readFileSync(path.join(serverDir, rel), 'utf8');
      for (const m of source.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)) {
        const target = path.resolve(path.dirname(path.join(serverDir, rel)), m[1]!);
        if (m[1]!.startsWith('.') && target.startsWith(path.join(repoRoot, 'workers') + path.sep))
          offenders.push(`server/${rel} → ${m[1]}`);
      }
    }
    expect(offenders.filter((o) => !o.startsWith('server/main.ts '))).toEqual([]);
    // the exception is real and single: main.ts hands the workers in
    expect(offenders).toEqual(['server/main.ts → ../workers/setup.js']);
  });
});
