// The repository contract: one suite, run against every Store adapter (SQLite now, MongoDB with the scale tier).
// It talks to the Store interface only — no SQL, no driver calls — so that any adapter passing it behaves the same
// for the services above it. Each test gets a fresh, empty store.
// The suite is composed of parts, one file each: repository-contract-<area>.ts; shared factories and the clock are in
// repository-contract-helpers.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../server/store/repositories.js';
import { describeAccountsContract } from './repository-contract-accounts.js';
import { describeArchiveContract } from './repository-contract-archive.js';
import { describeIntegrityContract } from './repository-contract-integrity.js';
import { describeJobsContract } from './repository-contract-jobs.js';
import { describeReviewContract } from './repository-contract-review.js';

export function describeRepositoryContract(adapterName: string, openStore: () => Promise<Store>): void {
  describe(`repository contract: ${adapterName}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await openStore();
    });
    afterEach(async () => {
      await store?.close();
    });

    it('identifies itself and answers ping', async () => {
      expect(['sqlite', 'mongodb']).toContain(store.kind);
      await expect(store.ping()).resolves.toBeUndefined();
    });

    const storeOf = (): Store => store;
    describeJobsContract(storeOf);
    describeAccountsContract(storeOf);
    describeArchiveContract(storeOf);
    describeReviewContract(storeOf);
    describeIntegrityContract(storeOf);
  });
}
