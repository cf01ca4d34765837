// Pure builders for ffmpeg/ffprobe argument arrays. Nothing here spawns, so every rule about the
// derivatives (ladder, GOP, segment layout) can be unit-tested on plain arrays.
import path from 'node:path';
import { audioRedactionFilter, shiftRanges, videoRedactionFilter, type Redaction } from './redaction.js';

/** Flags every ffmpeg job gets: machine-readable progress on stdout, nothing interactive, warnings only. */
const COMMON = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'warning', '-progress', 'pipe:1', '-nostats'] as const;

/** Derivatives are public; device/GPS tags from the original upload stay with the original. */
const STRIP_METADATA = ['-map_metadata', '-1', '-map_chapters', '-1'] as const;

/**
 * ffmpeg reads a leading '-' as an option and `name:rest` as a protocol (`http:`, `concat:`…);
 * the `file:` prefix forces a plain local path. Windows drive letters are not a concern here.
 */
export function safePath(p: string): string {
  if (p.startsWith('-') || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(p)) return `file:${p}`;
  return p;
}

function fmtNum(n: number): string {
  // ffmpeg accepts plain decimals; avoid exponent notation and float noise like 0.30000000000000004.
  return String(Math.round(n * 1000) / 1000);
}

/**
 * Restricted passages (see redaction.ts). Absent or without valid ranges, every builder returns exactly the arguments
 * it returns without the option.
 */
export interface RedactionOption {
  redaction?: Redaction | undefined;
}

const audioRedaction = (r: Redaction | undefined): string | null => (r ? audioRedactionFilter(r.ranges) : null);
const videoRedaction = (r: Redaction | undefined): string | null =>
  r ? videoRedactionFilter(r.ranges, { fontFile: r.fontFile ?? null }) : null;

// ---------------------------------------------------------------------------------------------
// ffprobe

export function probeArgs(input: string): string[] {
  return ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', safePath(input)];
}

// ---------------------------------------------------------------------------------------------
// Audio

export interface AudioHlsOptions extends RedactionOption {
  input: string;
  outDir: string;
  segmentSeconds?: number;
  bitrateK?: number;
  /** Source channel count; more than two is folded to stereo, mono stays mono. */
  channels?: number;
}

function audioChannelArgs(channels: number | undefined): string[] {
  return channels !== undefined && channels > 2 ? ['-ac', '2'] : [];
}

/**
 * The AAC encoder, in one place: every AAC track (audio HLS, M4A download, the video ladder's audio) and the bench's
 * limit use these settings. ffmpeg's native AAC with the `fast` coder encodes speech ≈ 2.5× faster than the default
 * (twoloop) coder; `npx tsx bench/aac-quality.ts` measures what it costs in fidelity (see README, "Ingest").
 */
export const AAC_ENCODER = ['-c:a', 'aac', '-aac_coder', 'fast'] as const;

/** AAC_ENCODER plus the bitrate for all audio streams of the output (none: set per stream, as the ladder does). */
export function audioEncoderArgs(bitrateK?: number): string[] {
  return [...AAC_ENCODER, ...(bitrateK ? ['-b:a', `${bitrateK}k`] : [])];
}

/** The first audio stream as AAC, nothing else of the input: shared by the audio ladder and the M4A download. */
function aacFromFirstAudio(input: string, bitrateK: number, channels: number | undefined, redaction?: Redaction): string[] {
  const af = audioRedaction(redaction);
  return [
    ...COMMON,
    '-i', safePath(input),
    '-map', '0:a:0',
    '-vn', '-sn', '-dn',
    ...STRIP_METADATA,
    ...(af ? ['-af', af] : []),
    ...audioEncoderArgs(bitrateK),
    ...audioChannelArgs(channels),
  ];
}

