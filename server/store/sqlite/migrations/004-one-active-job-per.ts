// Schema migration 4, as released: never edit it; add a new migration instead.
import type { Migration } from './migration.js';

export const migration004: Migration = {
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
};
