// Publication and withdrawal: what must be true before an interview goes public, what happens when its embargo ends,
// and what a withdrawal takes away. Used by the interview service (HTTP) and by the interview.* jobs (workers), so it
// depends only on the store, the queue and the file system.
import type { Viewer } from '../access/viewer.js';
import { AuditLog, type AuditActor } from '../audit/service.js';
import { Problem } from '../http/problem.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import { removeRenditions } from '../media/deletion.js';
import { OperationFailedError } from '../store/unit-of-work.js';
import { createUnits, type Units } from '../units.js';
import type { PublishPayload } from './units.js';
import type { Store } from '../store/repositories.js';
import type { ConsentRecord, ConsentScope, Interview, Visibility } from '../store/types.js';
import { msg } from '../i18n/messages.js';

/** The consent scope a visibility needs (DOMAIN.md: no publication without a consent whose scope includes it). */
export const scopeForVisibility: Record<Visibility, ConsentScope> = {
  public: 'public_web',
  registered: 'research',
  restricted: 'research',
  private: 'archive',
};

/** Per narrator, their most recent record speaks (a later digital approval narrows or widens an earlier form). */
export function latestPerNarrator(consents: readonly ConsentRecord[]): ConsentRecord[] {
  const byNarrator = new Map<string, ConsentRecord>();
  for (const c of consents) {
    const key = c.narrator.trim().toLocaleLowerCase('de');
    const seen = byNarrator.get(key);
    if (!seen || c.createdAt > seen.createdAt) byNarrator.set(key, c);
  }
  return [...byNarrator.values()];
}

/** Problem for a publication the consent records do not cover, or null when they do. */
export function consentGap(all: readonly ConsentRecord[], visibility: Visibility): Problem | null {
  const needed = scopeForVisibility[visibility];
  const consents = latestPerNarrator(all);
  if (consents.length === 0) {
    return new Problem('consent-required', {
      detail: msg('publication.noConsent'),
      extra: { neededScope: needed },
    });
  }
  const missing = consents.filter((c) => !c.scope.includes(needed));
  if (missing.length === 0) return null;
  return new Problem('consent-required', {
    detail: msg('publication.consentGap', { narrators: missing.map((c) => c.narrator).join(', '), needed, visibility }),
    extra: { neededScope: needed, consentIds: missing.map((c) => c.id) },
  });
}

/** The latest embargo any current consent record asks for (ISO), or null. */
export function consentEmbargo(consents: readonly ConsentRecord[]): string | null {
  const dates = consents
    .map((c) => c.embargoUntil)
    .filter((d): d is string => d !== null)
    .sort();
  return dates.at(-1) ?? null;
}

export interface PublicationDeps {
  store: Store;
  queue: JobQueue;
  uploadsDir: string;
  logger: Logger;
  withdrawalGraceDays: number;
}

export class Publication {
  readonly audit: AuditLog;
  /** The units of work of every use case (server/units.ts), shared by the services built on this publication. */
  readonly units: Units;

  constructor(private readonly deps: PublicationDeps) {
    this.audit = new AuditLog(deps.store, deps.logger);
    this.units = createUnits({ ...deps, publication: this });
  }

  /** An approved interview with an embargo gets its publish job at the embargo's end; anything else loses it. */
  async syncEmbargoJob(interview: Interview): Promise<void> {
    const key = `interview.publish:${interview.id}`;
    if (interview.status === 'approved' && interview.embargoUntil) {
      await this.deps.queue.schedule(
        { name: 'interview.publish', payload: { v: 1, interviewId: interview.id } },
        new Date(interview.embargoUntil),
      );
    } else {
      await this.deps.store.jobs.cancelByKey(key, new Date());
    }
  }

