// The ingest chain of one medium, in one place — the only module that starts, advances, fails and re-plans it:
//
//   upload (multipart or tus) ─► SHA-256 while streaming ─► ffprobe (422 + bytes deleted if not usable media)
//     ─► original stored immutable under uploads/originals (medium `stored`, original playable at once)
//     ─► media.renditions  one ffmpeg pass: decode once → HLS ladder, M4A download, poster / waveform picture,
//                          storyboard, waveform peaks (PCM on a pipe)          medium `processing` → `ready`
//     ─► media.artwork     only if poster/storyboard are still missing (media from before the one-pass ingest)
//     ─► media.waveform    only if the peaks are still missing
//     ─► media.transcribe  only when the interview's collection asks for it (server/asr/on-ingest.ts), once per medium
//
// Who calls what:
//   startIngest         MediaService.ingest, right after the original is stored (multipart and tus alike)
//   ingestJobHooks      the job worker (workers/setup.ts): a step started / progressed / succeeded / failed for good
//   advanceIngest       a step's success, and the sweep for media that have no job (a crash between two steps)
//   replanIngest        what made derivatives invalid: a changed restriction set (media/restrictions.ts) and a
//                       failed fixity check (preservation/fixity.ts)
// Each step runs as a durable job; a step's success queues the next, a terminal failure marks the medium `failed`.
// Job handlers live in workers/handlers/ and only do a step's work; this module decides what comes next.
import { planTranscriptionOnIngest } from '../asr/on-ingest.js';
import type { AsrEngine } from '../asr/types.js';
import type { JobQueue } from '../jobs/queue.js';
import { moduleLogger } from '../logger.js';
import type { JobName } from '../jobs/definitions.js';
import type { Store } from '../store/repositories.js';
import type { JobRecord, MediaDerivatives, Medium } from '../store/types.js';

export const ingestSteps = [
  'media.renditions',
  'media.artwork',
  'media.waveform',
] as const satisfies readonly JobName[];
export type IngestStep = (typeof ingestSteps)[number];

export interface IngestFlowDeps {
  store: Store;
  queue: JobQueue;
  /** The worker's speech-recognition engine: a chain that completes may queue the collection's transcription. */
  asr?: AsrEngine | null;
}

const ingestLogger = moduleLogger('ingest');

export const isIngestStep = (name: string): name is IngestStep => (ingestSteps as readonly string[]).includes(name);

/** Share of the medium's overall progress bar each step takes: the one pass does all the work, the others are repairs. */
const weights: Record<IngestStep, number> = { 'media.renditions': 96, 'media.artwork': 2, 'media.waveform': 2 };

/** What a step leaves behind; the sweep uses it to see which step is still missing. */
export function stepDone(step: IngestStep, medium: Medium): boolean {
  const d = medium.derivatives;
  switch (step) {
    case 'media.renditions':
      return Boolean(d.hls && d.download);
    case 'media.artwork':
      return Boolean(d.poster && (medium.kind === 'audio' || d.storyboard));
    case 'media.waveform':
      return Boolean(d.waveform);
  }
}

export function nextStep(medium: Medium): IngestStep | null {
  return ingestSteps.find((step) => !stepDone(step, medium)) ?? null;
}

export function overallProgress(step: IngestStep, stepPercent: number): number {
  let before = 0;
  for (const s of ingestSteps) {
    if (s === step) break;
    before += weights[s];
  }
  return Math.min(100, Math.round((before + (weights[step] * stepPercent) / 100) * 10) / 10);
}

const enqueueStep = (queue: JobQueue, step: IngestStep, mediaId: string) =>
  queue.enqueue({ name: step, payload: { v: 1, mediaId } });
const nowIso = () => new Date().toISOString();

/** Right after the original is stored: the chain begins. */
export async function startIngest(deps: IngestFlowDeps, medium: Medium): Promise<void> {
  await enqueueStep(deps.queue, 'media.renditions', medium.id);
}

/**
 * A step finished, or the sweep found a medium without a job: queue the next step, or mark the medium ready when
 * none is left. Takes the medium itself when the caller has just read it.
 */
