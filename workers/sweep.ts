// The sweep: nothing that should happen is left undone after a crash, and nothing unfinished stays on disk.
//  - running jobs whose worker stopped renewing the lease go back to the queue (or fail after the last attempt);
//  - media still stored/processing without a queued or running job are advanced by the ingest flow
//    (server/media/ingest-flow.ts: next step queued, or ready);
//  - transcripts and interviews the search index has not caught up with get their search job queued;
//  - approved interviews waiting for their embargo get their publish job (at the embargo's end);
//  - media whose renditions do not carry the current restriction set are re-made;
//  - work directories of jobs that are not running, and rendition folders of deleted media, are removed;
//  - previous versions a killed worker left moved aside in a rendition folder are removed, or put back if the
//    killed worker had not yet renamed the new version in;
//  - units of work a crash left pending (server/store/unit-of-work.ts) are completed.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AsrEngine } from '../server/asr/types.js';
import type { JobQueue } from '../server/jobs/queue.js';
import type { Logger } from '../server/logger.js';
import { advanceIngest } from '../server/media/ingest-flow.js';
import { tmpDirs } from '../server/media/paths.js';
import { redactionState, remakeRenditions } from '../server/media/restrictions.js';
import type { Store } from '../server/store/repositories.js';
import type { UnitOfWork } from '../server/store/unit-of-work.js';
import { settleAsides } from './publish.js';

/** A pending unit of work younger than this may still be running in the request that wrote it. */
export const OPERATION_GRACE_MS = 30_000;

export interface SweepResult {
  /** Transcripts and interviews whose search index is behind (their job is queued). */
  searchQueued: number;
  requeued: number;
  failed: number;
  resumed: number;
  completed: number;
  /** Media whose renditions were queued to be re-made for a changed restriction set. */
  remade: number;
  /** Embargo publish jobs that were missing and are now scheduled. */
  embargoes: number;
  removedWorkDirs: number;
  removedOrphans: number;
  /** Previous versions left aside by a worker killed while publishing: put back (still recorded) or removed. */
  settledAsides: number;
  /** Pending units of work completed (a crash between their steps). */
  operations: number;
}

export async function sweep(deps: {
  store: Store;
  queue: JobQueue;
  uploadsDir: string;
  logger: Logger;
  units?: UnitOfWork;
  asr?: AsrEngine | null;
}): Promise<SweepResult> {
  const { store, queue, uploadsDir, logger } = deps;
  const now = new Date();
  const { requeued, failed } = await store.jobs.requeueExpired(now);
  // first, so that what they queue and change is seen by the checks below
  const operations = deps.units ? (await deps.units.completeUnfinished(OPERATION_GRACE_MS, now)).completed : 0;
  let resumed = 0;
  let completed = 0;
  const withdrawn = new Map<string, boolean>();
  const isWithdrawn = async (interviewId: string) => {
    if (!withdrawn.has(interviewId))
      withdrawn.set(interviewId, (await store.interviews.findById(interviewId))?.status === 'withdrawn');
    return withdrawn.get(interviewId)!;
  };
  for (const medium of await store.media.listUnfinished()) {
    if (await store.jobs.hasActive(medium.id)) continue;
    // a withdrawal stopped its chain for good
    if (await isWithdrawn(medium.interviewId)) continue;
    // the ingest flow decides: its next step is queued, or the medium is ready
    const outcome = await advanceIngest({ store, queue, asr: deps.asr ?? null }, medium);
    if (outcome === 'queued') resumed++;
    else if (outcome === 'ready') completed++;
  }

  // search indexes behind the store (changes during an outage, jobs that used up their attempts): queue them again
  // (one queued job per subject at most, so this never piles up while search is down)
  const behindTranscripts = await store.transcripts.listUnindexed(500);
  for (const head of behindTranscripts)
    await queue.enqueue({ name: 'search.transcript', payload: { v: 1, mediaId: head.mediaId } });
  const behindInterviews = await store.interviews.listSearchDirty(500);
  for (const interview of behindInterviews)
    await queue.enqueue({ name: 'search.interview', payload: { v: 1, interviewId: interview.id } });
  const searchQueued = behindTranscripts.length + behindInterviews.length;

  // restriction sets the renditions do not reflect (changed while a chain ran, or lifted): make them again
  let remade = 0;
  const candidates = new Set((await store.review.listRestrictions({})).map((r) => r.mediaId));
  for (const mediaId of await store.media.listRedacted()) candidates.add(mediaId);
  for (const mediaId of candidates) {
    const medium = await store.media.findById(mediaId);
    if (
      !medium ||
      medium.status !== 'ready' ||
      (await store.jobs.hasActive(mediaId)) ||
      (await isWithdrawn(medium.interviewId))
    )
      continue;
    if (medium.renditionRedaction === (await redactionState(store, medium)).key) continue;
    await remakeRenditions(store, queue, medium, logger);
    remade++;
  }

  // embargoes: one publish job per approved interview, due at the embargo's end
  let embargoes = 0;
  for (const interview of await store.interviews.listAwaitingEmbargo(500)) {
    if (await store.jobs.findActiveByKey(`interview.publish:${interview.id}`)) continue;
    await queue.schedule(
      { name: 'interview.publish', payload: { v: 1, interviewId: interview.id } },
      new Date(interview.embargoUntil!),
    );
    embargoes++;
  }

  let removedWorkDirs = 0;
  const jobsDir = path.join(uploadsDir, tmpDirs.jobs);
  for (const entry of await fs.readdir(jobsDir).catch(() => [] as string[])) {
    // `<jobId>.<attempt>`: only the current attempt of a running job may keep its directory
    const [jobId = '', attempt] = entry.split('.');
    const job = await store.jobs.findById(jobId);
    if (job?.status === 'running' && String(job.attempts) === attempt) continue;
    await fs.rm(path.join(jobsDir, entry), { recursive: true, force: true });
    removedWorkDirs++;
  }

  let removedOrphans = 0;
  const renditionsDir = path.join(uploadsDir, 'renditions');
  let settledAsides = 0;
  for (const entry of await fs.readdir(renditionsDir).catch(() => [] as string[])) {
    if (await store.media.findById(entry)) {
      const { restored, removed } = await settleAsides(path.join(renditionsDir, entry), now);
      settledAsides += restored + removed;
      continue;
    }
    await fs.rm(path.join(renditionsDir, entry), { recursive: true, force: true });
    removedOrphans++;
  }

  const result = {
    searchQueued,
    requeued,
    failed,
    resumed,
    completed,
    remade,
    embargoes,
    removedWorkDirs,
    removedOrphans,
    settledAsides,
    operations,
  };
  if (Object.values(result).some((n) => n > 0)) logger.info(result, 'sweep');
  return result;
}
