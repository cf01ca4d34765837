// One interface for every speech-recognition engine: 16 kHz mono WAV in, timed segments with word timings out.
// Engines live beside this file (HTTP = OpenAI-compatible servers, whisper.cpp in-process); the job handlers in
// workers/handlers/asr.ts only ever see this interface.

export interface AsrWord {
  start: number;
  end: number;
  word: string;
  /** The engine's confidence 0–1; null when the engine gives none. */
  probability: number | null;
}

export interface AsrSegment {
  start: number;
  end: number;
  text: string;
  words: AsrWord[];
}

export interface AsrResult {
  segments: AsrSegment[];
  language: string | null;
  /** The audio length the engine saw, when it says. */
  durationSec: number | null;
}

export interface AsrOptions {
  /** ISO 639-1, e.g. `de`; omitted = let the engine detect it. */
  language?: string;
  /** Names and terms the recording probably contains: sent as prompt / hotwords. */
  vocabulary?: readonly string[];
  signal?: AbortSignal;
  /** 0–100 within this one call, when the engine can tell. */
  onProgress?: (percent: number) => void;
}

/** 16 kHz mono 16-bit PCM in a WAV container. */
export interface AsrAudio {
  wav: Buffer;
  durationSec: number;
}

export interface AsrEngine {
  /** `http` or `whispercpp`: the middle part of the transcript source `asr:<engine>:<model>`. */
  readonly name: string;
  /** The model as the engine names it (ASR_MODEL, or the ggml file's name). */
  readonly model: string;
  /** Longest audio one call may carry; longer recordings go in overlapping chunks. */
  readonly maxChunkSec: number;
  transcribe(audio: AsrAudio, opts: AsrOptions): Promise<AsrResult>;
  close?(): Promise<void>;
}

/** The engine could not be reached or answered with a server error: another attempt may succeed. */
export class AsrUnavailableError extends Error {
  override name = 'AsrUnavailableError';
}

/** The engine answered, but not with a usable transcription (empty body, not JSON, wrong shape). */
export class AsrAnswerError extends Error {
  override name = 'AsrAnswerError';
}

/** The recording (outside restricted passages) holds no speech. */
export class NoSpeechError extends Error {
  override name = 'NoSpeechError';
  constructor() {
    super('Keine Sprache gefunden / no speech found');
  }
}
