// Media of an interview: ingest of an uploaded file (probe → immutable original → first job), reading, deleting, and
// the public JSON shape. Multipart and tus uploads both end in `ingest`; files are laid out by paths.ts.
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isPubliclyVisible } from '../access/policy.js';
import type { Viewer } from '../access/viewer.js';
import { Problem } from '../http/problem.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import { isDuplicateKey } from '../store/errors.js';
import type { Store } from '../store/repositories.js';
import type { Interview, JobRecord, MediaDerivatives, MediaTechnical, Medium } from '../store/types.js';
import { startIngest } from '../../workers/flows/ingest.js';
import { assertCanEditInterviewMedia, assertCanViewMedium } from './access.js';
import { safePath } from './ffmpeg/args.js';
import { isBrowserPlayable, probe, ProbeError, type MediaInfo } from './ffmpeg/probe.js';
import { FfmpegError, runFfmpeg } from './ffmpeg/runner.js';
import { deliverable, redactionState } from './restrictions.js';
import { signedMediaUrl, type MediaUrlSigner } from './signing.js';
import { derivativeFiles, mediaUrl, originalRelPath, renditionsRelDir, resolveInUploads } from './paths.js';

export type IngestRejection = ProbeError['reason'] | 'empty' | 'unsupported-codec' | 'damaged' | 'too-long' | 'too-many-pixels';

/** What one upload may cost the workers: MEDIA_MAX_DURATION (seconds) and MEDIA_MAX_PIXELS (width × height). */
export interface MediaLimits {
  maxDurationSec: number;
  maxPixels: number;
}

const hms = (sec: number) => `${Math.floor(sec / 3600)}:${String(Math.floor((sec % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(sec % 60)).padStart(2, '0')}`;

/** A file beyond the limits is refused before it becomes an original (422 with its reason). */
function assertWithinLimits(info: MediaInfo, limits: MediaLimits): void {
  if (info.durationSec > limits.maxDurationSec) {
    throw rejection('too-long', {
      de: `Die Aufnahme dauert ${hms(info.durationSec)}; erlaubt sind höchstens ${hms(limits.maxDurationSec)} je Datei. Bitte in Teilen hochladen.`,
      en: `The recording runs ${hms(info.durationSec)}; at most ${hms(limits.maxDurationSec)} per file are allowed. Please upload it in parts.`,
    });
  }
  const pixels = info.video ? info.video.width * info.video.height : 0;
  if (pixels > limits.maxPixels) {
    throw rejection('too-many-pixels', {
      de: `Das Video hat ${info.video!.width}×${info.video!.height} Bildpunkte; erlaubt sind höchstens ${limits.maxPixels} je Bild.`,
      en: `The video is ${info.video!.width}×${info.video!.height} pixels; at most ${limits.maxPixels} per frame are allowed.`,
    });
  }
}

export interface IngestInput {
  viewer: Viewer;
  interviewId: string;
  /** The received bytes; moved into place on success, deleted when the file is rejected (4xx). */
  tmpPath: string;
  sha256: string;
  sizeBytes: number;
  /** As the client sent it; only a sanitised basename is kept, for display. */
  originalFilename: string;
}

export interface MediaEvents {
  /** Ids of running jobs that were cancelled; the in-process worker aborts them (other workers notice via heartbeat). */
  jobsCancelled: [jobIds: string[]];
}

