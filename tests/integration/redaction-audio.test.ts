// Restricted passages with real ffmpeg: the builders' output is decoded again and measured, so "silenced" and
// "covered" are numbers, not filter strings. 8 s fixtures, 360p, so the file stays quick on two cores.
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PASS_FILES,
  audioHlsArgs,
  audioPassArgs,
  m4aArgs,
  posterArgs,
  storyboardArgs,
  videoHlsArgs,
  videoPassArgs,
  waveformPcmArgs,
} from '../../server/media/ffmpeg/args.js';
import { unrestrictedTime } from '../../server/media/ffmpeg/redaction.js';
import { runFfmpeg, runFfmpegRaw } from '../../server/media/ffmpeg/runner.js';
import { PeakAccumulator } from '../../server/media/ffmpeg/waveform.js';
import {
  pictureAccumulator,
  writeWaveformPicture,
  writeWaveformPictureOf,
} from '../../server/media/ffmpeg/waveform-picture.js';
import { makeVideo } from '../helpers/media.js';
import {
  audioIn,
  db,
  dir,
  DURATION,
  expectCard,
  expectPicture,
  expectRedactedAudio,
  ffmpeg,
  font,
  frame,
  type Gray,
  grayStats,
  level,
  RANGES,
  table,
  useRedactionFixture,
  videoIn,
  WINDOWS,
} from './helpers/redaction-checks.js';

useRedactionFixture();

