// Schema migrations, versioned in code. Each runs once, in its own transaction, recorded in schema_migrations.
// Never edit a released migration: add a new one.
import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations/migration.js';
import { migration001 } from './migrations/001-users-sessions-api-tokens.js';
import { migration002 } from './migrations/002-media-and-durable-jobs.js';
import { migration003 } from './migrations/003-transcripts-with-versions-index.js';
import { migration004 } from './migrations/004-one-active-job-per.js';
import { migration005 } from './migrations/005-researcher-role-groups-and.js';
import { migration006 } from './migrations/006-change-counter-for-interviews.js';
import { migration007 } from './migrations/007-operations-units-of-work.js';
import { migration008 } from './migrations/008-fixity-rendition-baselines-premis.js';
import { migration009 } from './migrations/009-jobs-carry-their-owner.js';
import { migration010 } from './migrations/010-collections-auto-transcribe.js';
import { migration011 } from './migrations/011-fair-claim-indexes.js';

export type { Migration } from './migrations/migration.js';

/** Every migration, one file each under migrations/, in order. */
export const migrations: Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
];

export function migrate(db: Database, list: Migration[] = migrations): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...list.map((m) => m.version));
  if (newest > known) {
    throw new Error(`database schema version ${newest} is newer than this program knows (${known}); refusing to start`);
  }
  const ran: number[] = [];
  for (const migration of [...list].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    if (migration.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        migration.up(db);
        if (migration.rebuildsTables) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0)
            throw new Error(`migration ${migration.version} broke ${broken.length} foreign key(s)`);
        }
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
          migration.version,
          migration.name,
          new Date().toISOString(),
        );
      })();
    } finally {
      if (migration.rebuildsTables && foreignKeys) db.pragma('foreign_keys = ON');
    }
    ran.push(migration.version);
  }
  return ran;
}
