// Schema migration 6, as released: never edit it; add a new migration instead.
import type { Migration } from './migration.js';

export const migration006: Migration = {
  version: 6,
  name: 'change counter for interviews (in-memory search catalog)',
  up(db) {
    // One row per table whose readers cache it whole; triggers count every insert, versioned update and delete.
    // Bookkeeping updates (search_dirty) keep the version and are not counted.
    db.exec(`
      CREATE TABLE change_counters (
        name TEXT PRIMARY KEY,
        n INTEGER NOT NULL
      ) STRICT;
      INSERT INTO change_counters (name, n) VALUES ('interviews', 0);
      CREATE TRIGGER interviews_counted_insert AFTER INSERT ON interviews BEGIN
        UPDATE change_counters SET n = n + 1 WHERE name = 'interviews';
      END;
      CREATE TRIGGER interviews_counted_update AFTER UPDATE ON interviews WHEN NEW.version IS NOT OLD.version BEGIN
        UPDATE change_counters SET n = n + 1 WHERE name = 'interviews';
      END;
      CREATE TRIGGER interviews_counted_delete AFTER DELETE ON interviews BEGIN
        UPDATE change_counters SET n = n + 1 WHERE name = 'interviews';
      END;
    `);
  },
};