describe('redacted renditions (real ffmpeg)', () => {
  it('audio HLS and M4A are silent inside the ranges and untouched outside', async () => {
    const hls = path.join(dir, 'audio-hls');
    const m4a = path.join(dir, 'download.m4a');
    const redaction = { ranges: RANGES };
    await Promise.all([
      runFfmpeg(audioHlsArgs({ input: audioIn, outDir: hls, redaction }), { durationSec: DURATION, ensureDirs: [hls] }),
      runFfmpeg(m4aArgs({ input: audioIn, output: m4a, redaction }), { durationSec: DURATION }),
    ]);
    await expectRedactedAudio('audio HLS', path.join(hls, 'master.m3u8'));
    await expectRedactedAudio('M4A', m4a);
  });

  it('video HLS: silenced audio, card frames inside the ranges, picture outside', async () => {
    const hls = path.join(dir, 'video-hls');
    await runFfmpeg(
      videoHlsArgs({
        input: videoIn,
        outDir: hls,
        source: { width: 640, height: 360, fps: 25 },
        hasAudio: true,
        redaction: { ranges: RANGES, fontFile: font },
      }),
      { durationSec: DURATION },
    );
    const rung = path.join(hls, '360p', 'index.m3u8');
    await expectRedactedAudio('video HLS 360p audio', rung);
    expectPicture(await frame(rung, 1), 'video HLS 360p frame at 1.0 s');
    expectCard(await frame(rung, 3), 'video HLS 360p frame at 3.0 s', font !== null);
    expectCard(await frame(rung, 6), 'video HLS 360p frame at 6.0 s', font !== null);
    expectPicture(await frame(rung, 7), 'video HLS 360p frame at 7.0 s');
  });

  it('video HLS ladder: both rungs get the card and their own silenced audio', async () => {
    const src = await makeVideo(dir, { seconds: 4, width: 1280, height: 720, fps: 25, withAudio: true });
    const hls = path.join(dir, 'ladder-hls');
    const ranges = [{ start: 1, end: 2.5 }];
    await runFfmpeg(
      videoHlsArgs({
        input: src,
        outDir: hls,
        source: { width: 1280, height: 720, fps: 25 },
        hasAudio: true,
        redaction: { ranges, fontFile: null },
      }),
      { durationSec: 4 },
    );
    for (const name of ['720p', '360p']) {
      const rung = path.join(hls, name, 'index.m3u8');
      for (const [a, b, restricted] of [
        [0.1, 0.9, false],
        [1.1, 2.4, true],
        [2.6, 3.9, false],
      ] as const) {
        const l = await level(rung, a, b);
        table.push(
          `ladder ${name} audio ${a.toFixed(1)}–${b.toFixed(1)} s: RMS ${db(l.rmsDb)} dB, peak ${db(l.peakDb)} dB (${restricted ? 'restricted' : 'open'})`,
        );
        expect(l.samples).toBeGreaterThan((b - a) * 8000 * 0.9);
        if (restricted) expect(l.peakDb).toBeLessThanOrEqual(-70);
        else expect(l.rmsDb).toBeGreaterThanOrEqual(-30);
      }
      expectCard(await frame(rung, 1.8), `ladder ${name} frame at 1.8 s`, false);
      expectPicture(await frame(rung, 3.2), `ladder ${name} frame at 3.2 s`);
    }
  });

  it('poster: a seek into a range gives the card; unrestrictedTime gives a picture', async () => {
    const inside = path.join(dir, 'poster-inside.jpg');
    const moved = path.join(dir, 'poster-moved.jpg');
    const redaction = { ranges: RANGES, fontFile: font };
    const at = unrestrictedTime(3, RANGES, DURATION)!;
    expect(at).toBeCloseTo(4.002, 3);
    await Promise.all([
      runFfmpeg(posterArgs({ input: videoIn, output: inside, atSeconds: 3, redaction })),
      runFfmpeg(posterArgs({ input: videoIn, output: moved, atSeconds: at, redaction })),
    ]);
    expectCard(await frame(inside), 'poster at 3.0 s', font !== null);
    expectPicture(await frame(moved), `poster at ${at} s (unrestrictedTime)`);
  });

  it('storyboard: tiles from inside a range are cards', async () => {
    const sprite = path.join(dir, 'sprite.jpg');
    // 8 tiles of 160x90, one per second; the fps filter takes a frame from the middle of each second
    await runFfmpeg(
      storyboardArgs({
        input: videoIn,
        output: sprite,
        intervalSeconds: 1,
        columns: 8,
        rows: 1,
        tileHeight: 90,
        redaction: { ranges: RANGES },
      }),
    );
    const { stdout } = await ffmpeg(['-loglevel', 'error', '-i', sprite, '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
    expect(stdout.length).toBe(8 * 160 * 90);
    const tile = (i: number): Gray => {
      const px: number[] = [];
      // 4 px inset: JPEG blocks bleed across tile borders
      for (let y = 4; y < 86; y++)
        for (let x = i * 160 + 4; x < (i + 1) * 160 - 4; x++) px.push(stdout[y * 8 * 160 + x]!);
      return grayStats(Buffer.from(px));
    };
    for (const i of [0, 1, 4, 7]) expectPicture(tile(i), `storyboard tile ${i}`);
    for (const i of [2, 3]) expectCard(tile(i), `storyboard tile ${i}`, false);
  });

  it('waveform peaks are zero inside the ranges', async () => {
    const sampleRate = 8000;
    const acc = new PeakAccumulator(800); // 10 points a second
    await runFfmpegRaw(waveformPcmArgs({ input: audioIn, sampleRate, redaction: { ranges: RANGES } }), {
      onStdout: (c) => acc.push(c),
    });
    const { data, length } = acc.finish(sampleRate);
    expect(length).toBe(80);
    const peak = (a: number, b: number): number => {
      let m = 0;
      for (let k = Math.round(a * 10); k < Math.round(b * 10); k++)
        m = Math.max(m, Math.abs(data[2 * k]!), Math.abs(data[2 * k + 1]!));
      return m;
    };
    for (const w of WINDOWS) {
      const p = peak(w.a, w.b);
      table.push(
        `waveform ${w.a.toFixed(1)}–${w.b.toFixed(1)} s: peak ${p}/128 (${w.restricted ? 'restricted' : 'open'})`,
      );
      if (w.restricted) expect(p).toBe(0);
      else expect(p).toBeGreaterThanOrEqual(8);
    }
  });

  it('audio poster: the restricted stretches are flat', async () => {
    const poster = path.join(dir, 'audio-poster.jpg');
    // media made before the one-pass ingest: the picture from a PCM-only decode of the original
    await writeWaveformPictureOf(audioIn, poster, {
      durationSec: DURATION,
      size: { width: 800, height: 100 },
      redaction: { ranges: RANGES },
    });
    const { stdout } = await ffmpeg(['-loglevel', 'error', '-i', poster, '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
    expect(stdout.length).toBe(800 * 100);
    // 100 px a second; the waveform is drawn bright on the dark background
    const brightColumns = (a: number, b: number): number => {
      let n = 0;
      for (let x = Math.round(a * 100); x < Math.round(b * 100); x++) {
        let max = 0;
        for (let y = 0; y < 100; y++) max = Math.max(max, stdout[y * 800 + x]!);
        if (max > 100) n++;
      }
      return n;
    };
    for (const w of WINDOWS) {
      const n = brightColumns(w.a, w.b);
      const total = Math.round((w.b - w.a) * 100);
      table.push(
        `audio poster ${w.a.toFixed(1)}–${w.b.toFixed(1)} s: ${n}/${total} columns with waveform (${w.restricted ? 'restricted' : 'open'})`,
      );
      if (w.restricted) expect(n).toBe(0);
      else expect(n).toBeGreaterThan(total * 0.9);
    }
  });

  // The one-pass ingest (workers/handlers/media.ts renditions): every output of the single process is redacted.
  async function peaksOf(acc: PeakAccumulator, label: string): Promise<void> {
    const { data, length } = acc.finish(8000);
    expect(length).toBe(80);
    for (const w of WINDOWS) {
      let p = 0;
      for (let k = Math.round(w.a * 10); k < Math.round(w.b * 10); k++)
        p = Math.max(p, Math.abs(data[2 * k]!), Math.abs(data[2 * k + 1]!));
      table.push(
        `${label} ${w.a.toFixed(1)}–${w.b.toFixed(1)} s: peak ${p}/128 (${w.restricted ? 'restricted' : 'open'})`,
      );
      if (w.restricted) expect(p).toBe(0);
      else expect(p).toBeGreaterThanOrEqual(8);
    }
  }

  it('one-pass audio: HLS and M4A from one encode are silent inside the ranges, PCM peaks zero, waveform picture flat', async () => {
    const work = path.join(dir, 'pass-audio');
    await mkdir(path.join(work, PASS_FILES.hlsDir), { recursive: true });
    const acc = new PeakAccumulator(800);
    const picture = pictureAccumulator(DURATION, 8000, 800);
    await runFfmpeg(audioPassArgs({ input: audioIn, redaction: { ranges: RANGES } }), {
      durationSec: DURATION,
      cwd: work,
      onData: (c) => {
        acc.push(c);
        picture.push(c);
      },
    });
    // the waveform picture is drawn from the pass's own PCM, as the renditions handler does
    await writeWaveformPicture(picture.finishRaw(), path.join(work, PASS_FILES.poster), {
      size: { width: 800, height: 100 },
    });
    await expectRedactedAudio('one-pass audio HLS', path.join(work, PASS_FILES.hlsDir, 'master.m3u8'));
    await expectRedactedAudio('one-pass M4A', path.join(work, PASS_FILES.download));
    await peaksOf(acc, 'one-pass waveform');
    const { stdout } = await ffmpeg([
      '-loglevel',
      'error',
      '-i',
      path.join(work, PASS_FILES.poster),
      '-f',
      'rawvideo',
      '-pix_fmt',
      'gray',
      '-',
    ]);
    expect(stdout.length).toBe(800 * 100);
    for (const w of WINDOWS) {
      let n = 0;
      for (let x = Math.round(w.a * 100); x < Math.round(w.b * 100); x++) {
        let max = 0;
        for (let y = 0; y < 100; y++) max = Math.max(max, stdout[y * 800 + x]!);
        if (max > 100) n++;
      }
      const total = Math.round((w.b - w.a) * 100);
      table.push(`one-pass audio poster ${w.a.toFixed(1)}–${w.b.toFixed(1)} s: ${n}/${total} columns with waveform`);
      if (w.restricted) expect(n).toBe(0);
      else expect(n).toBeGreaterThan(total * 0.9);
    }
  }, 120_000);

  it('one-pass video: ladder card + silence, M4A silent, poster and storyboard carded, PCM peaks zero', async () => {
    const work = path.join(dir, 'pass-video');
    await mkdir(path.join(work, PASS_FILES.hlsDir), { recursive: true });
    const acc = new PeakAccumulator(800);
    await runFfmpeg(
      videoPassArgs({
        input: videoIn,
        source: { width: 640, height: 360, fps: 25 },
        hasAudio: true,
        redaction: { ranges: RANGES, fontFile: font },
        posterAtSeconds: 3,
        storyboard: { intervalSeconds: 1, columns: 8, rows: 1, tileWidth: 160, tileHeight: 90 },
      }),
      { durationSec: DURATION, cwd: work, onData: (c) => acc.push(c) },
    );
    const rung = path.join(work, PASS_FILES.hlsDir, '360p', 'index.m3u8');
    await expectRedactedAudio('one-pass video HLS 360p audio', rung);
    expectPicture(await frame(rung, 1), 'one-pass video 360p frame at 1.0 s');
    expectCard(await frame(rung, 3), 'one-pass video 360p frame at 3.0 s', font !== null);
    expectPicture(await frame(rung, 7), 'one-pass video 360p frame at 7.0 s');
    await expectRedactedAudio('one-pass video M4A', path.join(work, PASS_FILES.download));
    // the poster time lies inside a range: the card, not the picture
    expectCard(await frame(path.join(work, PASS_FILES.poster)), 'one-pass poster at 3.0 s', font !== null);
    const { stdout } = await ffmpeg([
      '-loglevel',
      'error',
      '-i',
      path.join(work, PASS_FILES.storyboardSprite),
      '-f',
      'rawvideo',
      '-pix_fmt',
      'gray',
      '-',
    ]);
    expect(stdout.length).toBe(8 * 160 * 90);
    const tile = (i: number): Gray => {
      const px: number[] = [];
      for (let y = 4; y < 86; y++)
        for (let x = i * 160 + 4; x < (i + 1) * 160 - 4; x++) px.push(stdout[y * 8 * 160 + x]!);
      return grayStats(Buffer.from(px));
    };
    for (const i of [0, 1, 4, 7]) expectPicture(tile(i), `one-pass storyboard tile ${i}`);
    for (const i of [2, 3]) {
      // the caption shrinks to a few blurred pixels in a 160-px tile: the card's colour is what counts here
      const g = tile(i);
      table.push(
        `one-pass storyboard tile ${i}: card (mode luma ${g.mode}, ${(g.modeShare * 100).toFixed(1)} % of pixels at it)`,
      );
      expect(g.mode).toBeGreaterThanOrEqual(45);
      expect(g.mode).toBeLessThanOrEqual(66);
      expect(g.modeShare).toBeGreaterThan(0.9);
    }
    await peaksOf(acc, 'one-pass video waveform');
  }, 180_000);

  it('the caption survives a font path full of filtergraph specials', async () => {
    if (!font) return; // plain card only on this machine; nothing to escape
    const odd = path.join(dir, "font's, [odd]; a:b.ttf");
    await copyFile(font, odd);
    const out = path.join(dir, 'poster-odd.jpg');
    await runFfmpeg(
      posterArgs({ input: videoIn, output: out, atSeconds: 3, redaction: { ranges: RANGES, fontFile: odd } }),
    );
    expectCard(await frame(out), 'poster with an oddly named font', true);
  });
});
