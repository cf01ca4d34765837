import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Store } from '../repositories.js';
import { SqliteCollectionRepository, SqliteInterviewRepository } from './archive.js';
import { openDatabase } from './db.js';
import { translateSqliteError, withStoreErrors } from './errors.js';
import { SqliteJobRepository, SqliteMediaRepository } from './media.js';
import { SqliteAuditRepository } from './audit.js';
import { SqliteConsentRepository } from './consent.js';
import { SqliteGroupRepository } from './groups.js';
import { SqliteOperationRepository } from './operations.js';
import { SqliteReviewRepository } from './review.js';
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
    users: withStoreErrors(new SqliteUserRepository(db)),
    sessions: withStoreErrors(new SqliteSessionRepository(db)),
    apiTokens: withStoreErrors(new SqliteApiTokenRepository(db)),
    collections: withStoreErrors(new SqliteCollectionRepository(db)),
    interviews: withStoreErrors(new SqliteInterviewRepository(db)),
    media: withStoreErrors(new SqliteMediaRepository(db)),
    jobs: withStoreErrors(new SqliteJobRepository(db)),
    transcripts: withStoreErrors(new SqliteTranscriptRepository(db)),
    groups: withStoreErrors(new SqliteGroupRepository(db)),
    consents: withStoreErrors(new SqliteConsentRepository(db)),
    review: withStoreErrors(new SqliteReviewRepository(db)),
    audit: withStoreErrors(new SqliteAuditRepository(db)),
    operations: withStoreErrors(new SqliteOperationRepository(db)),
    fixity: withStoreErrors(new SqliteFixityRepository(db)),
    async ping() {
      try {
        db.prepare('SELECT 1').get();
      } catch (err) {
        throw translateSqliteError(err);
      }
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