export async function advanceIngest(
  deps: IngestFlowDeps,
  target: string | Medium,
): Promise<'queued' | 'ready' | 'gone'> {
  const medium = typeof target === 'string' ? await deps.store.media.findById(target) : target;
  if (!medium) return 'gone';
  const step = nextStep(medium);
  if (step) {
    await enqueueStep(deps.queue, step, medium.id);
    return 'queued';
  }
  // the collection's automatic transcription is decided before the medium is ready, so a crash in between repeats
  // the (idempotent) decision rather than skipping it
  await planTranscriptionOnIngest(
    { store: deps.store, queue: deps.queue, asr: deps.asr ?? null, logger: ingestLogger },
    medium,
  );
  await deps.store.media.update(medium.id, { status: 'ready', progress: 100, error: null }, nowIso());
  return 'ready';
}

/** A step failed for good: the medium says so (the original stays playable and a curator can retry). */
export async function failIngest(deps: IngestFlowDeps, mediaId: string, error: string): Promise<void> {
  await deps.store.media.update(mediaId, { status: 'failed', error }, nowIso());
}

/** The worker's lifecycle hooks for ingest steps (jobs of other names pass through untouched). */
export function ingestJobHooks(deps: IngestFlowDeps) {
  const { store } = deps;
  const stepOf = (job: JobRecord): { mediaId: string; step: IngestStep } | null =>
    job.mediaId && isIngestStep(job.name) ? { mediaId: job.mediaId, step: job.name } : null;
  return {
    async onStart(job: JobRecord): Promise<void> {
      const s = stepOf(job);
      if (s)
        await store.media.update(
          s.mediaId,
          { status: 'processing', progress: overallProgress(s.step, 0), error: null },
          nowIso(),
        );
    },
    async onProgress(job: JobRecord, percent: number): Promise<void> {
      const s = stepOf(job);
      if (s) await store.media.update(s.mediaId, { progress: overallProgress(s.step, percent) }, nowIso());
    },
    async onDone(job: JobRecord): Promise<void> {
      const s = stepOf(job);
      if (s) await advanceIngest(deps, s.mediaId);
    },
    async onFinalFailure(job: JobRecord, error: string): Promise<void> {
      const s = stepOf(job);
      if (s) await failIngest(deps, s.mediaId, `${job.name}: ${error}`);
    },
  };
}

type DerivativeKey = keyof MediaDerivatives;

/** Derivatives one step makes together: forgetting one of them forgets the group, so the step counts as not done. */
const derivativeGroups: DerivativeKey[][] = [
  ['hls', 'download'],
  ['poster', 'storyboard', 'storyboardSprite'],
];

export interface ReplanOptions {
  /** Derivatives that are no longer valid (forgotten together with the rest of their group). */
  forget: DerivativeKey[];
  /**
   * Where the chain starts again; default: the first step whose output is missing after forgetting. A changed
   * restriction set starts at `media.renditions` although the ladder is still there (it is made again, redacted).
   */
  from?: IngestStep;
}

/**
 * Some derivatives became invalid: forget them and run the chain again from `from` (or the first missing step).
 * The medium is `processing` again. Returns the step queued, or null when the medium is gone or nothing is missing.
 */
export async function replanIngest(
  deps: IngestFlowDeps,
  medium: Medium,
  options: ReplanOptions,
): Promise<IngestStep | null> {
  const { store, queue } = deps;
  const cleared: { [K in DerivativeKey]?: null } = {};
  for (const key of options.forget) {
    for (const k of derivativeGroups.find((g) => g.includes(key)) ?? [key]) cleared[k] = null;
  }
  const now = nowIso();
  const updated = await store.media.setDerivatives(medium.id, cleared, now);
  if (!updated) return null;
  const step = options.from ?? nextStep(updated);
  if (!step) return null;
  await store.media.update(medium.id, { status: 'processing', progress: 0, error: null }, now);
  await enqueueStep(queue, step, medium.id);
  return step;
}
