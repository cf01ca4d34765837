// The ffmpeg runner tests' media: made once per file with ffmpeg lavfi and espeak-ng (`fx` is filled by the hooks),
// and two small process helpers.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { makeAudio, makeGermanSpeech, makeImageOnly, makeTextFile, makeVideo } from '../../helpers/media.js';

export let dir: string;
export const fx = {} as Record<
  'video360' | 'video720' | 'm4a' | 'mp3' | 'opus' | 'wav' | 'silence' | 'speech' | 'image' | 'text',
  string
>;

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

/** Registers this file's beforeAll/afterAll in the calling test file. */
export function useFfmpegFixture(): void {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'schichtbuch-ffmpeg-'));
    // Two at a time: the box has two cores.
    [fx.video360, fx.video720] = await Promise.all([
      makeVideo(dir, { seconds: 6, width: 640, height: 360, fps: 25, withAudio: true }),
      makeVideo(dir, { seconds: 4, width: 1280, height: 720, fps: 25, withAudio: true }),
    ]);
    [fx.m4a, fx.mp3, fx.opus, fx.wav, fx.silence, fx.speech, fx.image, fx.text] = await Promise.all([
      makeAudio(dir, { seconds: 3, format: 'm4a' }),
      makeAudio(dir, { seconds: 3, format: 'mp3' }),
      makeAudio(dir, { seconds: 3, format: 'opus' }),
      makeAudio(dir, { seconds: 3, format: 'wav', sampleRate: 44100 }),
      makeAudio(dir, { seconds: 2, format: 'wav', silent: true }),
      makeGermanSpeech(dir, 'Glück auf! Ich war dreißig Jahre im Tagebau Welzow-Süd.'),
      makeImageOnly(dir),
      makeTextFile(dir),
    ]);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
}
