// The storage shape on MongoDB (mongoose schemas) and the indexes each query needs; README "MongoDB: collections and
// indexes" says why each one exists. zod stays the validation at the HTTP edge — these schemas only fix types.
//
// Written for FerretDB 1.x as well as MongoDB: no partial, sparse, TTL or text indexes, no collation. Free-form values
// (job payloads, audit before/after, ffprobe facts, transcript segments, index points) are stored as JSON strings, as
// their keys may contain '.' or start with '$', which FerretDB refuses. Case-insensitive matching uses stored folded
// keys instead of collations. Timestamps stay ISO strings, exactly as the repositories return them.
import { Schema, type Connection, type Model } from 'mongoose';

const opts = { versionKey: false, minimize: false, strict: true } as const;
const str = { type: String, default: null };

const users = new Schema({
  _id: String, email: String, emailKey: String, displayName: String, role: String, passwordHash: String,
  disabled: Boolean, createdAt: String, updatedAt: String,
}, opts);
users.index({ emailKey: 1 }, { unique: true });

const sessions = new Schema({
  _id: String, userId: String, csrfToken: String, createdAt: String, expiresAt: String, lastSeenAt: String, userAgent: str,
}, opts);
sessions.index({ userId: 1 });
sessions.index({ expiresAt: 1 });

const apiTokens = new Schema({
  _id: String, userId: String, name: String, tokenHash: String, prefix: String, createdAt: String,
  lastUsedAt: str, expiresAt: str, revokedAt: str,
}, opts);
apiTokens.index({ tokenHash: 1 }, { unique: true });
apiTokens.index({ userId: 1, createdAt: -1 });

const collections = new Schema({
  _id: String, title: String, titleKey: String, description: str, createdBy: str, createdAt: String, updatedAt: String, version: Number,
  autoTranscribe: { enabled: Boolean, language: str },
}, opts);
collections.index({ titleKey: 1, _id: 1 });

const person = new Schema({ name: String, role: String }, { _id: false, versionKey: false });
const interviews = new Schema({
  _id: String, collectionId: str, title: String, people: { type: [person], default: [] }, recordedAt: str,
  place: { type: Schema.Types.Mixed, default: null }, language: String, summary: str, keywords: { type: [String], default: [] },
  visibility: String, status: String, grants: { type: [String], default: [] }, embargoUntil: str, embargoListed: Boolean,
  createdBy: str, createdAt: String, updatedAt: String, version: Number,
  // derived, for queries only (server/store/mongo/archive.ts interviewKeys)
  titleKey: String, titleFold: String, summaryFold: str, peopleFold: { type: [String], default: [] },
  keywordsFold: { type: [String], default: [] }, recordedAtHi: str, recordedAtMissing: Number,
}, opts);
interviews.index({ status: 1, visibility: 1 });
interviews.index({ collectionId: 1 });
interviews.index({ createdBy: 1 });
interviews.index({ updatedAt: -1 });
interviews.index({ grants: 1 });
interviews.index({ keywordsFold: 1 });
interviews.index({ titleKey: 1, _id: 1 });
interviews.index({ recordedAtMissing: 1, recordedAt: 1, _id: 1 });

/** What the search index holds per interview (interview version), kept apart so markIndexed never rewrites an interview. */
const interviewIndexState = new Schema({ _id: String, version: Number }, opts);

/** One entry per interview change; changeStamp() is the newest number (FerretDB has no atomic $inc). */
const interviewChanges = new Schema({ _id: Number, at: String }, opts);

const media = new Schema({
  _id: String, interviewId: String, part: Number, kind: String, status: String, progress: Number, originalFilename: String,
  originalPath: String, sha256: String, sizeBytes: Number, technicalJson: String,
  derivatives: { type: Schema.Types.Mixed, default: {} }, error: str, renditionRedaction: String, createdBy: str,
  createdAt: String, updatedAt: String,
}, opts);
media.index({ interviewId: 1, part: 1 }, { unique: true });
media.index({ originalPath: 1 }, { unique: true });
media.index({ status: 1, createdAt: 1 });
media.index({ renditionRedaction: 1 });