export interface PublicJob {
  id: string;
  name: string;
  status: JobRecord['status'];
  attempts: number;
  maxAttempts: number;
  progress: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface PublicMedium {
  id: string;
  interviewId: string;
  part: number;
  kind: Medium['kind'];
  status: Medium['status'];
  progress: number;
  sha256: string;
  sizeBytes: number;
  durationSec: number;
  originalFilename: string;
  technical: MediaTechnical;
  /** null while restricted passages exist for a viewer who may not hear them (the original is never redacted). */
  original: string | null;
  originalPlayable: boolean;
  originalMime: string;
  hls: string | null;
  download: string | null;
  poster: string | null;
  waveform: string | null;
  storyboard: string | null;
  error: string | null;
  /** Time ranges the narrator did not release (public renditions are silent there, with a card over the picture). */
  restrictedRanges: { start: number; end: number }[];
  createdAt: string;
  updatedAt: string;
  jobs: PublicJob[];
}

/** A job as clients see it: no payload, no lease internals. */
/**
 * Deletes a medium and its files; returns the ids of jobs that were running on it (cancelled). Row first: the medium
 * disappears from the API at once; a worker still finishing finds it gone and publishes nothing, and the sweep
 * removes rendition folders without a medium should one slip through.
 */
export async function removeMediumWithFiles(store: Store, uploadsDir: string, medium: Medium, logger: Logger): Promise<string[]> {
  const running = await store.jobs.cancelByMedia(medium.id, new Date());
  await store.media.delete(medium.id);
  const originalDir = path.dirname(resolveInUploads(uploadsDir, medium.originalPath));
  for (const target of [resolveInUploads(uploadsDir, renditionsRelDir(medium.id)), originalDir]) {
    await fs.rm(target, { recursive: true, force: true }).catch((err) => logger.error({ err, target }, 'media files not removed'));
  }
  // Leaves no empty originals/<interviewId> behind; fails harmlessly while other parts are still there.
  await fs.rmdir(path.dirname(originalDir)).catch(() => undefined);
  return running;
}

/** Deletes a medium's renditions (HLS, download, poster, storyboard, waveform) but keeps the original; returns cancelled running jobs. */
export async function removeRenditions(store: Store, uploadsDir: string, medium: Medium, logger: Logger): Promise<string[]> {
  const running = await store.jobs.cancelByMedia(medium.id, new Date());
  const cleared = Object.fromEntries(Object.keys(medium.derivatives).map((k) => [k, null]));
  await store.media.setDerivatives(medium.id, cleared, new Date().toISOString());
  await store.media.update(medium.id, { renditionRedaction: '' }, new Date().toISOString());
  const dir = resolveInUploads(uploadsDir, renditionsRelDir(medium.id));
  await fs.rm(dir, { recursive: true, force: true }).catch((err) => logger.error({ err, dir }, 'renditions not removed'));
  return running;
}

export function presentJob(j: JobRecord): PublicJob {
  return {
    id: j.id, name: j.name, status: j.status, attempts: j.attempts, maxAttempts: j.maxAttempts, progress: j.progress,
    error: j.error, createdAt: j.createdAt, startedAt: j.startedAt, finishedAt: j.finishedAt,
  };
}

const MAX_FILENAME_CHARS = 200;

/**
 * A display name from a client-supplied file name: last path segment only (both separators), no control or
 * bidi-override characters, no leading dots, no characters that are special on common file systems, bounded length.
 * The name never becomes a path on disk; this keeps it harmless wherever it is shown or offered as a download name.
 */
export function sanitizeFilename(raw: string): string {
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  let name = base
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '');
  const chars = Array.from(name);
  if (chars.length > MAX_FILENAME_CHARS) {
    const ext = /\.[\p{L}\p{N}]{1,10}$/u.exec(name)?.[0] ?? '';
    name = Array.from(name.slice(0, name.length - ext.length)).slice(0, MAX_FILENAME_CHARS - ext.length).join('').trimEnd() + ext;
  }
  return name === '' ? 'upload' : name;
}

// The extension follows what ffprobe found, never the client's name (a .mp4 can be anything).
const containerExtensions: Record<string, string> = {
  mp4: 'mp4', mov: 'mov', m4a: 'm4a', mp3: 'mp3', aac: 'aac', webm: 'webm', matroska: 'mkv', ogg: 'ogg',
  wav: 'wav', flac: 'flac', avi: 'avi', asf: 'asf', mpegts: 'ts', mpeg: 'mpg', amr: 'amr', aiff: 'aiff', caf: 'caf',
  w64: 'w64', '3gp': '3gp',
};

export function extensionFor(info: Pick<MediaInfo, 'container'>): string {
  const known = containerExtensions[info.container];
  if (known) return known;
  return /^[a-z0-9]{1,8}$/.test(info.container) ? info.container : 'bin';
}

function rejection(reason: IngestRejection, detail: { de: string; en: string }): Problem {
  return new Problem('unprocessable', { detail, extra: { reason } });
}

const probeTexts: Record<ProbeError['reason'], { de: string; en: string }> = {
  'not-media': {
    de: 'Die Datei ist keine lesbare Audio- oder Videodatei (beschädigt, unvollständig oder ein anderes Format).',
    en: 'The file is not readable audio or video (damaged, incomplete or another kind of file).',
  },
  'no-audio': {
    de: 'Die Datei enthält keine Tonspur (etwa ein Standbild). Ein Interview braucht Ton.',
    en: 'The file has no audio track (e.g. a still image). An interview needs sound.',
  },
  unreadable: {
    de: 'Die Datei konnte nicht gelesen werden.',
    en: 'The file could not be read.',
  },
  timeout: {
    de: 'Die Prüfung der Datei hat zu lange gedauert; sie ist vermutlich beschädigt.',
    en: 'Checking the file took too long; it is probably damaged.',
  },
};

