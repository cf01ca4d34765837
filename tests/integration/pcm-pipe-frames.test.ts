// The combined audio pass sends its waveform PCM to the worker in 4-second frames (asetnsamples, no padding):
// ffmpeg writes each frame to the pipe as it comes, and an MP3's frames give ~200 samples at 8 kHz each — one wake-up of
// the worker per 400 bytes, most of the worker's CPU over a 3-hour recording. Real ffmpeg on a generated MP3.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASS_FILES, PCM_FRAME_SECONDS, audioPassArgs, waveformPcmArgs } from '../../server/media/ffmpeg/args.js';
import { probe } from '../../server/media/ffmpeg/probe.js';
import { runFfmpeg, runFfmpegRaw } from '../../server/media/ffmpeg/runner.js';
import { PeakAccumulator } from '../../server/media/ffmpeg/waveform.js';
import { makeAudio } from '../helpers/media.js';

let dir: string;
let mp3: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'schichtbuch-pcm-frames-'));
  // 7.3 s at 44.1 kHz: 1152-sample MP3 frames, and a length that is no multiple of the half-second frame
  mp3 = await makeAudio(dir, { seconds: 7.3, format: 'mp3', sampleRate: 44100 });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PCM pipe of the audio pass', () => {
  it('arrives in few large chunks, with exactly the samples of the separate waveform decode (no padding)', async () => {
    const work = path.join(dir, 'pass');
    await mkdir(path.join(work, PASS_FILES.hlsDir), { recursive: true });
    const info = await probe(mp3);
    const chunks: number[] = [];
    const pass = new PeakAccumulator(80);
    await runFfmpeg(audioPassArgs({ input: mp3, channels: 1 }), {
      durationSec: info.durationSec,
      cwd: work,
      onData: (chunk) => {
        chunks.push(chunk.length);
        pass.push(chunk);
      },
    });
    const separate = new PeakAccumulator(80);
    await runFfmpegRaw(waveformPcmArgs({ input: mp3 }), {
      onStdout: (chunk) => separate.push(chunk),
    });

    const bytes = chunks.reduce((a, b) => a + b, 0);
    // the same samples as the decode without frames: a padded last frame would add up to half a second of silence
    expect(pass.totalSamples).toBe(separate.totalSamples);
    expect(Math.abs(bytes - info.durationSec * 8000 * 2)).toBeLessThanOrEqual(8000 * 2 * 0.05);
    // one write per 4 s of media (a pipe read may split one); ffmpeg's own MP3 frames would be ~38 a second
    const frames = Math.ceil(info.durationSec / PCM_FRAME_SECONDS);
    expect(chunks.length).toBeLessThanOrEqual(frames * 2 + 2);
    expect(chunks.length).toBeLessThan((info.durationSec * 44100) / 1152 / 4);
    // a 64,000-byte frame may reach the reader in pieces (seen: 32,768-byte reads in CI), but on average a read carries
    // more than a second of samples (0.5-s frames would give ≤ 8,000 bytes a read, unframed MP3 output ~400)
    expect(bytes / chunks.length).toBeGreaterThan(8000 * 2);
    // the peaks of the two paths agree (the same resampler; rounding may differ by a unit)
    const a = pass.finish(8000).data;
    const b = separate.finish(8000).data;
    expect(a.length).toBe(b.length);
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))).toBeLessThanOrEqual(1);
    expect(Math.max(...a)).toBeGreaterThan(0);
  });
});
