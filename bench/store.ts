// bench/store — the same store operations on SQLite (the embedded default) and on the MongoDB adapter over the
// MongoDB-wire test engine (FerretDB 1.24, tools/bin/ferretdb, started in a temp dir exactly as the tests start it),
// side by side in one run:
//
//   npx tsx bench/store.ts [--interviews 4000] [--jobs 1000] [--workers 2] [--creates 60] [--lists 40] [--rebuilds 3]
//
// - create:   one interview with 3 media (interviews.create + 3 × media.create, the rows the upload flow writes);
// - list:     page 1 (20) of `--interviews` interviews with two filters (collection + language) for an anonymous viewer,
//             through InterviewService.list's query: interviewListScope(viewer) + the filters → interviews.list,
//             default sort -updatedAt (what GET /api/interviews?collectionId=…&language=de runs);
// - claim / complete: `--jobs` queued jobs drained by `--workers` OS processes (this file in worker mode, each with
//             its own store connection), each claiming and completing until the queue is empty; per-call latency
//             and claims per second over the whole drain (wall clock from "go" to the last worker's exit);
// - catalog:  a full rebuild of the search catalog's source side for all interviews — InterviewCatalogSource.current()
//             on a fresh source (change stamp + every interview in pages of 1,000 + the in-memory catalog), the
//             catalog builder alone, without Meilisearch; and the same on a store opened just before (a process's
//             first read: the MongoDB adapter's interview list cache starts empty there).
// Prints p50/p95 per operation and engine, the ratio engine ÷ SQLite, and CPU seconds per phase (this process, the
// worker processes and the engine process). The machine is shared: read wall times together with the CPU times.
// Exits non-zero when a job ran twice or not at all (exclusiveness is checked here too, not only timed).
import { spawn } from 'node:child_process';
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
import type { Interview, JobRecord, Medium } from '../server/store/types.js';
import { ferretAvailable, startMongoEngine, type MongoEngine } from '../tests/helpers/mongo-engine.js';

const { values } = parseArgs({
  options: {
    interviews: { type: 'string', default: '4000' },
    jobs: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '2' },
    creates: { type: 'string', default: '60' },
    lists: { type: 'string', default: '40' },
    rebuilds: { type: 'string', default: '3' },
    // worker mode (internal): --worker <sqlite|mongodb> <location> <owner>
    worker: { type: 'string' },
    location: { type: 'string' },
    owner: { type: 'string' },
  },
});

type Kind = 'sqlite' | 'mongodb';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** user + system CPU seconds of a process, from /proc (the engine and the workers are other processes). */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] = utime, fields[12] = stime (after the command name), in clock ticks (100/s on Linux)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
const selfCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

// ---------------------------------------------------------------------------------------------------------------
// worker mode: claim + complete until the queue is empty, then print one JSON line
if (values.worker) {
  const kind = values.worker as Kind;
  const owner = values.owner!;
  const store: Store = kind === 'sqlite' ? openSqliteStore(values.location!) : await openMongoStore(values.location!);
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  const ran: string[] = [];
  const claimMs: number[] = [];
  const completeMs: number[] = [];
  let lost = 0;
  let busy = 0;
  // SQLite answers SQLITE_BUSY when the write lock stays taken past its busy timeout (5 s; seen on this shared
  // machine under load): the statement did not run, so it is retried — and counted, the table reports it
  const retried = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        if ((err as { kind?: string }).kind !== 'unavailable' || kind !== 'sqlite') throw err;
        busy++;
      }
    }
  };
  const cpu0 = selfCpu();
  for (;;) {
    const t0 = performance.now();
    const job = await retried(() => store.jobs.claim(owner, 60_000, new Date()));
    const t1 = performance.now();
    if (!job) break;
    claimMs.push(t1 - t0);
    ran.push(job.id);
    if (!(await retried(() => store.jobs.complete(job.id, owner, new Date())))) lost++;
    completeMs.push(performance.now() - t1);
  }
  const cpu = selfCpu() - cpu0;
  await store.close();
  process.stdout.write(`${JSON.stringify({ owner, ran, claimMs, completeMs, lost, busy, cpu })}\n`);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------------------------
