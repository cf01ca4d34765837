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
//
// One run at a time per target: a lease in the target (migrate-lock.ts) is taken before anything is written and
// released at the end, also on an error or SIGINT. The source is read inside one SQLite read transaction, pinned
// before the first row is read: with WAL the app may keep writing, and the copy and its checksums are the archive as
// it was at that instant (a later run copies what came since and reports rows changed since as a mismatch).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { openSqliteStore, type SqliteStore } from './sqlite/index.js';
import { openMongoStore, type MongoStore } from './mongo/index.js';
import type { mongo as mongodb } from 'mongoose';
import { collectionNames, type Models } from './mongo/schemas.js';
import { copiedModels, specs, type Doc, type Row, type Spec } from './migrate-specs.js';
import { canonicalJson, describeDifference, forEachSourceDoc, SetChecksum } from './migrate-verify.js';
import { printTable, type CollectionResult } from './migrate-report.js';
import { acquireMigrationLock, LOCK_COLLECTION, LockHeldError, type MigrationLock } from './migrate-lock.js';

// the parts live beside this file (migrate-specs.ts, migrate-verify.ts, migrate-report.ts); their API stays importable here
export { canonicalJson, SetChecksum } from './migrate-verify.js';
export type { CollectionResult } from './migrate-report.js';

/** Where the run records which archive the target holds and how far the copy got. */
export const MIGRATION_COLLECTION = 'archive_migrations';
/** Collections that never hold archive data (short-lived write locks and job claims), so they don't make a db foreign. */
const TRANSIENT = new Set([MIGRATION_COLLECTION, LOCK_COLLECTION, collectionNames.locks, collectionNames.jobClaims]);

