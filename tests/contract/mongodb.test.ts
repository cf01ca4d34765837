// The repository contract against MongoDB — the scale-tier adapter. It runs only when both a server is configured
// (MONGODB_URI) and the adapter module exists; otherwise the whole suite is reported as skipped, never as passed.
//
// Expected adapter API (server/store/mongo/index.ts): `openMongoStore(uri: string): Store | Promise<Store>`.
// Each test gets its own database (unique name in the URI path) so that tests never see each other's data; if the
// returned store offers `dropDatabase()`, it is called before close so that test databases do not pile up.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import type { Store } from '../../server/store/repositories.js';
import { describeRepositoryContract } from './repository-contract.js';
import { describeUseCaseContract } from './use-case-contract.js';

const adapterUrl = new URL('../../server/store/mongo/index.js', import.meta.url);
const adapterExists = ['index.ts', 'index.js'].some((file) =>
  fs.existsSync(fileURLToPath(new URL(`../../server/store/mongo/${file}`, import.meta.url))),
);
const uri = process.env.MONGODB_URI?.trim() || undefined;

/** The same URI with the database name replaced, keeping credentials and query options. */
function withDatabase(base: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(base);
  if (!match) throw new Error(`MONGODB_URI is not a mongodb:// URI: ${base}`);
  return `${match[1]}/${dbName}${match[2] ?? ''}`;
}

async function openMongo(): Promise<Store> {
  // A variable specifier: the module does not exist yet, and TypeScript must not try to resolve it.
  const specifier: string = adapterUrl.href;
  const mod = (await import(specifier)) as { openMongoStore?: (uri: string) => Store | Promise<Store> };
  if (typeof mod.openMongoStore !== 'function') {
    throw new Error('server/store/mongo/index exists but does not export openMongoStore(uri)');
  }
  const dbName = `schichtbuch_contract_${crypto.randomBytes(6).toString('hex')}`;
  const store = await mod.openMongoStore(withDatabase(uri!, dbName));
  const drop = (store as Store & { dropDatabase?: () => Promise<void> }).dropDatabase?.bind(store);
  const close = store.close.bind(store);
  return Object.assign(store, {
    async close() {
      try {
        await drop?.();
      } finally {
        await close();
      }
    },
  });
}

if (uri && adapterExists) {
  describeRepositoryContract('MongoDB', openMongo);
  describeUseCaseContract('MongoDB', openMongo);
} else {
  const why = !uri && !adapterExists
    ? 'set MONGODB_URI; adapter arrives with the scale-tier issue'
    : !uri
      ? 'set MONGODB_URI'
      : 'adapter arrives with the scale-tier issue (server/store/mongo/index.ts missing)';
  // Registered but skipped, so the report lists every contract test that MongoDB has not yet been checked against.
  describe.skip(`MongoDB adapter: skipped — ${why}`, () => {
    describeRepositoryContract('MongoDB', openMongo);
    describeUseCaseContract('MongoDB', openMongo);
  });
}
