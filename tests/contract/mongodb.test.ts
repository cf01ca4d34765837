// The repository contract against MongoDB — the scale-tier adapter (server/store/mongo), on the run's MongoDB-wire
// engine (FerretDB, started by tests/setup/mongo-engine.ts) or on the server MONGODB_URI names. Without either the
// whole suite is reported as skipped with what to do, never as passed.
//
// Each test gets its own database (unique name in the URI path) so that tests never see each other's data; the
// store's dropDatabase() is called before close so that test databases do not pile up.
import crypto from 'node:crypto';
import { describe, inject } from 'vitest';
import type { Store } from '../../server/store/repositories.js';
import { openMongoStore } from '../../server/store/mongo/index.js';
import { needsFerret } from '../helpers/mongo-engine.js';
import { describeRepositoryContract } from './repository-contract.js';

const uri = inject('mongoUri') || undefined;

/** The same URI with the database name replaced, keeping credentials and query options. */
export function withDatabase(base: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(base);
  if (!match) throw new Error(`MONGODB_URI is not a mongodb:// URI: ${base}`);
  return `${match[1]}/${dbName}${match[2] ?? ''}`;
}

async function openMongo(): Promise<Store> {
  const dbName = `schichtbuch_contract_${crypto.randomBytes(6).toString('hex')}`;
  const store = await openMongoStore(withDatabase(uri!, dbName));
  const close = store.close.bind(store);
  return Object.assign(store, {
    async close() {
      try {
        await store.dropDatabase();
      } finally {
        await close();
      }
    },
  });
}

if (uri) {
  describeRepositoryContract('MongoDB', openMongo);
} else {
  // Registered but skipped, so the report lists every contract test that MongoDB has not been checked against.
  describe.skip(`MongoDB adapter ${needsFerret}: skipped — no tools/bin/ferretdb and no MONGODB_URI`, () => {
    describeRepositoryContract('MongoDB', openMongo);
  });
}
