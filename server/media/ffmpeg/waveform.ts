// Waveform peaks for the transcript player: ffmpeg decodes to low-rate mono PCM on stdout and Node
// folds it into min/max pairs on the fly, so memory stays proportional to the peaks, not the audio.
import type { Redaction } from './redaction.js';
import type { Logger } from '../../logger.js';
import { waveformPcmArgs } from './args.js';
import { runFfmpegRaw } from './runner.js';

export interface WaveformPeaks {
  version: 1;
  sampleRate: number;
  samplesPerPixel: number;
  /** Always 8: values are int8 (-128…127). */
  bits: 8;
  /** Number of min/max pairs. */
  length: number;
  /** Interleaved [min0, max0, min1, max1, …]. */
  data: number[];
}

/**
 * Streaming min/max over s16le samples. Chunks may split a sample between them (pipes deliver
 * arbitrary byte counts), so a dangling low byte is carried into the next chunk. Memory is two numbers per bucket,
 * never the PCM; the buckets keep full 16-bit values (finishRaw, for the waveform picture) and finish() gives the
 * 8-bit peaks of waveform.json.
 */
export class PeakAccumulator {
  /** Interleaved 16-bit [min0, max0, …] of the closed buckets. */
  private readonly buckets: number[] = [];
  private carry = -1;
  private min = 0;
  private max = 0;
  private count = 0;
  totalSamples = 0;

  constructor(private readonly samplesPerPixel: number) {
    if (!Number.isInteger(samplesPerPixel) || samplesPerPixel < 1) {
      throw new RangeError('samplesPerPixel must be a positive integer');
    }
  }

  push(chunk: Uint8Array): void {
    let i = 0;
    if (this.carry >= 0 && chunk.length > 0) {
      this.sample((((chunk[0]! << 8) | this.carry) << 16) >> 16);
      this.carry = -1;
      i = 1;
    }
    const end = chunk.length - ((chunk.length - i) % 2);
    // The hot loop of a 3-hour recording (86 M samples): bucket state in locals, written back once per chunk.
    const spp = this.samplesPerPixel;
    this.totalSamples += (end - i) / 2;
    let { min, max, count } = this;
    for (; i < end; i += 2) {
      // Little-endian 16-bit, sign-extended via the 32-bit shift pair.
      const s = (((chunk[i + 1]! << 8) | chunk[i]!) << 16) >> 16;
      if (count === 0) {
        min = s;
        max = s;
      } else if (s < min) min = s;
      else if (s > max) max = s;
      if (++count === spp) {
        this.buckets.push(min, max);
        count = 0;
      }
    }
    this.min = min;
    this.max = max;
    this.count = count;
    if (end < chunk.length) this.carry = chunk[end]!;
  }

  private sample(s: number): void {
    if (this.count === 0) {
      this.min = s;
      this.max = s;
    } else if (s < this.min) this.min = s;
    else if (s > this.max) this.max = s;
    this.totalSamples++;
    if (++this.count === this.samplesPerPixel) {
      this.buckets.push(this.min, this.max);
      this.count = 0;
    }
  }

  /** Closes the last, possibly partial bucket (once) and returns the 16-bit buckets, interleaved min/max. */
  finishRaw(): Int16Array {
    if (this.count > 0) {
      this.buckets.push(this.min, this.max);
      this.count = 0;
    }
    return Int16Array.from(this.buckets);
  }

  /** Closes the last, possibly partial bucket and returns the peaks. */
  finish(sampleRate: number): WaveformPeaks {
    // >> 8 maps -32768…32767 onto -128…127 exactly.
    const data = Array.from(this.finishRaw(), (v) => v >> 8);
    return {
      version: 1,
      sampleRate,
      samplesPerPixel: this.samplesPerPixel,
      bits: 8,
      length: data.length / 2,
      data,
    };
  }
}

export interface ReadPcmPeaksOptions {
  samplesPerPixel: number;
  sampleRate?: number;
  signal?: AbortSignal;
  stallTimeoutMs?: number;
  logger?: Logger;
  /** Restricted passages: silent in the peaks as in the renditions. */
  redaction?: Redaction;
}

/** Decodes the first audio stream of `input` and returns its peaks. */
export async function readPcmPeaks(input: string, opts: ReadPcmPeaksOptions): Promise<WaveformPeaks> {
  const sampleRate = opts.sampleRate ?? 8000;
  const acc = new PeakAccumulator(opts.samplesPerPixel);
  await runFfmpegRaw(waveformPcmArgs({ input, sampleRate, ...(opts.redaction ? { redaction: opts.redaction } : {}) }), {
    onStdout: (chunk) => acc.push(chunk),
    signal: opts.signal,
    stallTimeoutMs: opts.stallTimeoutMs,
    logger: opts.logger,
  });
  return acc.finish(sampleRate);
}

/** The same peaks in audiowaveform's own JSON layout (snake_case), as waveform-data.js / peaks.js read it. */
export function toAudiowaveformJson(p: WaveformPeaks): {
  version: 1;
  sample_rate: number;
  samples_per_pixel: number;
  bits: 8;
  length: number;
  data: number[];
} {
  return {
    version: 1,
    sample_rate: p.sampleRate,
    samples_per_pixel: p.samplesPerPixel,
    bits: 8,
    length: p.length,
    data: p.data,
  };
}
