// "Or on ingest when the collection says so": once a medium's renditions are ready, a collection with
// `autoTranscribe.enabled` gets one automatic draft transcript for it, without anyone pressing "transcribe".
//
// Called from exactly one place, the end of the ingest chain (advanceIngest in server/media/ingest-flow.ts), before the medium is marked
// ready, so a crash in between repeats the decision instead of losing it. The decision is idempotent: a medium that
// already has a transcript, or ever had a media.transcribe job (queued, running, done, failed or cancelled — a failed
// one is retried by a person, not by the next rendition run), gets none. So re-running the chain, or re-making the
// renditions after a restriction, never transcribes twice; concurrent decisions meet the store's one-active-job-per-
// medium-and-name rule.
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/repositories.js';
import type { JobRecord, Medium } from '../store/types.js';
import type { AsrEngine } from './types.js';

export interface TranscriptionOnIngestDeps {
  store: Store;
  queue: JobQueue;
  /** The engine of the worker that will run the job; null: ASR is not configured, nothing is queued. */
  asr: AsrEngine | null;
  logger: Logger;
}

export type TranscriptionOnIngest =
  | { outcome: 'queued'; job: JobRecord; language: string }
  | { outcome: 'not-requested' | 'asr-off' | 'no-audio' | 'withdrawn' | 'has-transcript' | 'already-requested' };

/** The language the engine is told: the collection's, else the interview's primary language subtag, else German. */
export function transcriptionLanguage(
  collectionLanguage: string | null,
  interviewLanguage: string | null | undefined,
): string {
  if (collectionLanguage) return collectionLanguage;
  const primary = (interviewLanguage ?? '').split('-')[0]!.toLowerCase();
  return /^[a-z]{2,3}$/.test(primary) ? primary : 'de';
}

export async function planTranscriptionOnIngest(
  deps: TranscriptionOnIngestDeps,
  medium: Medium,
): Promise<TranscriptionOnIngest> {
  const { store, queue, asr, logger } = deps;
  const interview = await store.interviews.findById(medium.interviewId);
  const collection = interview?.collectionId ? await store.collections.findById(interview.collectionId) : null;
  if (!interview || !collection?.autoTranscribe.enabled) return { outcome: 'not-requested' };
  const log = { mediaId: medium.id, interviewId: interview.id, collectionId: collection.id };
  if (interview.status === 'withdrawn') return { outcome: 'withdrawn' };
  if (!asr) {
    // the collection settings page says how to turn it on (GET /api/asr → howToEnable)
    logger.warn(
      log,
      'collection asks for automatic transcription on ingest, but no ASR engine is configured (ASR_URL or ASR_MODEL_PATH)',
    );
    return { outcome: 'asr-off' };
  }
  if (!medium.derivatives.download) return { outcome: 'no-audio' };
  if (await store.transcripts.head(medium.id)) return { outcome: 'has-transcript' };
  if ((await store.jobs.listByMedia(medium.id)).some((j) => j.name === 'media.transcribe'))
    return { outcome: 'already-requested' };
  const language = transcriptionLanguage(collection.autoTranscribe.language, interview.language);
  const job = await queue.enqueue({
    name: 'media.transcribe',
    payload: { v: 1, mediaId: medium.id, language, requestedBy: null },
  });
  logger.info({ ...log, jobId: job.id, language }, 'automatic transcription on ingest queued');
  return { outcome: 'queued', job, language };
}
