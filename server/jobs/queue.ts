import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from '../logger.js';
import type { JobRepository } from '../store/repositories.js';
import type { JobRecord } from '../store/types.js';
import { dedupeKeyOf, jobPolicies, jobSchemas, type Job } from './definitions.js';

/** The only way work enters the queue: validated payload, policy from the job's definition, deduplicated per medium. */
export class JobQueue extends EventEmitter<{ enqueued: [JobRecord] }> {
  constructor(
    private readonly jobs: JobRepository,
    private readonly logger: Logger,
    /** Whose work a medium's job is (its uploader), so workers pick fairly across uploaders; null when unknown. */
    private readonly ownerOfMedium: (mediaId: string) => Promise<string | null> = async () => null,
  ) {
    super();
  }

  async enqueue(
    job: Job,
    opts: { runAfter?: Date; mediaId?: string; ownerId?: string | null } = {},
  ): Promise<JobRecord> {
    const payload = jobSchemas[job.name].parse(job.payload);
    const now = new Date().toISOString();
    const mediaId = opts.mediaId ?? ('mediaId' in payload ? payload.mediaId : null);
    const ownerId = opts.ownerId !== undefined ? opts.ownerId : mediaId ? await this.ownerOfMedium(mediaId) : null;
    const record: JobRecord = {
      id: crypto.randomUUID(),
      name: job.name,
      payload,
      status: 'queued',
      mediaId,
      attempts: 0,
      maxAttempts: jobPolicies[job.name].maxAttempts,
      runAfter: (opts.runAfter ?? new Date()).toISOString(),
      leaseOwner: null,
      leaseExpiresAt: null,
      progress: 0,
      error: null,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      finishedAt: null,
      dedupeKey: dedupeKeyOf({ name: job.name, payload } as Job),
      ownerId,
    };
    const { job: stored, created } = await this.jobs.enqueue(record);
    if (created) {
      this.logger.info({ jobId: stored.id, job: job.name, mediaId }, 'job queued');
      // lets an in-process worker start at once instead of at its next poll
      this.emit('enqueued', stored);
    }
    return stored;
  }

  /** A deduplicated job at a given time: queued anew, or the one already queued moved to that time. */
  async schedule(job: Job, runAfter: Date): Promise<JobRecord> {
    const stored = await this.enqueue(job, { runAfter });
    if (stored.status === 'queued' && stored.runAfter !== runAfter.toISOString() && stored.dedupeKey) {
      await this.jobs.reschedule(stored.dedupeKey, runAfter, new Date());
      this.logger.info({ jobId: stored.id, job: job.name, runAfter }, 'job rescheduled');
      return (await this.jobs.findById(stored.id)) ?? stored;
    }
    return stored;
  }
}

/** The uploader of a medium, for JobQueue's fairness (jobs of media without an uploader belong to nobody). */
export function mediumOwner(store: {
  media: { findById(id: string): Promise<{ createdBy: string | null } | null> };
}): (mediaId: string) => Promise<string | null> {
  return async (mediaId) => (await store.media.findById(mediaId))?.createdBy ?? null;
}