const jobs = new Schema({
  _id: String, name: String, payloadJson: String, status: String, mediaId: str, dedupeKey: str, attempts: Number,
  maxAttempts: Number, runAfter: String, leaseOwner: str, leaseExpiresAt: str, progress: Number, error: str,
  createdAt: String, updatedAt: String, startedAt: str, finishedAt: str, ownerId: str,
  /** insertion order within a millisecond (SQLite's rowid) */
  seq: Number,
  /** bumped by every change; a change from generation g is allowed to whoever inserts the claim `<id>:<g>` */
  gen: Number,
}, opts);
jobs.index({ status: 1, runAfter: 1, createdAt: 1, seq: 1 });
jobs.index({ mediaId: 1, createdAt: 1 });
jobs.index({ dedupeKey: 1, status: 1 });
jobs.index({ status: 1, leaseExpiresAt: 1 });
// the fair claim order: running jobs and the most recent start per owner
jobs.index({ ownerId: 1, status: 1 });
jobs.index({ ownerId: 1, startedAt: -1 });

/** The exclusive right to change a job from one generation: a unique insert, atomic on FerretDB and MongoDB alike. */
const jobClaims = new Schema({ _id: String, jobId: String, at: Date }, opts);
jobClaims.index({ jobId: 1 });

/** Uniqueness the SQLite adapter gets from partial unique indexes: one queued job per dedupe key, one active per name+medium. */
const jobSlots = new Schema({ _id: String, jobId: String, at: Date }, opts);

/**
 * The ready queue: one small entry per queued job and generation, `_id` = due time | created | insertion | job | gen, so
 * the next candidates are the smallest `_id`s and a claim never filters the (ever-growing) jobs collection by status.
 */
const jobQueue = new Schema({ _id: String, jobId: String, gen: Number, name: String, ownerId: str }, opts);
jobQueue.index({ jobId: 1 });

const transcriptHeads = new Schema({ _id: String, currentVersion: Number, updatedAt: String }, opts);
transcriptHeads.index({ updatedAt: 1 });
const transcriptIndexState = new Schema({ _id: String, version: Number }, opts);
const transcriptVersions = new Schema({
  _id: String, mediaId: String, version: Number, segmentsJson: String, segmentCount: Number, authorId: str,
  reason: String, source: String, createdAt: String,
}, opts);
transcriptVersions.index({ mediaId: 1, version: -1 });

const mediaIndex = new Schema({ _id: String, pointsJson: String, version: Number, updatedBy: str, updatedAt: String }, opts);

const groups = new Schema({ _id: String, name: String, nameKey: String, createdAt: String }, opts);
groups.index({ nameKey: 1 }, { unique: true });
const groupMembers = new Schema({ _id: String, groupId: String, userId: String }, opts);
groupMembers.index({ groupId: 1, userId: 1 });
groupMembers.index({ userId: 1, groupId: 1 });

const consentRecords = new Schema({
  _id: String, id: String, version: Number, interviewId: String, narrator: String, scope: { type: [String], default: [] },
  givenOn: String, method: String, scanJson: str, embargoUntil: str, onWithdrawal: String, notes: str, authorId: str,
  createdAt: String,
}, opts);
consentRecords.index({ id: 1, version: -1 });
consentRecords.index({ interviewId: 1 });

const reviewInvitations = new Schema({
  _id: String, interviewId: String, narrator: String, tokenHash: String, codeHash: String, createdBy: str, createdAt: String,
  expiresAt: String, revokedAt: str, lastUsedAt: str,
}, opts);
reviewInvitations.index({ tokenHash: 1 }, { unique: true });
reviewInvitations.index({ codeHash: 1 }, { unique: true });
reviewInvitations.index({ interviewId: 1, createdAt: -1 });

const restrictions = new Schema({
  _id: String, interviewId: String, mediaId: String, start: Number, end: Number, reason: str, quote: str, status: String,
  createdByKind: String, createdById: str, createdAt: String, liftedAt: str, liftedBy: str,
}, opts);
restrictions.index({ mediaId: 1, status: 1 });
restrictions.index({ interviewId: 1 });

const corrections = new Schema({
  _id: String, interviewId: String, mediaId: String, segmentNo: Number, segmentStart: Number, original: String,
  proposed: String, note: str, status: String, invitationId: str, createdAt: String, decidedBy: str, decidedAt: str,
  decisionNote: str, transcriptVersion: { type: Number, default: null },
}, opts);
corrections.index({ interviewId: 1, createdAt: 1 });
corrections.index({ mediaId: 1 });

