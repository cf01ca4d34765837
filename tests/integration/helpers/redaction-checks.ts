// The redaction tests' fixture (an 8 s tone and a video with restricted ranges) and their measurements: the level
// of a time window (silence over a restricted passage), and a frame's grey statistics (the neutral card).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect } from 'vitest';
import { findCardFont, type RedactionRange } from '../../../server/media/ffmpeg/redaction.js';
import { makeAudio, makeVideo } from '../../helpers/media.js';

export const exec = promisify(execFile);
export const RANGES: RedactionRange[] = [
  { start: 2, end: 4 },
  { start: 5.5, end: 6.5 },
];
export const DURATION = 8;
/** Measurement windows: restricted ones shrunk by 0.1 s at each edge (AAC frames, resampler), open ones likewise. */
export const WINDOWS: Array<{ a: number; b: number; restricted: boolean }> = [
  { a: 0.1, b: 1.9, restricted: false },
  { a: 2.1, b: 3.9, restricted: true },
  { a: 4.1, b: 5.4, restricted: false },
  { a: 5.6, b: 6.4, restricted: true },
  { a: 6.6, b: 7.9, restricted: false },
];

export let dir: string;
export let audioIn: string;
export let videoIn: string;
export let font: string | null;
export const table: string[] = [];

export async function ffmpeg(args: string[]): Promise<{ stdout: Buffer; stderr: string }> {
  const { stdout, stderr } = await exec('ffmpeg', ['-hide_banner', '-nostdin', '-nostats', ...args], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { stdout, stderr: stderr.toString('utf8') };
}

export interface Level {
  rmsDb: number;
  peakDb: number;
  samples: number;
}

/** astats over [a, b) of the decoded first audio stream; -inf is digital silence. */
export async function level(file: string, a: number, b: number): Promise<Level> {
  const { stderr } = await ffmpeg([
    '-i',
    file,
    '-map',
    '0:a:0',
    '-af',
    `atrim=start=${a}:end=${b},astats=measure_perchannel=none`,
    '-f',
    'null',
    '-',
  ]);
  const overall = stderr.slice(stderr.lastIndexOf('] Overall'));
  const num = (label: string): number => {
    const m = new RegExp(`${label}: (-?inf|-?[\\d.]+)`).exec(overall);
    if (!m) throw new Error(`no "${label}" in astats output:\n${stderr.slice(-2000)}`);
    return m[1]!.endsWith('inf') ? (m[1]!.startsWith('-') ? -Infinity : Infinity) : Number(m[1]);
  };
  return { rmsDb: num('RMS level dB'), peakDb: num('Peak level dB'), samples: num('Number of samples') };
}

export const db = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : `${n < 0 ? '-' : ''}inf`);

export async function expectRedactedAudio(label: string, file: string): Promise<void> {
  for (const w of WINDOWS) {
    const l = await level(file, w.a, w.b);
    table.push(
      `${label} ${w.a.toFixed(1)}–${w.b.toFixed(1)} s: RMS ${db(l.rmsDb)} dB, peak ${db(l.peakDb)} dB (${w.restricted ? 'restricted' : 'open'})`,
    );
    // a window past the end of the stream would read as silence too
    expect(l.samples).toBeGreaterThan((w.b - w.a) * 8000 * 0.9);
    if (w.restricted) expect(l.peakDb).toBeLessThanOrEqual(-70);
    else expect(l.rmsDb).toBeGreaterThanOrEqual(-30);
  }
}

export interface Gray {
  /** Most common luma and the share of pixels within ±6 of it. */
  mode: number;
  modeShare: number;
  /** Pixels brighter than 150 (the caption is drawn in 0xd0d0d0). */
  bright: number;
}

export function grayStats(buf: Buffer): Gray {
  const hist = new Array<number>(256).fill(0);
  for (const v of buf) hist[v]!++;
  const mode = hist.indexOf(Math.max(...hist));
  let near = 0;
  for (let v = Math.max(0, mode - 6); v <= Math.min(255, mode + 6); v++) near += hist[v]!;
  const bright = hist.slice(151).reduce((s, n) => s + n, 0);
  return { mode, modeShare: near / buf.length, bright };
}

/** One frame as 8-bit gray: at `at` seconds (output-side seek, exact), or the only frame of an image. */
export async function frame(file: string, at?: number): Promise<Gray> {
  const seek = at === undefined ? [] : ['-ss', String(at)];
  const { stdout } = await ffmpeg([
    '-loglevel',
    'error',
    '-i',
    file,
    ...seek,
    '-map',
    '0:v:0',
    '-frames:v',
    '1',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray',
    '-',
  ]);
  expect(stdout.length).toBeGreaterThan(1000);
  return grayStats(stdout);
}

export function expectCard(g: Gray, what: string, captioned: boolean): void {
  table.push(
    `${what}: card (mode luma ${g.mode}, ${(g.modeShare * 100).toFixed(1)} % of pixels at it, ${g.bright} caption pixels)`,
  );
  // 0x333333 is luma 51 full range, 60 limited range
  expect(g.mode).toBeGreaterThanOrEqual(45);
  expect(g.mode).toBeLessThanOrEqual(66);
  expect(g.modeShare).toBeGreaterThan(0.9);
  if (captioned) expect(g.bright).toBeGreaterThan(200);
  else expect(g.bright).toBe(0);
}

export function expectPicture(g: Gray, what: string): void {
  table.push(`${what}: picture (mode luma ${g.mode}, ${(g.modeShare * 100).toFixed(1)} % of pixels at it)`);
  expect(g.modeShare).toBeLessThan(0.6);
}

/** Registers this file's beforeAll/afterAll in the calling test file. */
export function useRedactionFixture(): void {
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
}
