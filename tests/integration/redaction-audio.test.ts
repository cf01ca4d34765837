// Restricted passages with real ffmpeg: the builders' output is decoded again and measured, so "silenced" and
// "covered" are numbers, not filter strings. 8 s fixtures, 360p, so the file stays quick on two cores.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { findCardFont, unrestrictedTime, type RedactionRange } from '../../server/media/ffmpeg/redaction.js';
import { runFfmpeg, runFfmpegRaw } from '../../server/media/ffmpeg/runner.js';
import { PeakAccumulator } from '../../server/media/ffmpeg/waveform.js';
import { pictureAccumulator, writeWaveformPicture, writeWaveformPictureOf } from '../../server/media/ffmpeg/waveform-picture.js';
import { makeAudio, makeVideo } from '../helpers/media.js';

const exec = promisify(execFile);
const RANGES: RedactionRange[] = [
  { start: 2, end: 4 },
  { start: 5.5, end: 6.5 },
];
const DURATION = 8;
/** Measurement windows: restricted ones shrunk by 0.1 s at each edge (AAC frames, resampler), open ones likewise. */
const WINDOWS: Array<{ a: number; b: number; restricted: boolean }> = [
  { a: 0.1, b: 1.9, restricted: false },
  { a: 2.1, b: 3.9, restricted: true },
  { a: 4.1, b: 5.4, restricted: false },
  { a: 5.6, b: 6.4, restricted: true },
  { a: 6.6, b: 7.9, restricted: false },
];

let dir: string;
let audioIn: string;
let videoIn: string;
let font: string | null;
const table: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'schichtbuch-redaction-'));
  [audioIn, videoIn] = await Promise.all([
    makeAudio(dir, { seconds: DURATION, format: 'm4a' }),
    makeVideo(dir, { seconds: DURATION, width: 640, height: 360, fps: 25, withAudio: true }),
  ]);
  font = findCardFont();
});

