// Schema migration 11, as released: never edit it; add a new migration instead.
import type { Migration } from './migration.js';

export const migration011: Migration = {
  version: 11,
  name: 'indexes for the fair claim: queued jobs by owner in claim order, and each owner’s most recent start',
  up(db) {
    db.exec(`
      -- the owners with a due job, and each owner's oldest due job, straight from the index (no sort of every due job)
      CREATE INDEX jobs_queued_by_owner ON jobs(owner_id, run_after, created_at) WHERE status = 'queued';
      -- max(started_at) of one owner in one index step (jobs_by_owner has status in between: a scan of their history)
      CREATE INDEX jobs_owner_last_start ON jobs(owner_id, started_at);
    `);
  },
};