// Codec names ffprobe reports for streams it sees but cannot decode.
const undecodableCodecs = new Set(['unknown', 'none', '']);

/** Turns a probe result into a rejection when it is not something we can archive and transcode. */
function assertUsable(info: MediaInfo): void {
  if (!info.audio) throw rejection('no-audio', probeTexts['no-audio']);
  if (undecodableCodecs.has(info.audio.codec) || info.audio.channels < 1 || info.audio.sampleRate < 1) {
    throw rejection('unsupported-codec', {
      de: `Die Tonspur (${info.audio.codec || 'unbekannt'}) kann nicht dekodiert werden.`,
      en: `The audio track (${info.audio.codec || 'unknown'}) cannot be decoded.`,
    });
  }
  if (info.video && undecodableCodecs.has(info.video.codec)) {
    throw rejection('unsupported-codec', {
      de: `Die Videospur (${info.video.codec || 'unbekannt'}) kann nicht dekodiert werden.`,
      en: `The video track (${info.video.codec || 'unknown'}) cannot be decoded.`,
    });
  }
}

const damaged = {
  de: 'Die Datei ist beschädigt oder unvollständig (vielleicht nicht ganz hochgeladen). Bitte erneut hochladen oder neu exportieren.',
  en: 'The file is damaged or incomplete (perhaps not uploaded completely). Please upload or export it again.',
};

/**
 * ffprobe reads headers only: an MP4 cut off after its moov atom still probes as a full-length file. Decoding a few
 * seconds of sound at the start and at the end (seeking, so cheap however long the file) catches missing data.
 */
async function assertDecodable(file: string, info: MediaInfo, log: Logger): Promise<void> {
  // The first 6 s (all of a short file), and the last 3 s when there is more; unknown durations get the start only.
  const runs: Array<{ seek: string[]; seconds: number }> = [{ seek: [], seconds: 6 }];
  if (info.durationSec > 6) runs.push({ seek: ['-sseof', '-3'], seconds: 3 });
  for (const { seek, seconds } of runs) {
    const args = [
      '-hide_banner', '-nostdin', '-loglevel', 'error', '-progress', 'pipe:1', '-nostats',
      ...seek, '-i', safePath(file), '-map', '0:a:0', '-t', String(seconds), '-f', 'null', '-',
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
      if (err.kind === 'failed') throw rejection('damaged', damaged);
      throw rejection('timeout', probeTexts.timeout);
    }
    // "partial file": the demuxer's index points past the end of the data.
    if (decodedSec <= 0 || /partial file/i.test(stderr)) {
      log.info({ window: seek.length ? 'end' : 'start', decodedSec, stderr: stderr.slice(-500) }, 'decode check failed');
      throw rejection('damaged', damaged);
    }
  }
}

function technicalOf(info: MediaInfo): MediaTechnical {
  const playable = isBrowserPlayable(info);
  return {
    container: info.container,
    durationSec: info.durationSec,
    bitRate: info.bitRate ?? null,
    audio: info.audio ? { codec: info.audio.codec, channels: info.audio.channels, sampleRate: info.audio.sampleRate } : null,
    video: info.video
      ? { codec: info.video.codec, width: info.video.width, height: info.video.height, fps: info.video.fps, rotation: info.video.rotation ?? null }
      : null,
    playableMime: playable.playable ? playable.mime : null,
  };
}

