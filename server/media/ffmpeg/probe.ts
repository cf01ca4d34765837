// ffprobe → MediaInfo, and the decision whether an upload can be served to browsers as is.
import { z } from 'zod';
import type { Logger } from '../../logger.js';
import { probeArgs } from './args.js';
import { FfmpegError, runFfprobe } from './runner.js';

export type ProbeErrorReason = 'not-media' | 'no-audio' | 'unreadable' | 'timeout';

export class ProbeError extends Error {
  override readonly name = 'ProbeError';
  readonly reason: ProbeErrorReason;
  constructor(reason: ProbeErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

export interface AudioInfo {
  codec: string;
  channels: number;
  sampleRate: number;
}

export interface VideoInfo {
  codec: string;
  /** Coded size; see `displaySize` for the size after rotation. */
  width: number;
  height: number;
  fps: number;
  /** Clockwise degrees (90, 180, 270) the player rotates by; absent when 0. */
  rotation?: number;
  pixFmt?: string;
  profile?: string;
}

export interface MediaInfo {
  /** Normalised container: mp4, mov, m4a, mp3, webm, matroska, ogg, wav, flac, aac, or ffprobe's first format name. */
  container: string;
  /** ffprobe's raw format_name, e.g. `mov,mp4,m4a,3gp,3g2,mj2`. */
  formatName: string;
  durationSec: number;
  sizeBytes: number;
  bitRate?: number;
  /** First audio stream. */
  audio?: AudioInfo;
  /** First real video stream; cover art and still images are not video. */
  video?: VideoInfo;
  streams: number;
}

// Numbers come as strings in ffprobe JSON ("duration": "12.3"); tolerate both and "N/A".
const numeric = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v) => {
    if (v === undefined) return undefined;
    const n = typeof v === 'number' ? v : Number.parseFloat(v);
    return Number.isFinite(n) ? n : undefined;
  });

