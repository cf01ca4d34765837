// Schema migration 1, as released: never edit it; add a new migration instead.
import type { Migration } from './migration.js';

export const migration001: Migration = {
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
};
