// The review, audit and fixity storage shape on MongoDB (split from schemas.ts, which says what holds for all).
import { Schema } from 'mongoose';

const opts = { versionKey: false, minimize: false, strict: true } as const;
const str = { type: String, default: null };

const groups = new Schema({ _id: String, name: String, nameKey: String, createdAt: String }, opts);
groups.index({ nameKey: 1 }, { unique: true });
const groupMembers = new Schema({ _id: String, groupId: String, userId: String }, opts);
groupMembers.index({ groupId: 1, userId: 1 });
groupMembers.index({ userId: 1, groupId: 1 });

const consentRecords = new Schema(
  {
    _id: String,
    id: String,
    version: Number,
    interviewId: String,
    narrator: String,
    scope: { type: [String], default: [] },
    givenOn: String,
    method: String,
    scanJson: str,
    embargoUntil: str,
    onWithdrawal: String,
    notes: str,
    authorId: str,
    createdAt: String,
  },
  opts,
);
consentRecords.index({ id: 1, version: -1 });
consentRecords.index({ interviewId: 1 });

const reviewInvitations = new Schema(
  {
    _id: String,
    interviewId: String,
    narrator: String,
    tokenHash: String,
    codeHash: String,
    createdBy: str,
    createdAt: String,
    expiresAt: String,
    revokedAt: str,
    lastUsedAt: str,
  },
  opts,
);
reviewInvitations.index({ tokenHash: 1 }, { unique: true });
reviewInvitations.index({ codeHash: 1 }, { unique: true });
reviewInvitations.index({ interviewId: 1, createdAt: -1 });

const restrictions = new Schema(
  {
    _id: String,
    interviewId: String,
    mediaId: String,
    start: Number,
    end: Number,
    reason: str,
    quote: str,
    status: String,
    createdByKind: String,
    createdById: str,
    createdAt: String,
    liftedAt: str,
    liftedBy: str,
  },
  opts,
);
restrictions.index({ mediaId: 1, status: 1 });
restrictions.index({ interviewId: 1 });

const corrections = new Schema(
  {
    _id: String,
    interviewId: String,
    mediaId: String,
    segmentNo: Number,
    segmentStart: Number,
    original: String,
    proposed: String,
    note: str,
    status: String,
    invitationId: str,
    createdAt: String,
    decidedBy: str,
    decidedAt: str,
    decisionNote: str,
    transcriptVersion: { type: Number, default: null },
  },
  opts,
);
corrections.index({ interviewId: 1, createdAt: 1 });
corrections.index({ mediaId: 1 });

const reviewDecisions = new Schema(
  {
    _id: String,
    interviewId: String,
    invitationId: str,
    decision: String,
    visibility: str,
    message: str,
    receiptNo: String,
    createdAt: String,
    seq: Number,
  },
  opts,
);
reviewDecisions.index({ interviewId: 1, createdAt: -1 });

const auditEvents = new Schema(
  {
    _id: Number,
    at: String,
    actorKind: String,
    actorId: str,
    actorLabel: str,
    interviewId: str,
    action: String,
    entity: String,
    entityId: str,
    beforeJson: str,
    afterJson: str,
    /** The idempotency key of a keyed append; unkeyed events get the stand-in `seq:<id>` (FerretDB has no sparse index). */
    opKey: String,
  },
  opts,
);
auditEvents.index({ opKey: 1 }, { unique: true });
auditEvents.index({ interviewId: 1, _id: -1 });
auditEvents.index({ action: 1, _id: -1 });
auditEvents.index({ actorId: 1, _id: -1 });

/** Fixity baselines, `_id` = the file's path (relative to UPLOADS_DIR). */
const fixityBaselines = new Schema(
  { _id: String, mediaId: String, sha256: String, sizeBytes: Number, recordedAt: String },
  opts,
);
fixityBaselines.index({ mediaId: 1, _id: 1 });

/** Fixity events, `_id` = insertion number (orders events of the same instant); `id` the event's own id. */
const fixityEvents = new Schema(
  {
    _id: Number,
    id: String,
    at: String,
    type: String,
    algorithm: String,
    outcome: String,
    path: String,
    fileKind: String,
    mediaId: String,
    interviewId: String,
    expectedSha256: str,
    actualSha256: str,
    agent: String,
    runId: str,
    detail: str,
  },
  opts,
);
fixityEvents.index({ id: 1 }, { unique: true });
fixityEvents.index({ at: -1, _id: -1 });
fixityEvents.index({ mediaId: 1, at: -1 });
fixityEvents.index({ runId: 1 });

/** The latest event of every checked path (`_id` = path): the open alerts are the ones that did not pass. */
const fixityState = new Schema({ _id: String, eventSeq: Number, at: String, outcome: String }, opts);
fixityState.index({ outcome: 1, at: 1 });
export const reviewSchemas = {
  groups,
  groupMembers,
  consentRecords,
  reviewInvitations,
  restrictions,
  corrections,
  reviewDecisions,
  auditEvents,
  fixityBaselines,
  fixityEvents,
  fixityState,
};
