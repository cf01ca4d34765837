// The archive's storage shape on MongoDB: accounts, collections, interviews, media and transcripts (split from
// schemas.ts, which says what holds for all of them).
import { Schema } from 'mongoose';

const opts = { versionKey: false, minimize: false, strict: true } as const;
const str = { type: String, default: null };

const users = new Schema(
  {
    _id: String,
    email: String,
    emailKey: String,
    displayName: String,
    role: String,
    passwordHash: String,
    disabled: Boolean,
    createdAt: String,
    updatedAt: String,
  },
  opts,
);
users.index({ emailKey: 1 }, { unique: true });

const sessions = new Schema(
  {
    _id: String,
    userId: String,
    csrfToken: String,
    createdAt: String,
    expiresAt: String,
    lastSeenAt: String,
    userAgent: str,
  },
  opts,
);
sessions.index({ userId: 1 });
sessions.index({ expiresAt: 1 });

const apiTokens = new Schema(
  {
    _id: String,
    userId: String,
    name: String,
    tokenHash: String,
    prefix: String,
    createdAt: String,
    lastUsedAt: str,
    expiresAt: str,
    revokedAt: str,
  },
  opts,
);
apiTokens.index({ tokenHash: 1 }, { unique: true });
apiTokens.index({ userId: 1, createdAt: -1 });

const collections = new Schema(
  {
    _id: String,
    title: String,
    titleKey: String,
    description: str,
    createdBy: str,
    createdAt: String,
    updatedAt: String,
    version: Number,
    autoTranscribe: { enabled: Boolean, language: str },
  },
  opts,
);
collections.index({ titleKey: 1, _id: 1 });

const person = new Schema({ name: String, role: String }, { _id: false, versionKey: false });
const interviews = new Schema(
  {
    _id: String,
    collectionId: str,
    title: String,
    people: { type: [person], default: [] },
    recordedAt: str,
    place: { type: Schema.Types.Mixed, default: null },
    language: String,
    summary: str,
    keywords: { type: [String], default: [] },
    visibility: String,
    status: String,
    grants: { type: [String], default: [] },
    embargoUntil: str,
    embargoListed: Boolean,
    createdBy: str,
    createdAt: String,
    updatedAt: String,
    version: Number,
    // derived, for queries only (server/store/mongo/archive.ts interviewKeys)
    titleKey: String,
    titleFold: String,
    summaryFold: str,
    peopleFold: { type: [String], default: [] },
    keywordsFold: { type: [String], default: [] },
    recordedAtHi: str,
    recordedAtMissing: Number,
  },
  opts,
);
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

/**
 * One entry per interview change, numbered without holes (FerretDB has no atomic $inc), `_id` = the number as
 * fixed-width text (interview-list-cache.ts changeKey): changeStamp() is the newest number, and every process's list
 * cache re-reads the interviews named after the entry it last applied.
 */
const interviewChanges = new Schema({ _id: String, interviewId: str, at: String }, opts);

const media = new Schema(
  {
    _id: String,
    interviewId: String,
    part: Number,
    kind: String,
    status: String,
    progress: Number,
    originalFilename: String,
    originalPath: String,
    sha256: String,
    sizeBytes: Number,
    technicalJson: String,
    derivatives: { type: Schema.Types.Mixed, default: {} },
    error: str,
    renditionRedaction: String,
    createdBy: str,
    createdAt: String,
    updatedAt: String,
  },
  opts,
);
media.index({ interviewId: 1, part: 1 }, { unique: true });
media.index({ originalPath: 1 }, { unique: true });
media.index({ status: 1, createdAt: 1 });
media.index({ renditionRedaction: 1 });
const transcriptHeads = new Schema({ _id: String, currentVersion: Number, updatedAt: String }, opts);
transcriptHeads.index({ updatedAt: 1 });
const transcriptIndexState = new Schema({ _id: String, version: Number }, opts);
const transcriptVersions = new Schema(
  {
    _id: String,
    mediaId: String,
    version: Number,
    segmentsJson: String,
    segmentCount: Number,
    authorId: str,
    reason: String,
    source: String,
    createdAt: String,
  },
  opts,
);
transcriptVersions.index({ mediaId: 1, version: -1 });

const mediaIndex = new Schema(
  { _id: String, pointsJson: String, version: Number, updatedBy: str, updatedAt: String },
  opts,
);

export const archiveSchemas = {
  users,
  sessions,
  apiTokens,
  collections,
  interviews,
  interviewIndexState,
  interviewChanges,
  media,
  transcriptHeads,
  transcriptIndexState,
  transcriptVersions,
  mediaIndex,
};
