// Whether a received file may become an original: ffprobe's verdict, usable streams, the configured limits, and a
// short decode at both ends. Every refusal is a 422 problem with its `reason` and a text from the message catalog.
import { Problem } from '../http/problem.js';
import type { Logger } from '../logger.js';
import { safePath } from './ffmpeg/args.js';
import { probe, ProbeError, type MediaInfo } from './ffmpeg/probe.js';
import { FfmpegError, runFfmpeg } from './ffmpeg/runner.js';
import { msg, type Text } from '../i18n/messages.js';

export type IngestRejection =
  ProbeError['reason'] | 'empty' | 'unsupported-codec' | 'damaged' | 'too-long' | 'too-many-pixels';

/** What one upload may cost the workers: MEDIA_MAX_DURATION (seconds) and MEDIA_MAX_PIXELS (width × height). */
export interface MediaLimits {
  maxDurationSec: number;
  maxPixels: number;
}

/** Why ffprobe refused a file. */
const probeTexts: Record<ProbeError['reason'], Text> = {
  'not-media': msg('media.notMedia'),
  'no-audio': msg('media.noAudio'),
  unreadable: msg('media.unreadable'),
  timeout: msg('media.probeTimeout'),
};

const hms = (sec: number) =>
  `${Math.floor(sec / 3600)}:${String(Math.floor((sec % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(sec % 60)).padStart(2, '0')}`;

export function rejection(reason: IngestRejection, detail: Text): Problem {
  return new Problem('unprocessable', { detail, extra: { reason } });
}

/** ffprobe's reading of the file; a file it cannot read is refused. */
export async function probeUpload(file: string, log: Logger): Promise<MediaInfo> {
  try {
    return await probe(file, { logger: log });
  } catch (err) {
    if (err instanceof ProbeError) throw rejection(err.reason, probeTexts[err.reason]);
    throw err;
  }
}

/** A file beyond the limits is refused before it becomes an original (422 with its reason). */
export function assertWithinLimits(info: MediaInfo, limits: MediaLimits): void {
  if (info.durationSec > limits.maxDurationSec) {
    throw rejection(
      'too-long',
      msg('media.tooLong', { duration: hms(info.durationSec), max: hms(limits.maxDurationSec) }),
    );
  }
  const pixels = info.video ? info.video.width * info.video.height : 0;
  if (pixels > limits.maxPixels) {
    throw rejection(
      'too-many-pixels',
      msg('media.tooManyPixels', { width: info.video!.width, height: info.video!.height, maxPixels: limits.maxPixels }),
    );
  }
}

// Codec names ffprobe reports for streams it sees but cannot decode.
const undecodableCodecs = new Set(['unknown', 'none', '']);

/** Turns a probe result into a rejection when it is not something we can archive and transcode. */
export function assertUsable(info: MediaInfo): void {
  if (!info.audio) throw rejection('no-audio', probeTexts['no-audio']);
  if (undecodableCodecs.has(info.audio.codec) || info.audio.channels < 1 || info.audio.sampleRate < 1) {
    throw rejection(
      'unsupported-codec',
      msg('media.audioUndecodable', { codec: info.audio.codec || msg('media.codecUnknown') }),
    );
  }
  if (info.video && undecodableCodecs.has(info.video.codec)) {
    throw rejection(
      'unsupported-codec',
      msg('media.videoUndecodable', { codec: info.video.codec || msg('media.codecUnknown') }),
    );
  }
}

/**
 * ffprobe reads headers only: an MP4 cut off after its moov atom still probes as a full-length file. Decoding a few
 * seconds of sound at the start and at the end (seeking, so cheap however long the file) catches missing data.
 */
export async function assertDecodable(file: string, info: MediaInfo, log: Logger): Promise<void> {
  // The first 6 s (all of a short file), and the last 3 s when there is more; unknown durations get the start only.
  const runs: Array<{ seek: string[]; seconds: number }> = [{ seek: [], seconds: 6 }];
  if (info.durationSec > 6) runs.push({ seek: ['-sseof', '-3'], seconds: 3 });
  for (const { seek, seconds } of runs) {
    const args = [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-progress',
      'pipe:1',
      '-nostats',
      ...seek,
      '-i',
      safePath(file),
      '-map',
      '0:a:0',
      '-t',
      String(seconds),
      '-f',
      'null',
      '-',
    ];
    let decodedSec = 0;
    let stderr = '';
    try {
      ({ stderrTail: stderr } = await runFfmpeg(args, {
        stallTimeoutMs: 20_000,
        signal: AbortSignal.timeout(60_000),
        logger: log,
        onProgress: (_p, progress) => {
          decodedSec = Math.max(decodedSec, progress.outTimeSec);
        },
      }));
    } catch (err) {
      if (!(err instanceof FfmpegError)) throw err;
      if (err.kind === 'spawn') throw err;
      if (err.kind === 'failed') throw rejection('damaged', msg('media.damaged'));
      throw rejection('timeout', probeTexts.timeout);
    }
    // "partial file": the demuxer's index points past the end of the data.
    if (decodedSec <= 0 || /partial file/i.test(stderr)) {
      log.info(
        { window: seek.length ? 'end' : 'start', decodedSec, stderr: stderr.slice(-500) },
        'decode check failed',
      );
      throw rejection('damaged', msg('media.damaged'));
    }
  }
}
