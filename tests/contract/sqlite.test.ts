// The repository contract against the embedded SQLite store: once in memory, once on a real file (WAL mode).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuplicateKeyError, StoreUnavailableError } from '../../server/store/errors.js';
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

describe('SQLite adapter: driver errors arrive as store errors', () => {
  it('a closed database is StoreUnavailableError (503 above), a taken key DuplicateKeyError naming the index', async () => {
    const store = openSqliteStore(':memory:');
    await store.groups.create({ id: crypto.randomUUID(), name: 'Forschung', createdAt: new Date().toISOString() });
    const dup = await store.groups
      .create({ id: crypto.randomUUID(), name: 'Forschung', createdAt: new Date().toISOString() })
      .catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(DuplicateKeyError);
    expect((dup as DuplicateKeyError).key).toBe('groups.name');
    await store.close();
    await expect(store.users.findById(crypto.randomUUID())).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
