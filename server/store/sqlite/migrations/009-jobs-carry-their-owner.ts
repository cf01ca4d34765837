// Schema migration 9, as released: never edit it; add a new migration instead.
import type { Migration } from './migration.js';

export const migration009: Migration = {
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
};
