// Starting, cancelling and retrying speech-recognition jobs, with the same access rule as editing the interview's
// media. The work itself is done by workers/handlers/asr.ts.
import { EventEmitter } from 'node:events';
import type { Viewer } from '../access/viewer.js';
import { Problem } from '../http/problem.js';
import type { JobQueue } from '../jobs/queue.js';
import type { JobName } from '../jobs/definitions.js';
import type { Logger } from '../logger.js';
import { assertCanEditInterviewMedia, assertCanViewMedium } from '../media/access.js';
import type { Store } from '../store/repositories.js';
import type { JobRecord, Medium } from '../store/types.js';
import { asrStatus, type AsrStatus } from './engines.js';
import type { AsrEngine } from './types.js';
import { msg } from '../i18n/messages.js';

export const asrJobNames = ['media.transcribe', 'media.align'] as const satisfies readonly JobName[];
type AsrJobName = (typeof asrJobNames)[number];
const isAsrJob = (name: string): name is AsrJobName => (asrJobNames as readonly string[]).includes(name);

export class AsrService extends EventEmitter<{ jobsCancelled: [string[]] }> {
  constructor(
    private readonly store: Store,
    private readonly queue: JobQueue,
    private readonly engine: AsrEngine | null,
    private readonly logger: Logger,
  ) {
    super();
  }

  status(): AsrStatus {
    return asrStatus(this.engine);
  }

  private assertEnabled(): void {
    if (!this.engine) {
      const how = this.status().howToEnable!;
      throw new Problem('unavailable', { detail: how, extra: { feature: 'asr' } });
    }
  }

  private async editableMedium(viewer: Viewer, mediaId: string): Promise<Medium> {
    const medium = await this.store.media.findById(mediaId);
    if (!medium) throw new Problem('not-found');
    await assertCanEditInterviewMedia(this.store, viewer, medium.interviewId);
    return medium;
  }

  private assertAudioReady(medium: Medium): void {
    if (!medium.derivatives.download) {
      throw new Problem('conflict', {
        detail: msg('asr.audioNotReady'),
      });
    }
  }

  async startTranscription(viewer: Viewer, mediaId: string, language: string): Promise<JobRecord> {
    const medium = await this.editableMedium(viewer, mediaId);
    this.assertEnabled();
    this.assertAudioReady(medium);
    const job = await this.queue.enqueue({
      name: 'media.transcribe',
      payload: { v: 1, mediaId, language, requestedBy: viewer.kind === 'user' ? viewer.user.id : null },
    });
    this.logger.info({ mediaId, jobId: job.id, language }, 'automatic transcription requested');
    return job;
  }

  async startAlignment(viewer: Viewer, mediaId: string, language: string | undefined): Promise<JobRecord> {
    const medium = await this.editableMedium(viewer, mediaId);
    this.assertEnabled();
    this.assertAudioReady(medium);
    const head = await this.store.transcripts.head(mediaId);
    if (!head) {
      throw new Problem('conflict', { detail: msg('asr.alignNeedsTranscript') });
    }
    const interview = await this.store.interviews.findById(medium.interviewId);
    const job = await this.queue.enqueue({
      name: 'media.align',
      payload: {
        v: 1,
        mediaId,
        language: language ?? (interview?.language.slice(0, 2) || 'de'),
        version: head.currentVersion,
        requestedBy: viewer.kind === 'user' ? viewer.user.id : null,
      },
    });
    this.logger.info({ mediaId, jobId: job.id, version: head.currentVersion }, 'alignment requested');
    return job;
  }

  private async asrJob(viewer: Viewer, jobId: string): Promise<JobRecord> {
    const job = await this.store.jobs.findById(jobId);
    const medium = job?.mediaId ? await this.store.media.findById(job.mediaId) : null;
    if (!job || !medium) throw new Problem('not-found');
    await assertCanViewMedium(this.store, viewer, medium);
    await assertCanEditInterviewMedia(this.store, viewer, medium.interviewId);
    if (!isAsrJob(job.name)) {
      throw new Problem('conflict', { detail: msg('asr.onlyAsrJobs') });
    }
    return job;
  }

  async cancel(viewer: Viewer, jobId: string): Promise<JobRecord> {
    const job = await this.asrJob(viewer, jobId);
    const wasRunning = job.status === 'running';
    if (!(await this.store.jobs.cancel(job.id, new Date()))) {
      throw new Problem('conflict', { detail: msg('asr.jobInactive') });
    }
    if (wasRunning) this.emit('jobsCancelled', [job.id]);
    this.logger.info({ jobId, mediaId: job.mediaId }, 'asr job cancelled');
    return (await this.store.jobs.findById(job.id))!;
  }

  /** A failed or cancelled job once more, as a new job with the same payload (its history stays readable). */
  async retry(viewer: Viewer, jobId: string): Promise<JobRecord> {
    const job = await this.asrJob(viewer, jobId);
    if (job.status !== 'failed' && job.status !== 'cancelled') {
      throw new Problem('conflict', { detail: msg('asr.retryOnlyFailed') });
    }
    this.assertEnabled();
    const medium = (await this.store.media.findById(job.mediaId!))!;
    this.assertAudioReady(medium);
    const payload: Record<string, unknown> = {
      ...(job.payload as Record<string, unknown>),
      requestedBy: viewer.kind === 'user' ? viewer.user.id : null,
    };
    if (job.name === 'media.align') {
      // align what is current now, not what was current back then
      const head = await this.store.transcripts.head(medium.id);
      if (!head) throw new Problem('conflict');
      payload.version = head.currentVersion;
    }
    return this.queue.enqueue({ name: job.name, payload } as Parameters<JobQueue['enqueue']>[0]);
  }
}
