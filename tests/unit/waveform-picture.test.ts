// The waveform picture (an audio medium's poster) drawn in Node from the streamed 16-bit buckets, and the accumulator
// that folds them: pure functions on arrays, checked pixel by pixel.
import { describe, expect, it } from 'vitest';
import { WAVEFORM_PICTURE, waveformPictureArgs } from '../../server/media/ffmpeg/args.js';
import { drawWaveformPicture, pictureAccumulator } from '../../server/media/ffmpeg/waveform-picture.js';
import { PeakAccumulator } from '../../server/media/ffmpeg/waveform.js';

const FG = [0xd9, 0xa4, 0x41];
const BG = [0x2b, 0x26, 0x22];

function pixel(px: Buffer, width: number, x: number, y: number): number[] {
  const o = (y * width + x) * 3;
  return [px[o]!, px[o + 1]!, px[o + 2]!];
}

/** Rows of column x drawn in the foreground colour, as [first, last] (null when none). */
function bar(px: Buffer, width: number, height: number, x: number): [number, number] | null {
  let first = -1;
  let last = -1;
  for (let y = 0; y < height; y++) {
    const p = pixel(px, width, x, y);
    if (p.every((v, i) => v === FG[i])) {
      if (first < 0) first = y;
      last = y;
    } else expect(p).toEqual(BG);
  }
  return first < 0 ? null : [first, last];
}

function s16(samples: number[]): Buffer {
  const b = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => b.writeInt16LE(s, i * 2));
  return b;
}

describe('drawWaveformPicture', () => {
  it('is the size and colours of the old showwavespic poster: 1280×360, gold on the house background', () => {
    expect(WAVEFORM_PICTURE).toEqual({ width: 1280, height: 360, foreground: 0xd9a441, background: 0x2b2622 });
    const px = drawWaveformPicture(Int16Array.from([-32768, 32767]));
    expect(px.length).toBe(1280 * 360 * 3);
    // one full-scale bucket stretched over every column: the whole height
    expect(bar(px, 1280, 360, 0)).toEqual([0, 359]);
    expect(bar(px, 1280, 360, 1279)).toEqual([0, 359]);
  });

  it('draws max above and min below the centre on the square-root scale; silence draws nothing', () => {
    const size = { width: 4, height: 100 };
    // quarter amplitude → sqrt(0.25) = half of the half height
    const q = Math.round(32767 / 4);
    const px = drawWaveformPicture(Int16Array.from([0, 0, -q, q, 0, q, -32767, 0]), size);
    expect(bar(px, 4, 100, 0)).toBeNull();
    expect(bar(px, 4, 100, 1)).toEqual([25, 74]);
    expect(bar(px, 4, 100, 2)).toEqual([25, 49]);
    expect(bar(px, 4, 100, 3)).toEqual([50, 99]);
  });

  it('merges more buckets than columns (min of mins, max of maxes) and stretches fewer', () => {
    const merged = drawWaveformPicture(Int16Array.from([0, 3000, -32767, 0, 0, 0, 0, 0]), { width: 2, height: 10 });
    expect(bar(merged, 2, 10, 0)).toEqual([3, 9]);
    expect(bar(merged, 2, 10, 1)).toBeNull();
    const stretched = drawWaveformPicture(Int16Array.from([0, 0, -32767, 32767]), { width: 6, height: 10 });
    expect([0, 1, 2].map((x) => bar(stretched, 6, 10, x))).toEqual([null, null, null]);
    expect([3, 4, 5].map((x) => bar(stretched, 6, 10, x))).toEqual([
      [0, 9],
      [0, 9],
      [0, 9],
    ]);
  });

  it('empty buckets give the plain background; an undrawable size is refused', () => {
    const px = drawWaveformPicture(new Int16Array(0), { width: 3, height: 2 });
    for (let x = 0; x < 3; x++) expect(bar(px, 3, 2, x)).toBeNull();
    expect(() => drawWaveformPicture(new Int16Array(2), { width: 0, height: 10 })).toThrow(RangeError);
  });
});

describe('PeakAccumulator buckets', () => {
  it('keeps 16-bit min/max per bucket across chunk boundaries that split samples; finish() gives the 8-bit peaks', () => {
    const samples = [100, -200, 32767, -32768, 5, 7, 0, -1, 256];
    const bytes = s16(samples);
    const whole = new PeakAccumulator(2);
    whole.push(bytes);
    const split = new PeakAccumulator(2);
    // odd-sized chunks: a sample's low byte arrives in one chunk and its high byte in the next
    for (const [a, b] of [
      [0, 3],
      [3, 4],
      [4, 11],
      [11, 18],
    ] as const)
      split.push(bytes.subarray(a, b));
    expect(split.totalSamples).toBe(9);
    expect(whole.totalSamples).toBe(9);
    const raw = Array.from(split.finishRaw());
    expect(raw).toEqual([-200, 100, -32768, 32767, 5, 7, -1, 0, 256, 256]);
    expect(Array.from(whole.finishRaw())).toEqual(raw);
    const peaks = new PeakAccumulator(2);
    peaks.push(bytes);
    expect(peaks.finish(8000)).toMatchObject({ length: 5, bits: 8, data: raw.map((v) => v >> 8) });
  });

  it('pictureAccumulator gives about one bucket per column for the recording length', () => {
    const acc = pictureAccumulator(10, 8000, 1280);
    acc.push(Buffer.alloc(10 * 8000 * 2));
    const n = acc.finishRaw().length / 2;
    expect(n).toBeGreaterThanOrEqual(1280);
    // 62 samples a bucket: 1291 buckets, a few columns merge two
    expect(n).toBeLessThanOrEqual(1300);
  });
});

describe('waveformPictureArgs', () => {
  it('encodes one raw rgb24 frame of the given size to the poster JPEG', () => {
    const args = waveformPictureArgs({ rawInput: '/w/p.rgb', output: '-p.jpg', width: 1280, height: 360 });
    expect(args.slice(args.indexOf('-f'), args.indexOf('-i') + 2)).toEqual([
      '-f',
      'rawvideo',
      '-pixel_format',
      'rgb24',
      '-video_size',
      '1280x360',
      '-framerate',
      '1',
      '-i',
      '/w/p.rgb',
    ]);
    expect(args).toContain('-progress');
    expect(args.slice(-8)).toEqual(['1', '-q:v', '3', '-f', 'image2', '-update', '1', 'file:-p.jpg']);
    expect(args[args.indexOf('-vf') + 1]).toBe('format=yuvj420p');
  });
});