const interviewCount = Number(values.interviews);
const jobCount = Number(values.jobs);
const workerCount = Number(values.workers);
const createCount = Number(values.creates);
const listCount = Number(values.lists);
const rebuildCount = Number(values.rebuilds);
for (const [name, n] of Object.entries({ interviewCount, jobCount, workerCount, createCount, listCount, rebuildCount })) {
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`${name} must be a positive integer`);
}
if (!ferretAvailable) {
  console.error('bench/store: tools/bin/ferretdb is missing — run scripts/setup.sh --with-test-tools');
  process.exit(2);
}

interface Phase { samples: number[]; cpu: number; wall: number; note?: string }
type Results = Record<string, Phase>;

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

const iso = () => new Date().toISOString();
const languages = ['de', 'de', 'de', 'en'];
const visibilities = ['public', 'public', 'registered', 'restricted', 'private'] as const;
const statuses = ['published', 'published', 'published', 'draft', 'in_review', 'approved'] as const;

function interview(n: number, collectionIds: string[]): Interview {
  const now = new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
  return {
    id: crypto.randomUUID(), collectionId: collectionIds[n % collectionIds.length]!, title: `Interview ${n}: Schicht im Tagebau Golpa-Nord`,
    people: [{ name: `Zeitzeuge ${n}`, role: 'narrator' }, { name: `Studentin ${n % 37}`, role: 'interviewer' }],
    recordedAt: `20${10 + (n % 15)}-0${1 + (n % 9)}-1${n % 10}`, place: null, language: languages[n % languages.length]!,
    summary: `Erinnerungen an die Brikettfabrik, die Förderbrücke und die Wende (${n}).`, keywords: ['Tagebau', n % 2 ? 'Brikett' : 'Kraftwerk'],
    visibility: visibilities[n % visibilities.length]!, status: statuses[n % statuses.length]!, grants: [], embargoUntil: null,
    embargoListed: false, createdBy: null, createdAt: now, updatedAt: now, version: 1,
  };
}

function medium(interviewId: string, part: number): Medium {
  const now = iso();
  const id = crypto.randomUUID();
  return {
    id, interviewId, part, kind: 'audio', status: 'stored', progress: 0, originalFilename: `band-${part}.wav`,
    originalPath: `originals/${id}/band-${part}.wav`, sha256: crypto.randomBytes(32).toString('hex'), sizeBytes: 48_000_000,
    technical: { container: 'wav', durationSec: 1800, bitRate: 256_000, audio: { codec: 'pcm_s16le', channels: 1, sampleRate: 16000 }, video: null, playableMime: 'audio/wav' },
    derivatives: {}, error: null, renditionRedaction: '', createdBy: null, createdAt: now, updatedAt: now,
  };
}

function job(n: number): JobRecord {
  const now = iso();
  return {
    id: crypto.randomUUID(), name: 'search.reindex-bench', payload: { v: 1, n }, status: 'queued', mediaId: null, dedupeKey: null,
    attempts: 0, maxAttempts: 3, runAfter: now, leaseOwner: null, leaseExpiresAt: null, progress: 0, error: null,
    createdAt: now, updatedAt: now, startedAt: null, finishedAt: null, ownerId: null,
  };
}

async function timed<T>(samples: number[], fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  samples.push(performance.now() - t0);
  return result;
}

/** CPU of this process + the engine over `fn`. */
async function phase(engine: MongoEngine | null, fn: (p: Phase) => Promise<void>): Promise<Phase> {
  const p: Phase = { samples: [], cpu: 0, wall: 0 };
  const enginePid = engine?.process.pid;
  const c0 = selfCpu() + (enginePid ? cpuSecondsOf(enginePid) : 0);
  const t0 = performance.now();
  await fn(p);
  p.wall = (performance.now() - t0) / 1000;
  p.cpu += selfCpu() + (enginePid ? cpuSecondsOf(enginePid) : 0) - c0;
  return p;
}

interface WorkerReport { owner: string; ran: string[]; claimMs: number[]; completeMs: number[]; lost: number; busy: number; cpu: number }

