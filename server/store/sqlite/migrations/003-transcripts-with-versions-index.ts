// Schema migration 3, as released: never edit it; add a new migration instead.
import type { Migration } from './migration.js';

export const migration003: Migration = {
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
};
