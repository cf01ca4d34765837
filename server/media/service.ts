// Media of an interview: ingest of an uploaded file (checks → immutable original → the ingest flow starts), reading,
// deleting. Multipart and tus uploads both end in `ingest`; files are laid out by paths.ts. The other media
// responsibilities have their own modules: upload-checks.ts (probe, limits, decode check), texts.ts (user texts),
// filenames.ts, durable-files.ts (fsync, move), deletion.ts, presenters.ts (the public JSON), ingest-flow.ts (the chain).
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Viewer } from '../access/viewer.js';
import { Problem } from '../http/problem.js';
import { msg } from '../i18n/messages.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import { isDuplicateKey } from '../store/errors.js';
import type { Store } from '../store/repositories.js';
import type { Interview, JobRecord, MediaTechnical, Medium } from '../store/types.js';
import { assertCanEditInterviewMedia, assertCanViewMedium } from './access.js';
import { removeMediumWithFiles } from './deletion.js';
import { fsyncPath, moveFile } from './durable-files.js';
import { isBrowserPlayable, type MediaInfo } from './ffmpeg/probe.js';
import { extensionFor, sanitizeFilename } from './filenames.js';
import { startIngest } from './ingest-flow.js';
import { originalRelPath, resolveInUploads } from './paths.js';
import { presentMedium, presentMediumFor, type PublicMedium } from './presenters.js';
import type { MediaUrlSigner } from './signing.js';
import {
  assertDecodable,
  assertUsable,
  assertWithinLimits,
  probeUpload,
  rejection,
  type MediaLimits,
} from './upload-checks.js';

// The public shapes, where the client's types (client/src/types.ts, contributor/types.ts) import them from.
export type { PublicJob, PublicMedium } from './presenters.js';

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

function technicalOf(info: MediaInfo): MediaTechnical {
  const playable = isBrowserPlayable(info);
  return {
    container: info.container,
    durationSec: info.durationSec,
    bitRate: info.bitRate ?? null,
    audio: info.audio
      ? { codec: info.audio.codec, channels: info.audio.channels, sampleRate: info.audio.sampleRate }
      : null,
    video: info.video
      ? {
          codec: info.video.codec,
          width: info.video.width,
          height: info.video.height,
          fps: info.video.fps,
          rotation: info.video.rotation ?? null,
        }
      : null,
    playableMime: playable.playable ? playable.mime : null,
  };
}

export class MediaService extends EventEmitter<MediaEvents> {
  constructor(
    private readonly store: Store,
    private readonly queue: JobQueue,
    private readonly uploadsDir: string,
    private readonly logger: Logger,
    private readonly signer: MediaUrlSigner | null = null,
    private readonly limits: MediaLimits = {
      maxDurationSec: Number.POSITIVE_INFINITY,
      maxPixels: Number.POSITIVE_INFINITY,
    },
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
      if (stat.size !== input.sizeBytes)
        throw new Error(`received ${input.sizeBytes} bytes but ${stat.size} are on disk`);
      if (stat.size === 0) throw rejection('empty', msg('media.empty'));
      info = await probeUpload(tmpPath, log);
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
      await startIngest({ store: this.store, queue: this.queue }, created);
      log.info({ mediaId, part: created.part, kind: created.kind, sizeBytes: created.sizeBytes }, 'original stored');
      return created;
    } catch (err) {
      if (created)
        await this.store.media
          .delete(created.id)
          .catch((e) => log.error({ err: e, mediaId }, 'rollback: row not deleted'));
      if (moved)
        await fs
          .rm(dir, { recursive: true, force: true })
          .catch((e) => log.error({ err: e, dir }, 'rollback: original not deleted'));
      throw err;
    }
  }

  private async createRow(
    viewer: Viewer,
    interviewId: string,
    mediaId: string,
    relPath: string,
    info: MediaInfo,
    input: IngestInput,
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

  /** presentMediumFor(): the medium as this viewer may get it (URLs signed where the interview is not public). */
  presentFor(viewer: Viewer, interview: Interview, medium: Medium, jobs: JobRecord[] = []): Promise<PublicMedium> {
    return presentMediumFor(this.store, this.signer, viewer, interview, medium, jobs);
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
    await fs.rm(resolveInUploads(this.uploadsDir, path.posix.join('originals', interviewId)), {
      recursive: true,
      force: true,
    });
  }

  private async remove(medium: Medium): Promise<void> {
    const running = await removeMediumWithFiles(this.store, this.uploadsDir, medium, this.logger);
    if (running.length > 0) this.emit('jobsCancelled', running);
  }

  /** The public JSON contract of a medium (and its job history). */
  present(medium: Medium, jobs: JobRecord[] = []): PublicMedium {
    return presentMedium(medium, jobs);
  }

  /** presentFor() with the current job history. */
  async presentWithJobs(viewer: Viewer, medium: Medium): Promise<PublicMedium> {
    const interview = await this.store.interviews.findById(medium.interviewId);
    if (!interview) throw new Problem('not-found');
    return this.presentFor(viewer, interview, medium, await this.jobsOf(medium.id));
  }
}
