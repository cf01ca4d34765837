import { describe, expect, it } from 'vitest';
import { outTimeSeconds, ProgressParser } from '../../server/media/ffmpeg/runner.js';
import { PeakAccumulator, toAudiowaveformJson } from '../../server/media/ffmpeg/waveform.js';
import { parseRate } from '../../server/media/ffmpeg/probe.js';

describe('ProgressParser', () => {
  it('splits key=value blocks even across chunk boundaries', () => {
    const p = new ProgressParser();
    expect(p.push('frame=10\nout_time_us=1000')).toEqual([]);
    const blocks = p.push('000\nspeed=4.1x\nprogress=continue\nframe=20\nout_time_us=N/A\nprogress=end\n');
    expect(blocks).toEqual([
      { frame: '10', out_time_us: '1000000', speed: '4.1x', progress: 'continue' },
      { frame: '20', out_time_us: 'N/A', progress: 'end' },
    ]);
  });

  it('reads out_time_us, then out_time_ms (microseconds too), then out_time', () => {
    expect(outTimeSeconds({ out_time_us: '2500000' })).toBe(2.5);
    expect(outTimeSeconds({ out_time_us: 'N/A', out_time_ms: '1500000' })).toBe(1.5);
    expect(outTimeSeconds({ out_time: '01:02:03.500000' })).toBe(3723.5);
    expect(outTimeSeconds({ out_time: 'N/A' })).toBeNull();
  });
});

describe('parseRate', () => {
  it('parses ffprobe fractions', () => {
    expect(parseRate('30000/1001')).toBe(29.97);
    expect(parseRate('25/1')).toBe(25);
    expect(parseRate('0/0')).toBeUndefined();
    expect(parseRate(undefined)).toBeUndefined();
  });
});

function pcm(samples: number[]): Buffer {
  const b = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => b.writeInt16LE(s, i * 2));
  return b;
}

describe('PeakAccumulator', () => {
  const samples = [0, 32767, -32768, 256, -256, 100, -1, 5, 7];

  it('computes int8 min/max per bucket with a partial last bucket', () => {
    const acc = new PeakAccumulator(4);
    acc.push(pcm(samples));
    const peaks = acc.finish(8000);
    expect(peaks).toEqual({
      version: 1,
      sampleRate: 8000,
      samplesPerPixel: 4,
      bits: 8,
      length: 3,
      data: [-128, 127, -1, 0, 7 >> 8, 7 >> 8],
    });
    expect(toAudiowaveformJson(peaks)).toMatchObject({ sample_rate: 8000, samples_per_pixel: 4, length: 3 });
  });

  it('gives identical results for any chunking, including odd byte splits', () => {
    const whole = new PeakAccumulator(3);
    whole.push(pcm(samples));
    const expected = whole.finish(8000);
    const bytes = pcm(samples);
    for (const size of [1, 3, 5, 7]) {
      const acc = new PeakAccumulator(3);
      for (let i = 0; i < bytes.length; i += size) acc.push(bytes.subarray(i, i + size));
      acc.push(Buffer.alloc(0));
      expect(acc.finish(8000)).toEqual(expected);
    }
  });
});