const reviewDecisions = new Schema({
  _id: String, interviewId: String, invitationId: str, decision: String, visibility: str, message: str, receiptNo: String,
  createdAt: String, seq: Number,
}, opts);
reviewDecisions.index({ interviewId: 1, createdAt: -1 });

const auditEvents = new Schema({
  _id: Number, at: String, actorKind: String, actorId: str, actorLabel: str, interviewId: str, action: String, entity: String,
  entityId: str, beforeJson: str, afterJson: str,
  /** The idempotency key of a keyed append; unkeyed events get the stand-in `seq:<id>` (FerretDB has no sparse index). */
  opKey: String,
}, opts);
auditEvents.index({ opKey: 1 }, { unique: true });
auditEvents.index({ interviewId: 1, _id: -1 });
auditEvents.index({ action: 1, _id: -1 });
auditEvents.index({ actorId: 1, _id: -1 });

/** Units of work (server/store/unit-of-work.ts), `_id` = the operation key; payload as JSON text. */
const operations = new Schema({
  _id: String, kind: String, payloadJson: String, status: String, error: str, createdAt: String, finishedAt: str,
}, opts);
operations.index({ status: 1, createdAt: 1, _id: 1 });

/** Fixity baselines, `_id` = the file's path (relative to UPLOADS_DIR). */
const fixityBaselines = new Schema({ _id: String, mediaId: String, sha256: String, sizeBytes: Number, recordedAt: String }, opts);
fixityBaselines.index({ mediaId: 1, _id: 1 });

/** Fixity events, `_id` = insertion number (orders events of the same instant); `id` the event's own id. */
const fixityEvents = new Schema({
  _id: Number, id: String, at: String, type: String, algorithm: String, outcome: String, path: String, fileKind: String,
  mediaId: String, interviewId: String, expectedSha256: str, actualSha256: str, agent: String, runId: str, detail: str,
}, opts);
fixityEvents.index({ id: 1 }, { unique: true });
fixityEvents.index({ at: -1, _id: -1 });
fixityEvents.index({ mediaId: 1, at: -1 });
fixityEvents.index({ runId: 1 });

/** The latest event of every checked path (`_id` = path): the open alerts are the ones that did not pass. */
const fixityState = new Schema({ _id: String, eventSeq: Number, at: String, outcome: String }, opts);
fixityState.index({ outcome: 1, at: 1 });

/** Short-lived write locks: one per document under a read-modify-write (FerretDB's updates are not atomic). */
const locks = new Schema({ _id: String, owner: String, expiresAt: Date }, opts);

export const schemas = {
  users, sessions, apiTokens, collections, interviews, interviewIndexState, interviewChanges, media, jobs, jobClaims, jobSlots, jobQueue,
  transcriptHeads, transcriptIndexState, transcriptVersions, mediaIndex, groups, groupMembers, consentRecords,
  reviewInvitations, restrictions, corrections, reviewDecisions, auditEvents, operations, fixityBaselines, fixityEvents,
  fixityState, locks,
};

/** Collection name per model: snake_case like the SQLite tables, so both stores read alike. */
export const collectionNames: Record<keyof typeof schemas, string> = {
  users: 'users', sessions: 'sessions', apiTokens: 'api_tokens', collections: 'collections', interviews: 'interviews',
  interviewIndexState: 'interview_index_state', interviewChanges: 'interview_changes', media: 'media', jobs: 'jobs',
  jobClaims: 'job_claims', jobSlots: 'job_slots', jobQueue: 'job_queue', transcriptHeads: 'transcripts', transcriptIndexState: 'transcript_index_state',
  transcriptVersions: 'transcript_versions', mediaIndex: 'media_index', groups: 'groups', groupMembers: 'group_members',
  consentRecords: 'consent_records', reviewInvitations: 'review_invitations', restrictions: 'restrictions',
  corrections: 'corrections', reviewDecisions: 'review_decisions', auditEvents: 'audit_events', operations: 'operations',
  fixityBaselines: 'fixity_baselines', fixityEvents: 'fixity_events', fixityState: 'fixity_state', locks: 'locks',
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Models = { [K in keyof typeof schemas]: Model<any> };

export function defineModels(conn: Connection): Models {
  const models = {} as Models;
  for (const key of Object.keys(schemas) as (keyof typeof schemas)[]) {
    models[key] = conn.model(key, schemas[key], collectionNames[key]);
  }
  return models;
}