async function fsyncPath(p: string): Promise<void> {
  const handle = await fs.open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** rename(2) when on one file system; otherwise copy, fsync, unlink — so the original is durable either way. */
async function moveFile(src: string, dest: string): Promise<void> {
  try {
    await fs.rename(src, dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await fs.copyFile(src, dest, fs.constants.COPYFILE_EXCL);
    await fsyncPath(dest);
    await fs.unlink(src);
  }
}

export class MediaService extends EventEmitter<MediaEvents> {
  constructor(
    private readonly store: Store,
    private readonly queue: JobQueue,
    private readonly uploadsDir: string,
    private readonly logger: Logger,
    private readonly signer: MediaUrlSigner | null = null,
    private readonly limits: MediaLimits = { maxDurationSec: Number.POSITIVE_INFINITY, maxPixels: Number.POSITIVE_INFINITY },
  ) {
    super();
  }

  /** Checks before any bytes are accepted (multipart route, tus creation); the same check runs again at ingest. */
  assertCanUpload(viewer: Viewer, interviewId: string): Promise<Interview> {
    return assertCanEditInterviewMedia(this.store, viewer, interviewId);
  }

  /**
   * Makes a received file a medium of the interview. Rejections (4xx) delete the temporary file; other errors before
   * the move leave it to the caller (a tus upload can then be finished again). After the move nothing half-done stays.
   */
  async ingest(input: IngestInput): Promise<Medium> {
    const { viewer, interviewId, tmpPath } = input;
    const log = this.logger.child({ interviewId });
    let info: MediaInfo;
    try {
      await assertCanEditInterviewMedia(this.store, viewer, interviewId);
      const stat = await fs.stat(tmpPath);
      if (stat.size !== input.sizeBytes) throw new Error(`received ${input.sizeBytes} bytes but ${stat.size} are on disk`);
      if (stat.size === 0) {
        throw rejection('empty', { de: 'Die Datei ist leer (0 Bytes).', en: 'The file is empty (0 bytes).' });
      }
      try {
        info = await probe(tmpPath, { logger: log });
      } catch (err) {
        if (err instanceof ProbeError) throw rejection(err.reason, probeTexts[err.reason]);
        throw err;
      }
      assertUsable(info);
      assertWithinLimits(info, this.limits);
      await assertDecodable(tmpPath, info, log);
    } catch (err) {
      if (err instanceof Problem) {
        await fs.rm(tmpPath, { force: true });
        log.info({ reason: err.options.extra?.reason ?? err.type, file: input.originalFilename }, 'upload rejected');
      }
      throw err;
    }

    const mediaId = crypto.randomUUID();
    const relPath = originalRelPath(interviewId, mediaId, extensionFor(info));
    const dest = resolveInUploads(this.uploadsDir, relPath);
    const dir = path.dirname(dest);
    let moved = false;
    let created: Medium | null = null;
    try {
      // The bytes must be on disk before the rename makes them the original.
      await fsyncPath(tmpPath);
      await fs.mkdir(dir, { recursive: true });
      await moveFile(tmpPath, dest);
      moved = true;
      await fs.chmod(dest, 0o444);
      await fsyncPath(dir);
      await fsyncPath(path.dirname(dir));

      created = await this.createRow(viewer, interviewId, mediaId, relPath, info, input);
      await startIngest(this.queue, created);
      log.info({ mediaId, part: created.part, kind: created.kind, sizeBytes: created.sizeBytes }, 'original stored');
      return created;
    } catch (err) {
      if (created) await this.store.media.delete(created.id).catch((e) => log.error({ err: e, mediaId }, 'rollback: row not deleted'));
      if (moved) await fs.rm(dir, { recursive: true, force: true }).catch((e) => log.error({ err: e, dir }, 'rollback: original not deleted'));
      throw err;
    }
  }

  private async createRow(
    viewer: Viewer, interviewId: string, mediaId: string, relPath: string, info: MediaInfo, input: IngestInput,
  ): Promise<Medium> {
    // Two uploads to one interview at once may pick the same part number; the unique index decides, the loser retries.
    for (let attempt = 1; ; attempt++) {
      const now = new Date().toISOString();
      const medium: Medium = {
        id: mediaId,
        interviewId,
        part: await this.store.media.nextPart(interviewId),
        kind: info.video ? 'video' : 'audio',
        status: 'stored',
        progress: 0,
        originalFilename: sanitizeFilename(input.originalFilename),
        originalPath: relPath,
        sha256: input.sha256,
        sizeBytes: input.sizeBytes,
        technical: technicalOf(info),
        derivatives: {},
        error: null,
        renditionRedaction: '',
        createdBy: viewer.kind === 'user' ? viewer.user.id : null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        return await this.store.media.create(medium);
      } catch (err) {
        if (attempt >= 5 || !isDuplicateKey(err)) throw err;
      }
    }
  }

  /** A medium the viewer may see; 404 otherwise. */
  async get(viewer: Viewer, mediaId: string): Promise<Medium> {
    const medium = await this.store.media.findById(mediaId);
    if (!medium) throw new Problem('not-found');
    await this.assertCanViewMedium(viewer, medium);
    return medium;
  }

  assertCanViewMedium(viewer: Viewer, medium: Medium): Promise<Interview> {
    return assertCanViewMedium(this.store, viewer, medium);
  }

  /** The interview's media as this viewer gets them, by part; the caller has already checked that the interview is visible. */
  async listForInterview(viewer: Viewer, interview: Interview): Promise<PublicMedium[]> {
    const media = await this.store.media.listByInterview(interview.id);
    return Promise.all(media.map(async (m) => this.presentFor(viewer, interview, m, await this.jobsOf(m.id))));
  }

  /**
   * present() for one viewer: files they may not get have no URL (the file routes refuse them too), and URLs of
   * interviews that are not public are signed for this viewer and expire.
   */
  async presentFor(viewer: Viewer, interview: Interview, medium: Medium, jobs: JobRecord[] = []): Promise<PublicMedium> {
    const state = await redactionState(this.store, medium);
    const deliver = deliverable(viewer, interview, medium, state);
    const grant = isPubliclyVisible(interview) || !this.signer ? null : this.signer.grantFor(viewer, medium.id, medium.technical.durationSec);
    const link = (url: string | null) => (url && grant ? signedMediaUrl(grant, medium.id, url.slice(`/media/${medium.id}/`.length)) : url);
    const base = this.present(medium, jobs);
    const rendition = (url: string | null) => (deliver.renditions ? link(url) : null);
    return {
      ...base,
      original: deliver.original ? link(base.original) : null,
      originalPlayable: deliver.original && base.originalPlayable,
      hls: rendition(base.hls),
      download: rendition(base.download),
      poster: rendition(base.poster),
      waveform: rendition(base.waveform),
      storyboard: rendition(base.storyboard),
      restrictedRanges: state.ranges,
    };
  }

  jobsOf(mediaId: string): Promise<JobRecord[]> {
    return this.store.jobs.listByMedia(mediaId);
  }

  /** A job the viewer may see: its medium's interview must be visible. 404 otherwise (also for jobs without medium). */
  async getJob(viewer: Viewer, jobId: string): Promise<JobRecord> {
    const job = await this.store.jobs.findById(jobId);
    const medium = job?.mediaId ? await this.store.media.findById(job.mediaId) : null;
    if (!job || !medium) throw new Problem('not-found');
    await this.assertCanViewMedium(viewer, medium);
    return job;
  }

  async delete(viewer: Viewer, mediaId: string): Promise<void> {
    const medium = await this.store.media.findById(mediaId);
    if (!medium) throw new Problem('not-found');
    await assertCanEditInterviewMedia(this.store, viewer, medium.interviewId);
    await this.remove(medium);
    this.logger.info({ mediaId, interviewId: medium.interviewId }, 'medium deleted');
  }

  /** Before an interview is deleted (its permission already checked): all its media, files included. */
  async deleteAllForInterview(interviewId: string): Promise<void> {
    for (const medium of await this.store.media.listByInterview(interviewId)) await this.remove(medium);
    await fs.rm(resolveInUploads(this.uploadsDir, path.posix.join('originals', interviewId)), { recursive: true, force: true });
  }

  private async remove(medium: Medium): Promise<void> {
    const running = await removeMediumWithFiles(this.store, this.uploadsDir, medium, this.logger);
    if (running.length > 0) this.emit('jobsCancelled', running);
  }

  /** The public JSON contract of a medium (and its job history). */
  present(medium: Medium, jobs: JobRecord[] = []): PublicMedium {
    const d = medium.derivatives;
    const url = (key: keyof MediaDerivatives) => (d[key] ? mediaUrl(medium.id, derivativeFiles[key]) : null);
    const playableMime = medium.technical.playableMime;
    return {
      id: medium.id,
      interviewId: medium.interviewId,
      part: medium.part,
      kind: medium.kind,
      status: medium.status,
      progress: medium.progress,
      sha256: medium.sha256,
      sizeBytes: medium.sizeBytes,
      durationSec: medium.technical.durationSec,
      originalFilename: medium.originalFilename,
      technical: medium.technical,
      original: mediaUrl(medium.id, 'original'),
      originalPlayable: playableMime !== null,
      originalMime: playableMime ?? 'application/octet-stream',
      hls: url('hls'),
      download: url('download'),
      poster: url('poster'),
      waveform: url('waveform'),
      storyboard: url('storyboard'),
      error: medium.error,
      restrictedRanges: [],
      createdAt: medium.createdAt,
      updatedAt: medium.updatedAt,
      jobs: jobs.map(presentJob),
    };
  }

  /** presentFor() with the current job history. */
  async presentWithJobs(viewer: Viewer, medium: Medium): Promise<PublicMedium> {
    const interview = await this.store.interviews.findById(medium.interviewId);
    if (!interview) throw new Problem('not-found');
    return this.presentFor(viewer, interview, medium, await this.jobsOf(medium.id));
  }
}
