// Schema migration 2, as released: never edit it; add a new migration instead.
import type { Migration } from './migration.js';

export const migration002: Migration = {
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
};
