// Video builders of the separate passes: the HLS ladder, poster frame and storyboard sprite + WebVTT.
import path from 'node:path';
import { shiftRanges } from './redaction.js';
import {
  COMMON,
  STRIP_METADATA,
  audioChannelArgs,
  audioEncoderArgs,
  audioRedaction,
  fmtNum,
  hlsMuxerArgs,
  safePath,
  videoRedaction,
  type RedactionOption,
} from './args-common.js';

export interface Rung {
  /** Output height in pixels (always even). */
  height: number;
  /** Name used for the variant directory and in var_stream_map. */
  name: string;
  /** Cap for capped-CRF encoding; talking heads usually stay well below it. */
  maxrateK: number;
  audioBitrateK: number;
}

export const LADDER: readonly Rung[] = [
  { height: 720, name: '720p', maxrateK: 3000, audioBitrateK: 128 },
  { height: 360, name: '360p', maxrateK: 900, audioBitrateK: 96 },
];

/**
 * Rungs at or below the source height, highest first; never upscales. A source below the lowest
 * rung (e.g. 240p) gets a single rung at its own height (rounded down to even), so every video
 * still gets HLS rather than nothing.
 */
export function ladderFor(sourceHeight: number): Rung[] {
  const fitting = LADDER.filter((r) => r.height <= sourceHeight);
  if (fitting.length > 0) return fitting.map((r) => ({ ...r }));
  const h = Math.max(2, Math.floor(sourceHeight / 2) * 2);
  const lowest = LADDER[LADDER.length - 1]!;
  // Bitrate scaled by pixel count relative to the lowest rung, with a floor so tiny sources stay legible.
  const maxrateK = Math.max(200, Math.round((lowest.maxrateK * (h * h)) / (lowest.height * lowest.height)));
  return [{ height: h, name: `${h}p`, maxrateK, audioBitrateK: lowest.audioBitrateK }];
}

/**
 * Interviews gain nothing from 50/60 fps, and on two cores it halves throughput: halve until ≤ 30
 * (60→30, 59.94→29.97, 50→25). Unknown rates fall back to 25.
 */
export function outputFps(sourceFps: number): number {
  if (!Number.isFinite(sourceFps) || sourceFps <= 0) return 25;
  let fps = sourceFps;
  while (fps > 30.01) fps /= 2;
  return Math.round(fps * 1000) / 1000;
}

/** Frames per GOP so every segment starts on a keyframe in every rung. */
export function gopFrames(segmentSeconds: number, fps: number): number {
  return Math.max(1, Math.round(segmentSeconds * fps));
}

export interface VideoHlsOptions extends RedactionOption {
  input: string;
  outDir: string;
  /** Display size (after rotation) and frame rate, from probe. */
  source: { width: number; height: number; fps: number };
  hasAudio: boolean;
  /** Source audio channel count; as for audio, only more than two are folded to stereo. */
  audioChannels?: number;
  segmentSeconds?: number;
  /** libx264 preset; veryfast runs ≈ 4× realtime for 720p+360p on two cores. */
  preset?: string;
}

/**
 * One ffmpeg process for the whole ladder: `outDir/master.m3u8` plus `outDir/<rung>/index.m3u8`,
 * `init_<n>.mp4` and `seg_00000.m4s`… per rung (ffmpeg 5.1 appends `_<n>` to the init name itself).
 * Each variant carries its own AAC track, so a variant is self-contained.
 */
/** Per rung of the ladder: its maps (video `[v<i>]`, audio from `audioOf`), its rate limits and its var_stream_map entry. */
export function ladderStreams(rungs: ReturnType<typeof ladderFor>, audioOf: ((i: number) => string) | null) {
  const maps: string[] = [];
  const perStream: string[] = [];
  const varMap: string[] = [];
  rungs.forEach((r, i) => {
    maps.push('-map', `[v${i}]`);
    if (audioOf) maps.push('-map', audioOf(i));
    perStream.push(`-maxrate:v:${i}`, `${r.maxrateK}k`, `-bufsize:v:${i}`, `${r.maxrateK * 2}k`);
    if (audioOf) perStream.push(`-b:a:${i}`, `${r.audioBitrateK}k`);
    varMap.push(audioOf ? `v:${i},a:${i},name:${r.name}` : `v:${i},name:${r.name}`);
  });
  return { maps, perStream, varMap };
}

/**
 * What every ladder encode of a source shares: its rungs, output frame rate, keyframe interval, and the filters that
 * run before the split (the redaction card first, so every rung gets it; then the frame rate when it changes).
 */