/** Shared HLS muxer flags; `playlist` may contain `%v` for var streams. */
function hlsMuxerArgs(
  outDir: string,
  segmentSeconds: number,
  segmentPattern: string,
  playlist: string,
  extra: string[] = [],
): string[] {
  return [
    '-f', 'hls',
    '-hls_time', fmtNum(segmentSeconds),
    '-hls_playlist_type', 'vod',
    '-hls_segment_type', 'fmp4',
    '-hls_flags', 'independent_segments',
    '-hls_fmp4_init_filename', 'init.mp4',
    '-hls_segment_filename', path.join(outDir, segmentPattern),
    '-master_pl_name', 'master.m3u8',
    ...extra,
    path.join(outDir, playlist),
  ];
}

/**
 * AAC in fMP4 HLS: `outDir/master.m3u8` → `index.m3u8` → `init.mp4` + `seg_00000.m4s`…
 * A master playlist is written even for one rendition so players always start at master.m3u8.
 * `outDir` must exist (ffmpeg 5.1 does not create it here; runFfmpeg's `ensureDirs` does).
 */
export function audioHlsArgs(opts: AudioHlsOptions): string[] {
  const { input, segmentSeconds = 6, bitrateK = 128 } = opts;
  // Absolute so generated paths can never start with '-'; the hls muxer dislikes a `file:` prefix.
  const outDir = path.resolve(opts.outDir);
  return [
    ...aacFromFirstAudio(input, bitrateK, opts.channels, opts.redaction),
    ...hlsMuxerArgs(outDir, segmentSeconds, 'seg_%05d.m4s', 'index.m3u8'),
  ];
}

export interface M4aOptions extends RedactionOption {
  input: string;
  output: string;
  bitrateK?: number;
  channels?: number;
}

/** Downloadable AAC/M4A, moov atom first so browsers can start before the download finishes. */
export function m4aArgs(opts: M4aOptions): string[] {
  const { input, output, bitrateK = 128 } = opts;
  return [
    ...aacFromFirstAudio(input, bitrateK, opts.channels, opts.redaction),
    '-movflags', '+faststart',
    '-f', 'ipod',
    safePath(output),
  ];
}

// ---------------------------------------------------------------------------------------------
// Video ladder

export interface Rung {
  /** Output height in pixels (always even). */
  height: number;
  /** Name used for the variant directory and in var_stream_map. */
  name: string;
  /** Cap for capped-CRF encoding; talking heads usually stay well below it. */
  maxrateK: number;
  audioBitrateK: number;
}

