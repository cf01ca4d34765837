// Audio builders of the separate passes: HLS, M4A download and the waveform PCM (the combined pass is args-pass.ts).
import path from 'node:path';
import type { Redaction } from './redaction.js';
import {
  COMMON,
  STRIP_METADATA,
  audioChannelArgs,
  audioEncoderArgs,
  audioRedaction,
  hlsMuxerArgs,
  safePath,
  type RedactionOption,
} from './args-common.js';

export interface AudioHlsOptions extends RedactionOption {
  input: string;
  outDir: string;
  segmentSeconds?: number;
  bitrateK?: number;
  /** Source channel count; more than two is folded to stereo, mono stays mono. */
  channels?: number;
}

/** The first audio stream as AAC, nothing else of the input: shared by the audio ladder and the M4A download. */
export function aacFromFirstAudio(
  input: string,
  bitrateK: number,
  channels: number | undefined,
  redaction?: Redaction,
): string[] {
  const af = audioRedaction(redaction);
  return [
    ...COMMON,
    '-i',
    safePath(input),
    '-map',
    '0:a:0',
    '-vn',
    '-sn',
    '-dn',
    ...STRIP_METADATA,
    ...(af ? ['-af', af] : []),
    ...audioEncoderArgs(bitrateK),
    ...audioChannelArgs(channels),
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
    '-movflags',
    '+faststart',
    '-f',
    'ipod',
    safePath(output),
  ];
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
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'warning',
    '-nostats',
    '-i',
    safePath(input),
    '-map',
    '0:a:0',
    '-vn',
    '-sn',
    '-dn',
    ...(af ? ['-af', af] : []),
    '-ac',
    '1',
    '-ar',
    String(sampleRate),
    '-c:a',
    'pcm_s16le',
    '-f',
    's16le',
    'pipe:1',
  ];
}

/** Size and colours of an audio medium's poster: the waveform of the whole recording (see waveform-picture.ts). */
export const WAVEFORM_PICTURE = { width: 1280, height: 360, foreground: 0xd9a441, background: 0x2b2622 } as const;

export interface WaveformPictureOptions {
  /** Raw rgb24 pixels, `width × height × 3` bytes, as drawWaveformPicture makes them. */
  rawInput: string;
  output: string;
  width: number;
  height: number;
}

/**
 * Audio has no frame to show: its poster is a picture of the whole waveform, drawn in Node from the streamed peaks
 * (waveform-picture.ts) and only encoded here — one frame of raw RGB to the same JPEG the other posters are.
 */
export function waveformPictureArgs(opts: WaveformPictureOptions): string[] {
  return [
    ...COMMON,
    '-f',
    'rawvideo',
    '-pixel_format',
    'rgb24',
    '-video_size',
    `${opts.width}x${opts.height}`,
    '-framerate',
    '1',
    '-i',
    safePath(opts.rawInput),
    '-vf',
    'format=yuvj420p',
    ...STRIP_METADATA,
    '-frames:v',
    '1',
    '-q:v',
    '3',
    '-f',
    'image2',
    '-update',
    '1',
    safePath(opts.output),
  ];
}