export function ladderPlan(
  source: VideoHlsOptions['source'],
  segmentSeconds: number,
  redaction: VideoHlsOptions['redaction'],
) {
  const rungs = ladderFor(source.height);
  const fps = outputFps(source.fps);
  const gop = gopFrames(segmentSeconds, fps);
  const needFps = Math.abs(fps - source.fps) > 0.001 || !Number.isFinite(source.fps) || source.fps <= 0;
  const vr = videoRedaction(redaction);
  const pre = (vr ? `${vr},` : '') + (needFps ? `fps=${fmtNum(fps)},` : '');
  return { rungs, fps, gop, pre };
}

export function videoHlsArgs(opts: VideoHlsOptions): string[] {
  const { input, source, hasAudio, segmentSeconds = 6, preset = 'veryfast' } = opts;
  const outDir = path.resolve(opts.outDir);
  const { rungs, gop, pre } = ladderPlan(source, segmentSeconds, opts.redaction);
  const splitOuts = rungs.map((_, i) => `[s${i}]`).join('');
  const chains = rungs.map((r, i) => `[s${i}]scale=-2:${r.height},format=yuv420p[v${i}]`);
  let filter = `[0:v:0]${pre}split=${rungs.length}${splitOuts};${chains.join(';')}`;
  // Silenced once, then split: a filter output can be mapped only once, and each rung carries its own AAC track.
  const ar = hasAudio ? audioRedaction(opts.redaction) : null;
  if (ar) filter += `;[0:a:0]${ar},asplit=${rungs.length}${rungs.map((_, i) => `[a${i}]`).join('')}`;

  const { maps, perStream, varMap } = ladderStreams(rungs, hasAudio ? (i) => (ar ? `[a${i}]` : '0:a:0') : null);

  return [
    ...COMMON,
    '-i',
    safePath(input),
    '-filter_complex',
    filter,
    ...maps,
    '-sn',
    '-dn',
    ...STRIP_METADATA,
    '-c:v',
    'libx264',
    '-preset',
    preset,
    '-profile:v',
    'high',
    '-crf',
    '23',
    // Fixed GOP, no scene-cut keyframes: segment boundaries are identical across rungs.
    '-g',
    String(gop),
    '-keyint_min',
    String(gop),
    '-sc_threshold',
    '0',
    // Time-based keyframes as well, for variable-frame-rate phone recordings.
    '-force_key_frames',
    `expr:gte(t,n_forced*${fmtNum(segmentSeconds)})`,
    ...(hasAudio ? [...audioEncoderArgs(), ...audioChannelArgs(opts.audioChannels)] : []),
    ...perStream,
    ...hlsMuxerArgs(outDir, segmentSeconds, '%v/seg_%05d.m4s', '%v/index.m3u8', ['-var_stream_map', varMap.join(' ')]),
  ];
}

// ---------------------------------------------------------------------------------------------
// Poster and storyboard

/** Where to grab the poster: 10 % in, past title cards and the interviewer settling in. */
export function posterTime(durationSec: number): number {
  if (!Number.isFinite(durationSec) || durationSec <= 0) return 0;
  return Math.round(durationSec * 0.1 * 1000) / 1000;
}

export interface PosterOptions extends RedactionOption {
  input: string;
  output: string;
  atSeconds: number;
  maxWidth?: number;
}

export function posterArgs(opts: PosterOptions): string[] {
  const { input, output, atSeconds, maxWidth = 1280 } = opts;
  const at = Number(fmtNum(Math.max(0, atSeconds)));
  // The input-side -ss makes the frame at `at` timestamp 0 for the filters, so the card's ranges are shifted by it
  // (keeps the cheap seek; an output-side -ss would decode everything before the poster time).
  const vr = opts.redaction
    ? videoRedaction({ ...opts.redaction, ranges: shiftRanges(opts.redaction.ranges, -at) })
    : null;
  return [
    ...COMMON,
    // Input-side seek: jumps to the nearest keyframe before, then decodes only to the target.
    '-ss',
    fmtNum(at),
    '-i',
    safePath(input),
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-dn',
    ...STRIP_METADATA,
    '-frames:v',
    '1',
    '-vf',
    `${vr ? `${vr},` : ''}scale='min(${maxWidth},iw)':-2`,
    '-q:v',
    '3',
    '-f',
    'image2',
    '-update',
    '1',
    safePath(output),
  ];
}

