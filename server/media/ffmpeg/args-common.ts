// Shared pieces of the ffmpeg argument builders (args.ts re-exports the public ones): common flags, safe paths,
// redaction filters, the one AAC encoder setting and the HLS muxer flags. Pure: nothing here spawns.
import path from 'node:path';
import { audioRedactionFilter, videoRedactionFilter, type Redaction } from './redaction.js';

/** Flags every ffmpeg job gets: machine-readable progress on stdout, nothing interactive, warnings only. */
export const COMMON = [
  '-hide_banner',
  '-nostdin',
  '-y',
  '-loglevel',
  'warning',
  '-progress',
  'pipe:1',
  '-nostats',
] as const;

/** Derivatives are public; device/GPS tags from the original upload stay with the original. */
export const STRIP_METADATA = ['-map_metadata', '-1', '-map_chapters', '-1'] as const;

/**
 * ffmpeg reads a leading '-' as an option and `name:rest` as a protocol (`http:`, `concat:`…);
 * the `file:` prefix forces a plain local path. Windows drive letters are not a concern here.
 */
export function safePath(p: string): string {
  if (p.startsWith('-') || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(p)) return `file:${p}`;
  return p;
}

export function fmtNum(n: number): string {
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

export const audioRedaction = (r: Redaction | undefined): string | null => (r ? audioRedactionFilter(r.ranges) : null);
export const videoRedaction = (r: Redaction | undefined): string | null =>
  r ? videoRedactionFilter(r.ranges, { fontFile: r.fontFile ?? null }) : null;

// ---------------------------------------------------------------------------------------------
// ffprobe

export function probeArgs(input: string): string[] {
  return ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', safePath(input)];
}

export function audioChannelArgs(channels: number | undefined): string[] {
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

/** Shared HLS muxer flags; `playlist` may contain `%v` for var streams. */
export function hlsMuxerArgs(
  outDir: string,
  segmentSeconds: number,
  segmentPattern: string,
  playlist: string,
  extra: string[] = [],
): string[] {
  return [
    '-f',
    'hls',
    '-hls_time',
    fmtNum(segmentSeconds),
    '-hls_playlist_type',
    'vod',
    '-hls_segment_type',
    'fmp4',
    '-hls_flags',
    'independent_segments',
    '-hls_fmp4_init_filename',
    'init.mp4',
    '-hls_segment_filename',
    path.join(outDir, segmentPattern),
    '-master_pl_name',
    'master.m3u8',
    ...extra,
    path.join(outDir, playlist),
  ];
}
