// Schema migration 5, as released: never edit it; add a new migration instead.
import type { Migration } from './migration.js';

export const migration005: Migration = {
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
};