export interface StoryboardPlan {
  intervalSeconds: number;
  columns: number;
  rows: number;
  /** Number of tiles that carry a frame (≤ columns × rows). */
  tiles: number;
}

const NICE_INTERVALS = [1, 2, 3, 5, 10, 15, 20, 30, 60, 90, 120, 180, 300, 600];

/**
 * Interval picked from round numbers so cue times read well, and large enough that there are at
 * most `maxTiles` tiles; `columns` per row (fewer for very short clips).
 */
export function storyboardPlan(durationSec: number, maxTiles = 100, maxColumns = 10): StoryboardPlan {
  const d = Number.isFinite(durationSec) && durationSec > 0 ? durationSec : 1;
  const min = d / maxTiles;
  const interval = NICE_INTERVALS.find((n) => n >= min) ?? Math.ceil(min / 600) * 600;
  const tiles = Math.max(1, Math.min(maxTiles, Math.ceil(d / interval)));
  const columns = Math.min(maxColumns, tiles);
  return { intervalSeconds: interval, columns, rows: Math.ceil(tiles / columns), tiles };
}

/** Tile height ffmpeg's `scale=<w>:-2` yields for a given display size: nearest, then even. */
export function tileHeightFor(sourceWidth: number, sourceHeight: number, tileWidth = 160): number {
  return Math.max(2, Math.round((tileWidth * sourceHeight) / (sourceWidth * 2)) * 2);
}

export interface StoryboardOptions extends RedactionOption {
  input: string;
  output: string;
  intervalSeconds: number;
  columns: number;
  rows: number;
  tileWidth?: number;
  /** Explicit tile height (keeps the VTT exact); default keeps aspect ratio with an even height. */
  tileHeight?: number;
  /**
   * Decode keyframes only. Much cheaper for long videos, but a tile then shows the nearest keyframe
   * rather than the exact instant; default on for intervals of 10 s and more.
   */
  keyframesOnly?: boolean;
}

/**
 * One sprite JPEG, tiles left-to-right, top-to-bottom, one per `intervalSeconds` starting at 0.
 * The fps filter keeps the last frame before each slot's rounding boundary, so a tile shows a frame
 * from around the middle of its interval; `eof_action=pass` keeps the final, partial interval,
 * which the default rounding drops.
 */
export function storyboardArgs(opts: StoryboardOptions): string[] {
  const { input, output, intervalSeconds, columns, rows, tileWidth = 160 } = opts;
  const keyOnly = opts.keyframesOnly ?? intervalSeconds >= 10;
  const h = opts.tileHeight ?? -2;
  // The card is decided on each source frame's own timestamp, before fps picks the frames for the tiles.
  const vr = videoRedaction(opts.redaction);
  return [
    ...COMMON,
    ...(keyOnly ? ['-skip_frame', 'nokey'] : []),
    '-i',
    safePath(input),
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-dn',
    ...STRIP_METADATA,
    '-vf',
    `${vr ? `${vr},` : ''}fps=1/${fmtNum(intervalSeconds)}:eof_action=pass,scale=${tileWidth}:${h},tile=${columns}x${rows}`,
    '-frames:v',
    '1',
    '-q:v',
    '4',
    '-f',
    'image2',
    '-update',
    '1',
    safePath(output),
  ];
}

export interface StoryboardVttOptions {
  plan: StoryboardPlan;
  durationSec: number;
  tileWidth: number;
  tileHeight: number;
  /** URL of the sprite relative to the VTT file. */
  spriteUrl?: string;
}

function vttTime(sec: number): string {
  const ms = Math.round(sec * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const r = ms % 1000;
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(h)}:${p(m)}:${p(s)}.${p(r, 3)}`;
}

/** WebVTT with one cue per tile: `sprite.jpg#xywh=x,y,w,h` (Media Fragments spatial syntax). */
export function storyboardVtt(opts: StoryboardVttOptions): string {
  const { plan, durationSec, tileWidth, tileHeight, spriteUrl = 'sprite.jpg' } = opts;
  const lines = ['WEBVTT', ''];
  for (let i = 0; i < plan.tiles; i++) {
    const start = i * plan.intervalSeconds;
    if (start >= durationSec && i > 0) break;
    const end = Math.min(durationSec, start + plan.intervalSeconds);
    const x = (i % plan.columns) * tileWidth;
    const y = Math.floor(i / plan.columns) * tileHeight;
    lines.push(`${vttTime(start)} --> ${vttTime(end)}`, `${spriteUrl}#xywh=${x},${y},${tileWidth},${tileHeight}`, '');
  }
  return lines.join('\n');
}
