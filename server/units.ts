// The units of work of every use case, registered in one place so that the app and every worker (whose sweep
// completes what a crash left pending) know the same kinds. See server/store/unit-of-work.ts and README "Einheit der
// Arbeit / Units of work".
import { EventEmitter } from 'node:events';
import type { AuditLog } from './audit/service.js';
import { registerConsentUnits } from './consent/units.js';
import { Problem } from './http/problem.js';
import type { Publication } from './interviews/publication.js';
import { registerInterviewUnits } from './interviews/units.js';
import type { JobQueue } from './jobs/queue.js';
import type { Logger } from './logger.js';
import { registerReviewUnits } from './review/units.js';
import { ConflictError } from './store/errors.js';
import type { Store } from './store/repositories.js';
import type { Interview } from './store/types.js';
import { UnitOfWork } from './store/unit-of-work.js';
import { registerTranscriptUnits } from './transcripts/units.js';

/** What units of work tell the in-process services (search re-indexing, aborting cancelled jobs). */
export interface UnitEventMap {
  changed: [interview: Interview];
  deleted: [interviewId: string];
  jobsCancelled: [jobIds: string[]];
}

export interface UnitDeps {
  store: Store;
  queue: JobQueue;
  publication: Publication;
  audit: AuditLog;
  logger: Logger;
  uploadsDir: string;
  events: EventEmitter<UnitEventMap>;
}

export interface Units {
  uow: UnitOfWork;
  events: EventEmitter<UnitEventMap>;
}

/**
 * A step's error that means "this operation cannot be applied" (a precondition that no longer holds): recorded, so
 * that a retry gets the same answer. Anything else is a crash and leaves the operation for the sweep.
 */
export function rejectionOf(err: unknown): string | null {
  if (err instanceof Problem && err.status >= 400 && err.status < 500) {
    return JSON.stringify({ type: err.type, detail: err.options.detail ?? null, extra: err.options.extra ?? null });
  }
  if (err instanceof ConflictError) return JSON.stringify({ type: 'conflict', detail: err.message, extra: null });
  return null;
}

/** The units of work of every use case; `publication` owns them (it is made first and passes itself in). */
export function createUnits(deps: {
  store: Store;
  queue: JobQueue;
  uploadsDir: string;
  logger: Logger;
  publication: Publication;
}): Units {
  const { publication } = deps;
  const events = new EventEmitter<UnitEventMap>();
  const uow = new UnitOfWork(deps.store, deps.logger, { rejection: rejectionOf });
  const unitDeps: UnitDeps = {
    store: deps.store,
    queue: deps.queue,
    publication,
    audit: publication.audit,
    logger: deps.logger,
    uploadsDir: deps.uploadsDir,
    events,
  };
  registerInterviewUnits(uow, unitDeps);
  registerReviewUnits(uow, unitDeps);
  registerConsentUnits(uow, unitDeps);
  registerTranscriptUnits(uow, unitDeps);
  return { uow, events };
}
