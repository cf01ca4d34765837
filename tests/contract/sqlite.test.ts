// The repository contract against the embedded SQLite store: once in memory, once on a real file (WAL mode).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Store } from '../../server/store/repositories.js';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import { describeRepositoryContract } from './repository-contract.js';
import { describeUseCaseContract } from './use-case-contract.js';

describeRepositoryContract('SQLite in memory', async () => openSqliteStore(':memory:'));

describeRepositoryContract('SQLite file', async (): Promise<Store> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-contract-'));
  const store = openSqliteStore(dir);
  // Closing the store also removes its temporary directory (database, WAL and shared-memory files). The close
  // method is replaced on the store itself so that every repository, present and future, stays as the adapter made it.
  const close = store.close.bind(store);
  return Object.assign(store, {
    async close() {
      try {
        await close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  });
});

// the use cases' units of work on top of the same adapter (crash after every write, sweep, retry)
describeUseCaseContract('SQLite in memory', async () => openSqliteStore(':memory:'));
