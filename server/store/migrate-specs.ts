// What `npm run cli -- migrate` (server/store/migrate.ts) copies: each SQLite table as the documents the MongoDB adapter
// writes (server/store/mongo), one spec — a row→document mapper — per table or derived collection; split from migrate.ts.
import { foldText } from './sqlite/db.js';
import { asciiLower } from './mongo/support.js';
import { changeKey } from './mongo/interview-list-cache.js';
import type { Models } from './mongo/schemas.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Row = Record<string, any>;
export type Doc = Record<string, any>;

const parseJson = (text: string | null) => (text === null || text === undefined ? null : JSON.parse(text));
/** The adapter stores free-form values as JSON text made by JSON.stringify: re-serialise SQLite's text the same way. */
const jsonText = (text: string | null) =>
  text === null || text === undefined ? null : JSON.stringify(JSON.parse(text));

export interface Spec {
  /** The model in server/store/mongo/schemas.ts the documents belong to. */
  model: keyof Models;
  /** Where the documents come from (a table, or the column they are derived from). */
  from: string;
  table: string;
  /** Extra condition on the source rows (derived collections take only some rows). */
  where?: string;
  toDoc(row: Row): Doc;
}

// In foreign-key order, as the adapters create them. Field by field what server/store/mongo/*.ts inserts.
export const specs: Spec[] = [
  {
    model: 'users',
    from: 'users',
    table: 'users',
    toDoc: (r) => ({
      _id: r.id,
      email: r.email,
      displayName: r.display_name,
      role: r.role,
      passwordHash: r.password_hash,
      disabled: r.disabled === 1,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      emailKey: String(r.email).toLowerCase(),
    }),
  },
  {
    model: 'sessions',
    from: 'sessions',
    table: 'sessions',
    toDoc: (r) => ({
      _id: r.id,
      userId: r.user_id,
      csrfToken: r.csrf_token,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      lastSeenAt: r.last_seen_at,
      userAgent: r.user_agent,
    }),
  },
  {
    model: 'apiTokens',
    from: 'api_tokens',
    table: 'api_tokens',
    toDoc: (r) => ({
      _id: r.id,
      userId: r.user_id,
      name: r.name,
      tokenHash: r.token_hash,
      prefix: r.prefix,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      expiresAt: r.expires_at,
      revokedAt: r.revoked_at,
    }),
  },
  {
    model: 'groups',
    from: 'groups',
    table: 'groups',
    toDoc: (r) => ({ _id: r.id, name: r.name, nameKey: asciiLower(r.name), createdAt: r.created_at }),
  },
  {
    model: 'groupMembers',
    from: 'group_members',
    table: 'group_members',
    toDoc: (r) => ({ _id: `${r.group_id}:${r.user_id}`, groupId: r.group_id, userId: r.user_id }),
  },
  {
    model: 'collections',
    from: 'collections',
    table: 'collections',
    toDoc: (r) => ({
      _id: r.id,
      title: r.title,
      description: r.description,
      createdBy: r.created_by,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      version: r.version,
      titleKey: asciiLower(r.title),
      autoTranscribe: { enabled: r.auto_transcribe === 1, language: r.auto_transcribe_language ?? null },
    }),
  },
  {
    model: 'interviews',
    from: 'interviews',
    table: 'interviews',
    toDoc: (r) => {
      const people = (JSON.parse(r.people) as { name: string; role: string }[]).map((p) => ({
        name: p.name,
        role: p.role,
      }));
      const keywords = JSON.parse(r.keywords) as string[];
      return {
        _id: r.id,
        collectionId: r.collection_id,
        title: r.title,
        people,
        recordedAt: r.recorded_at,
        place: parseJson(r.place),
        language: r.language,
        summary: r.summary,
        keywords,
        visibility: r.visibility,
        status: r.status,
        grants: JSON.parse(r.grants),
        embargoUntil: r.embargo_until,
        embargoListed: r.embargo_listed === 1,
        createdBy: r.created_by,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        version: r.version,
        // the query keys of server/store/mongo/archive.ts interviewKeys()
        titleKey: asciiLower(r.title),
        titleFold: foldText(r.title),
        summaryFold: r.summary === null ? null : foldText(r.summary),
        peopleFold: people.map((p) => foldText(p.name)),
        keywordsFold: keywords.map((k) => foldText(k)),
        recordedAtHi: r.recorded_at === null ? null : `${r.recorded_at}~`,
        recordedAtMissing: r.recorded_at === null ? 1 : 0,
      };
    },
  },
  {
    // SQLite's search_dirty = 0 means "the index holds this version"; the adapter keeps that apart, per interview
    model: 'interviewIndexState',
    from: 'interviews.search_dirty',
    table: 'interviews',
    where: 'search_dirty = 0',
    toDoc: (r) => ({ _id: r.id, version: r.version }),
  },
  {
    // the change counter readers use as a cache key: one entry with the counter's value
    model: 'interviewChanges',
    from: 'change_counters',
    table: 'change_counters',
    where: `name = 'interviews' AND n > 0`,
    toDoc: (r) => ({ _id: changeKey(r.n), interviewId: null, at: 'migrated' }),
  },
  {
    model: 'media',
    from: 'media',
    table: 'media',
    toDoc: (r) => ({
      _id: r.id,
      interviewId: r.interview_id,
      part: r.part,
      kind: r.kind,
      status: r.status,
      progress: r.progress,
      originalFilename: r.original_filename,
      originalPath: r.original_path,
      sha256: r.sha256,
      sizeBytes: r.size_bytes,
      technicalJson: jsonText(r.technical),
      derivatives: JSON.parse(r.derivatives),
      error: r.error,
      renditionRedaction: r.rendition_redaction,
      createdBy: r.created_by,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }),
  },
  {
    model: 'jobs',
    from: 'jobs',
    table: 'jobs',
    toDoc: (r) => ({
      _id: r.id,
      name: r.name,
      status: r.status,
      mediaId: r.media_id,
      attempts: r.attempts,
      maxAttempts: r.max_attempts,
      runAfter: r.run_after,
      leaseOwner: r.lease_owner,
      leaseExpiresAt: r.lease_expires_at,
      progress: r.progress,
      error: r.error,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      dedupeKey: r.dedupe_key,
      ownerId: r.owner_id ?? null,
      payloadJson: jsonText(r.payload),
      // SQLite's insertion order (rowid) orders jobs of the same millisecond; generation 0 as after an enqueue
      seq: r._rowid,
      gen: 0,
    }),
  },
  {
    // what SQLite's partial unique indexes enforce: one queued job per dedupe key ...
    model: 'jobSlots',
    from: 'jobs (queued, dedupe key)',
    table: 'jobs',
    where: `status = 'queued' AND dedupe_key IS NOT NULL`,
    toDoc: (r) => ({ _id: `queued:${r.dedupe_key}`, jobId: r.id, at: new Date(r.created_at) }),
  },
  {
    // ... and one active job per name and medium (jobs without a dedupe key)
    model: 'jobSlots',
    from: 'jobs (active, per medium)',
    table: 'jobs',
    where: `status IN ('queued', 'running') AND dedupe_key IS NULL AND media_id IS NOT NULL`,
    toDoc: (r) => ({ _id: `active:${r.name}:${r.media_id}`, jobId: r.id, at: new Date(r.created_at) }),
  },
  {
    model: 'transcriptHeads',
    from: 'transcripts',
    table: 'transcripts',
    toDoc: (r) => ({ _id: r.media_id, currentVersion: r.current_version, updatedAt: r.updated_at }),
  },
  {
    model: 'transcriptIndexState',
    from: 'transcripts.indexed_version',
    table: 'transcripts',
    where: 'indexed_version IS NOT NULL',
    toDoc: (r) => ({ _id: r.media_id, version: r.indexed_version }),
  },
  {
    model: 'transcriptVersions',
    from: 'transcript_versions',
    table: 'transcript_versions',
    toDoc: (r) => {
      const segments = JSON.parse(r.segments) as unknown[];
      return {
        _id: `${r.media_id}:${r.version}`,
        mediaId: r.media_id,
        version: r.version,
        segmentsJson: JSON.stringify(segments),
        segmentCount: segments.length,
        authorId: r.author_id,
        reason: r.reason,
        source: r.source,
        createdAt: r.created_at,
      };
    },
  },
  {
    model: 'mediaIndex',
    from: 'media_index',
    table: 'media_index',
    toDoc: (r) => ({
      _id: r.media_id,
      pointsJson: jsonText(r.points),
      version: r.version,
      updatedBy: r.updated_by,
      updatedAt: r.updated_at,
    }),
  },
  {
    model: 'consentRecords',
    from: 'consent_records',
    table: 'consent_records',
    toDoc: (r) => ({
      _id: `${r.id}:${r.version}`,
      id: r.id,
      version: r.version,
      interviewId: r.interview_id,
      narrator: r.narrator,
      scope: JSON.parse(r.scope),
      givenOn: r.given_on,
      method: r.method,
      scanJson: jsonText(r.scan),
      embargoUntil: r.embargo_until,
      onWithdrawal: r.on_withdrawal,
      notes: r.notes,
      authorId: r.author_id,
      createdAt: r.created_at,
    }),
  },
  {
    model: 'reviewInvitations',
    from: 'review_invitations',
    table: 'review_invitations',
    toDoc: (r) => ({
      _id: r.id,
      interviewId: r.interview_id,
      narrator: r.narrator,
      tokenHash: r.token_hash,
      codeHash: r.code_hash,
      createdBy: r.created_by,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      revokedAt: r.revoked_at,
      lastUsedAt: r.last_used_at,
    }),
  },
  {
    model: 'restrictions',
    from: 'restrictions',
    table: 'restrictions',
    toDoc: (r) => ({
      _id: r.id,
      interviewId: r.interview_id,
      mediaId: r.media_id,
      start: r.start,
      end: r.end,
      reason: r.reason,
      quote: r.quote,
      status: r.status,
      createdByKind: r.created_by_kind,
      createdById: r.created_by_id,
      createdAt: r.created_at,
      liftedAt: r.lifted_at,
      liftedBy: r.lifted_by,
    }),
  },
  {
    model: 'corrections',
    from: 'corrections',
    table: 'corrections',
    toDoc: (r) => ({
      _id: r.id,
      interviewId: r.interview_id,
      mediaId: r.media_id,
      segmentNo: r.segment_no,
      segmentStart: r.segment_start,
      original: r.original,
      proposed: r.proposed,
      note: r.note,
      status: r.status,
      invitationId: r.invitation_id,
      createdAt: r.created_at,
      decidedBy: r.decided_by,
      decidedAt: r.decided_at,
      decisionNote: r.decision_note,
      transcriptVersion: r.transcript_version,
    }),
  },
  {
    model: 'reviewDecisions',
    from: 'review_decisions',
    table: 'review_decisions',
    toDoc: (r) => ({
      _id: r.id,
      interviewId: r.interview_id,
      invitationId: r.invitation_id,
      decision: r.decision,
      visibility: r.visibility,
      message: r.message,
      receiptNo: r.receipt_no,
      createdAt: r.created_at,
      seq: r._rowid,
    }),
  },
  {
    model: 'auditEvents',
    from: 'audit_events',
    table: 'audit_events',
    toDoc: (r) => ({
      _id: r.id,
      at: r.at,
      actorKind: r.actor_kind,
      actorId: r.actor_id,
      actorLabel: r.actor_label,
      interviewId: r.interview_id,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      beforeJson: jsonText(r.before),
      afterJson: jsonText(r.after),
      opKey: r.op_key ?? `seq:${r.id}`,
    }),
  },
  {
    model: 'operations',
    from: 'operations',
    table: 'operations',
    toDoc: (r) => ({
      _id: r.key,
      kind: r.kind,
      payloadJson: jsonText(r.payload),
      status: r.status,
      error: r.error,
      createdAt: r.created_at,
      finishedAt: r.finished_at,
    }),
  },
  {
    model: 'fixityBaselines',
    from: 'fixity_baselines',
    table: 'fixity_baselines',
    toDoc: (r) => ({
      _id: r.path,
      mediaId: r.media_id,
      sha256: r.sha256,
      sizeBytes: r.size_bytes,
      recordedAt: r.recorded_at,
    }),
  },
  {
    model: 'fixityEvents',
    from: 'fixity_events',
    table: 'fixity_events',
    toDoc: (r) => ({
      _id: r.seq,
      id: r.id,
      at: r.at,
      type: r.type,
      algorithm: r.algorithm,
      outcome: r.outcome,
      path: r.path,
      fileKind: r.file_kind,
      mediaId: r.media_id,
      interviewId: r.interview_id,
      expectedSha256: r.expected_sha256,
      actualSha256: r.actual_sha256,
      agent: r.agent,
      runId: r.run_id,
      detail: r.detail,
    }),
  },
  {
    model: 'fixityState',
    from: 'fixity_state',
    table: 'fixity_state',
    toDoc: (r) => ({ _id: r.path, eventSeq: r.event_seq, at: r.at, outcome: r.outcome }),
  },
];

/** Target collections no source row maps to: they must stay as the run found them (empty on a fresh target). */
export const copiedModels = new Set(specs.map((s) => s.model));