export class MigrationError extends Error {
  constructor(
    readonly kind: 'no-source' | 'unreachable' | 'foreign-target' | 'invalid-row' | 'locked' | 'interrupted',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Validation against the adapter's own schema

async function validate(models: Models, spec: Spec, doc: Doc): Promise<void> {
  const model = models[spec.model];
  const unknown = Object.keys(doc).filter((k) => model.schema.pathType(k) === 'adhocOrUndefined');
  if (unknown.length > 0)
    throw invalid(spec, doc, `fields the ${spec.model} schema does not know: ${unknown.join(', ')}`);
  const cast = new model(doc);
  try {
    await cast.validate();
  } catch (error) {
    throw invalid(spec, doc, (error as Error).message);
  }
  // a value the schema would cast into something else (or a default it would add) is a mapping error, not data
  const stored = canonicalJson(cast.toObject({ versionKey: false }));
  if (stored !== canonicalJson(doc))
    throw invalid(spec, doc, `the ${spec.model} schema would store it differently: ${stored.slice(0, 300)}`);
}

const invalid = (spec: Spec, doc: Doc, why: string) =>
  new MigrationError(
    'invalid-row',
    `${spec.from}: row ${JSON.stringify(doc._id)} cannot be stored as ${collectionNames[spec.model]}: ${why}`,
  );

// ---------------------------------------------------------------------------------------------------------------------
// The archive's identity

/**
 * The id that names this embedded archive in the target's migration record: made once, kept in the SQLite file
 * (a copy of the file is the same archive), so that a second archive is never merged into the first one's database.
 */
export function archiveId(db: Database): string {
  // one write transaction (BEGIN IMMEDIATE): of two runs starting at once on a new archive, both get the same id
  return db
    .transaction(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS archive_identity (id TEXT PRIMARY KEY, created_at TEXT NOT NULL) STRICT`);
      const existing = db.prepare('SELECT id FROM archive_identity ORDER BY created_at LIMIT 1').pluck().get() as
        string | undefined;
      if (existing) return existing;
      const id = `archive-${crypto.randomUUID()}`;
      db.prepare('INSERT INTO archive_identity (id, created_at) VALUES (?, ?)').run(id, new Date().toISOString());
      return id;
    })
    .immediate();
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
  /** Lease of the run's lock in the target (`--lock-seconds`, default 60): renewed every third of it. */
  lockSeconds?: number;
  /** Aborting it (SIGINT in the CLI) stops the run before its next write; the lock is released. */
  signal?: AbortSignal;
  /** Tests only (SCHICHTBUCH_MIGRATE_HOLD_MS): wait this long holding the lock, after the source snapshot is pinned. */
  holdMs?: number;
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

/** Refuses a target that is not this archive's (read only); its migration record, or null when the target is empty. */
async function ownRecord(mdb: mongodb.Db, id: string, target: string): Promise<MigrationRecord | null> {
  const records = mdb.collection<MigrationRecord>(MIGRATION_COLLECTION);
  const others = await records.find({ _id: { $ne: id } }, { projection: { _id: 1, source: 1 } }).toArray();
  if (others.length > 0) {
    throw new MigrationError(
      'foreign-target',
      `refusing to write into ${target}: it holds a migration of another archive ` +
        `(${others.map((o) => `${o._id} from ${o.source}`).join('; ')}), this archive is ${id}. Choose another database (the URI's path).`,
    );
  }
  const record = await records.findOne({ _id: id });
  if (record) return record;
  const held: string[] = [];
  for (const c of await mdb.listCollections({}, { nameOnly: true }).toArray()) {
    if (TRANSIENT.has(c.name)) continue;
    const n = await mdb.collection(c.name).countDocuments({}, { limit: 1 });
    if (n > 0) held.push(c.name);
  }
  if (held.length > 0) {
    throw new MigrationError(
      'foreign-target',
      `refusing to write into ${target}: the database is not empty (documents in ` +
        `${held.slice(0, 6).join(', ')}${held.length > 6 ? ', …' : ''}) and holds no migration record of this archive (${id}). ` +
        "It belongs to another archive or to an app already running on MongoDB. Choose an empty database (the URI's path).",
    );
  }
  return null;
}

export async function migrateToMongo(options: MigrateOptions): Promise<MigrateResult> {
  const print = options.print ?? (() => undefined);
  const file = path.join(options.dataDir, 'archive.sqlite');
  // never create an empty archive where the operator mistyped the path
  if (!fs.existsSync(file))
    throw new MigrationError(
      'no-source',
      `no embedded archive at ${file} (set DATA_DIR to the directory that holds archive.sqlite)`,
    );

  const target = redactUri(options.to);
  let sqlite: SqliteStore | null = null;
  let mongo: MongoStore | null = null;
  let lock: MigrationLock | null = null;
  try {
    sqlite = openSqliteStore(options.dataDir);
    const id = archiveId(sqlite.db);
    try {
      mongo = await openMongoStore(options.to, {
        ensureIndexes: false,
        serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5_000,
      });
    } catch (err) {
      throw new MigrationError(
        'unreachable',
        `--to ${target}: MongoDB nicht erreichbar / not usable: ${(err as Error).message}`,
        { cause: err },
      );
    }
    const mdb = mongo.connection.db!;
    // a foreign target is refused before anything, the lock included, is written into it
    await ownRecord(mdb, id, target);
    try {
      lock = await acquireMigrationLock(mdb, {
        archiveId: id,
        source: file,
        ...(options.lockSeconds !== undefined ? { leaseSeconds: options.lockSeconds } : {}),
        warn: print,
      });
    } catch (err) {
      if (err instanceof LockHeldError) throw new MigrationError('locked', `${target}: ${err.message}`, { cause: err });
      throw err;
    }
    print(`Schichtbuch migrate: ${file} (${id}) → ${target}`);
    const { from, why } = lock.tookOver ?? {};
    if (from) print(`taking over the migrate lock of the run on host ${from.host}, pid ${from.pid}: ${why}`);
    print(`lock: held by this run (host ${lock.holder.host}, pid ${lock.holder.pid}) until it ends`);
    return await copyAndVerify({ ...options, print }, sqlite, mongo, lock, id, file, target);
  } catch (err) {
    if (lock && err instanceof LockHeldError)
      throw new MigrationError('locked', `${target}: ${err.message}`, { cause: err });
    throw err;
  } finally {
    await lock
      ?.release()
      .catch((err: Error) =>
        print(`could not release the migrate lock (${err.message}); it lapses at the end of its lease`),
      );
    await mongo?.close().catch(() => undefined);
    await sqlite?.close();
  }
}

const holdUnlessAborted = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

async function copyAndVerify(
  options: MigrateOptions & { print: (line: string) => void },
  sqlite: SqliteStore,
  mongo: MongoStore,
  lock: MigrationLock,
  id: string,
  file: string,
  target: string,
): Promise<MigrateResult> {
  const { print } = options;
  const batchSize = options.batchSize ?? 500;
  const db = sqlite.db;
  const mdb = mongo.connection.db!;
  const records = mdb.collection<MigrationRecord>(MIGRATION_COLLECTION);
  /** Before every write: still ours, and not interrupted. */
  const mayWrite = () => {
    lock.assertHeld();
    if (options.signal?.aborted)
      throw new MigrationError('interrupted', 'interrupted; run the command again to continue where it stopped');
  };

  // under the lock, again: the target may have changed between the first look and the lock
  let record = await ownRecord(mdb, id, target);
  if (!record) {
    const now = new Date().toISOString();
    record = {
      _id: id,
      source: file,
      startedAt: now,
      updatedAt: now,
      finishedAt: null,
      runs: 0,
      running: false,
      checkpoints: {},
    };
    await records.insertOne(record);
  }
  const resumed = record.running === true;
  await records.updateOne(
    { _id: id },
    { $set: { runs: record.runs + 1, running: true, updatedAt: new Date().toISOString() } },
  );
  // the indexes the app needs (unique ones too: a row that breaks one fails here, as it would in the app)
  for (const model of Object.values(mongo.models)) await model.createIndexes();

  if (resumed) {
    const done = Object.keys(record.checkpoints).length;
    print(`resuming an unfinished run: ${done} of ${specs.length} parts were complete before it stopped`);
  } else if (record.runs > 0) {
    print(
      `this archive was migrated here before (${record.finishedAt ? `verified ${record.finishedAt}` : 'not verified'}); copying only what is missing`,
    );
  }

  // one read transaction, pinned now: every table is read from the same snapshot (WAL lets a running app keep writing)
  db.exec('BEGIN');
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    print(
      `source snapshot pinned at ${new Date().toISOString()} (what the app writes from now on is not in this copy)`,
    );
    if (options.holdMs) await holdUnlessAborted(options.holdMs, options.signal);
    let inserted = 0;
    const bySpec: CollectionResult[] = [];
    for (const spec of specs) {
      const collection = mongo.models[spec.model].collection;
      const sum = new SetChecksum();
      let copied = 0;
      let alreadyThere = 0;
      const select = db.prepare(
        `SELECT rowid AS _rowid, * FROM "${spec.table}" WHERE rowid > ?${spec.where ? ` AND (${spec.where})` : ''} ORDER BY rowid LIMIT ?`,
      );
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
        const present = new Set(
          (await collection.find({ _id: { $in: docs.map((d) => d._id) } }, { projection: { _id: 1 } }).toArray()).map(
            (d) => String(d._id),
          ),
        );
        let missing = docs.filter((d) => !present.has(String(d._id)));
        alreadyThere += docs.length - missing.length;
        mayWrite();
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
      mayWrite();
      await records.updateOne(
        { _id: id },
        {
          $set: {
            [`checkpoints.${key}`]: { sourceRows: sum.count, at: new Date().toISOString() },
            updatedAt: new Date().toISOString(),
          },
        },
      );
      bySpec.push({
        collection: collectionNames[spec.model],
        from: spec.from,
        sourceRows: sum.count,
        copied,
        alreadyThere,
        targetDocs: 0,
        sourceChecksum: sum.hex,
        targetChecksum: '',
        ok: true,
      });
    }

    // verify: per target collection, the union of its sources against every document it holds
    const results: CollectionResult[] = [];
    for (const model of Object.keys(collectionNames) as (keyof Models)[]) {
      const name = collectionNames[model];
      if (TRANSIENT.has(name)) continue;
      mayWrite();
      const parts = bySpec.filter((r) => r.collection === name);
      const source = new SetChecksum();
      if (copiedModels.has(model)) {
        // re-derive the source sum over all parts (a checksum of sums would not be a checksum of the set)
        for (const spec of specs.filter((s) => s.model === model))
          forEachSourceDoc(db, spec, batchSize, (doc) => source.add(doc));
      }
      const targetSum = new SetChecksum();
      for await (const doc of mongo.models[model].collection.find({})) targetSum.add(doc);
      const ok = source.count === targetSum.count && source.hex === targetSum.hex;
      const result: CollectionResult = {
        collection: name,
        from: parts.map((p) => p.from).join(' + ') || '—',
        sourceRows: source.count,
        copied: parts.reduce((n, p) => n + p.copied, 0),
        alreadyThere: parts.reduce((n, p) => n + p.alreadyThere, 0),
        targetDocs: targetSum.count,
        sourceChecksum: source.hex,
        targetChecksum: targetSum.hex,
        ok,
      };
      if (!ok) result.problem = await describeDifference(db, mongo.models, model, batchSize);
      results.push(result);
    }
    db.exec('COMMIT');
    const ok = results.every((r) => r.ok);
    const endedAt = new Date().toISOString();
    mayWrite();
    await records.updateOne(
      { _id: id },
      { $set: { running: false, updatedAt: endedAt, ...(ok ? { finishedAt: endedAt } : {}) } },
    );
    printTable(print, results);
    const rows = results.reduce((n, r) => n + r.sourceRows, 0);
    if (!ok) {
      for (const r of results.filter((x) => !x.ok)) print(`MISMATCH ${r.collection}: ${r.problem}`);
      print(
        `migration NOT verified: ${results.filter((r) => !r.ok).length} collection(s) differ between source and target`,
      );
    } else if (inserted === 0) {
      print(`nothing new to copy: all ${rows} documents were already there; counts and checksums match`);
    } else {
      print(`copied ${inserted} of ${rows} documents; counts and checksums match`);
    }
    return { archiveId: id, source: file, target, resumed, collections: results, copied: inserted, ok };
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}
