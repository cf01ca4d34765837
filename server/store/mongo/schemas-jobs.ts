// The job queue's storage shape on MongoDB, and the write locks (split from schemas.ts, which says what holds for all).
import { Schema } from 'mongoose';

const opts = { versionKey: false, minimize: false, strict: true } as const;
const str = { type: String, default: null };

const jobs = new Schema(
  {
    _id: String,
    name: String,
    payloadJson: String,
    status: String,
    mediaId: str,
    dedupeKey: str,
    attempts: Number,
    maxAttempts: Number,
    runAfter: String,
    leaseOwner: str,
    leaseExpiresAt: str,
    progress: Number,
    error: str,
    createdAt: String,
    updatedAt: String,
    startedAt: str,
    finishedAt: str,
    ownerId: str,
    /** insertion order within a millisecond (SQLite's rowid) */
    seq: Number,
    /**
     * the generation of the state above (0 as enqueued); every change inserts the state record `<id>:<g>` into
     * job_claims instead of updating this document (MongoJobRepository)
     */
    gen: Number,
  },
  opts,
);
// readers filter job documents only by fields no change sets (the state comes from job_claims): per medium, per
// dedupe key, per name (expedite), per owner (the fair claim order)
jobs.index({ mediaId: 1, createdAt: 1 });
jobs.index({ dedupeKey: 1 });
jobs.index({ name: 1 });
jobs.index({ ownerId: 1 });

/**
 * State records: `_id` `<job id>:<g>` is the move of the job from generation g to `gen` = g + 1, with the whole new
 * `state` (the job's status, lease, attempts, times …). Its unique insert is the exclusive right to make that move,
 * atomic on FerretDB and MongoDB alike; a job's state is that of its highest generation. Records without `state` are
 * claims written before state records existed (the sweep removes them).
 */
const jobClaims = new Schema({ _id: String, jobId: String, gen: Number, at: Date, state: Schema.Types.Mixed }, opts);
jobClaims.index({ jobId: 1 });

/** Uniqueness the SQLite adapter gets from partial unique indexes: one queued job per dedupe key, one active per name+medium. */
const jobSlots = new Schema({ _id: String, jobId: String, at: Date }, opts);

/**
 * The ready queue: one small entry per queued job and generation, `_id` = due time | created | insertion | job | gen, so
 * the next candidates are the smallest `_id`s and a claim never filters the (ever-growing) jobs collection by status.
 */
const jobQueue = new Schema(
  // docJson: the job document of that generation as JSON text (see queueEntry in jobs-claims.ts)
  { _id: String, jobId: String, gen: Number, name: String, ownerId: str, docJson: String, at: Date },
  opts,
);
jobQueue.index({ jobId: 1 });

/** Units of work (server/store/unit-of-work.ts), `_id` = the operation key; payload as JSON text. */
const operations = new Schema(
  {
    _id: String,
    kind: String,
    payloadJson: String,
    status: String,
    error: str,
    createdAt: String,
    finishedAt: str,
  },
  opts,
);
operations.index({ status: 1, createdAt: 1, _id: 1 });

/** Short-lived write locks: one per document under a read-modify-write (FerretDB's updates are not atomic). */
const locks = new Schema({ _id: String, owner: String, expiresAt: Date }, opts);
export const jobSchemas = { jobs, jobClaims, jobSlots, jobQueue, operations, locks };
