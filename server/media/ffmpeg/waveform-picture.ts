// The poster of an audio medium: a picture of the whole waveform, drawn in Node from the peaks that the one-pass
// ingest already folds from its PCM pipe, then encoded by a one-frame ffmpeg run. ffmpeg's showwavespic would need
// the whole recording in memory (it keeps every frame until the end: ~300 MB for three hours); the peaks are a few
// kilobytes whatever the length.
import { rm, writeFile } from 'node:fs/promises';
import type { Logger } from '../../logger.js';
import { WAVEFORM_PICTURE, waveformPcmArgs, waveformPictureArgs } from './args-audio.js';
import type { Redaction } from './redaction.js';
import { PeakAccumulator } from './waveform.js';
import { runFfmpeg, runFfmpegRaw } from './runner.js';

export interface PictureSize {
  width: number;
  height: number;
}

/**
 * Samples per picture column for a recording of `durationSec` at `sampleRate`: the accumulator then yields one
 * bucket per column or slightly more (drawWaveformPicture maps whatever count it gets onto the width).
 */
export function pictureAccumulator(
  durationSec: number,
  sampleRate: number,
  width: number = WAVEFORM_PICTURE.width,
): PeakAccumulator {
  const total = Number.isFinite(durationSec) && durationSec > 0 ? durationSec * sampleRate : sampleRate;
  // rounded down: at least one bucket per column (a few are merged), never a stretched column
  return new PeakAccumulator(Math.max(1, Math.floor(total / width)));
}

function rgb(hex: number): [number, number, number] {
  return [(hex >> 16) & 0xff, (hex >> 8) & 0xff, hex & 0xff];
}

/**
 * rgb24 pixels of the waveform: the house background, and per column a bar in the foreground colour from the
 * bucket's maximum above the centre line to its minimum below it, on the square-root scale showwavespic's
 * `scale=sqrt` uses (quiet speech stays visible next to loud passages). Silence — and so every restricted passage,
 * silenced before the PCM is taken — draws nothing, as with showwavespic. `buckets` is interleaved 16-bit min/max; fewer
 * buckets than columns are stretched, more are merged.
 */
export function drawWaveformPicture(
  buckets: Int16Array,
  size: PictureSize = WAVEFORM_PICTURE,
  colours: { foreground: number; background: number } = WAVEFORM_PICTURE,
): Buffer {
  const { width, height } = size;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 2) {
    throw new RangeError(`picture size ${width}x${height} is not drawable`);
  }
  const fg = rgb(colours.foreground);
  const bg = rgb(colours.background);
  const px = Buffer.allocUnsafe(width * height * 3);
  for (let o = 0; o < px.length; o += 3) {
    px[o] = bg[0];
    px[o + 1] = bg[1];
    px[o + 2] = bg[2];
  }
  const n = buckets.length >> 1;
  if (n === 0) return px;
  const half = height / 2;
  const reach = (v: number): number => Math.sqrt(Math.min(1, Math.abs(v) / 32767)) * half;
  for (let x = 0; x < width; x++) {
    const from = Math.floor((x * n) / width);
    const to = Math.max(from + 1, Math.floor(((x + 1) * n) / width));
    let min = 0;
    let max = 0;
    for (let b = from; b < to && b < n; b++) {
      if (buckets[2 * b]! < min) min = buckets[2 * b]!;
      if (buckets[2 * b + 1]! > max) max = buckets[2 * b + 1]!;
    }
    // rows [top, end): empty when the column is silent
    const top = Math.max(0, Math.round(half - reach(max)));
    const end = Math.min(height, Math.round(half + reach(min)));
    for (let y = top; y < end; y++) {
      const o = (y * width + x) * 3;
      px[o] = fg[0];
      px[o + 1] = fg[1];
      px[o + 2] = fg[2];
    }
  }
  return px;
}

export interface WriteWaveformPictureOptions {
  size?: PictureSize;
  signal?: AbortSignal;
  stallTimeoutMs?: number;
  logger?: Logger;
}

/** Draws the picture and encodes it to the JPEG at `output` (the raw pixels pass through a file beside it). */
export async function writeWaveformPicture(
  buckets: Int16Array,
  output: string,
  opts: WriteWaveformPictureOptions = {},
): Promise<void> {
  const size = opts.size ?? WAVEFORM_PICTURE;
  const raw = `${output}.rgb`;
  await writeFile(raw, drawWaveformPicture(buckets, size));
  try {
    await runFfmpeg(waveformPictureArgs({ rawInput: raw, output, ...size }), {
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.stallTimeoutMs ? { stallTimeoutMs: opts.stallTimeoutMs } : {}),
      ...(opts.logger ? { logger: opts.logger } : {}),
      cleanupPaths: [output],
    });
  } finally {
    await rm(raw, { force: true });
  }
}

export interface SourceWaveformPictureOptions extends WriteWaveformPictureOptions {
  durationSec: number;
  /** Restricted passages: silenced before the PCM is taken, so they are flat in the picture. */
  redaction?: Redaction;
  /** 0…100 as the PCM streams (by samples read against the duration), then 100. */
  onProgress?: (percent: number) => void;
}

const PICTURE_PCM_RATE = 8000;

/**
 * The waveform picture of an original on its own (media made before the one-pass ingest): a PCM-only decode streamed
 * through the accumulator — memory is the buckets, whatever the length — then drawn and encoded.
 */
export async function writeWaveformPictureOf(
  input: string,
  output: string,
  opts: SourceWaveformPictureOptions,
): Promise<void> {
  const acc = pictureAccumulator(opts.durationSec, PICTURE_PCM_RATE, (opts.size ?? WAVEFORM_PICTURE).width);
  const expected = Math.max(1, opts.durationSec * PICTURE_PCM_RATE);
  let lastPercent = -1;
  await runFfmpegRaw(
    waveformPcmArgs({ input, sampleRate: PICTURE_PCM_RATE, ...(opts.redaction ? { redaction: opts.redaction } : {}) }),
    {
      onStdout: (chunk) => {
        acc.push(chunk);
        const percent = Math.min(99, Math.floor((acc.totalSamples / expected) * 100));
        if (percent > lastPercent) {
          lastPercent = percent;
          opts.onProgress?.(percent);
        }
      },
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.stallTimeoutMs ? { stallTimeoutMs: opts.stallTimeoutMs } : {}),
      ...(opts.logger ? { logger: opts.logger } : {}),
    },
  );
  await writeWaveformPicture(acc.finishRaw(), output, opts);
  opts.onProgress?.(100);
}
