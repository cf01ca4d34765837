// bench/store — the same store operations on SQLite (the embedded default) and on the MongoDB adapter over the
// MongoDB-wire test engine (FerretDB 1.24, tools/bin/ferretdb, started in a temp dir exactly as the tests start it),
// side by side in one run:
//
//   npx tsx bench/store.ts [--interviews 4000] [--jobs 1000] [--workers 2] [--slots 1,8] [--creates 60] [--lists 40]
//                          [--rebuilds 3] [--only create,list,catalog,claim]   (default: all four; claim alone seeds no
//                          interviews)
//
// - create:   one interview with 3 media (interviews.create + 3 × media.create, the rows the upload flow writes);
// - list:     page 1 (20) of `--interviews` interviews with two filters (collection + language) for an anonymous viewer,
//             through InterviewService.list's query: interviewListScope(viewer) + the filters → interviews.list,
//             default sort -updatedAt (what GET /api/interviews?collectionId=…&language=de runs);
// - claim / complete: `--jobs` queued jobs drained by `--workers` OS processes (this file in worker mode, each with
//             its own store connection; bench/store/jobs.ts), each claiming and completing until the queue is empty;
//             per-call latency and claims per second over the whole drain (wall clock from "go" to the last exit);
//             once per `--slots` value: the job slots of each worker (WORKER_CONCURRENCY) — with more than one, a
//             worker claims a job for each slot in one call (claimMany, as JobWorker does) and runs them side by side;
// - catalog:  a full rebuild of the search catalog's source side for all interviews — InterviewCatalogSource.current()
//             on a fresh source (change stamp + every interview in pages of 1,000 + the in-memory catalog), the
//             catalog builder alone, without Meilisearch; and the same on a store opened just before (a process's
//             first read: the MongoDB adapter's interview list cache starts empty there).
// Prints p50/p95 per operation and engine, the ratio engine ÷ SQLite, and CPU seconds per phase (this process, the
// worker processes and the engine process). The machine is shared: read wall times together with the CPU times.
// Exits non-zero when a job ran twice or not at all (exclusiveness is checked here too, not only timed).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { interviewListScope } from '../server/access/policy.js';
import { anonymous } from '../server/access/viewer.js';
import { InterviewCatalogSource } from '../server/search/interview-catalog.js';
import type { InterviewFilter, Store } from '../server/store/repositories.js';
import { openMongoStore } from '../server/store/mongo/index.js';
import { openSqliteStore } from '../server/store/sqlite/index.js';
import { ferretAvailable, startMongoEngine, type MongoEngine } from '../tests/helpers/mongo-engine.js';
import { interview, iso, medium } from './store/fixtures.js';
import { drainJobs, runWorker, type Drained, type Kind } from './store/jobs.js';
import { f, pct, phase, printTable, timed, type Results } from './store/measure.js';

const HELP = `npx tsx bench/store.ts [--interviews 4000] [--jobs 1000] [--workers 2] [--slots 1,8] [--creates 60]
                       [--lists 40] [--rebuilds 3] [--only create,list,catalog,claim]
The same store operations on SQLite and on the MongoDB adapter over FerretDB, side by side (see the head of this file).
`;

const { values } = parseCommandLine();

