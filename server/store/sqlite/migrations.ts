// Schema migrations, versioned in code. Each runs once, in its own transaction, recorded in schema_migrations.
// Never edit a released migration: add a new one.
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  /**
   * Rebuilds a table (SQLite cannot alter a CHECK): foreign keys are switched off around the transaction, as the
   * SQLite manual prescribes, so that dropping the old table cascades nowhere; foreign_key_check runs before commit.
   */
  rebuildsTables?: boolean;
  up(db: Database): void;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'users, sessions, api tokens, collections, interviews',
    up(db) {
      db.exec(`
        CREATE TABLE users (
          id TEXT PRIMARY KEY,
          email TEXT NOT NULL UNIQUE COLLATE NOCASE,
          display_name TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('admin', 'curator', 'contributor')),
          password_hash TEXT NOT NULL,
          disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE sessions (
          id TEXT PRIMARY KEY,
          user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          csrf_token TEXT NOT NULL,
          created_at TEXT NOT NULL,
          expires_at TEXT NOT NULL,
          last_seen_at TEXT NOT NULL,
          user_agent TEXT
        ) STRICT;
        CREATE INDEX sessions_by_user ON sessions(user_id);
        CREATE INDEX sessions_by_expiry ON sessions(expires_at);

        CREATE TABLE api_tokens (
          id TEXT PRIMARY KEY,
          user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          token_hash TEXT NOT NULL UNIQUE,
          prefix TEXT NOT NULL,
          created_at TEXT NOT NULL,
          last_used_at TEXT,
          expires_at TEXT,
          revoked_at TEXT
        ) STRICT;
        CREATE INDEX api_tokens_by_user ON api_tokens(user_id);

        CREATE TABLE collections (
          id TEXT PRIMARY KEY,
          title TEXT NOT NULL,
          description TEXT,
          created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          version INTEGER NOT NULL DEFAULT 1
        ) STRICT;

        CREATE TABLE interviews (
          id TEXT PRIMARY KEY,
          collection_id TEXT REFERENCES collections(id) ON DELETE RESTRICT,
          title TEXT NOT NULL,
          people TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(people)),
          recorded_at TEXT,
          place TEXT CHECK (place IS NULL OR json_valid(place)),
          language TEXT NOT NULL DEFAULT 'de',
          summary TEXT,
          keywords TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(keywords)),
          visibility TEXT NOT NULL CHECK (visibility IN ('public', 'registered', 'restricted', 'private')),
          status TEXT NOT NULL CHECK (status IN ('draft', 'processing', 'ready_for_review', 'in_review',
                                                 'changes_requested', 'approved', 'published', 'withdrawn')),
          created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          version INTEGER NOT NULL DEFAULT 1
        ) STRICT;
        CREATE INDEX interviews_by_collection ON interviews(collection_id);
        CREATE INDEX interviews_by_status ON interviews(status, visibility);
        CREATE INDEX interviews_by_owner ON interviews(created_by);
        CREATE INDEX interviews_by_updated ON interviews(updated_at);
      `);
    },
  },
  {
    version: 2,
    name: 'media and durable jobs',
    up(db) {
      db.exec(`
        CREATE TABLE media (
          id TEXT PRIMARY KEY,
          interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
          part INTEGER NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('audio', 'video')),
          status TEXT NOT NULL CHECK (status IN ('stored', 'processing', 'ready', 'failed')),
          progress REAL NOT NULL DEFAULT 0,
          original_filename TEXT NOT NULL,
          original_path TEXT NOT NULL UNIQUE,
          sha256 TEXT NOT NULL,
          size_bytes INTEGER NOT NULL,
          technical TEXT NOT NULL CHECK (json_valid(technical)),
          derivatives TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(derivatives)),
          error TEXT,
          created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          UNIQUE (interview_id, part)
        ) STRICT;
        CREATE INDEX media_by_status ON media(status);

        CREATE TABLE jobs (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          payload TEXT NOT NULL CHECK (json_valid(payload)),
          status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
          media_id TEXT REFERENCES media(id) ON DELETE CASCADE,
          attempts INTEGER NOT NULL DEFAULT 0,
          max_attempts INTEGER NOT NULL,
          run_after TEXT NOT NULL,
          lease_owner TEXT,
          lease_expires_at TEXT,
          progress REAL NOT NULL DEFAULT 0,
          error TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          started_at TEXT,
          finished_at TEXT
        ) STRICT;
        CREATE INDEX jobs_due ON jobs(status, run_after);
        CREATE INDEX jobs_by_media ON jobs(media_id);
        -- one active job per (name, medium): enqueueing twice is harmless
        CREATE UNIQUE INDEX jobs_one_active ON jobs(name, media_id) WHERE status IN ('queued', 'running');
      `);
    },
  },
  {
    version: 3,
    name: 'transcripts with versions, index points, search bookkeeping',
    up(db) {
      db.exec(`
        CREATE TABLE transcripts (
          media_id TEXT PRIMARY KEY REFERENCES media(id) ON DELETE CASCADE,
          current_version INTEGER NOT NULL,
          indexed_version INTEGER,
          updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE transcript_versions (
          media_id TEXT NOT NULL REFERENCES transcripts(media_id) ON DELETE CASCADE,
          version INTEGER NOT NULL,
          segments TEXT NOT NULL CHECK (json_valid(segments)),
          author_id TEXT REFERENCES users(id) ON DELETE SET NULL,
          reason TEXT NOT NULL,
          source TEXT NOT NULL,
          created_at TEXT NOT NULL,
          PRIMARY KEY (media_id, version)
        ) STRICT;

        CREATE TABLE media_index (
          media_id TEXT PRIMARY KEY REFERENCES media(id) ON DELETE CASCADE,
          points TEXT NOT NULL CHECK (json_valid(points)),
          version INTEGER NOT NULL,
          updated_by TEXT REFERENCES users(id) ON DELETE SET NULL,
          updated_at TEXT NOT NULL
        ) STRICT;

        -- interview metadata the search index has not caught up with (set on change, cleared by the index job)
        ALTER TABLE interviews ADD COLUMN search_dirty INTEGER NOT NULL DEFAULT 1;

        -- at most one *queued* job per subject (e.g. search.transcript:<mediaId>); a running one may get a successor,
        -- so that a change made while it runs is not lost
        ALTER TABLE jobs ADD COLUMN dedupe_key TEXT;
        CREATE UNIQUE INDEX jobs_one_queued_per_key ON jobs(dedupe_key) WHERE status = 'queued' AND dedupe_key IS NOT NULL;
      `);
    },
  },
  {
    version: 4,
    name: 'one active job per medium only for jobs without a dedupe key',
    up(db) {
      // search jobs are deduplicated among *queued* jobs only (a change while one runs needs a successor);
      // the per-medium rule for active jobs would refuse that successor
      db.exec(`
        DROP INDEX jobs_one_active;
        CREATE UNIQUE INDEX jobs_one_active ON jobs(name, media_id) WHERE status IN ('queued', 'running') AND dedupe_key IS NULL;
      `);
    },
  },
  {
    version: 5,
    name: 'researcher role, groups and grants, embargo, consent, review, restrictions, corrections, audit log',
    rebuildsTables: true,
    up(db) {
      db.exec(`
        CREATE TABLE users_new (
          id TEXT PRIMARY KEY,
          email TEXT NOT NULL UNIQUE COLLATE NOCASE,
          display_name TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('admin', 'curator', 'contributor', 'researcher')),
          password_hash TEXT NOT NULL,
          disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) STRICT;
        INSERT INTO users_new SELECT id, email, display_name, role, password_hash, disabled, created_at, updated_at FROM users;
        DROP TABLE users;
        ALTER TABLE users_new RENAME TO users;

        CREATE TABLE groups (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL UNIQUE COLLATE NOCASE,
          created_at TEXT NOT NULL
        ) STRICT;
        CREATE TABLE group_members (
          group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
          user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          PRIMARY KEY (group_id, user_id)
        ) STRICT;
        CREATE INDEX group_members_by_user ON group_members(user_id);

        ALTER TABLE interviews ADD COLUMN grants TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(grants));
        ALTER TABLE interviews ADD COLUMN embargo_until TEXT;
        ALTER TABLE interviews ADD COLUMN embargo_listed INTEGER NOT NULL DEFAULT 0 CHECK (embargo_listed IN (0, 1));

        ALTER TABLE media ADD COLUMN rendition_redaction TEXT NOT NULL DEFAULT '';

        CREATE TABLE consent_records (
          id TEXT NOT NULL,
          version INTEGER NOT NULL,
          interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
          narrator TEXT NOT NULL,
          scope TEXT NOT NULL CHECK (json_valid(scope)),
          given_on TEXT NOT NULL,
          method TEXT NOT NULL CHECK (method IN ('signed_form', 'spoken', 'digital')),
          scan TEXT CHECK (scan IS NULL OR json_valid(scan)),
          embargo_until TEXT,
          on_withdrawal TEXT NOT NULL CHECK (on_withdrawal IN ('delete_original', 'keep_archive')),
          notes TEXT,
          author_id TEXT REFERENCES users(id) ON DELETE SET NULL,
          created_at TEXT NOT NULL,
          PRIMARY KEY (id, version)
        ) STRICT;
        CREATE INDEX consent_by_interview ON consent_records(interview_id);

        CREATE TABLE review_invitations (
          id TEXT PRIMARY KEY,
          interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
          narrator TEXT NOT NULL,
          token_hash TEXT NOT NULL UNIQUE,
          code_hash TEXT NOT NULL UNIQUE,
          created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
          created_at TEXT NOT NULL,
          expires_at TEXT NOT NULL,
          revoked_at TEXT,
          last_used_at TEXT
        ) STRICT;
        CREATE INDEX review_invitations_by_interview ON review_invitations(interview_id);

        CREATE TABLE restrictions (
          id TEXT PRIMARY KEY,
          interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
          media_id TEXT NOT NULL REFERENCES media(id) ON DELETE CASCADE,
          start REAL NOT NULL,
          "end" REAL NOT NULL CHECK ("end" > start),
          reason TEXT,
          quote TEXT,
          status TEXT NOT NULL CHECK (status IN ('active', 'lifted')),
          created_by_kind TEXT NOT NULL CHECK (created_by_kind IN ('user', 'narrator', 'system')),
          created_by_id TEXT,
          created_at TEXT NOT NULL,
          lifted_at TEXT,
          lifted_by TEXT
        ) STRICT;
        CREATE INDEX restrictions_by_media ON restrictions(media_id, status);
        CREATE INDEX restrictions_by_interview ON restrictions(interview_id);

        CREATE TABLE corrections (
          id TEXT PRIMARY KEY,
          interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
          media_id TEXT NOT NULL REFERENCES media(id) ON DELETE CASCADE,
          segment_no INTEGER NOT NULL,
          segment_start REAL NOT NULL,
          original TEXT NOT NULL,
          proposed TEXT NOT NULL,
          note TEXT,
          status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'rejected')),
          invitation_id TEXT REFERENCES review_invitations(id) ON DELETE SET NULL,
          created_at TEXT NOT NULL,
          decided_by TEXT REFERENCES users(id) ON DELETE SET NULL,
          decided_at TEXT,
          decision_note TEXT,
          transcript_version INTEGER
        ) STRICT;
        CREATE INDEX corrections_by_interview ON corrections(interview_id);

        CREATE TABLE review_decisions (
          id TEXT PRIMARY KEY,
          interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
          invitation_id TEXT REFERENCES review_invitations(id) ON DELETE SET NULL,
          decision TEXT NOT NULL CHECK (decision IN ('approve', 'request_changes', 'withdraw')),
          visibility TEXT CHECK (visibility IS NULL OR visibility IN ('public', 'registered', 'restricted', 'private')),
          message TEXT,
          receipt_no TEXT NOT NULL,
          created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX review_decisions_by_interview ON review_decisions(interview_id, created_at);

        -- no foreign keys: the record of who did what outlives the interview, user or medium it names
        CREATE TABLE audit_events (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          at TEXT NOT NULL,
          actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user', 'narrator', 'system')),
          actor_id TEXT,
          actor_label TEXT,
          interview_id TEXT,
          action TEXT NOT NULL,
          entity TEXT NOT NULL,
          entity_id TEXT,
          before TEXT CHECK (before IS NULL OR json_valid(before)),
          after TEXT CHECK (after IS NULL OR json_valid(after))
        ) STRICT;
        CREATE INDEX audit_by_interview ON audit_events(interview_id, id);
        CREATE INDEX audit_by_action ON audit_events(action, id);
      `);
    },
  },
  {
    version: 6,
    name: 'change counter for interviews (in-memory search catalog)',
    up(db) {
      // One row per table whose readers cache it whole; triggers count every insert, versioned update and delete.
      // Bookkeeping updates (search_dirty) keep the version and are not counted.
      db.exec(`
        CREATE TABLE change_counters (
          name TEXT PRIMARY KEY,
          n INTEGER NOT NULL
        ) STRICT;
        INSERT INTO change_counters (name, n) VALUES ('interviews', 0);
        CREATE TRIGGER interviews_counted_insert AFTER INSERT ON interviews BEGIN
          UPDATE change_counters SET n = n + 1 WHERE name = 'interviews';
        END;
        CREATE TRIGGER interviews_counted_update AFTER UPDATE ON interviews WHEN NEW.version IS NOT OLD.version BEGIN
          UPDATE change_counters SET n = n + 1 WHERE name = 'interviews';
        END;
        CREATE TRIGGER interviews_counted_delete AFTER DELETE ON interviews BEGIN
          UPDATE change_counters SET n = n + 1 WHERE name = 'interviews';
        END;
      `);
    },
  },
  {
    version: 7,
    name: 'operations (units of work) and idempotent audit events',
    up(db) {
      // One row per use case run (server/store/unit-of-work.ts), keyed by its idempotency key; audit events written
      // by a unit of work carry a key too, so that completing the unit again never logs an event twice.
      db.exec(`
        CREATE TABLE operations (
          key TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          payload TEXT NOT NULL CHECK (json_valid(payload)),
          status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
          error TEXT,
          created_at TEXT NOT NULL,
          finished_at TEXT
        ) STRICT;
        CREATE INDEX operations_unfinished ON operations(status, created_at);
        ALTER TABLE audit_events ADD COLUMN op_key TEXT;
        CREATE UNIQUE INDEX audit_events_by_key ON audit_events(op_key);
      `);
    },
  },
  {
    version: 8,
    name: 'fixity: rendition baselines, PREMIS-style fixity events, current state per file',
    up(db) {
      db.exec(`
        CREATE TABLE fixity_baselines (
          path TEXT PRIMARY KEY,
          media_id TEXT NOT NULL,
          sha256 TEXT NOT NULL,
          size_bytes INTEGER NOT NULL,
          recorded_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX fixity_baselines_by_media ON fixity_baselines(media_id, path);

        CREATE TABLE fixity_events (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          at TEXT NOT NULL,
          type TEXT NOT NULL CHECK (type IN ('fixity check', 'message digest calculation')),
          algorithm TEXT NOT NULL,
          outcome TEXT NOT NULL CHECK (outcome IN ('pass', 'fail', 'missing')),
          path TEXT NOT NULL,
          file_kind TEXT NOT NULL CHECK (file_kind IN ('original', 'rendition')),
          media_id TEXT NOT NULL,
          interview_id TEXT NOT NULL,
          expected_sha256 TEXT,
          actual_sha256 TEXT,
          agent TEXT NOT NULL,
          run_id TEXT,
          detail TEXT
        ) STRICT;
        CREATE INDEX fixity_events_by_time ON fixity_events(at, seq);
        CREATE INDEX fixity_events_by_media ON fixity_events(media_id, at);
        CREATE INDEX fixity_events_by_run ON fixity_events(run_id);

        -- the latest event of every path: open alerts are the rows that did not pass
        CREATE TABLE fixity_state (
          path TEXT PRIMARY KEY,
          event_seq INTEGER NOT NULL,
          at TEXT NOT NULL,
          outcome TEXT NOT NULL
        ) STRICT;
        CREATE INDEX fixity_state_by_outcome ON fixity_state(outcome, at);
      `);
    },
  },
  {
    version: 9,
    name: 'jobs carry their owner (the uploader) so workers pick fairly across uploaders',
    up(db) {
      db.exec(`
        ALTER TABLE jobs ADD COLUMN owner_id TEXT;
        UPDATE jobs SET owner_id = (SELECT created_by FROM media WHERE media.id = jobs.media_id) WHERE media_id IS NOT NULL;
        -- per owner: how many run now, and when one of theirs last started (round robin)
        CREATE INDEX jobs_by_owner ON jobs(owner_id, status, started_at);
      `);
    },
  },
  {
    version: 10,
    name: 'collections say whether their media are transcribed automatically on ingest, and in which language',
    up(db) {
      db.exec(`
        ALTER TABLE collections ADD COLUMN auto_transcribe INTEGER NOT NULL DEFAULT 0 CHECK (auto_transcribe IN (0, 1));
        ALTER TABLE collections ADD COLUMN auto_transcribe_language TEXT;
      `);
    },
  },
];

export function migrate(db: Database, list: Migration[] = migrations): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const applied = new Set(
    db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[],
  );
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...list.map((m) => m.version));
  if (newest > known) {
    throw new Error(`database schema version ${newest} is newer than this program knows (${known}); refusing to start`);
  }
  const ran: number[] = [];
  for (const migration of [...list].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    if (migration.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        migration.up(db);
        if (migration.rebuildsTables) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`migration ${migration.version} broke ${broken.length} foreign key(s)`);
        }
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
          migration.version, migration.name, new Date().toISOString(),
        );
      })();
    } finally {
      if (migration.rebuildsTables && foreignKeys) db.pragma('foreign_keys = ON');
    }
    ran.push(migration.version);
  }
  return ran;
}
