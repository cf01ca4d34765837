// One OS process of the job-concurrency test (tests/integration/job-concurrency.test.ts): opens the store given on
// the command line, waits for "go" on stdin, then claims and completes jobs until none is left, and prints one JSON
// line with the ids it ran.  tsx claim-worker.ts sqlite <dir> <owner> [slots] | mongodb <uri> <owner> [slots]
// With slots > 1 it claims that many jobs per call (claimMany, as a JobWorker with free slots does) and completes them
// side by side.
import { openMongoStore } from '../../../server/store/mongo/index.js';
import type { Store } from '../../../server/store/repositories.js';
import { openSqliteStore } from '../../../server/store/sqlite/index.js';

const [kind, location, owner, slotArg] = process.argv.slice(2);
const slots = Number(slotArg ?? 1);
const store: Store = kind === 'sqlite' ? openSqliteStore(location!) : await openMongoStore(location!);
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));

const ran: string[] = [];
let lostCompletions = 0;
const t0 = performance.now();
for (;;) {
  const jobs =
    slots > 1
      ? await store.jobs.claimMany(owner!, 60_000, new Date(), slots)
      : [await store.jobs.claim(owner!, 60_000, new Date())].filter((j) => j !== null);
  if (jobs.length === 0) break;
  await Promise.all(
    jobs.map(async (job) => {
      ran.push(job.id);
      if (!(await store.jobs.complete(job.id, owner!, new Date()))) lostCompletions++;
    }),
  );
}
const ms = performance.now() - t0;
await store.close();
process.stdout.write(`${JSON.stringify({ owner, ran, lostCompletions, ms })}\n`);
process.exit(0);
