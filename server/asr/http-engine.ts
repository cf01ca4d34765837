// The OpenAI-compatible `POST …/audio/transcriptions` that self-hosted servers speak (whisper.cpp's server,
// faster-whisper based servers, LocalAI, vLLM). Their answers differ in detail, so the parser is tolerant: words nested
// in segments or at the top level, numbers as strings, no words at all — but an answer without any transcription
// (empty, not JSON, neither text nor segments) is an error, never an empty transcript.
import { z } from 'zod';
import {
  AsrAnswerError,
  AsrUnavailableError,
  type AsrAudio,
  type AsrEngine,
  type AsrOptions,
  type AsrResult,
  type AsrSegment,
  type AsrWord,
} from './types.js';
import { vocabularyPrompt } from './vocabulary.js';

const num = z.union([z.number(), z.string().trim().min(1).transform(Number)]).pipe(z.number().finite());
const optNum = num.nullish().catch(null);

const wordSchema = z.object({
  word: z.string().optional(),
  text: z.string().optional(),
  start: num,
  end: num,
  probability: optNum,
  confidence: optNum,
});

const segmentSchema = z.object({
  start: num,
  end: num,
  text: z.string(),
  words: z.array(wordSchema).nullish(),
  avg_logprob: optNum,
  no_speech_prob: optNum,
});

export const verboseJsonSchema = z
  .object({
    text: z.string().nullish(),
    language: z.string().nullish().catch(null),
    duration: optNum,
    segments: z.array(segmentSchema).nullish(),
    words: z.array(wordSchema).nullish(),
  })
  .refine((a) => a.segments != null || typeof a.text === 'string', { message: 'neither segments nor text' });

type ParsedWord = z.output<typeof wordSchema>;

const toWord = (w: ParsedWord): AsrWord | null => {
  const word = (w.word ?? w.text ?? '').trim();
  if (!word || !(w.end >= w.start)) return null;
  const p = w.probability ?? w.confidence ?? null;
  return { start: w.start, end: w.end, word, probability: p === null ? null : Math.min(1, Math.max(0, p)) };
};

/** Parses a verbose_json answer (already JSON-decoded) into segments; throws AsrAnswerError when it is none. */
export function parseVerboseJson(body: unknown): AsrResult {
  const parsed = verboseJsonSchema.safeParse(body);
  if (!parsed.success) {
    throw new AsrAnswerError(
      `Antwort des ASR-Dienstes ist keine Transkription / engine answer is not a transcription: ${parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .slice(0, 3)
        .join('; ')}`,
    );
  }
  const a = parsed.data;
  const topWords = (a.words ?? []).map(toWord).filter((w): w is AsrWord => w !== null);
  let segments: AsrSegment[];
  if (a.segments && a.segments.length > 0) {
    segments = a.segments
      .filter((s) => s.end >= s.start)
      .map((s) => ({
        start: s.start,
        end: s.end,
        text: s.text.trim(),
        words: (s.words ?? []).map(toWord).filter((w): w is AsrWord => w !== null),
      }));
    if (topWords.length > 0 && segments.every((s) => s.words.length === 0)) {
      // OpenAI's shape: words at the top level; give each to the segment its middle falls into
      for (const w of topWords) {
        const mid = (w.start + w.end) / 2;
        const seg =
          segments.find((s) => mid >= s.start && mid <= s.end) ??
          segments.reduce((best, s) =>
            Math.abs((s.start + s.end) / 2 - mid) < Math.abs((best.start + best.end) / 2 - mid) ? s : best,
          );
        seg.words.push(w);
      }
      for (const s of segments) s.words.sort((x, y) => x.start - y.start);
    }
  } else if (topWords.length > 0) {
    segments = [
      {
        start: topWords[0]!.start,
        end: topWords[topWords.length - 1]!.end,
        text: (a.text ?? topWords.map((w) => w.word).join(' ')).trim(),
        words: topWords,
      },
    ];
  } else {
    const text = (a.text ?? '').trim();
    // text without any timing: one segment over the whole audio, if the length is known
    segments = text && a.duration ? [{ start: 0, end: a.duration, text, words: [] }] : [];
    if (text && !a.duration)
      throw new AsrAnswerError(
        'Antwort ohne Zeitangaben / engine answer has text but no timings (response_format=verbose_json nicht unterstützt?)',
      );
  }
  return {
    segments: segments.filter((s) => s.text.length > 0),
    language: a.language ?? null,
    durationSec: a.duration ?? null,
  };
}

export interface HttpEngineOptions {
  /** Base URL, e.g. http://127.0.0.1:8000/v1 (…/audio/transcriptions is appended) or the full endpoint. */
  url: string;
  apiKey?: string;
  model: string;
  maxChunkSec?: number;
  /** Per request; a 10-minute chunk on a slow CPU takes minutes. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function transcriptionsEndpoint(url: string): string {
  const u = url.replace(/\/+$/, '');
  // whisper.cpp's own server takes the same form at /inference
  return /\/(audio\/transcriptions|inference)$/.test(u) ? u : `${u}/audio/transcriptions`;
}

export class HttpAsrEngine implements AsrEngine {
  readonly name = 'http';
  readonly model: string;
  readonly maxChunkSec: number;
  private readonly endpoint: string;

  constructor(private readonly opts: HttpEngineOptions) {
    this.model = opts.model;
    this.maxChunkSec = opts.maxChunkSec ?? 600;
    this.endpoint = transcriptionsEndpoint(opts.url);
  }

  async transcribe(audio: AsrAudio, o: AsrOptions): Promise<AsrResult> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(audio.wav)], { type: 'audio/wav' }), 'audio.wav');
    form.append('model', this.model);
    form.append('response_format', 'verbose_json');
    form.append('timestamp_granularities[]', 'word');
    form.append('timestamp_granularities[]', 'segment');
    form.append('temperature', '0');
    if (o.language) form.append('language', o.language);
    const prompt = vocabularyPrompt(o.vocabulary ?? []);
    if (prompt) form.append('prompt', prompt);
    const timeout = AbortSignal.timeout(this.opts.timeoutMs ?? Math.max(120_000, audio.durationSec * 4000));
    const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await (this.opts.fetch ?? fetch)(this.endpoint, {
        method: 'POST',
        body: form,
        headers: {
          accept: 'application/json',
          ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}),
        },
        signal,
      });
    } catch (err) {
      if (o.signal?.aborted) throw o.signal.reason ?? err;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new AsrUnavailableError(
        `ASR-Dienst nicht erreichbar / engine unreachable (${this.endpoint}): ${cause?.code ?? cause?.message ?? (err as Error).message}`,
      );
    }
    const body = await res.text().catch(() => '');
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      throw new AsrUnavailableError(
        `ASR-Dienst antwortet ${res.status} / engine answered ${res.status}: ${body.slice(0, 200)}`,
      );
    }
    if (!res.ok)
      throw new AsrAnswerError(`ASR-Dienst lehnt ab (${res.status}) / engine refused: ${body.slice(0, 300)}`);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new AsrAnswerError(
        `Antwort des ASR-Dienstes ist kein JSON / engine answer is not JSON: ${JSON.stringify(body.slice(0, 80))}`,
      );
    }
    return parseVerboseJson(json);
  }
}
