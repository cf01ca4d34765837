// The MongoDB job queue's hint between processes (server/store/mongo/jobs-queue.ts, publishSpent): each process tells
// the others which ready-queue entries it spent, so another process's copy skips them instead of losing a claim race
// for each. Two stores on one database stand for two worker processes (each its own connection and copy of the
// queue), on the run's MongoDB-wire engine (FerretDB). The sweep removes the document of a process gone quiet.
import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { isDuplicateKeyError } from '../../server/store/mongo/support.js';
import { openMongoStore, type MongoStore } from '../../server/store/mongo/index.js';
import { queuedJobRecord } from '../helpers/jobs.js';
import { needsFerret, withDatabase } from '../helpers/mongo-engine.js';

const mongoUri = inject('mongoUri');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counts the claim races `store` loses: state-record inserts refused as duplicates (one per record of a batch). */
function countLostRaces(store: MongoStore): () => number {
  const claims = store.models.jobClaims.collection;
  let lost = 0;
  const count = (err: unknown) => {
    const raw = (err as { writeErrors?: unknown }).writeErrors;
    if (Array.isArray(raw)) lost += raw.filter((w: { code?: number }) => w.code === 11000).length;
    else if (raw || isDuplicateKeyError(err)) lost++;
    throw err;
  };
  const insertOne = claims.insertOne.bind(claims);
  const insertMany = claims.insertMany.bind(claims);
  claims.insertOne = ((...args: Parameters<typeof insertOne>) => insertOne(...args).catch(count)) as typeof insertOne;
  claims.insertMany = ((...args: Parameters<typeof insertMany>) =>
    insertMany(...args).catch(count)) as typeof insertMany;
  return () => lost;
}

describe.skipIf(!mongoUri)(`MongoDB job queue: processes tell each other their spent entries ${needsFerret}`, () => {
  let a: MongoStore;
  let b: MongoStore;
  beforeEach(async () => {
    const uri = withDatabase(mongoUri || 'mongodb://x', `schichtbuch_spent_${crypto.randomBytes(6).toString('hex')}`);
    a = await openMongoStore(uri);
    b = await openMongoStore(uri, { ensureIndexes: false });
  });
  afterEach(async () => {
    await b.close();
    await a.dropDatabase();
    await a.close();
  });

  const stampDocs = (store: MongoStore) =>
    store.models.jobQueue.db.collection('job_queue_stamp').find({}).toArray() as Promise<Record<string, unknown>[]>;

  it('a process skips the entries another one claimed once it was told, and loses no race for them', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 20; n++)
      ids.push((await a.jobs.enqueue(queuedJobRecord('search.reindex-test', { v: 1, n }))).job.id);
    const now = () => new Date();
    // B reads the queue first (its copy holds all 20), then A claims 10 and — at its next read of the stamp — tells
    const first = await b.jobs.claim('worker-b', 60_000, now());
    expect(first).not.toBeNull();
    // A's batch of the 10 oldest meets the one B took: a lost race (A learns that one by losing it), 9 claimed
    const byA = await a.jobs.claimMany('worker-a', 60_000, now(), 10);
    expect(byA).toHaveLength(9);
    await sleep(150);
    const oneMore = await a.jobs.claim('worker-a', 60_000, now());
    expect(oneMore).not.toBeNull();
    const told = (await stampDocs(a)).filter((d) => String(d._id).startsWith('spent:'));
    expect(told).toHaveLength(1);
    expect((told[0]!.keys as string[]).length).toBeGreaterThanOrEqual(10);

    // B, after its trust in its copy ran out, reads the stamp and A's keys with it and takes the 9 left
    await sleep(150);
    const lostByB = countLostRaces(b);
    const rest = await b.jobs.claimMany('worker-b', 60_000, now(), 20);
    expect(rest).toHaveLength(9);
    const all = [first!, ...byA, oneMore!, ...rest].map((j) => j.id);
    expect(new Set(all).size).toBe(20);
    expect([...all].sort()).toEqual([...ids].sort());
    // A told what it had spent by its last stamp read (its 9 claims and the entry it lost); oneMore was spent after
    // that read, so B loses exactly that one race — not one for each of A's 10 claims, as an untold copy would
    expect(lostByB()).toBe(1);
    expect(await b.jobs.claim('worker-b', 60_000, now())).toBeNull();
  });

  it('the sweep removes the document of a process that stopped telling (older than a minute), not a fresh one', async () => {
    for (let n = 0; n < 3; n++) await a.jobs.enqueue(queuedJobRecord('search.reindex-test', { v: 1, n }));
    expect(await a.jobs.claim('worker-a', 60_000, new Date())).not.toBeNull();
    await sleep(150);
    expect(await a.jobs.claim('worker-a', 60_000, new Date())).not.toBeNull();
    const stamps = a.models.jobQueue.db.collection('job_queue_stamp');
    const mine = (await stampDocs(a)).find((d) => String(d._id).startsWith('spent:'));
    expect(mine).toBeDefined();
    await stamps.insertOne({ _id: 'spent:gone' as never, keys: ['x'], at: new Date(Date.now() - 5 * 60_000) });
    await b.jobs.requeueExpired(new Date());
    const left = (await stampDocs(a)).map((d) => String(d._id)).sort();
    expect(left).toContain(String(mine!._id));
    expect(left).toContain('queue');
    expect(left).not.toContain('spent:gone');
  });
});