  /**
   * The interview.publish job: publishes an approved interview whose embargo has ended, if consent still covers its
   * visibility. Returns what happened, for the log and the tests.
   */
  async publishWhenDue(
    interviewId: string,
    now = new Date(),
  ): Promise<'published' | 'waiting' | 'blocked' | 'skipped'> {
    const interview = await this.deps.store.interviews.findById(interviewId);
    if (interview?.status === 'published') {
      // published by a run that crashed before its log entry and search job: this run completes it
      const key = `interview.publish:${interviewId}:${interview.version - 1}`;
      const begun = await this.units.uow.find(key);
      if (begun?.status === 'pending') await this.units.uow.run('interview.publish', key, begun.payload);
    }
    if (!interview || interview.status !== 'approved') return 'skipped';
    if (interview.embargoUntil && Date.parse(interview.embargoUntil) > now.getTime()) {
      await this.syncEmbargoJob(interview); // moved later meanwhile: wait for the new date
      return 'waiting';
    }
    const gap = consentGap(await this.deps.store.consents.currentForInterview(interviewId), interview.visibility);
    if (gap) {
      await this.audit.record(null, {
        interviewId,
        action: 'interview.publish-blocked',
        entity: 'interview',
        entityId: interviewId,
        after: { reason: gap.message },
      });
      return 'blocked';
    }
    // one unit of work per interview version: a job run again after a crash completes it instead of skipping it
    try {
      await this.units.uow.run<PublishPayload>(
        'interview.publish',
        `interview.publish:${interviewId}:${interview.version}`,
        {
          interviewId,
          version: interview.version,
          embargoUntil: interview.embargoUntil,
        },
      );
    } catch (err) {
      if (err instanceof OperationFailedError) return 'skipped';
      throw err;
    }
    return 'published';
  }

  /**
   * What a withdrawal takes away at once (the status change itself hides everything through the access rule):
   * jobs, public renditions, search entries, the embargo job; and what it schedules: the originals' deletion when the
   * consent says so. Returns the running job ids that were cancelled (for an in-process worker to abort).
   */
  async applyWithdrawal(
    viewer: Viewer | AuditActor | null,
    interview: Interview,
    reason: string | null,
    before: Pick<Interview, 'status' | 'visibility'> = interview,
    auditKey?: string,
  ): Promise<string[]> {
    const { store, queue, uploadsDir, logger } = this.deps;
    const cancelled: string[] = [];
    const media = await store.media.listByInterview(interview.id);
    for (const medium of media) cancelled.push(...(await removeRenditions(store, uploadsDir, medium, logger)));
    await store.jobs.cancelByKey(`interview.publish:${interview.id}`, new Date());
    // the search job removes a withdrawn interview's documents entirely (server/search/indexer.ts)
    await queue.enqueue({ name: 'search.interview', payload: { v: 1, interviewId: interview.id } });
    const consents = await store.consents.currentForInterview(interview.id);
    const deleteOriginal = consents.some((c) => c.onWithdrawal === 'delete_original');
    let purgeAt: string | null = null;
    if (deleteOriginal && media.length > 0) {
      // applied again (a unit of work completed after a crash): the purge already scheduled keeps its date
      const scheduled = await store.jobs.findActiveByKey(`interview.purge:${interview.id}`);
      if (scheduled) {
        purgeAt = scheduled.runAfter;
      } else {
        const at = new Date(Date.now() + this.deps.withdrawalGraceDays * 86_400_000);
        await queue.schedule({ name: 'interview.purge', payload: { v: 1, interviewId: interview.id } }, at);
        purgeAt = at.toISOString();
      }
    }
    await this.audit.record(
      viewer,
      {
        interviewId: interview.id,
        action: 'interview.withdrawal',
        entity: 'interview',
        entityId: interview.id,
        before: { status: before.status, visibility: before.visibility },
        after: {
          status: 'withdrawn',
          reason,
          renditionsRemoved: media.length,
          original: deleteOriginal
            ? { deleteAt: purgeAt }
            : 'kept archive-only (consent: keep_archive or no consent record)',
        },
      },
      auditKey,
    );
    logger.info({ interviewId: interview.id, media: media.length, purgeAt }, 'interview withdrawn');
    return cancelled;
  }

  /** The interview.purge job: the grace period is over; delete the preservation masters of a still withdrawn interview. */
  async purgeOriginals(interviewId: string): Promise<number> {
    const { store } = this.deps;
    const interview = await store.interviews.findById(interviewId);
    if (!interview || interview.status !== 'withdrawn') return 0;
    const op = await this.units.uow.once('interview.purge', `interview.purge:${interviewId}`, async () => ({
      interviewId,
      media: (await store.media.listByInterview(interviewId)).map((m) => ({
        id: m.id,
        sha256: m.sha256,
        sizeBytes: m.sizeBytes,
        filename: m.originalFilename,
      })),
    }));
    return op.payload.media.length;
  }
}
