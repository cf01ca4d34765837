// Schema migration 7, as released: never edit it; add a new migration instead.
import type { Migration } from './migration.js';

export const migration007: Migration = {
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
};
