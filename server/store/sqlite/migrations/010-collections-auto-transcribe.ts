// Schema migration 10, as released: never edit it; add a new migration instead.
import type { Migration } from './migration.js';

export const migration010: Migration = {
  version: 10,
  name: 'collections say whether their media are transcribed automatically on ingest, and in which language',
  up(db) {
    db.exec(`
      ALTER TABLE collections ADD COLUMN auto_transcribe INTEGER NOT NULL DEFAULT 0 CHECK (auto_transcribe IN (0, 1));
      ALTER TABLE collections ADD COLUMN auto_transcribe_language TEXT;
    `);
  },
};
