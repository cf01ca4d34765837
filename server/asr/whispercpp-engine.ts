// whisper.cpp inside the archive's process, through the prebuilt CPU build of @fugood/whisper.node
// (`@fugood/node-whisper-linux-x64`: N-API addon, asynchronous — the event loop keeps serving while it computes —,
// progress callback and stop()). We load the platform package directly instead of @fugood/whisper.node itself,
// whose optional dependencies would also install 240 MB of CUDA and Vulkan builds on every Linux machine.
// With `maxLen: 1` and token timestamps each whisper.cpp segment is one word, which gives the word timings;
// whisper.cpp reports no word confidence through this binding, so probabilities are null.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
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

interface NativeResult {
  language?: string;
  result: string;
  /** t0/t1 in milliseconds (the binding multiplies whisper.cpp's 10 ms units by 10). */
  segments: Array<{ text: string; t0: number; t1: number }>;
  isAborted: boolean;
}

interface NativeContext {
  transcribeData(
    pcm: ArrayBuffer,
    opts: Record<string, unknown>,
  ): { stop: () => Promise<void>; promise: Promise<NativeResult> };
  release(): Promise<void>;
}

type NativeModule = {
  WhisperContext: new (opts: { filePath: string; useGpu?: boolean }) => NativeContext | Promise<NativeContext>;
};

const bindingPackage = `@fugood/node-whisper-${process.platform}-${process.arch}`;

export function loadWhisperBinding(): NativeModule {
  const require = createRequire(import.meta.url);
  try {
    return require(bindingPackage) as NativeModule;
  } catch (err) {
    throw new AsrUnavailableError(
      `whisper.cpp-Bindung ${bindingPackage} fehlt / missing (npm install ${bindingPackage}): ${(err as Error).message}`,
    );
  }
}

export interface WhisperCppOptions {
  modelPath: string;
  threads?: number;
  maxChunkSec?: number;
}

export class WhisperCppEngine implements AsrEngine {
  readonly name = 'whispercpp';
  readonly model: string;
  readonly maxChunkSec: number;
  private context: Promise<NativeContext> | null = null;

  constructor(private readonly opts: WhisperCppOptions) {
    this.model = path
      .basename(opts.modelPath)
      .replace(/^ggml-/, '')
      .replace(/\.bin$/, '');
    this.maxChunkSec = opts.maxChunkSec ?? 600;
  }

  private load(): Promise<NativeContext> {
    if (!this.context) {
      this.context = (async () => {
        if (!fs.existsSync(this.opts.modelPath))
          throw new AsrUnavailableError(`ASR_MODEL_PATH ${this.opts.modelPath} gibt es nicht / does not exist`);
        const { WhisperContext } = loadWhisperBinding();
        return await new WhisperContext({ filePath: this.opts.modelPath, useGpu: false });
      })();
      this.context.catch(() => {
        this.context = null;
      });
    }
    return this.context;
  }

  async transcribe(audio: AsrAudio, o: AsrOptions): Promise<AsrResult> {
    const ctx = await this.load();
    // the WAV header is 44 bytes; the binding wants raw s16le
    const pcm = audio.wav.subarray(44);
    const buffer = pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength) as ArrayBuffer;
    const prompt = vocabularyPrompt(o.vocabulary ?? []);
    const run = ctx.transcribeData(buffer, {
      ...(o.language ? { language: o.language } : {}),
      ...(prompt ? { prompt } : {}),
      maxThreads: this.opts.threads ?? 2,
      tokenTimestamps: true,
      maxLen: 1,
      temperature: 0,
      onProgress: (p: number) => o.onProgress?.(p),
    });
    const onAbort = () => void run.stop();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    let result: NativeResult;
    try {
      result = await run.promise;
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
    }
    if (o.signal?.aborted) throw o.signal.reason ?? new Error('aborted');
    if (!result || !Array.isArray(result.segments))
      throw new AsrAnswerError('whisper.cpp gab kein Ergebnis / returned no result');
    // whisper.cpp pads every window to 30 s; nothing can have been said after the audio ends
    const inside = result.segments
      .filter((s) => s.t0 / 1000 < audio.durationSec)
      .map((s) => ({ ...s, t1: Math.min(s.t1, audio.durationSec * 1000) }));
    return {
      segments: wordsToSegments(inside),
      language: result.language ?? o.language ?? null,
      durationSec: audio.durationSec,
    };
  }

  async close(): Promise<void> {
    const ctx = await this.context?.catch(() => null);
    this.context = null;
    await ctx?.release();
  }
}

/** whisper.cpp's one-word segments (maxLen 1, times in ms) regrouped into sentences: a new segment after . ? ! or a pause of 1 s. */
export function wordsToSegments(raw: ReadonlyArray<{ text: string; t0: number; t1: number }>): AsrSegment[] {
  const words: AsrWord[] = raw
    .map((s) => ({
      start: Math.max(0, s.t0 / 1000),
      end: Math.max(0, s.t1 / 1000),
      word: s.text.trim(),
      probability: null,
    }))
    .filter((w) => w.word.length > 0 && !/^\[.*\]$/.test(w.word) && w.end >= w.start);
  const segments: AsrSegment[] = [];
  let current: AsrWord[] = [];
  const flush = () => {
    if (current.length === 0) return;
    segments.push({
      start: current[0]!.start,
      end: current[current.length - 1]!.end,
      text: current.map((w) => w.word).join(' '),
      words: current,
    });
    current = [];
  };
  for (const w of words) {
    const prev = current[current.length - 1];
    if (prev && w.start - prev.end > 1) flush();
    current.push(w);
    if (/[.?!]$/.test(w.word)) flush();
  }
  flush();
  return segments;
}