const LADDER: readonly Rung[] = [
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
function ladderStreams(rungs: ReturnType<typeof ladderFor>, audioOf: ((i: number) => string) | null) {
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

export function videoHlsArgs(opts: VideoHlsOptions): string[] {
  const { input, source, hasAudio, segmentSeconds = 6, preset = 'veryfast' } = opts;
  const outDir = path.resolve(opts.outDir);
  const rungs = ladderFor(source.height);
  const fps = outputFps(source.fps);
  const gop = gopFrames(segmentSeconds, fps);

  const needFps = Math.abs(fps - source.fps) > 0.001 || !Number.isFinite(source.fps) || source.fps <= 0;
  // The card goes in before the split, so every rung gets it.
  const vr = videoRedaction(opts.redaction);
  const pre = (vr ? `${vr},` : '') + (needFps ? `fps=${fmtNum(fps)},` : '');
  const splitOuts = rungs.map((_, i) => `[s${i}]`).join('');
  const chains = rungs.map((r, i) => `[s${i}]scale=-2:${r.height},format=yuv420p[v${i}]`);
  let filter = `[0:v:0]${pre}split=${rungs.length}${splitOuts};${chains.join(';')}`;
  // Silenced once, then split: a filter output can be mapped only once, and each rung carries its own AAC track.
  const ar = hasAudio ? audioRedaction(opts.redaction) : null;
  if (ar) filter += `;[0:a:0]${ar},asplit=${rungs.length}${rungs.map((_, i) => `[a${i}]`).join('')}`;

  const { maps, perStream, varMap } = ladderStreams(rungs, hasAudio ? (i) => (ar ? `[a${i}]` : '0:a:0') : null);

  return [
    ...COMMON,
    '-i', safePath(input),
    '-filter_complex', filter,
    ...maps,
    '-sn', '-dn',
    ...STRIP_METADATA,
    '-c:v', 'libx264', '-preset', preset, '-profile:v', 'high', '-crf', '23',
    // Fixed GOP, no scene-cut keyframes: segment boundaries are identical across rungs.
    '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0',
    // Time-based keyframes as well, for variable-frame-rate phone recordings.
    '-force_key_frames', `expr:gte(t,n_forced*${fmtNum(segmentSeconds)})`,
    ...(hasAudio ? [...audioEncoderArgs(), ...audioChannelArgs(opts.audioChannels)] : []),
    ...perStream,
    ...hlsMuxerArgs(outDir, segmentSeconds, '%v/seg_%05d.m4s', '%v/index.m3u8', [
      '-var_stream_map',
      varMap.join(' '),
    ]),
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
  const vr = opts.redaction ? videoRedaction({ ...opts.redaction, ranges: shiftRanges(opts.redaction.ranges, -at) }) : null;
  return [
    ...COMMON,
    // Input-side seek: jumps to the nearest keyframe before, then decodes only to the target.
    '-ss', fmtNum(at),
    '-i', safePath(input),
    '-map', '0:v:0',
    '-an', '-sn', '-dn',
    ...STRIP_METADATA,
    '-frames:v', '1',
    '-vf', `${vr ? `${vr},` : ''}scale='min(${maxWidth},iw)':-2`,
    '-q:v', '3',
    '-f', 'image2', '-update', '1',
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
    '-i', safePath(input),
    '-map', '0:v:0',
    '-an', '-sn', '-dn',
    ...STRIP_METADATA,
    '-vf', `${vr ? `${vr},` : ''}fps=1/${fmtNum(intervalSeconds)}:eof_action=pass,scale=${tileWidth}:${h},tile=${columns}x${rows}`,
    '-frames:v', '1',
    '-q:v', '4',
    '-f', 'image2', '-update', '1',
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

// ---------------------------------------------------------------------------------------------
// Waveform

export interface WaveformPcmOptions extends RedactionOption {
  input: string;
  sampleRate?: number;
}

/**
 * Mono signed 16-bit little-endian PCM on stdout. No `-progress`: stdout is the data, and the
 * reader's byte count is the progress.
 */
export function waveformPcmArgs(opts: WaveformPcmOptions): string[] {
  const { input, sampleRate = 8000 } = opts;
  // Silenced at the source rate; -ac/-ar are applied after the filter.
  const af = audioRedaction(opts.redaction);
  return [
    '-hide_banner', '-nostdin', '-y', '-loglevel', 'warning', '-nostats',
    '-i', safePath(input),
    '-map', '0:a:0',
    '-vn', '-sn', '-dn',
    ...(af ? ['-af', af] : []),
    '-ac', '1', '-ar', String(sampleRate),
    '-c:a', 'pcm_s16le', '-f', 's16le',
    'pipe:1',
  ];
}

export interface AudioPosterOptions extends RedactionOption {
  input: string;
  output: string;
  width?: number;
  height?: number;
}

/** Audio has no frame to show: its poster is a picture of the whole waveform (ffmpeg's showwavespic). */
export function audioPosterArgs(opts: AudioPosterOptions): string[] {
  const { input, output, width = 1280, height = 360 } = opts;
  // Restricted passages show as a flat line.
  const ar = audioRedaction(opts.redaction);
  return [
    ...COMMON,
    '-i', safePath(input),
    '-filter_complex', `[0:a:0]${ar ? `${ar},` : ''}aformat=channel_layouts=mono,showwavespic=s=${width}x${height}:colors=0xd9a441:scale=sqrt[w];color=c=0x2b2622:s=${width}x${height}[bg];[bg][w]overlay=format=auto,format=yuvj420p[v]`,
    '-map', '[v]',
    ...STRIP_METADATA,
    '-frames:v', '1',
    '-q:v', '3',
    '-f', 'image2', '-update', '1',
    safePath(output),
  ];
}

// ---------------------------------------------------------------------------------------------
// The combined passes: one ffmpeg process per medium decodes the original once and makes every derivative from that
// decode. Outputs are named relative to the job's work directory, so the process must run with it as its cwd
// (runFfmpeg's `cwd`): the tee muxer's slave list needs no escaping for whatever path UPLOADS_DIR has.

/** File names of a combined pass inside the job's work directory. */
export const PASS_FILES = {
  hlsDir: 'hls',
  download: 'download.m4a',
  poster: 'poster.jpg',
  storyboardSprite: 'storyboard.jpg',
} as const;

/** Waveform PCM of the combined passes goes to this fd (stdout carries `-progress`). */
export const PCM_PIPE = 'pipe:3';

/** Branch of a filter graph that turns audio into the waveform PCM (mono s16 at `sampleRate`). */
function pcmChain(inLabel: string, sampleRate: number, outLabel: string): string {
  return `[${inLabel}]aresample=${sampleRate},aformat=sample_fmts=s16:channel_layouts=mono[${outLabel}]`;
}

function pcmOutput(label: string): string[] {
  return ['-map', `[${label}]`, '-c:a', 'pcm_s16le', '-f', 's16le', PCM_PIPE];
}

/**
 * Picture outputs of a combined pass (poster, storyboard, waveform picture) get their real frame late — at the poster
 * time or at the end. ffmpeg 5.1 prints no `-progress` report until every output file has started, which would leave
 * the progress bar still and let the stall watchdog kill a long pass. So each picture output first receives a
 * placeholder of the same size, format and aspect made from the same branch (or source), at once, and then the real
 * frame; the image2 muxer with `-update 1` keeps the last one. `-frames:v 2` ends the output after the real one.
 */
// passthrough: image2 is a constant-rate muxer and would otherwise duplicate the placeholder into the gap
const PICTURE_FRAMES = ['-fps_mode:v', 'passthrough', '-frames:v', '2'] as const;

function placeholderFirst(placeholder: string, real: string, out: string): string {
  // one-second steps: the encoder needs rising timestamps whatever the branches' own clocks were
  return `[${placeholder}][${real}]concat=n=2:v=1:a=0,settb=1,setpts=N[${out}]`;
}

/** Filter-graph pad labels: ['a', 'b'] → `[a][b]`. */
function labels(names: string[]): string {
  return names.map((n) => `[${n}]`).join('');
}

export interface AudioPassOptions extends RedactionOption {
  input: string;
  /** Source channel count; more than two is folded to stereo, mono stays mono. */
  channels?: number;
  segmentSeconds?: number;
  bitrateK?: number;
  /** Waveform PCM rate on `pipe:3`. */
  pcmSampleRate?: number;
  posterWidth?: number;
  posterHeight?: number;
}

/**
 * Audio: decode once, redact once, then `asplit` into (1) one AAC encode that the tee muxer writes both as fMP4 HLS
 * (`hls/master.m3u8` → `index.m3u8` → `init.mp4` + `seg_00000.m4s`…) and as the M4A download (moov first), (2) mono
 * s16 PCM for the waveform peaks on `pipe:3`, (3) the waveform picture as poster. The same derivatives the separate
 * builders above make, from one decode and one encode.
 */
export function audioPassArgs(opts: AudioPassOptions): string[] {
  const { input, segmentSeconds = 6, bitrateK = 128, pcmSampleRate = 8000, posterWidth = 1280, posterHeight = 360 } = opts;
  const ar = audioRedaction(opts.redaction);
  const head = `[0:a:0]${ar ? `${ar},` : ''}${(opts.channels ?? 0) > 2 ? 'aformat=channel_layouts=stereo,' : ''}`;
  // showwavespic keeps every frame it is given until the end (ffmpeg 5.1): it gets the 8 kHz mono s16 branch in
  // one-second frames — 16 kB a second, not the source rate in ~1000-sample frames with their per-frame overhead
  // (the 3-hour bench recording peaked at ~800 MB that way)
  const filter = [
    `${head}asplit=2${labels(['enc', 'wav'])}`,
    `${pcmChain('wav', pcmSampleRate, 'pcm8')}`,
    `[pcm8]asplit=2[pcm][pic8]`,
    `[pic8]asetnsamples=n=${pcmSampleRate}:p=0[pic]`,
    `[pic]${wavesPicture(posterWidth, posterHeight)}`,
  ].join(';');
  const hls = PASS_FILES.hlsDir;
  const hlsSlave = [
    'f=hls', `hls_time=${fmtNum(segmentSeconds)}`, 'hls_playlist_type=vod', 'hls_segment_type=fmp4',
    'hls_flags=independent_segments', 'hls_fmp4_init_filename=init.mp4', `hls_segment_filename=${hls}/seg_%05d.m4s`,
    'master_pl_name=master.m3u8',
  ].join(':');
  return [
    ...COMMON,
    '-i', safePath(input),
    '-filter_complex', filter,
    // 1: the one AAC encode, muxed twice
    '-map', '[enc]',
    ...STRIP_METADATA,
    ...audioEncoderArgs(bitrateK),
    // tee: the encoder's extradata goes into the container headers (fMP4 init segment, M4A moov), not ADTS
    '-flags:a', '+global_header',
    '-f', 'tee', `[${hlsSlave}]${hls}/index.m3u8|[f=ipod:movflags=+faststart]${PASS_FILES.download}`,
    // 2: waveform PCM
    ...pcmOutput('pcm'),
    // 3: waveform picture
    '-map', '[poster]',
    ...STRIP_METADATA,
    ...PICTURE_FRAMES, '-q:v', '3', '-f', 'image2', '-update', '1', PASS_FILES.poster,
  ];
}

/**
 * showwavespic on the house background → `[poster]`, the plain background first (see placeholderFirst). `color` runs
 * one frame only, so the branch ends with the audio.
 */
function wavesPicture(width: number, height: number): string {
  return `aformat=channel_layouts=mono,showwavespic=s=${width}x${height}:colors=0xd9a441:scale=sqrt[w];` +
    `color=c=0x2b2622:s=${width}x${height}:r=1:d=1,split[bg][bg1];[bg][w]overlay=format=auto,format=yuvj420p[wp];` +
    `[bg1]format=yuvj420p[wp0];${placeholderFirst('wp0', 'wp', 'poster')}`;
}

export interface VideoPassOptions extends Omit<VideoHlsOptions, 'outDir'> {
  /** Poster frame time on the original timeline (outside restricted passages: see unrestrictedTime). */
  posterAtSeconds: number;
  posterMaxWidth?: number;
  storyboard: { intervalSeconds: number; columns: number; rows: number; tileWidth: number; tileHeight: number };
  pcmSampleRate?: number;
  downloadBitrateK?: number;
}

/**
 * Video: the ladder process of videoHlsArgs, whose filter graph also yields the poster frame, the storyboard sprite,
 * the M4A download and the waveform PCM (`pipe:3`) from the same decode. The card goes in before the split, so every
 * picture gets it; the audio is silenced once before its split. The poster branch ends itself after one frame
 * (trim), so nothing queues behind a finished output.
 */
export function videoPassArgs(opts: VideoPassOptions): string[] {
  const { input, source, hasAudio, segmentSeconds = 6, preset = 'veryfast', pcmSampleRate = 8000, downloadBitrateK = 128 } = opts;
  const outDir = PASS_FILES.hlsDir;
  const rungs = ladderFor(source.height);
  const fps = outputFps(source.fps);
  const gop = gopFrames(segmentSeconds, fps);
  const needFps = Math.abs(fps - source.fps) > 0.001 || !Number.isFinite(source.fps) || source.fps <= 0;
  const vr = videoRedaction(opts.redaction);
  const pre = (vr ? `${vr},` : '') + (needFps ? `fps=${fmtNum(fps)},` : '');
  const sb = opts.storyboard;
  const posterAt = fmtNum(Math.max(0, opts.posterAtSeconds));
  const posterMaxWidth = opts.posterMaxWidth ?? 1280;

  const parts = [
    `[0:v:0]${pre}split=${rungs.length + 2}${labels([...rungs.map((_, i) => `s${i}`), 'sp', 'sb'])}`,
    ...rungs.map((r, i) => `[s${i}]scale=-2:${r.height},format=yuv420p[v${i}]`),
    // the first frame, scaled alike, as placeholder; then the frame at the poster time
    `[sp]split[sp0][sp1]`,
    `[sp0]trim=end_frame=1,scale='min(${posterMaxWidth},iw)':-2[p0]`,
    `[sp1]trim=start=${posterAt},trim=end_frame=1,scale='min(${posterMaxWidth},iw)':-2[p1]`,
    placeholderFirst('p0', 'p1', 'poster'),
    // a sprite with only the first tile as placeholder (tile flushes its partial canvas at the end of its input)
    `[sb]split[sb0][sb1]`,
    `[sb0]trim=end_frame=1,scale=${sb.tileWidth}:${sb.tileHeight},tile=${sb.columns}x${sb.rows}[t0]`,
    `[sb1]fps=1/${fmtNum(sb.intervalSeconds)}:eof_action=pass,scale=${sb.tileWidth}:${sb.tileHeight},tile=${sb.columns}x${sb.rows}[t1]`,
    placeholderFirst('t0', 't1', 'sprite'),
  ];
  if (hasAudio) {
    const ar = audioRedaction(opts.redaction);
    const head = `[0:a:0]${ar ? `${ar},` : ''}${(opts.audioChannels ?? 0) > 2 ? 'aformat=channel_layouts=stereo,' : ''}`;
    parts.push(`${head}asplit=${rungs.length + 2}${labels([...rungs.map((_, i) => `a${i}`), 'am', 'wav'])}`);
    parts.push(pcmChain('wav', pcmSampleRate, 'pcm'));
  }

  const { maps, perStream, varMap } = ladderStreams(rungs, hasAudio ? (i) => `[a${i}]` : null);

  return [
    ...COMMON,
    '-i', safePath(input),
    '-filter_complex', parts.join(';'),
    // the ladder, exactly as videoHlsArgs
    ...maps,
    ...STRIP_METADATA,
    '-c:v', 'libx264', '-preset', preset, '-profile:v', 'high', '-crf', '23',
    '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0',
    '-force_key_frames', `expr:gte(t,n_forced*${fmtNum(segmentSeconds)})`,
    ...(hasAudio ? audioEncoderArgs() : []),
    ...perStream,
    ...hlsMuxerArgs(outDir, segmentSeconds, '%v/seg_%05d.m4s', '%v/index.m3u8', ['-var_stream_map', varMap.join(' ')]),
    // the download (a second AAC encode of the audio: one AAC track costs ≈ 1 % of the x264 ladder)
    ...(hasAudio
      ? ['-map', '[am]', ...STRIP_METADATA, ...audioEncoderArgs(downloadBitrateK), '-movflags', '+faststart', '-f', 'ipod', PASS_FILES.download]
      : []),
    '-map', '[poster]', ...STRIP_METADATA, ...PICTURE_FRAMES, '-q:v', '3', '-f', 'image2', '-update', '1', PASS_FILES.poster,
    '-map', '[sprite]', ...STRIP_METADATA, ...PICTURE_FRAMES, '-q:v', '4', '-f', 'image2', '-update', '1', PASS_FILES.storyboardSprite,
    ...(hasAudio ? pcmOutput('pcm') : []),
  ];
}