const streamSchema = z.object({
  index: z.number(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  profile: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  pix_fmt: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  r_frame_rate: z.string().optional(),
  channels: z.number().optional(),
  sample_rate: numeric,
  duration: numeric,
  disposition: z.object({ attached_pic: z.number().optional() }).partial().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  side_data_list: z
    .array(z.object({ side_data_type: z.string().optional(), rotation: z.number().optional() }))
    .optional(),
});

const probeSchema = z.object({
  streams: z.array(streamSchema).default([]),
  format: z
    .object({
      format_name: z.string(),
      nb_streams: z.number().optional(),
      duration: numeric,
      size: numeric,
      bit_rate: numeric,
      probe_score: z.number().optional(),
      tags: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
});

type RawStream = z.output<typeof streamSchema>;

/** "30000/1001" → 29.97; "0/0" → undefined. */
export function parseRate(rate: string | undefined): number | undefined {
  if (!rate) return undefined;
  const [n, d = '1'] = rate.split('/');
  const v = Number(n) / Number(d);
  return Number.isFinite(v) && v > 0 ? Math.round(v * 1000) / 1000 : undefined;
}

// Demuxers for single pictures; their "video" stream is one frame.
const IMAGE_FORMAT = /(^|,)(image2|[a-z0-9]+_pipe|gif|webp|apng)(,|$)/;

function isRealVideo(s: RawStream, formatName: string): boolean {
  if (s.codec_type !== 'video') return false;
  if (s.disposition?.attached_pic === 1) return false;
  if (IMAGE_FORMAT.test(formatName)) return false;
  // The tty demuxer turns text files into "ansi" video.
  if (s.codec_name === 'ansi') return false;
  return true;
}

function rotationOf(s: RawStream): number | undefined {
  const matrix = s.side_data_list?.find((d) => d.rotation !== undefined);
  // Display-matrix rotation is counter-clockwise; the legacy `rotate` tag is clockwise.
  const cw = matrix?.rotation !== undefined ? -matrix.rotation : Number(s.tags?.rotate ?? 0);
  if (!Number.isFinite(cw)) return undefined;
  const norm = (((Math.round(cw / 90) * 90) % 360) + 360) % 360;
  return norm === 0 ? undefined : norm;
}

function normaliseContainer(
  formatName: string,
  tags: Record<string, string> | undefined,
  streams: RawStream[],
): string {
  const names = formatName.split(',');
  if (names.includes('mp4') || names.includes('mov')) {
    const brand = (tags?.major_brand ?? '').trim().toLowerCase();
    if (brand === 'qt') return 'mov';
    if (brand === 'm4a' || brand === 'm4b') return 'm4a';
    return 'mp4';
  }
  if (names.includes('webm') || names.includes('matroska')) {
    // ffprobe reports "matroska,webm" for both; WebM is Matroska restricted to these codecs.
    const webmCodecs = new Set(['vp8', 'vp9', 'av1', 'opus', 'vorbis', 'webvtt']);
    const ok = streams.every((s) => s.codec_type === 'attachment' || webmCodecs.has(s.codec_name ?? ''));
    return ok ? 'webm' : 'matroska';
  }
  return names[0] ?? formatName;
}

function fromProbe(json: unknown, path: string): MediaInfo {
  const parsed = probeSchema.safeParse(json);
  if (!parsed.success || !parsed.data.format) {
    throw new ProbeError('not-media', `${path}: ffprobe output has no format section`);
  }
  const { streams, format } = parsed.data;
  const formatName = format.format_name;
  if (formatName === 'tty') throw new ProbeError('not-media', `${path}: text, not media`);

  const a = streams.find((s) => s.codec_type === 'audio');
  const v = streams.find((s) => isRealVideo(s, formatName));

  if (!a && !v) {
    const hasPicture = streams.some((s) => s.codec_type === 'video');
    if (hasPicture) throw new ProbeError('no-audio', `${path}: a still image or cover art without sound`);
    throw new ProbeError('not-media', `${path}: no audio or video streams`);
  }

  const durations = streams.map((s) => s.duration ?? 0);
  const durationSec = format.duration ?? Math.max(0, ...durations);

  const info: MediaInfo = {
    container: normaliseContainer(formatName, format.tags, streams),
    formatName,
    durationSec,
    sizeBytes: format.size ?? 0,
    streams: format.nb_streams ?? streams.length,
  };
  if (format.bit_rate !== undefined) info.bitRate = format.bit_rate;
  if (a) {
    info.audio = { codec: a.codec_name ?? 'unknown', channels: a.channels ?? 0, sampleRate: a.sample_rate ?? 0 };
  }
  if (v) {
    const video: VideoInfo = {
      codec: v.codec_name ?? 'unknown',
      width: v.width ?? 0,
      height: v.height ?? 0,
      fps: parseRate(v.avg_frame_rate) ?? parseRate(v.r_frame_rate) ?? 0,
    };
    const rotation = rotationOf(v);
    if (rotation !== undefined) video.rotation = rotation;
    if (v.pix_fmt) video.pixFmt = v.pix_fmt;
    if (v.profile) video.profile = v.profile;
    info.video = video;
  }
  return info;
}

/** Width/height as shown to viewers (ffmpeg auto-rotates when decoding, so derivatives use these). */
export function displaySize(video: VideoInfo): { width: number; height: number } {
  const turned = video.rotation === 90 || video.rotation === 270;
  return turned ? { width: video.height, height: video.width } : { width: video.width, height: video.height };
}

export interface ProbeOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  logger?: Logger;
}

/** Probes a local file. Throws ProbeError for anything that is not usable media. */
export async function probe(path: string, opts: ProbeOptions = {}): Promise<MediaInfo> {
  let stdout: string;
  try {
    stdout = await runFfprobe(probeArgs(path), opts);
  } catch (err) {
    if (!(err instanceof FfmpegError)) throw err;
    if (err.kind === 'timeout') throw new ProbeError('timeout', `${path}: ffprobe timed out`, { cause: err });
    if (err.kind === 'aborted' || err.kind === 'spawn') throw err;
    // ffprobe's last line reads "<path>: <reason>".
    const last = err.stderrTail.split('\n').at(-1) ?? '';
    const message = last.includes(path) ? last : `${path}: ${last || 'not recognised as media'}`;
    if (/No such file|Permission denied|Is a directory|Input\/output error/i.test(last)) {
      throw new ProbeError('unreadable', message, { cause: err });
    }
    // "Invalid data found when processing input", "End of file", unknown formats: not media.
    throw new ProbeError('not-media', message, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch (err) {
    throw new ProbeError('not-media', `${path}: ffprobe returned no JSON`, { cause: err });
  }
  return fromProbe(json, path);
}

export type Playability = { playable: true; mime: string } | { playable: false; reason: string };

const BROWSER_PCM = new Set(['pcm_u8', 'pcm_s16le', 'pcm_s24le', 'pcm_f32le']);

/**
 * Whether the original can go to a browser's <video>/<audio> unchanged (all current engines),
 * and the Content-Type to serve it with. Anything else is served only as HLS/M4A derivatives.
 */
export function isBrowserPlayable(info: MediaInfo): Playability {
  const a = info.audio?.codec;
  const v = info.video;
  const no = (reason: string): Playability => ({ playable: false, reason });
  const kind = v ? 'video' : 'audio';

  switch (info.container) {
    case 'mp4':
    case 'mov':
    case 'm4a': {
      if (v) {
        if (v.codec !== 'h264') return no(`video codec ${v.codec}`);
        // 10-bit and 4:2:2 H.264 decode almost nowhere in browsers.
        if (v.pixFmt && v.pixFmt !== 'yuv420p' && v.pixFmt !== 'yuvj420p') return no(`pixel format ${v.pixFmt}`);
      }
      if (a !== undefined && a !== 'aac') return no(`audio codec ${a}`);
      return { playable: true, mime: `${kind}/mp4` };
    }
    case 'mp3':
      return a === 'mp3' && !v ? { playable: true, mime: 'audio/mpeg' } : no('mp3 container with other streams');
    case 'aac':
      return a === 'aac' && !v ? { playable: true, mime: 'audio/aac' } : no('adts with other streams');
    case 'webm': {
      if (v && v.codec !== 'vp8' && v.codec !== 'vp9') return no(`video codec ${v.codec}`);
      if (a !== undefined && a !== 'opus' && a !== 'vorbis') return no(`audio codec ${a}`);
      return { playable: true, mime: `${kind}/webm` };
    }
    case 'ogg':
      return a === 'opus' && !v ? { playable: true, mime: 'audio/ogg' } : no(`ogg with ${a ?? 'no audio'}`);
    case 'wav':
      return a !== undefined && BROWSER_PCM.has(a) && !v ? { playable: true, mime: 'audio/wav' } : no(`wav with ${a}`);
    case 'flac':
      return a === 'flac' && !v ? { playable: true, mime: 'audio/flac' } : no('flac with other streams');
    default:
      return no(`container ${info.container}`);
  }
}