async function drainJobs(kind: Kind, location: string, store: Store, engine: MongoEngine | null): Promise<{ claim: Phase; complete: Phase; claimsPerSecond: number; perWorker: number[]; busy: number }> {
  const ids = new Set<string>();
  for (let n = 0; n < jobCount; n++) ids.add((await store.jobs.enqueue(job(n))).job.id);
  const workers = Array.from({ length: workerCount }, (_, i) => {
    const child = spawn(process.execPath, [...process.execArgv, import.meta.filename, '--worker', kind, '--location', location, '--owner', `bench-${i + 1}`], {
      stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    const exited = new Promise<WorkerReport>((resolve, reject) => child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`bench worker ${i + 1} failed (${code}): ${err}`));
      else resolve(JSON.parse(line) as WorkerReport);
    }));
    return { child, ready: async () => { while (!out.includes('ready\n')) { if (child.exitCode !== null) throw new Error(`bench worker exited: ${err}`); await sleep(10); } }, exited };
  });
  try {
    for (const w of workers) await w.ready();
    const enginePid = engine?.process.pid;
    const c0 = selfCpu() + (enginePid ? cpuSecondsOf(enginePid) : 0);
    const t0 = performance.now();
    for (const w of workers) w.child.stdin!.write('go\n');
    const reports = await Promise.all(workers.map((w) => w.exited));
    const wall = (performance.now() - t0) / 1000;
    const cpu = selfCpu() + (enginePid ? cpuSecondsOf(enginePid) : 0) - c0 + reports.reduce((s, r) => s + r.cpu, 0);
    const runs = reports.flatMap((r) => r.ran);
    const unique = new Set(runs);
    if (runs.length !== jobCount || unique.size !== jobCount || [...ids].some((id) => !unique.has(id)) || reports.some((r) => r.lost > 0)) {
      throw new Error(`${kind}: exclusiveness broken — ${runs.length} runs, ${unique.size} distinct of ${jobCount} jobs, lost completions ${reports.map((r) => r.lost).join('/')}`);
    }
    return {
      claim: { samples: reports.flatMap((r) => r.claimMs), cpu, wall },
      complete: { samples: reports.flatMap((r) => r.completeMs), cpu: NaN, wall },
      claimsPerSecond: jobCount / wall,
      perWorker: reports.map((r) => r.ran.length),
      busy: reports.reduce((n, r) => n + r.busy, 0),
    };
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  }
}