afterAll(async () => {
  if (table.length > 0) console.log(['output / window → level', ...table].join('\n'));
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function ffmpeg(args: string[]): Promise<{ stdout: Buffer; stderr: string }> {
  const { stdout, stderr } = await exec('ffmpeg', ['-hide_banner', '-nostdin', '-nostats', ...args], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { stdout, stderr: stderr.toString('utf8') };
}

interface Level {
  rmsDb: number;
  peakDb: number;
  samples: number;
}

/** astats over [a, b) of the decoded first audio stream; -inf is digital silence. */
async function level(file: string, a: number, b: number): Promise<Level> {
  const { stderr } = await ffmpeg(['-i', file, '-map', '0:a:0', '-af', `atrim=start=${a}:end=${b},astats=measure_perchannel=none`, '-f', 'null', '-']);
  const overall = stderr.slice(stderr.lastIndexOf('] Overall'));
  const num = (label: string): number => {
    const m = new RegExp(`${label}: (-?inf|-?[\\d.]+)`).exec(overall);
    if (!m) throw new Error(`no "${label}" in astats output:\n${stderr.slice(-2000)}`);
    return m[1]!.endsWith('inf') ? (m[1]!.startsWith('-') ? -Infinity : Infinity) : Number(m[1]);
  };
  return { rmsDb: num('RMS level dB'), peakDb: num('Peak level dB'), samples: num('Number of samples') };
}

const db = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : `${n < 0 ? '-' : ''}inf`);

async function expectRedactedAudio(label: string, file: string): Promise<void> {
  for (const w of WINDOWS) {
    const l = await level(file, w.a, w.b);
    table.push(`${label} ${w.a.toFixed(1)}–${w.b.toFixed(1)} s: RMS ${db(l.rmsDb)} dB, peak ${db(l.peakDb)} dB (${w.restricted ? 'restricted' : 'open'})`);
    // a window past the end of the stream would read as silence too
    expect(l.samples).toBeGreaterThan((w.b - w.a) * 8000 * 0.9);
    if (w.restricted) expect(l.peakDb).toBeLessThanOrEqual(-70);
    else expect(l.rmsDb).toBeGreaterThanOrEqual(-30);
  }
}

interface Gray {
  /** Most common luma and the share of pixels within ±6 of it. */
  mode: number;
  modeShare: number;
  /** Pixels brighter than 150 (the caption is drawn in 0xd0d0d0). */
  bright: number;
}

function grayStats(buf: Buffer): Gray {
  const hist = new Array<number>(256).fill(0);
  for (const v of buf) hist[v]!++;
  const mode = hist.indexOf(Math.max(...hist));
  let near = 0;
  for (let v = Math.max(0, mode - 6); v <= Math.min(255, mode + 6); v++) near += hist[v]!;
  const bright = hist.slice(151).reduce((s, n) => s + n, 0);
  return { mode, modeShare: near / buf.length, bright };
}

/** One frame as 8-bit gray: at `at` seconds (output-side seek, exact), or the only frame of an image. */
async function frame(file: string, at?: number): Promise<Gray> {
  const seek = at === undefined ? [] : ['-ss', String(at)];
  const { stdout } = await ffmpeg(['-loglevel', 'error', '-i', file, ...seek, '-map', '0:v:0', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
  expect(stdout.length).toBeGreaterThan(1000);
  return grayStats(stdout);
}

function expectCard(g: Gray, what: string, captioned: boolean): void {
  table.push(`${what}: card (mode luma ${g.mode}, ${(g.modeShare * 100).toFixed(1)} % of pixels at it, ${g.bright} caption pixels)`);
  // 0x333333 is luma 51 full range, 60 limited range
  expect(g.mode).toBeGreaterThanOrEqual(45);
  expect(g.mode).toBeLessThanOrEqual(66);
  expect(g.modeShare).toBeGreaterThan(0.9);
  if (captioned) expect(g.bright).toBeGreaterThan(200);
  else expect(g.bright).toBe(0);
}

function expectPicture(g: Gray, what: string): void {
  table.push(`${what}: picture (mode luma ${g.mode}, ${(g.modeShare * 100).toFixed(1)} % of pixels at it)`);
  expect(g.modeShare).toBeLessThan(0.6);
}

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
      videoHlsArgs({ input: videoIn, outDir: hls, source: { width: 640, height: 360, fps: 25 }, hasAudio: true, redaction: { ranges: RANGES, fontFile: font } }),
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
      videoHlsArgs({ input: src, outDir: hls, source: { width: 1280, height: 720, fps: 25 }, hasAudio: true, redaction: { ranges, fontFile: null } }),
      { durationSec: 4 },
    );
    for (const name of ['720p', '360p']) {
      const rung = path.join(hls, name, 'index.m3u8');
      for (const [a, b, restricted] of [[0.1, 0.9, false], [1.1, 2.4, true], [2.6, 3.9, false]] as const) {
        const l = await level(rung, a, b);
        table.push(`ladder ${name} audio ${a.toFixed(1)}–${b.toFixed(1)} s: RMS ${db(l.rmsDb)} dB, peak ${db(l.peakDb)} dB (${restricted ? 'restricted' : 'open'})`);
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
    await runFfmpeg(storyboardArgs({ input: videoIn, output: sprite, intervalSeconds: 1, columns: 8, rows: 1, tileHeight: 90, redaction: { ranges: RANGES } }));
    const { stdout } = await ffmpeg(['-loglevel', 'error', '-i', sprite, '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
    expect(stdout.length).toBe(8 * 160 * 90);
    const tile = (i: number): Gray => {
      const px: number[] = [];
      // 4 px inset: JPEG blocks bleed across tile borders
      for (let y = 4; y < 86; y++) for (let x = i * 160 + 4; x < (i + 1) * 160 - 4; x++) px.push(stdout[y * 8 * 160 + x]!);
      return grayStats(Buffer.from(px));
    };
    for (const i of [0, 1, 4, 7]) expectPicture(tile(i), `storyboard tile ${i}`);
    for (const i of [2, 3]) expectCard(tile(i), `storyboard tile ${i}`, false);
  });

  it('waveform peaks are zero inside the ranges', async () => {
    const sampleRate = 8000;
    const acc = new PeakAccumulator(800); // 10 points a second
    await runFfmpegRaw(waveformPcmArgs({ input: audioIn, sampleRate, redaction: { ranges: RANGES } }), { onStdout: (c) => acc.push(c) });
    const { data, length } = acc.finish(sampleRate);
    expect(length).toBe(80);
    const peak = (a: number, b: number): number => {
      let m = 0;
      for (let k = Math.round(a * 10); k < Math.round(b * 10); k++) m = Math.max(m, Math.abs(data[2 * k]!), Math.abs(data[2 * k + 1]!));
      return m;
    };
    for (const w of WINDOWS) {
      const p = peak(w.a, w.b);
      table.push(`waveform ${w.a.toFixed(1)}–${w.b.toFixed(1)} s: peak ${p}/128 (${w.restricted ? 'restricted' : 'open'})`);
      if (w.restricted) expect(p).toBe(0);
      else expect(p).toBeGreaterThanOrEqual(8);
    }
  });

  it('audio poster: the restricted stretches are flat', async () => {
    const poster = path.join(dir, 'audio-poster.jpg');
    // media made before the one-pass ingest: the picture from a PCM-only decode of the original
    await writeWaveformPictureOf(audioIn, poster, { durationSec: DURATION, size: { width: 800, height: 100 }, redaction: { ranges: RANGES } });
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
      table.push(`audio poster ${w.a.toFixed(1)}–${w.b.toFixed(1)} s: ${n}/${total} columns with waveform (${w.restricted ? 'restricted' : 'open'})`);
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
      for (let k = Math.round(w.a * 10); k < Math.round(w.b * 10); k++) p = Math.max(p, Math.abs(data[2 * k]!), Math.abs(data[2 * k + 1]!));
      table.push(`${label} ${w.a.toFixed(1)}–${w.b.toFixed(1)} s: peak ${p}/128 (${w.restricted ? 'restricted' : 'open'})`);
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
      durationSec: DURATION, cwd: work, onData: (c) => { acc.push(c); picture.push(c); },
    });
    // the waveform picture is drawn from the pass's own PCM, as the renditions handler does
    await writeWaveformPicture(picture.finishRaw(), path.join(work, PASS_FILES.poster), { size: { width: 800, height: 100 } });
    await expectRedactedAudio('one-pass audio HLS', path.join(work, PASS_FILES.hlsDir, 'master.m3u8'));
    await expectRedactedAudio('one-pass M4A', path.join(work, PASS_FILES.download));
    await peaksOf(acc, 'one-pass waveform');
    const { stdout } = await ffmpeg(['-loglevel', 'error', '-i', path.join(work, PASS_FILES.poster), '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
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
        input: videoIn, source: { width: 640, height: 360, fps: 25 }, hasAudio: true, redaction: { ranges: RANGES, fontFile: font },
        posterAtSeconds: 3, storyboard: { intervalSeconds: 1, columns: 8, rows: 1, tileWidth: 160, tileHeight: 90 },
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
    const { stdout } = await ffmpeg(['-loglevel', 'error', '-i', path.join(work, PASS_FILES.storyboardSprite), '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
    expect(stdout.length).toBe(8 * 160 * 90);
    const tile = (i: number): Gray => {
      const px: number[] = [];
      for (let y = 4; y < 86; y++) for (let x = i * 160 + 4; x < (i + 1) * 160 - 4; x++) px.push(stdout[y * 8 * 160 + x]!);
      return grayStats(Buffer.from(px));
    };
    for (const i of [0, 1, 4, 7]) expectPicture(tile(i), `one-pass storyboard tile ${i}`);
    for (const i of [2, 3]) {
      // the caption shrinks to a few blurred pixels in a 160-px tile: the card's colour is what counts here
      const g = tile(i);
      table.push(`one-pass storyboard tile ${i}: card (mode luma ${g.mode}, ${(g.modeShare * 100).toFixed(1)} % of pixels at it)`);
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
    await runFfmpeg(posterArgs({ input: videoIn, output: out, atSeconds: 3, redaction: { ranges: RANGES, fontFile: odd } }));
    expectCard(await frame(out), 'poster with an oddly named font', true);
  });
});
