// Schema migration 8, as released: never edit it; add a new migration instead.
import type { Migration } from './migration.js';

export const migration008: Migration = {
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
};
