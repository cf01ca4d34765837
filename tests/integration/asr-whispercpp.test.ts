// The in-process engine: whisper.cpp through the prebuilt @fugood/node-whisper-linux-x64 addon. No real ggml model
// can be fetched here, so the model is one we generate (tests/helpers/ggml-model.ts): the real file format, 8-wide
// layers, a decoder that always says "a". It checks structure — the binding loads a model file, runs mel, encoder
// and decoder on our 16 kHz PCM, and the engine returns timed segments inside the audio — not recognition quality
// (that is the HTTP engine's test with the real tiny.en model).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wavFromPcm } from '../../server/asr/audio.js';
import { AsrUnavailableError } from '../../server/asr/types.js';
import { loadWhisperBinding, WhisperCppEngine } from '../../server/asr/whispercpp-engine.js';
import { writeTinyGgmlModel } from '../helpers/ggml-model.js';

const bindingLoads = (() => {
  try {
    loadWhisperBinding();
    return true;
  } catch {
    return false;
  }
})();

function tone(seconds: number): Buffer {
  const pcm = Buffer.alloc(16000 * 2 * seconds);
  for (let i = 0; i < pcm.length / 2; i++)
    pcm.writeInt16LE(Math.round(8000 * Math.sin(i / 10) * Math.sin(i / 3000)), i * 2);
  return wavFromPcm(pcm);
}

describe.skipIf(!bindingLoads)(
  '[needs whisper.cpp binding] in-process whisper.cpp with a generated tiny ggml model (structure only, not recognition)',
  () => {
    let dir: string;
    let modelPath: string;
    let engine: WhisperCppEngine;

    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-ggml-'));
      modelPath = path.join(dir, 'ggml-tiny-test.bin');
      writeTinyGgmlModel(modelPath);
      engine = new WhisperCppEngine({ modelPath, threads: 1 });
    });
    afterAll(async () => {
      await engine?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('loads the model file and returns timed segments with word times inside the audio', async () => {
      expect(engine.name).toBe('whispercpp');
      expect(engine.model).toBe('tiny-test');
      const result = await engine.transcribe(
        { wav: tone(5), durationSec: 5 },
        { language: 'en', vocabulary: ['Ferropolis'] },
      );
      expect(result.segments.length).toBeGreaterThan(0);
      const words = result.segments.flatMap((s) => s.words);
      expect(words.length).toBeGreaterThan(0);
      for (const s of result.segments) {
        expect(s.text).toMatch(/^a( a)*$/);
        expect(s.end).toBeGreaterThanOrEqual(s.start);
        expect(s.start).toBeGreaterThanOrEqual(0);
      }
      for (const w of words) {
        expect(w.word).toBe('a');
        expect(w.start).toBeGreaterThanOrEqual(0);
        expect(w.end).toBeLessThanOrEqual(5.5);
        expect(w.probability).toBeNull();
      }
    }, 60_000);

    it('a model path that does not exist is a clear, retryable error', async () => {
      const missing = new WhisperCppEngine({ modelPath: path.join(dir, 'nope.bin') });
      await expect(missing.transcribe({ wav: tone(1), durationSec: 1 }, {})).rejects.toThrow(AsrUnavailableError);
      await expect(missing.transcribe({ wav: tone(1), durationSec: 1 }, {})).rejects.toThrow(/nope\.bin/);
    });
  },
);
