// `npm run cli -- migrate --to "$MONGODB_URI"`: moves the embedded archive (SQLite) up into MongoDB.
//
// Every SQLite table becomes the documents the MongoDB adapter itself writes (server/store/mongo): same ids, same
// derived keys, JSON columns as the adapter stores them. Each document is checked against the adapter's mongoose schema
// on the way in (cast and compared: a field the schema does not know or would change is an error, not a silent drop).
//
// Idempotent and resumable without transactions (FerretDB has none, and its updates are not atomic): documents are
// written with plain inserts by `_id`, and a batch only inserts the ids the target does not hold yet, so a run killed
// midway is simply run again. A migration record (collection `archive_migrations`, `_id` = the archive id) marks the
// target as ours and keeps per-collection checkpoints; a database with documents but no record of this archive is
// foreign and is never written. Every run ends by counting and hashing both sides: an order-independent sum of the
// SHA-256 of each document's canonical JSON, computed from the source rows (as documents) and the target documents.
// Media files are not copied: both stores name them by path under UPLOADS_DIR.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { foldText } from './sqlite/db.js';
import { openSqliteStore, type SqliteStore } from './sqlite/index.js';
import { openMongoStore, type MongoStore } from './mongo/index.js';
import { asciiLower } from './mongo/support.js';
import { collectionNames, type Models } from './mongo/schemas.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Row = Record<string, any>;
type Doc = Record<string, any>;

/** Where the run records which archive the target holds and how far the copy got. */
export const MIGRATION_COLLECTION = 'archive_migrations';
/** Collections that never hold archive data (short-lived write locks and job claims), so they don't make a db foreign. */
const TRANSIENT = new Set([MIGRATION_COLLECTION, collectionNames.locks, collectionNames.jobClaims]);

