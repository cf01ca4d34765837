import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Store } from '../repositories.js';
import { SqliteCollectionRepository, SqliteInterviewRepository } from './archive.js';
import { openDatabase } from './db.js';
import { SqliteJobRepository, SqliteMediaRepository } from './media.js';
import { SqliteAuditRepository, SqliteConsentRepository, SqliteGroupRepository, SqliteReviewRepository } from './review.js';
import { SqliteTranscriptRepository } from './transcripts.js';
import { SqliteFixityRepository } from './fixity.js';
import { SqliteApiTokenRepository, SqliteSessionRepository, SqliteUserRepository } from './users.js';

export interface SqliteStore extends Store {
  readonly db: Database;
}

/** The embedded store: one SQLite file `archive.sqlite` in DATA_DIR (or `:memory:` for tests). */
export function openSqliteStore(dataDirOrMemory: string): SqliteStore {
  const file = dataDirOrMemory === ':memory:' ? ':memory:' : path.join(dataDirOrMemory, 'archive.sqlite');
  const db = openDatabase(file);
  return {
    kind: 'sqlite',
    db,
    users: new SqliteUserRepository(db),
    sessions: new SqliteSessionRepository(db),
    apiTokens: new SqliteApiTokenRepository(db),
    collections: new SqliteCollectionRepository(db),
    interviews: new SqliteInterviewRepository(db),
    media: new SqliteMediaRepository(db),
    jobs: new SqliteJobRepository(db),
    transcripts: new SqliteTranscriptRepository(db),
    groups: new SqliteGroupRepository(db),
    consents: new SqliteConsentRepository(db),
    review: new SqliteReviewRepository(db),
    audit: new SqliteAuditRepository(db),
    fixity: new SqliteFixityRepository(db),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