function parseCommandLine() {
  try {
    const parsed = parseStoreBenchArgs();
    if (parsed.values.help) {
      process.stdout.write(HELP);
      process.exit(0);
    }
    return parsed;
  } catch (error) {
    process.stderr.write(`bench/store: ${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
}

function parseStoreBenchArgs() {
  return parseArgs({
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      interviews: { type: 'string', default: '4000' },
      jobs: { type: 'string', default: '1000' },
      workers: { type: 'string', default: '2' },
      slots: { type: 'string', default: '1,8' },
      creates: { type: 'string', default: '60' },
      lists: { type: 'string', default: '40' },
      rebuilds: { type: 'string', default: '3' },
      only: { type: 'string', default: 'create,list,catalog,claim' },
      // worker mode (internal): --worker <sqlite|mongodb> <location> <owner>
      worker: { type: 'string' },
      location: { type: 'string' },
      owner: { type: 'string' },
    },
  });
}

// worker mode: claim + complete until the queue is empty, then print one JSON line (bench/store/jobs.ts)
if (values.worker) {
  const kind = values.worker as Kind;
  const store: Store = kind === 'sqlite' ? openSqliteStore(values.location!) : await openMongoStore(values.location!);
  await runWorker(kind, store, values.owner!, Number(values.slots));
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------------------------
const interviewCount = Number(values.interviews);
const jobCount = Number(values.jobs);
const workerCount = Number(values.workers);
const createCount = Number(values.creates);
const listCount = Number(values.lists);
const rebuildCount = Number(values.rebuilds);
const slotCounts = values.slots!.split(',').map((n) => Number(n.trim()));
if (!slotCounts.every((n) => Number.isInteger(n) && n > 0))
  throw new Error('--slots takes positive integers, e.g. 1,8');
for (const [name, n] of Object.entries({
  interviewCount,
  jobCount,
  workerCount,
  createCount,
  listCount,
  rebuildCount,
})) {
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`${name} must be a positive integer`);
}
const operations = ['create', 'list', 'catalog', 'claim'] as const;
const only = new Set(values.only!.split(',').map((o) => o.trim()));
for (const o of only)
  if (!(operations as readonly string[]).includes(o)) throw new Error(`--only takes ${operations.join(',')}, not ${o}`);
if (!ferretAvailable) {
  console.error('bench/store: tools/bin/ferretdb is missing — run scripts/setup.sh --with-test-tools');
  process.exit(2);
}

type Drain = { slots: number } & Drained;

async function runEngine(kind: Kind): Promise<{ results: Results; drains: Drain[] }> {
  let engine: MongoEngine | null = null;
  let dir: string | null = null;
  let location: string;
  let store: Store;
  if (kind === 'sqlite') {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-bench-store-'));
    location = dir;
    store = openSqliteStore(dir);
  } else {
    engine = await startMongoEngine();
    location = engine.uri.replace(/\/schichtbuch$/, '/schichtbuch_bench');
    store = await openMongoStore(location);
  }
  const results: Results = {};
  try {
    const collectionIds: string[] = [];
    for (let c = 0; c < 8; c++) {
      const id = crypto.randomUUID();
      await store.collections.create({
        id,
        title: `Spring School Ferropolis ${2019 + c}`,
        description: null,
        createdBy: null,
        createdAt: iso(),
        updatedAt: iso(),
        version: 1,
        autoTranscribe: { enabled: false, language: null },
      });
      collectionIds.push(id);
    }
    // seed the archive first, so that create, list and catalog all see `--interviews` interviews
    const archive = only.has('create') || only.has('list') || only.has('catalog');
    if (archive) process.stderr.write(`[${kind}] seeding ${interviewCount} interviews …\n`);
    const seedT0 = performance.now();
    for (let n = 0; archive && n < interviewCount - createCount; n++)
      await store.interviews.create(interview(n, collectionIds));
    if (archive) process.stderr.write(`[${kind}] seeded in ${((performance.now() - seedT0) / 1000).toFixed(1)} s\n`);

    if (archive)
      results['create interview + 3 media'] = await phase(engine, async (p) => {
        for (let n = interviewCount - createCount; n < interviewCount; n++) {
          await timed(p.samples, async () => {
            const i = await store.interviews.create(interview(n, collectionIds));
            for (let part = 1; part <= 3; part++) await store.media.create(medium(i.id, part));
          });
        }
      });

    const filter: InterviewFilter = {
      access: interviewListScope(anonymous),
      collectionId: collectionIds[4],
      language: 'de',
    };
    let listed = 0;
    // a serving process has listed before: its first read (the MongoDB adapter's full read into its list cache) is
    // the "catalog rebuild, cold store" row below, not a list sample
    if (only.has('list')) await store.interviews.list(filter, { limit: 20, offset: 0 }, '-updatedAt');
    if (only.has('list'))
      results['list page 1, 2 filters'] = await phase(engine, async (p) => {
        for (let r = 0; r < listCount; r++) {
          const page = await timed(p.samples, () =>
            store.interviews.list(filter, { limit: 20, offset: 0 }, '-updatedAt'),
          );
          listed = page.total;
        }
      });
    if (only.has('list')) results['list page 1, 2 filters']!.note = `${listed} match`;

    let catalogSize = interviewCount;
    if (only.has('catalog'))
      results['catalog rebuild (builder only)'] = await phase(engine, async (p) => {
        for (let r = 0; r < rebuildCount; r++) {
          await timed(p.samples, async () => {
            const catalog = await new InterviewCatalogSource(store).current();
            catalogSize = catalog.size;
          });
        }
      });
    if (catalogSize !== interviewCount)
      throw new Error(`${kind}: the catalog holds ${catalogSize} interviews, not ${interviewCount}`);
    // the same on a store opened just before, as a freshly started process reads it (the MongoDB adapter's list
    // cache is empty there: this is its one full read)
    if (only.has('catalog'))
      results['catalog rebuild, cold store'] = await phase(engine, async (p) => {
        for (let r = 0; r < rebuildCount; r++) {
          const cold: Store =
            kind === 'sqlite' ? openSqliteStore(location) : await openMongoStore(location, { ensureIndexes: false });
          try {
            await timed(p.samples, async () => {
              catalogSize = (await new InterviewCatalogSource(cold).current()).size;
            });
          } finally {
            await cold.close();
          }
        }
      });
    if (catalogSize !== interviewCount)
      throw new Error(`${kind}: the cold catalog holds ${catalogSize} interviews, not ${interviewCount}`);

    const drains: Drain[] = [];
    if (!only.has('claim')) return { results, drains };
    for (const slots of slotCounts) {
      process.stderr.write(`[${kind}] draining ${jobCount} jobs with ${workerCount} workers × ${slots} slots …\n`);
      const drained = await drainJobs({
        kind,
        location,
        store,
        engine,
        jobCount,
        workerCount,
        slots,
        script: import.meta.filename,
      });
      results[`claim (${workerCount} workers × ${slots} slots)`] = drained.claim;
      results[`complete (${workerCount} workers × ${slots} slots)`] = drained.complete;
      drains.push({ slots, ...drained });
    }
    return { results, drains };
  } finally {
    if (kind === 'mongodb')
      await (store as Awaited<ReturnType<typeof openMongoStore>>).dropDatabase().catch(() => undefined);
    await store.close();
    await engine?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

const load0 = os.loadavg();
const sqlite = await runEngine('sqlite');
const mongo = await runEngine('mongodb');
const load1 = os.loadavg();

const rows: string[][] = [
  [
    'operation',
    'SQLite p50 ms',
    'SQLite p95 ms',
    'engine p50 ms',
    'engine p95 ms',
    'engine÷SQLite p50',
    'engine÷SQLite p95',
    'SQLite CPU s',
    'engine CPU s',
    'n',
  ],
];
for (const name of Object.keys(sqlite.results)) {
  const a = sqlite.results[name]!;
  const b = mongo.results[name]!;
  rows.push([
    name,
    f(pct(a.samples, 50)),
    f(pct(a.samples, 95)),
    f(pct(b.samples, 50)),
    f(pct(b.samples, 95)),
    `${f(pct(b.samples, 50) / pct(a.samples, 50))}×`,
    `${f(pct(b.samples, 95) / pct(a.samples, 95))}×`,
    f(a.cpu),
    f(b.cpu),
    String(b.samples.length),
  ]);
}
for (const [i, a] of sqlite.drains.entries()) {
  const b = mongo.drains[i]!;
  rows.push([
    `claims/s (claim + complete, wall), ${a.slots} slots`,
    f(a.claimsPerSecond),
    '',
    f(b.claimsPerSecond),
    '',
    `${f(b.claimsPerSecond / a.claimsPerSecond)}×`,
    '',
    '',
    '',
    String(jobCount),
  ]);
}
console.log(
  `\nbench/store — ${interviewCount} interviews, ${jobCount} jobs, ${workerCount} worker processes; engine = FerretDB 1.24 (MongoDB adapter); ran: ${[...only].join(', ')}`,
);
console.log(
  `load average before ${load0.map((l) => l.toFixed(2)).join(' ')}, after ${load1.map((l) => l.toFixed(2)).join(' ')} (2 cores, shared machine)`,
);
printTable(rows);
console.log(
  `CPU s = this process + engine process (+ worker processes for claim; complete shares that phase) over the phase.`,
);
for (const [i, a] of sqlite.drains.entries()) {
  const b = mongo.drains[i]!;
  console.log(
    `${a.slots} slots: jobs per worker SQLite ${a.perWorker.join('/')} (SQLITE_BUSY retries: ${a.busy}), engine ${b.perWorker.join('/')}; jobs per claim call SQLite ${f(a.perCall)}, engine ${f(b.perCall)}`,
  );
}
if (only.has('list')) {
  console.log(
    `list matches: SQLite ${sqlite.results['list page 1, 2 filters']!.note}, engine ${mongo.results['list page 1, 2 filters']!.note}`,
  );
  const listP95 = pct(mongo.results['list page 1, 2 filters']!.samples, 95);
  console.log(`RESULT goal engine list p95 ≤ 20 ms: ${f(listP95)} ms ${listP95 <= 20 ? 'met' : 'MISSED'}`);
}
for (const b of mongo.drains)
  console.log(
    `RESULT goal engine ≥ 200 claims/s with ${workerCount} workers (${b.slots} slots each): ${f(b.claimsPerSecond)} ${b.claimsPerSecond >= 200 ? 'met' : 'MISSED'}`,
  );