export class MigrationError extends Error {
  constructor(readonly kind: 'no-source' | 'unreachable' | 'foreign-target' | 'invalid-row', message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

const parseJson = (text: string | null) => (text === null || text === undefined ? null : JSON.parse(text));
/** The adapter stores free-form values as JSON text made by JSON.stringify: re-serialise SQLite's text the same way. */
const jsonText = (text: string | null) => (text === null || text === undefined ? null : JSON.stringify(JSON.parse(text)));

interface Spec {
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
const specs: Spec[] = [
  {
    model: 'users', from: 'users', table: 'users',
    toDoc: (r) => ({
      _id: r.id, email: r.email, displayName: r.display_name, role: r.role, passwordHash: r.password_hash, disabled: r.disabled === 1,
      createdAt: r.created_at, updatedAt: r.updated_at, emailKey: String(r.email).toLowerCase(),
    }),
  },
  {
    model: 'sessions', from: 'sessions', table: 'sessions',
    toDoc: (r) => ({
      _id: r.id, userId: r.user_id, csrfToken: r.csrf_token, createdAt: r.created_at, expiresAt: r.expires_at,
      lastSeenAt: r.last_seen_at, userAgent: r.user_agent,
    }),
  },
  {
    model: 'apiTokens', from: 'api_tokens', table: 'api_tokens',
    toDoc: (r) => ({
      _id: r.id, userId: r.user_id, name: r.name, tokenHash: r.token_hash, prefix: r.prefix, createdAt: r.created_at,
      lastUsedAt: r.last_used_at, expiresAt: r.expires_at, revokedAt: r.revoked_at,
    }),
  },
  {
    model: 'groups', from: 'groups', table: 'groups',
    toDoc: (r) => ({ _id: r.id, name: r.name, nameKey: asciiLower(r.name), createdAt: r.created_at }),
  },
  {
    model: 'groupMembers', from: 'group_members', table: 'group_members',
    toDoc: (r) => ({ _id: `${r.group_id}:${r.user_id}`, groupId: r.group_id, userId: r.user_id }),
  },
  {
    model: 'collections', from: 'collections', table: 'collections',
    toDoc: (r) => ({
      _id: r.id, title: r.title, description: r.description, createdBy: r.created_by, createdAt: r.created_at,
      updatedAt: r.updated_at, version: r.version, titleKey: asciiLower(r.title),
      autoTranscribe: { enabled: r.auto_transcribe === 1, language: r.auto_transcribe_language ?? null },
    }),
  },
  {
    model: 'interviews', from: 'interviews', table: 'interviews',
    toDoc: (r) => {
      const people = (JSON.parse(r.people) as { name: string; role: string }[]).map((p) => ({ name: p.name, role: p.role }));
      const keywords = JSON.parse(r.keywords) as string[];
      return {
        _id: r.id, collectionId: r.collection_id, title: r.title, people, recordedAt: r.recorded_at, place: parseJson(r.place),
        language: r.language, summary: r.summary, keywords, visibility: r.visibility, status: r.status, grants: JSON.parse(r.grants),
        embargoUntil: r.embargo_until, embargoListed: r.embargo_listed === 1, createdBy: r.created_by, createdAt: r.created_at,
        updatedAt: r.updated_at, version: r.version,
        // the query keys of server/store/mongo/archive.ts interviewKeys()
        titleKey: asciiLower(r.title), titleFold: foldText(r.title), summaryFold: r.summary === null ? null : foldText(r.summary),
        peopleFold: people.map((p) => foldText(p.name)), keywordsFold: keywords.map((k) => foldText(k)),
        recordedAtHi: r.recorded_at === null ? null : `${r.recorded_at}~`, recordedAtMissing: r.recorded_at === null ? 1 : 0,
      };
    },
  },
  {
    // SQLite's search_dirty = 0 means "the index holds this version"; the adapter keeps that apart, per interview
    model: 'interviewIndexState', from: 'interviews.search_dirty', table: 'interviews', where: 'search_dirty = 0',
    toDoc: (r) => ({ _id: r.id, version: r.version }),
  },
  {
    // the change counter readers use as a cache key: one entry with the counter's value
    model: 'interviewChanges', from: 'change_counters', table: 'change_counters', where: `name = 'interviews' AND n > 0`,
    toDoc: (r) => ({ _id: r.n, at: 'migrated' }),
  },
  {
    model: 'media', from: 'media', table: 'media',
    toDoc: (r) => ({
      _id: r.id, interviewId: r.interview_id, part: r.part, kind: r.kind, status: r.status, progress: r.progress,
      originalFilename: r.original_filename, originalPath: r.original_path, sha256: r.sha256, sizeBytes: r.size_bytes,
      technicalJson: jsonText(r.technical), derivatives: JSON.parse(r.derivatives), error: r.error,
      renditionRedaction: r.rendition_redaction, createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at,
    }),
  },
  {
    model: 'jobs', from: 'jobs', table: 'jobs',
    toDoc: (r) => ({
      _id: r.id, name: r.name, status: r.status, mediaId: r.media_id, attempts: r.attempts, maxAttempts: r.max_attempts,
      runAfter: r.run_after, leaseOwner: r.lease_owner, leaseExpiresAt: r.lease_expires_at, progress: r.progress, error: r.error,
      createdAt: r.created_at, updatedAt: r.updated_at, startedAt: r.started_at, finishedAt: r.finished_at, dedupeKey: r.dedupe_key,
      ownerId: r.owner_id ?? null, payloadJson: jsonText(r.payload),
      // SQLite's insertion order (rowid) orders jobs of the same millisecond; generation 0 as after an enqueue
      seq: r._rowid, gen: 0,
    }),
  },
  {
    // what SQLite's partial unique indexes enforce: one queued job per dedupe key ...
    model: 'jobSlots', from: 'jobs (queued, dedupe key)', table: 'jobs', where: `status = 'queued' AND dedupe_key IS NOT NULL`,
    toDoc: (r) => ({ _id: `queued:${r.dedupe_key}`, jobId: r.id, at: new Date(r.created_at) }),
  },
  {
    // ... and one active job per name and medium (jobs without a dedupe key)
    model: 'jobSlots', from: 'jobs (active, per medium)', table: 'jobs',
    where: `status IN ('queued', 'running') AND dedupe_key IS NULL AND media_id IS NOT NULL`,
    toDoc: (r) => ({ _id: `active:${r.name}:${r.media_id}`, jobId: r.id, at: new Date(r.created_at) }),
  },
  {
    model: 'transcriptHeads', from: 'transcripts', table: 'transcripts',
    toDoc: (r) => ({ _id: r.media_id, currentVersion: r.current_version, updatedAt: r.updated_at }),
  },
  {
    model: 'transcriptIndexState', from: 'transcripts.indexed_version', table: 'transcripts', where: 'indexed_version IS NOT NULL',
    toDoc: (r) => ({ _id: r.media_id, version: r.indexed_version }),
  },
  {
    model: 'transcriptVersions', from: 'transcript_versions', table: 'transcript_versions',
    toDoc: (r) => {
      const segments = JSON.parse(r.segments) as unknown[];
      return {
        _id: `${r.media_id}:${r.version}`, mediaId: r.media_id, version: r.version, segmentsJson: JSON.stringify(segments),
        segmentCount: segments.length, authorId: r.author_id, reason: r.reason, source: r.source, createdAt: r.created_at,
      };
    },
  },
  {
    model: 'mediaIndex', from: 'media_index', table: 'media_index',
    toDoc: (r) => ({ _id: r.media_id, pointsJson: jsonText(r.points), version: r.version, updatedBy: r.updated_by, updatedAt: r.updated_at }),
  },
  {
    model: 'consentRecords', from: 'consent_records', table: 'consent_records',
    toDoc: (r) => ({
      _id: `${r.id}:${r.version}`, id: r.id, version: r.version, interviewId: r.interview_id, narrator: r.narrator,
      scope: JSON.parse(r.scope), givenOn: r.given_on, method: r.method, scanJson: jsonText(r.scan), embargoUntil: r.embargo_until,
      onWithdrawal: r.on_withdrawal, notes: r.notes, authorId: r.author_id, createdAt: r.created_at,
    }),
  },
  {
    model: 'reviewInvitations', from: 'review_invitations', table: 'review_invitations',
    toDoc: (r) => ({
      _id: r.id, interviewId: r.interview_id, narrator: r.narrator, tokenHash: r.token_hash, codeHash: r.code_hash,
      createdBy: r.created_by, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at,
    }),
  },
  {
    model: 'restrictions', from: 'restrictions', table: 'restrictions',
    toDoc: (r) => ({
      _id: r.id, interviewId: r.interview_id, mediaId: r.media_id, start: r.start, end: r.end, reason: r.reason, quote: r.quote,
      status: r.status, createdByKind: r.created_by_kind, createdById: r.created_by_id, createdAt: r.created_at,
      liftedAt: r.lifted_at, liftedBy: r.lifted_by,
    }),
  },
  {
    model: 'corrections', from: 'corrections', table: 'corrections',
    toDoc: (r) => ({
      _id: r.id, interviewId: r.interview_id, mediaId: r.media_id, segmentNo: r.segment_no, segmentStart: r.segment_start,
      original: r.original, proposed: r.proposed, note: r.note, status: r.status, invitationId: r.invitation_id,
      createdAt: r.created_at, decidedBy: r.decided_by, decidedAt: r.decided_at, decisionNote: r.decision_note,
      transcriptVersion: r.transcript_version,
    }),
  },
  {
    model: 'reviewDecisions', from: 'review_decisions', table: 'review_decisions',
    toDoc: (r) => ({
      _id: r.id, interviewId: r.interview_id, invitationId: r.invitation_id, decision: r.decision, visibility: r.visibility,
      message: r.message, receiptNo: r.receipt_no, createdAt: r.created_at, seq: r._rowid,
    }),
  },
  {
    model: 'auditEvents', from: 'audit_events', table: 'audit_events',
    toDoc: (r) => ({
      _id: r.id, at: r.at, actorKind: r.actor_kind, actorId: r.actor_id, actorLabel: r.actor_label, interviewId: r.interview_id,
      action: r.action, entity: r.entity, entityId: r.entity_id, beforeJson: jsonText(r.before), afterJson: jsonText(r.after),
      opKey: r.op_key ?? `seq:${r.id}`,
    }),
  },
  {
    model: 'operations', from: 'operations', table: 'operations',
    toDoc: (r) => ({
      _id: r.key, kind: r.kind, payloadJson: jsonText(r.payload), status: r.status, error: r.error, createdAt: r.created_at,
      finishedAt: r.finished_at,
    }),
  },
  {
    model: 'fixityBaselines', from: 'fixity_baselines', table: 'fixity_baselines',
    toDoc: (r) => ({ _id: r.path, mediaId: r.media_id, sha256: r.sha256, sizeBytes: r.size_bytes, recordedAt: r.recorded_at }),
  },
  {
    model: 'fixityEvents', from: 'fixity_events', table: 'fixity_events',
    toDoc: (r) => ({
      _id: r.seq, id: r.id, at: r.at, type: r.type, algorithm: r.algorithm, outcome: r.outcome, path: r.path, fileKind: r.file_kind,
      mediaId: r.media_id, interviewId: r.interview_id, expectedSha256: r.expected_sha256, actualSha256: r.actual_sha256,
      agent: r.agent, runId: r.run_id, detail: r.detail,
    }),
  },
  {
    model: 'fixityState', from: 'fixity_state', table: 'fixity_state',
    toDoc: (r) => ({ _id: r.path, eventSeq: r.event_seq, at: r.at, outcome: r.outcome }),
  },
];

/** Target collections no source row maps to: they must stay as the run found them (empty on a fresh target). */
const copiedModels = new Set(specs.map((s) => s.model));

// ---------------------------------------------------------------------------------------------------------------------
// Canonical JSON and the order-independent checksum

/** JSON with object keys sorted at every level; Dates as ISO text. Both sides are hashed in exactly this form. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify({ $date: value.toISOString() });
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}

const MOD = 1n << 256n;

/** Sum (mod 2^256) of the documents' SHA-256: the same set gives the same value in any order. */
export class SetChecksum {
  private sum = 0n;
  count = 0;
  add(doc: unknown): string {
    const hex = crypto.createHash('sha256').update(canonicalJson(doc)).digest('hex');
    this.sum = (this.sum + BigInt(`0x${hex}`)) % MOD;
    this.count++;
    return hex;
  }
  get hex(): string {
    return this.sum.toString(16).padStart(64, '0');
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Validation against the adapter's own schema

async function validate(models: Models, spec: Spec, doc: Doc): Promise<void> {
  const model = models[spec.model];
  const unknown = Object.keys(doc).filter((k) => model.schema.pathType(k) === 'adhocOrUndefined');
  if (unknown.length > 0) throw invalid(spec, doc, `fields the ${spec.model} schema does not know: ${unknown.join(', ')}`);
  const cast = new model(doc);
  try {
    await cast.validate();
  } catch (error) {
    throw invalid(spec, doc, (error as Error).message);
  }
  // a value the schema would cast into something else (or a default it would add) is a mapping error, not data
  const stored = canonicalJson(cast.toObject({ versionKey: false }));
  if (stored !== canonicalJson(doc)) throw invalid(spec, doc, `the ${spec.model} schema would store it differently: ${stored.slice(0, 300)}`);
}

const invalid = (spec: Spec, doc: Doc, why: string) =>
  new MigrationError('invalid-row', `${spec.from}: row ${JSON.stringify(doc._id)} cannot be stored as ${collectionNames[spec.model]}: ${why}`);

// ---------------------------------------------------------------------------------------------------------------------
// The archive's identity

/**
 * The id that names this embedded archive in the target's migration record: made once, kept in the SQLite file
 * (a copy of the file is the same archive), so that a second archive is never merged into the first one's database.
 */
export function archiveId(db: Database): string {
  db.exec(`CREATE TABLE IF NOT EXISTS archive_identity (id TEXT PRIMARY KEY, created_at TEXT NOT NULL) STRICT`);
  const existing = db.prepare('SELECT id FROM archive_identity ORDER BY created_at LIMIT 1').pluck().get() as string | undefined;
  if (existing) return existing;
  const id = `archive-${crypto.randomUUID()}`;
  db.prepare('INSERT INTO archive_identity (id, created_at) VALUES (?, ?)').run(id, new Date().toISOString());
  return id;
}

// ---------------------------------------------------------------------------------------------------------------------
// The run

export interface MigrateOptions {
  /** DATA_DIR of the embedded archive (archive.sqlite inside it). */
  dataDir: string;
  /** mongodb:// URI of the target; the database is its path (default "schichtbuch", as the app uses it). */
  to: string;
  /** Printed line by line (the command's output). */
  print?: (line: string) => void;
  batchSize?: number;
  /** How long to wait for the target before giving up (default 5 s). */
  serverSelectionTimeoutMS?: number;
  /**
   * Tests only (SCHICHTBUCH_MIGRATE_KILL_AFTER): after this many documents were inserted, `crash()` is called — by
   * default the process kills itself with SIGKILL, which is what a killed migration looks like to the next run.
   */
  crashAfterDocuments?: number;
  crash?: () => never;
}

export interface CollectionResult {
  collection: string;
  from: string;
  sourceRows: number;
  copied: number;
  alreadyThere: number;
  targetDocs: number;
  sourceChecksum: string;
  targetChecksum: string;
  ok: boolean;
  /** When not ok: what differs (missing, extra or changed documents, a few ids). */
  problem?: string;
}

export interface MigrateResult {
  archiveId: string;
  source: string;
  target: string;
  resumed: boolean;
  collections: CollectionResult[];
  copied: number;
  ok: boolean;
}

interface MigrationRecord {
  _id: string;
  source: string;
  startedAt: string;
  updatedAt: string;
  /** When a run last verified the whole target. */
  finishedAt: string | null;
  runs: number;
  /** True from a run's start to its end (verified or not): still true at the next start means it was killed. */
  running: boolean;
  /** collection-or-source key → rows copied by the run that finished it */
  checkpoints: Record<string, { sourceRows: number; at: string }>;
}

export const redactUri = (uri: string) => uri.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, '$1…@');

export async function migrateToMongo(options: MigrateOptions): Promise<MigrateResult> {
  const print = options.print ?? (() => undefined);
  const batchSize = options.batchSize ?? 500;
  const file = path.join(options.dataDir, 'archive.sqlite');
  // never create an empty archive where the operator mistyped the path
  if (!fs.existsSync(file)) throw new MigrationError('no-source', `no embedded archive at ${file} (set DATA_DIR to the directory that holds archive.sqlite)`);

  const target = redactUri(options.to);
  let sqlite: SqliteStore | null = null;
  let mongo: MongoStore | null = null;
  try {
    sqlite = openSqliteStore(options.dataDir);
    const db = sqlite.db;
    const id = archiveId(db);
    try {
      mongo = await openMongoStore(options.to, { ensureIndexes: false, serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5_000 });
    } catch (err) {
      throw new MigrationError('unreachable', `--to ${target}: MongoDB nicht erreichbar / not usable: ${(err as Error).message}`, { cause: err });
    }
    const mdb = mongo.connection.db!;
    const records = mdb.collection<MigrationRecord>(MIGRATION_COLLECTION);

    // whose database is this?
    const others = await records.find({ _id: { $ne: id } }, { projection: { _id: 1, source: 1 } }).toArray();
    if (others.length > 0) {
      throw new MigrationError('foreign-target', `refusing to write into ${target}: it holds a migration of another archive `
        + `(${others.map((o) => `${o._id} from ${o.source}`).join('; ')}), this archive is ${id}. Choose another database (the URI's path).`);
    }
    let record = await records.findOne({ _id: id });
    if (!record) {
      const held: string[] = [];
      for (const c of await mdb.listCollections({}, { nameOnly: true }).toArray()) {
        if (TRANSIENT.has(c.name)) continue;
        const n = await mdb.collection(c.name).countDocuments({}, { limit: 1 });
        if (n > 0) held.push(c.name);
      }
      if (held.length > 0) {
        throw new MigrationError('foreign-target', `refusing to write into ${target}: the database is not empty (documents in `
          + `${held.slice(0, 6).join(', ')}${held.length > 6 ? ', …' : ''}) and holds no migration record of this archive (${id}). `
          + 'It belongs to another archive or to an app already running on MongoDB. Choose an empty database (the URI\'s path).');
      }
      const now = new Date().toISOString();
      record = { _id: id, source: file, startedAt: now, updatedAt: now, finishedAt: null, runs: 0, running: false, checkpoints: {} };
      // a unique insert: of two runs starting at once on an empty target, one claims it
      await records.insertOne(record);
    }
    const resumed = record.running === true;
    await records.updateOne({ _id: id }, { $set: { runs: record.runs + 1, running: true, updatedAt: new Date().toISOString() } });
    // the indexes the app needs (unique ones too: a row that breaks one fails here, as it would in the app)
    for (const model of Object.values(mongo.models)) await model.createIndexes();

    print(`Schichtbuch migrate: ${file} (${id}) → ${target}`);
    if (resumed) {
      const done = Object.keys(record.checkpoints).length;
      print(`resuming an unfinished run: ${done} of ${specs.length} parts were complete before it stopped`);
    } else if (record.runs > 0) {
      print(`this archive was migrated here before (${record.finishedAt ? `verified ${record.finishedAt}` : 'not verified'}); copying only what is missing`);
    }

    // one read transaction: every table is read from the same snapshot (WAL lets a running app keep writing)
    db.exec('BEGIN');
    let inserted = 0;
    const bySpec: CollectionResult[] = [];
    try {
      for (const spec of specs) {
        const collection = mongo.models[spec.model].collection;
        const sum = new SetChecksum();
        let copied = 0;
        let alreadyThere = 0;
        const select = db.prepare(`SELECT rowid AS _rowid, * FROM "${spec.table}" WHERE rowid > ?${spec.where ? ` AND (${spec.where})` : ''} ORDER BY rowid LIMIT ?`);
        for (let after = 0; ;) {
          const rows = select.all(after, batchSize) as Row[];
          if (rows.length === 0) break;
          after = rows[rows.length - 1]!._rowid;
          const docs: Doc[] = [];
          for (const row of rows) {
            const doc = spec.toDoc(row);
            await validate(mongo.models, spec, doc);
            sum.add(doc);
            docs.push(doc);
          }
          const present = new Set((await collection.find({ _id: { $in: docs.map((d) => d._id) } }, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id)));
          let missing = docs.filter((d) => !present.has(String(d._id)));
          alreadyThere += docs.length - missing.length;
          if (options.crashAfterDocuments !== undefined && inserted + missing.length >= options.crashAfterDocuments) {
            missing = missing.slice(0, options.crashAfterDocuments - inserted);
            if (missing.length > 0) await collection.insertMany(missing as never[], { ordered: true });
            (options.crash ?? (() => process.kill(process.pid, 'SIGKILL')))();
          }
          if (missing.length > 0) await collection.insertMany(missing as never[], { ordered: true });
          copied += missing.length;
          inserted += missing.length;
        }
        // field names without '.' or '$' (FerretDB refuses them)
        const key = `${spec.model}_${spec.from}`.replace(/[^A-Za-z0-9_]+/g, '_');
        await records.updateOne({ _id: id }, { $set: { [`checkpoints.${key}`]: { sourceRows: sum.count, at: new Date().toISOString() }, updatedAt: new Date().toISOString() } });
        bySpec.push({
          collection: collectionNames[spec.model], from: spec.from, sourceRows: sum.count, copied, alreadyThere,
          targetDocs: 0, sourceChecksum: sum.hex, targetChecksum: '', ok: true,
        });
      }

      // verify: per target collection, the union of its sources against every document it holds
      const results: CollectionResult[] = [];
      for (const model of Object.keys(collectionNames) as (keyof Models)[]) {
        const name = collectionNames[model];
        if (TRANSIENT.has(name)) continue;
        const parts = bySpec.filter((r) => r.collection === name);
        const source = new SetChecksum();
        if (copiedModels.has(model)) {
          // re-derive the source sum over all parts (a checksum of sums would not be a checksum of the set)
          for (const spec of specs.filter((s) => s.model === model)) forEachSourceDoc(db, spec, batchSize, (doc) => source.add(doc));
        }
        const targetSum = new SetChecksum();
        for await (const doc of mongo.models[model].collection.find({})) targetSum.add(doc);
        const ok = source.count === targetSum.count && source.hex === targetSum.hex;
        const result: CollectionResult = {
          collection: name, from: parts.map((p) => p.from).join(' + ') || '—',
          sourceRows: source.count, copied: parts.reduce((n, p) => n + p.copied, 0), alreadyThere: parts.reduce((n, p) => n + p.alreadyThere, 0),
          targetDocs: targetSum.count, sourceChecksum: source.hex, targetChecksum: targetSum.hex, ok,
        };
        if (!ok) result.problem = await describeDifference(db, mongo.models, model, batchSize);
        results.push(result);
      }
      db.exec('COMMIT');
      const ok = results.every((r) => r.ok);
      const endedAt = new Date().toISOString();
      await records.updateOne({ _id: id }, { $set: { running: false, updatedAt: endedAt, ...(ok ? { finishedAt: endedAt } : {}) } });
      printTable(print, results);
      const rows = results.reduce((n, r) => n + r.sourceRows, 0);
      if (!ok) {
        for (const r of results.filter((x) => !x.ok)) print(`MISMATCH ${r.collection}: ${r.problem}`);
        print(`migration NOT verified: ${results.filter((r) => !r.ok).length} collection(s) differ between source and target`);
      } else if (inserted === 0) {
        print(`nothing new to copy: all ${rows} documents were already there; counts and checksums match`);
      } else {
        print(`copied ${inserted} of ${rows} documents; counts and checksums match`);
      }
      return { archiveId: id, source: file, target, resumed, collections: results, copied: inserted, ok };
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  } finally {
    await mongo?.close().catch(() => undefined);
    await sqlite?.close();
  }
}

function forEachSourceDoc(db: Database, spec: Spec, batchSize: number, fn: (doc: Doc) => void): void {
  const select = db.prepare(`SELECT rowid AS _rowid, * FROM "${spec.table}" WHERE rowid > ?${spec.where ? ` AND (${spec.where})` : ''} ORDER BY rowid LIMIT ?`);
  for (let after = 0; ;) {
    const rows = select.all(after, batchSize) as Row[];
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!._rowid;
    for (const row of rows) fn(spec.toDoc(row));
  }
}

/** Which documents differ (only run on a mismatch): missing in the target, extra there, or changed — with a few ids. */
async function describeDifference(db: Database, models: Models, model: keyof Models, batchSize: number): Promise<string> {
  const expected = new Map<string, string>();
  const sum = new SetChecksum();
  for (const spec of specs.filter((s) => s.model === model)) forEachSourceDoc(db, spec, batchSize, (doc) => expected.set(String(doc._id), sum.add(doc)));
  const missing: string[] = [];
  const extra: string[] = [];
  const changed: string[] = [];
  const seen = new Set<string>();
  const probe = new SetChecksum();
  for await (const doc of models[model].collection.find({})) {
    const key = String(doc._id);
    seen.add(key);
    const hash = probe.add(doc);
    const want = expected.get(key);
    if (want === undefined) extra.push(key);
    else if (want !== hash) changed.push(key);
  }
  for (const key of expected.keys()) if (!seen.has(key)) missing.push(key);
  const few = (ids: string[]) => ids.slice(0, 3).join(', ') + (ids.length > 3 ? ', …' : '');
  return [
    missing.length ? `${missing.length} missing in the target (${few(missing)})` : '',
    extra.length ? `${extra.length} only in the target (${few(extra)})` : '',
    changed.length ? `${changed.length} changed since copied (${few(changed)})` : '',
  ].filter(Boolean).join('; ') || 'checksums differ';
}

function printTable(print: (line: string) => void, results: CollectionResult[]): void {
  const header = ['collection', 'source rows', 'copied', 'target docs', 'source checksum', 'target checksum', ''];
  const rows = results.map((r) => [
    r.collection, String(r.sourceRows), String(r.copied), String(r.targetDocs), r.sourceChecksum.slice(0, 16), r.targetChecksum.slice(0, 16),
    r.ok ? 'ok' : 'MISMATCH',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 1 && i <= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  print(line(header));
  for (const r of rows) print(line(r));
}
