// Speech recognition jobs (server/asr): `media.transcribe` makes an automatic draft transcript, `media.align` gives a
// typed transcript the times of the recording. Both read the M4A rendition, decode it to 16 kHz mono with restricted
// passages silenced (they never reach an engine), send it in overlapping chunks, and write one new transcript version
// at the end — or nothing at all: a failed or cancelled job leaves the transcript as it was.
import path from 'node:path';
import { alignTranscript } from '../../server/asr/align.js';
import {
  decodeForEngine,
  dropRestricted,
  mergeChunkResults,
  planChunks,
  readChunk,
  SILENCE_DBFS,
  splitAtSentences,
  snapStartsToSpeech,
  type Chunk,
} from '../../server/asr/audio.js';
import {
  AsrAnswerError,
  NoSpeechError,
  type AsrEngine,
  type AsrResult,
  type AsrSegment,
} from '../../server/asr/types.js';
import { interviewVocabulary } from '../../server/asr/vocabulary.js';
import { AuditLog } from '../../server/audit/service.js';
import { Problem } from '../../server/http/problem.js';
import { redactionState } from '../../server/media/restrictions.js';
import { resolveInUploads } from '../../server/media/paths.js';
import type { Interview, Medium, TranscriptSegment } from '../../server/store/types.js';
import { TranscriptService } from '../../server/transcripts/service.js';
import { PermanentJobError, type JobContext } from '../worker.js';

type AsrJob = JobContext<'media.transcribe' | 'media.align'>;

/** Words below this confidence are highlighted in the editor for checking. */
export const LOW_CONFIDENCE = 0.5;

async function prepare(ctx: AsrJob): Promise<{ engine: AsrEngine; medium: Medium; interview: Interview }> {
  const engine = ctx.asr;
  if (!engine)
    throw new PermanentJobError(
      'Automatische Transkription ist nicht eingerichtet (ASR_URL oder ASR_MODEL_PATH) / no ASR engine configured',
    );
  const medium = await ctx.store.media.findById(ctx.payload.mediaId);
  if (!medium) throw new PermanentJobError(`medium ${ctx.payload.mediaId} no longer exists`);
  const interview = await ctx.store.interviews.findById(medium.interviewId);
  if (!interview || interview.status === 'withdrawn')
    throw new PermanentJobError(`interview of medium ${medium.id} is withdrawn or gone`);
  if (!medium.derivatives.download)
    throw new Error('Die M4A-Abspielfassung ist noch nicht fertig / the M4A rendition is not ready yet');
  return { engine, medium, interview };
}

/** Decodes, chunks and recognises the whole recording; progress from `from` to `to` percent. */
async function recognise(
  ctx: AsrJob,
  engine: AsrEngine,
  medium: Medium,
  interview: Interview,
  span: [number, number],
): Promise<{ segments: AsrSegment[]; durationSec: number }> {
  const { ranges } = await redactionState(ctx.store, medium);
  const [from, to] = span;
  const decodeShare = 0.08 * (to - from);
  const pcm = await decodeForEngine({
    input: resolveInUploads(ctx.uploadsDir, medium.derivatives.download!),
    output: path.join(ctx.workDir, 'audio.s16le'),
    ranges,
    durationSec: medium.technical.durationSec,
    signal: ctx.signal,
    stallTimeoutMs: ctx.stallTimeoutMs,
    logger: ctx.log,
    onProgress: (p) => ctx.progress(from + (p / 100) * decodeShare),
  });
  const vocabulary = await interviewVocabulary(ctx.store, interview, medium.id);
  const chunks = planChunks(pcm.durationSec, engine.maxChunkSec);
  const parts: { chunk: Chunk; result: AsrResult }[] = [];
  let heard = 0;
  const total = chunks.reduce((a, c) => a + (c.end - c.start), 0);
  let done = 0;
  for (const chunk of chunks) {
    const audio = await readChunk(pcm.path, chunk);
    const share = (chunk.end - chunk.start) / total;
    const base = from + decodeShare + (done / total) * (to - from - decodeShare);
    done += chunk.end - chunk.start;
    // silence (or only silenced restricted passages): nothing to send, and nothing for Whisper to hallucinate about
    if (audio.rms < SILENCE_DBFS) continue;
    heard++;
    const result = await engine.transcribe(audio, {
      language: ctx.payload.language,
      vocabulary,
      signal: ctx.signal,
      onProgress: (p) => ctx.progress(base + (p / 100) * share * (to - from - decodeShare)),
    });
    parts.push({ chunk, result });
    ctx.progress(base + share * (to - from - decodeShare));
  }
  if (heard === 0) throw new NoSpeechError();
  const segments = snapStartsToSpeech(
    splitAtSentences(dropRestricted(mergeChunkResults(parts), ranges)),
    pcm.path,
  ).filter((s) => s.text.trim().length > 0);
  if (segments.length === 0) throw new NoSpeechError();
  ctx.log.info(
    { chunks: chunks.length, heard, segments: segments.length, restricted: ranges.length },
    'recording recognised',
  );
  return { segments, durationSec: pcm.durationSec };
}