async function runEngine(kind: Kind): Promise<{ results: Results; claimsPerSecond: number; perWorker: number[]; busy: number }> {
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
      await store.collections.create({ id, title: `Spring School Ferropolis ${2019 + c}`, description: null, createdBy: null, createdAt: iso(), updatedAt: iso(), version: 1, autoTranscribe: { enabled: false, language: null } });
      collectionIds.push(id);
    }
    // seed the archive first, so that create, list and catalog all see `--interviews` interviews
    process.stderr.write(`[${kind}] seeding ${interviewCount} interviews …\n`);
    const seedT0 = performance.now();
    for (let n = 0; n < interviewCount - createCount; n++) await store.interviews.create(interview(n, collectionIds));
    process.stderr.write(`[${kind}] seeded in ${((performance.now() - seedT0) / 1000).toFixed(1)} s\n`);

    results['create interview + 3 media'] = await phase(engine, async (p) => {
      for (let n = interviewCount - createCount; n < interviewCount; n++) {
        await timed(p.samples, async () => {
          const i = await store.interviews.create(interview(n, collectionIds));
          for (let part = 1; part <= 3; part++) await store.media.create(medium(i.id, part));
        });
      }
    });

    const filter: InterviewFilter = { access: interviewListScope(anonymous), collectionId: collectionIds[4], language: 'de' };
    let listed = 0;
    // a serving process has listed before: its first read (the MongoDB adapter's full read into its list cache) is
    // the "catalog rebuild, cold store" row below, not a list sample
    await store.interviews.list(filter, { limit: 20, offset: 0 }, '-updatedAt');
    results['list page 1, 2 filters'] = await phase(engine, async (p) => {
      for (let r = 0; r < listCount; r++) {
        const page = await timed(p.samples, () => store.interviews.list(filter, { limit: 20, offset: 0 }, '-updatedAt'));
        listed = page.total;
      }
    });
    results['list page 1, 2 filters']!.note = `${listed} match`;

    let catalogSize = 0;
    results['catalog rebuild (builder only)'] = await phase(engine, async (p) => {
      for (let r = 0; r < rebuildCount; r++) {
        await timed(p.samples, async () => {
          const catalog = await new InterviewCatalogSource(store).current();
          catalogSize = catalog.size;
        });
      }
    });
    if (catalogSize !== interviewCount) throw new Error(`${kind}: the catalog holds ${catalogSize} interviews, not ${interviewCount}`);
    // the same on a store opened just before, as a freshly started process reads it (the MongoDB adapter's list
    // cache is empty there: this is its one full read)
    results['catalog rebuild, cold store'] = await phase(engine, async (p) => {
      for (let r = 0; r < rebuildCount; r++) {
        const cold: Store = kind === 'sqlite' ? openSqliteStore(location) : await openMongoStore(location, { ensureIndexes: false });
        try {
          await timed(p.samples, async () => { catalogSize = (await new InterviewCatalogSource(cold).current()).size; });
        } finally {
          await cold.close();
        }
      }
    });
    if (catalogSize !== interviewCount) throw new Error(`${kind}: the cold catalog holds ${catalogSize} interviews, not ${interviewCount}`);

    process.stderr.write(`[${kind}] draining ${jobCount} jobs with ${workerCount} workers …\n`);
    const drained = await drainJobs(kind, location, store, engine);
    results[`claim (${workerCount} workers)`] = drained.claim;
    results[`complete (${workerCount} workers)`] = drained.complete;
    return { results, claimsPerSecond: drained.claimsPerSecond, perWorker: drained.perWorker, busy: drained.busy };
  } finally {
    if (kind === 'mongodb') await (store as Awaited<ReturnType<typeof openMongoStore>>).dropDatabase().catch(() => undefined);
    await store.close();
    await engine?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

const load0 = os.loadavg();
const sqlite = await runEngine('sqlite');
const mongo = await runEngine('mongodb');
const load1 = os.loadavg();

const f = (x: number) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) : '–');
const rows: string[][] = [['operation', 'SQLite p50 ms', 'SQLite p95 ms', 'engine p50 ms', 'engine p95 ms', 'engine÷SQLite p50', 'engine÷SQLite p95', 'SQLite CPU s', 'engine CPU s', 'n']];
for (const name of Object.keys(sqlite.results)) {
  const a = sqlite.results[name]!;
  const b = mongo.results[name]!;
  rows.push([
    name, f(pct(a.samples, 50)), f(pct(a.samples, 95)), f(pct(b.samples, 50)), f(pct(b.samples, 95)),
    `${f(pct(b.samples, 50) / pct(a.samples, 50))}×`, `${f(pct(b.samples, 95) / pct(a.samples, 95))}×`, f(a.cpu), f(b.cpu), String(b.samples.length),
  ]);
}
rows.push(['claims/s (claim + complete, wall)', f(sqlite.claimsPerSecond), '', f(mongo.claimsPerSecond), '', `${f(mongo.claimsPerSecond / sqlite.claimsPerSecond)}×`, '', '', '', String(jobCount)]);
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
const line = (r: string[]) => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
console.log(`\nbench/store — ${interviewCount} interviews, ${jobCount} jobs, ${workerCount} worker processes; engine = FerretDB 1.24 (MongoDB adapter)`);
console.log(`load average before ${load0.map((l) => l.toFixed(2)).join(' ')}, after ${load1.map((l) => l.toFixed(2)).join(' ')} (2 cores, shared machine)`);
console.log(line(rows[0]!));
console.log(`|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const r of rows.slice(1)) console.log(line(r));
console.log(`CPU s = this process + engine process (+ worker processes for claim; complete shares that phase) over the phase.`);
console.log(`jobs per worker: SQLite ${sqlite.perWorker.join('/')} (SQLITE_BUSY retries: ${sqlite.busy}), engine ${mongo.perWorker.join('/')}; list matches: SQLite ${sqlite.results['list page 1, 2 filters']!.note}, engine ${mongo.results['list page 1, 2 filters']!.note}`);
const listP95 = pct(mongo.results['list page 1, 2 filters']!.samples, 95);
console.log(`RESULT goal engine list p95 ≤ 20 ms: ${f(listP95)} ms ${listP95 <= 20 ? 'met' : 'MISSED'}`);
console.log(`RESULT goal engine ≥ 200 claims/s with ${workerCount} workers: ${f(mongo.claimsPerSecond)} ${mongo.claimsPerSecond >= 200 ? 'met' : 'MISSED'}`);
