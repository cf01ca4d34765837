// The storage shape on MongoDB (mongoose schemas) and the indexes each query needs; README "MongoDB: collections and
// indexes" says why each one exists. zod stays the validation at the HTTP edge — these schemas only fix types.
//
// Written for FerretDB 1.x as well as MongoDB: no partial, sparse, TTL or text indexes, no collation. Free-form values
// (job payloads, audit before/after, ffprobe facts, transcript segments, index points) are stored as JSON strings, as
// their keys may contain '.' or start with '$', which FerretDB refuses. Case-insensitive matching uses stored folded
// keys instead of collations. Timestamps stay ISO strings, exactly as the repositories return them.
//
// The schemas themselves live in schemas-archive.ts, schemas-jobs.ts and schemas-review.ts.
import type { Connection, Model } from 'mongoose';
import { archiveSchemas } from './schemas-archive.js';
import { jobSchemas } from './schemas-jobs.js';
import { reviewSchemas } from './schemas-review.js';

const { users, sessions, apiTokens, collections, interviews, interviewIndexState, interviewChanges, media } =
  archiveSchemas;
const { transcriptHeads, transcriptIndexState, transcriptVersions, mediaIndex } = archiveSchemas;
const { jobs, jobClaims, jobSlots, jobQueue, operations, locks } = jobSchemas;
const {
  groups,
  groupMembers,
  consentRecords,
  reviewInvitations,
  restrictions,
  corrections,
  reviewDecisions,
  auditEvents,
} = reviewSchemas;
const { fixityBaselines, fixityEvents, fixityState } = reviewSchemas;

export const schemas = {
  users,
  sessions,
  apiTokens,
  collections,
  interviews,
  interviewIndexState,
  interviewChanges,
  media,
  jobs,
  jobClaims,
  jobSlots,
  jobQueue,
  transcriptHeads,
  transcriptIndexState,
  transcriptVersions,
  mediaIndex,
  groups,
  groupMembers,
  consentRecords,
  reviewInvitations,
  restrictions,
  corrections,
  reviewDecisions,
  auditEvents,
  operations,
  fixityBaselines,
  fixityEvents,
  fixityState,
  locks,
};

/** Collection name per model: snake_case like the SQLite tables, so both stores read alike. */
export const collectionNames: Record<keyof typeof schemas, string> = {
  users: 'users',
  sessions: 'sessions',
  apiTokens: 'api_tokens',
  collections: 'collections',
  interviews: 'interviews',
  interviewIndexState: 'interview_index_state',
  interviewChanges: 'interview_changes',
  media: 'media',
  jobs: 'jobs',
  jobClaims: 'job_claims',
  jobSlots: 'job_slots',
  jobQueue: 'job_queue',
  transcriptHeads: 'transcripts',
  transcriptIndexState: 'transcript_index_state',
  transcriptVersions: 'transcript_versions',
  mediaIndex: 'media_index',
  groups: 'groups',
  groupMembers: 'group_members',
  consentRecords: 'consent_records',
  reviewInvitations: 'review_invitations',
  restrictions: 'restrictions',
  corrections: 'corrections',
  reviewDecisions: 'review_decisions',
  auditEvents: 'audit_events',
  operations: 'operations',
  fixityBaselines: 'fixity_baselines',
  fixityEvents: 'fixity_events',
  fixityState: 'fixity_state',
  locks: 'locks',
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
