// The scale tier's store: MongoDB through mongoose (tested on FerretDB 1.24, which speaks MongoDB's wire protocol).
// Selected by MONGODB_URI (server/runtime.ts). See README "MongoDB: collections and indexes".
import mongoose, { type Connection } from 'mongoose';
import type { Store } from '../repositories.js';
import { StoreUnavailableError } from '../errors.js';
import { MongoCollectionRepository, MongoInterviewRepository } from './archive.js';
import { MongoJobRepository, MongoMediaRepository } from './media.js';
import { MongoFixityRepository } from './fixity.js';
import { MongoAuditRepository } from './audit.js';
import { MongoConsentRepository } from './consent.js';
import { MongoGroupRepository } from './groups.js';
import { MongoOperationRepository } from './operations.js';
import { MongoReviewRepository } from './review.js';
import { collectionNames, defineModels, type Models } from './schemas.js';
import { Support, translated, translateError } from './support.js';
import { MongoTranscriptRepository } from './transcripts.js';
import { MongoApiTokenRepository, MongoSessionRepository, MongoUserRepository } from './users.js';

export { collectionNames } from './schemas.js';
export { translateError } from './support.js';

export interface MongoStore extends Store {
  readonly kind: 'mongodb';
  readonly connection: Connection;
  readonly models: Models;
  /** Every collection of the archive, model key → collection name (for migrate, bench and checks). */
  readonly collectionNames: typeof collectionNames;
  /** Drops the whole database (tests). */
  dropDatabase(): Promise<void>;
}

export interface MongoStoreOptions {
  /** How long an operation waits for the server before it fails with StoreUnavailableError (default 3 s). */
  serverSelectionTimeoutMS?: number;
  /** Create the indexes the queries need (default true; idempotent). */
  ensureIndexes?: boolean;
}

/**
 * Opens the store at a mongodb:// URI (the database is the URI's path) and makes sure every index exists. Fails
 * within serverSelectionTimeoutMS when nothing answers there — never waits forever.
 */
export async function openMongoStore(uri: string, options: MongoStoreOptions = {}): Promise<MongoStore> {
  const selection = options.serverSelectionTimeoutMS ?? 3_000;
  // a URI without a database path means the archive's own database, not the driver's "test"
  const hasDatabase = /^mongodb(?:\+srv)?:\/\/[^/?]+\/[^?]+/.test(uri);
  let connection: Connection | null = null;
  try {
    connection = mongoose.createConnection(uri, {
      ...(hasDatabase ? {} : { dbName: 'schichtbuch' }),
      serverSelectionTimeoutMS: selection,
      connectTimeoutMS: selection,
      heartbeatFrequencyMS: 2_000,
      maxPoolSize: 20,
      // fail at once when the engine is gone instead of queueing operations in memory
      bufferCommands: false,
      autoIndex: false,
      autoCreate: false,
    });
    await connection.asPromise();
    const models = defineModels(connection);
    if (options.ensureIndexes !== false) {
      // audit events written before keyed appends existed get their stand-in key first, or the unique index fails
      const unkeyed = await models.auditEvents.collection
        .find({ opKey: { $exists: false } }, { projection: { _id: 1 } })
        .toArray();
      for (const d of unkeyed)
        await models.auditEvents.collection.updateOne({ _id: d._id }, { $set: { opKey: `seq:${String(d._id)}` } });
      // one at a time: FerretDB's SQLite backend serialises schema changes anyway
      for (const model of Object.values(models)) await model.createIndexes();
    }
    return createStore(connection, models);
  } catch (err) {
    await connection?.close().catch(() => undefined);
    const translated = translateError(err);
    throw translated instanceof StoreUnavailableError
      ? translated
      : new StoreUnavailableError(`MongoDB: ${(err as Error).message}`, { cause: err });
  }
}

function createStore(connection: Connection, models: Models): MongoStore {
  const s = new Support(models);
  return {
    kind: 'mongodb',
    connection,
    models,
    collectionNames,
    users: translated(new MongoUserRepository(s)),
    sessions: translated(new MongoSessionRepository(s)),
    apiTokens: translated(new MongoApiTokenRepository(s)),
    collections: translated(new MongoCollectionRepository(s)),
    interviews: translated(new MongoInterviewRepository(s)),
    media: translated(new MongoMediaRepository(s)),
    jobs: translated(new MongoJobRepository(s)),
    transcripts: translated(new MongoTranscriptRepository(s)),
    groups: translated(new MongoGroupRepository(s)),
    consents: translated(new MongoConsentRepository(s)),
    review: translated(new MongoReviewRepository(s)),
    audit: translated(new MongoAuditRepository(s)),
    operations: translated(new MongoOperationRepository(s)),
    fixity: translated(new MongoFixityRepository(s)),
    async ping() {
      try {
        await connection.db!.command({ ping: 1 });
      } catch (err) {
        throw translateError(err);
      }
    },
    async dropDatabase() {
      await connection.dropDatabase();
    },
    async close() {
      await connection.close();
    },
  };
}
