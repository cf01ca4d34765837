// What the review use cases need from the rest of the server (one object, handed in by the composition root).
import type { AuditLog } from '../audit/service.js';
import type { InterviewService } from '../interviews/service.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import type { MediaService } from '../media/service.js';
import type { Store } from '../store/repositories.js';
import type { TranscriptService } from '../transcripts/service.js';
import type { UnitOfWork } from '../store/unit-of-work.js';

export interface ReviewServiceDeps {
  store: Store;
  queue: JobQueue;
  audit: AuditLog;
  interviews: InterviewService;
  media: MediaService;
  transcripts: TranscriptService;
  logger: Logger;
  invitationDays: number;
  /** Units of work (server/units.ts); each use case below that writes more than once runs as one. */
  units: UnitOfWork;
  /**
   * A secret derived for a label (MediaUrlSigner.derive): lets a retried invitation (same Idempotency-Key) hand out
   * the same link and code again although only their hashes are stored. Without it each invitation is random.
   */
  derive?: (label: string) => Buffer;
}