const r3 = (t: number) => Math.round(t * 1000) / 1000;

/** Engine segments as transcript segments: times clamped to the recording, word confidences kept. */
export function toTranscriptSegments(segments: AsrSegment[], durationSec: number): TranscriptSegment[] {
  const clamp = (t: number) => Math.min(Math.max(0, t), durationSec);
  return segments.map((s) => {
    const start = r3(clamp(s.start));
    const end = Math.max(r3(clamp(s.end)), start + 0.01);
    const words = s.words.map((w) => ({
      start: r3(clamp(w.start)),
      end: r3(Math.max(clamp(w.end), clamp(w.start))),
      text: w.word,
      ...(w.probability !== null ? { probability: Math.round(w.probability * 1000) / 1000 } : {}),
    }));
    return { start, end, speaker: null, text: s.text.trim(), ...(words.length ? { words } : {}) };
  });
}

function transcriptsOf(ctx: AsrJob): TranscriptService {
  return new TranscriptService(ctx.store, ctx.queue, ctx.log, new AuditLog(ctx.store, ctx.log));
}

/** Engine errors that another attempt cannot fix fail the job at once; an unreachable engine is retried. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AsrAnswerError || err instanceof NoSpeechError) throw new PermanentJobError(err.message);
    throw err;
  }
}

export async function transcribe(ctx: JobContext<'media.transcribe'>): Promise<void> {
  await guarded(async () => {
    const { engine, medium, interview } = await prepare(ctx);
    const { segments, durationSec } = await recognise(ctx, engine, medium, interview, [0, 97]);
    const transcript = toTranscriptSegments(segments, Math.max(durationSec, medium.technical.durationSec));
    const words = transcript.flatMap((s) => s.words ?? []);
    const low = words.filter((w) => w.probability !== undefined && w.probability < LOW_CONFIDENCE).length;
    await ctx.assertStillOwned();
    const source = `asr:${engine.name}:${engine.model}`;
    const v = await transcriptsOf(ctx).appendAutomatic(
      medium.id,
      transcript,
      source,
      `Automatisch erstellt, ungeprüft (${engine.name}, ${engine.model}, Sprache ${ctx.payload.language}; ${low} von ${words.length} Wörtern unsicher)`,
    );
    ctx.log.info(
      { version: v.version, source, segments: transcript.length, words: words.length, lowConfidence: low },
      'automatic draft transcript stored',
    );
  });
}

export async function align(ctx: JobContext<'media.align'>): Promise<void> {
  await guarded(async () => {
    const { engine, medium, interview } = await prepare(ctx);
    const given = await ctx.store.transcripts.getVersion(medium.id, ctx.payload.version);
    if (!given)
      throw new PermanentJobError(
        `Fassung ${ctx.payload.version} gibt es nicht / no transcript version ${ctx.payload.version}`,
      );
    const { segments, durationSec } = await recognise(ctx, engine, medium, interview, [0, 95]);
    const words = segments.flatMap((s) => s.words);
    if (words.length === 0)
      throw new AsrAnswerError(
        'Der ASR-Dienst lieferte keine Wortzeiten (timestamp_granularities=word) / the engine gave no word timings',
      );
    const result = alignTranscript(given.segments, words, Math.max(durationSec, medium.technical.durationSec));
    if (result.alignedWords === 0)
      throw new PermanentJobError(
        'Kein Wort des Transkripts wurde in der Aufnahme gefunden / no word of the transcript was found in the recording',
      );
    await ctx.assertStillOwned();
    const percent = Math.round(result.alignedShare * 1000) / 10;
    try {
      const v = await transcriptsOf(ctx).appendAutomatic(
        medium.id,
        result.segments,
        `align:${engine.name}:${engine.model}`,
        `Automatisch ausgerichtet: ${percent} % der Wörter (${result.alignedWords} von ${result.words}), ${result.unalignedSegments} Abschnitte ohne Treffer`,
        ctx.payload.version,
      );
      ctx.log.info(
        { version: v.version, alignedShare: result.alignedShare, unalignedSegments: result.unalignedSegments },
        'transcript aligned',
      );
    } catch (err) {
      if (err instanceof Problem && err.type === 'precondition-failed') {
        throw new PermanentJobError(
          `Das Transkript wurde während der Ausrichtung geändert (Fassung ${ctx.payload.version} ist nicht mehr aktuell); bitte erneut ausrichten / the transcript changed meanwhile`,
        );
      }
      throw err;
    }
  });
}
