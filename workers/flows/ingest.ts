// The ingest chain of one medium, in one place:
//
//   upload (multipart or tus) ─► SHA-256 while streaming ─► ffprobe (422 + bytes deleted if not usable media)
//     ─► original stored immutable under uploads/originals (medium `stored`, original playable at once)
//     ─► media.renditions  one ffmpeg pass: decode once → HLS ladder, M4A download, poster / waveform picture,
//                          storyboard, waveform peaks (PCM on a pipe)          medium `processing` → `ready`
//     ─► media.artwork     only if poster/storyboard are still missing (media from before the one-pass ingest)
//     ─► media.waveform    only if the peaks are still missing
//     ─► (transcript indexing joins here with the transcripts issue)
//     ─► media.transcribe  only when the interview's collection asks for it (server/asr/on-ingest.ts), once per medium
//
// Each step runs as a durable job; a step's success queues the next, a terminal failure marks the medium `failed`.
// The sweep calls `nextStep` for media that have no job, so a crash between two steps loses nothing.
import { planTranscriptionOnIngest } from '../../server/asr/on-ingest.js';
import type { AsrEngine } from '../../server/asr/types.js';
import type { JobQueue } from '../../server/jobs/queue.js';
import { moduleLogger } from '../../server/logger.js';
import type { JobName } from '../../server/jobs/definitions.js';
import type { Store } from '../../server/store/repositories.js';
import type { Medium } from '../../server/store/types.js';

export const ingestSteps = ['media.renditions', 'media.artwork', 'media.waveform'] as const satisfies readonly JobName[];
export type IngestStep = (typeof ingestSteps)[number];

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

/** Right after the original is stored: the chain begins. */
export async function startIngest(queue: JobQueue, medium: Medium): Promise<void> {
  await queue.enqueue({ name: 'media.renditions', payload: { v: 1, mediaId: medium.id } });
}

/** A step finished: queue the next one, or complete the chain when none is left. */
export async function advanceIngest(store: Store, queue: JobQueue, mediaId: string, asr: AsrEngine | null): Promise<void> {
  const medium = await store.media.findById(mediaId);
  if (!medium) return;
  const step = nextStep(medium);
  if (step) {
    await queue.enqueue({ name: step, payload: { v: 1, mediaId } });
  } else {
    await completeIngest(store, queue, medium, asr);
  }
}

const ingestLogger = moduleLogger('ingest');

/**
 * No step is left (after the last step, or found by the sweep): the collection's automatic transcription is decided
 * first, then the medium is ready — so a crash in between repeats the (idempotent) decision rather than skipping it.
 */
export async function completeIngest(store: Store, queue: JobQueue, medium: Medium, asr: AsrEngine | null, now = new Date()): Promise<void> {
  await planTranscriptionOnIngest({ store, queue, asr, logger: ingestLogger }, medium);
  await store.media.update(medium.id, { status: 'ready', progress: 100, error: null }, now.toISOString());
}

/** A step failed for good: the medium says so (the original stays playable and a curator can retry). */
export async function failIngest(store: Store, mediaId: string, error: string): Promise<void> {
  await store.media.update(mediaId, { status: 'failed', error }, new Date().toISOString());
}
