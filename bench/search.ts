// bench/search — the archive search API against Meilisearch asked directly with the same request, in one run; plus
// how long indexing takes and how much memory Meilisearch needs for it.
//
//   npx tsx bench/search.ts [--segments 200000] [--corpus speech|mining] [--decompounder on|off|compare]
//                           [--requests 300] [--per-query] [--keep]
//
// A fresh embedded Meilisearch (MeiliSidecar: 256 MiB indexing memory, one indexing thread) in a temp dir gets
// `--segments` generated German passages through SegmentIndex with our settings: `speech` (default) draws ~30 words
// per passage by Zipf from the German lexicon (tests/helpers/speech-corpus.ts, tens of thousands of distinct words)
// plus one sentence of the mining corpus; `mining` is tests/helpers/german-corpus.ts alone (391 words). Every
// interview is made published + public so anonymous searches see it. `--decompounder compare` indexes the same corpus
// first without the lexicon's decompounder (SEARCH_DECOMPOUNDER=false), then with it, each in a fresh Meilisearch,
// and prints the ratios; the queries then run against the second. "Indexing" = Meilisearch's
// enqueuedAt of the first document request to finishedAt of the last task. The server runs as its own process
// (`server/main.ts`, MEILI_URL at that Meilisearch, workers off) so it never shares an event loop with the load.
// "API" = GET /api/search?q=…; "direct" = POST /indexes/<uid>/search with the body SegmentIndex.search sends for an
// anonymous viewer. Requests go one at a time, API and direct alternating which goes first.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Meilisearch, type Task } from 'meilisearch';
import { anonymous } from '../server/access/viewer.js';
import { searchScope } from '../server/access/policy.js';
import { configureLogger, moduleLogger } from '../server/logger.js';
import { SearchEngine } from '../server/search/engine.js';
import { useLexiconDecompounder } from '../server/search/german.js';
import { segmentFacets, segmentFilter, SegmentIndex, type SegmentInterviewMeta, type SegmentInput } from '../server/search/segment-index.js';
import { MeiliSidecar } from '../server/search/sidecar.js';
import { openSqliteStore, type SqliteStore } from '../server/store/sqlite/index.js';
import { generateSegments } from '../tests/helpers/german-corpus.js';
import { generateSpeechSegments } from '../tests/helpers/speech-corpus.js';
import { freePort } from '../tests/e2e/helpers/server.js';

const { values } = parseArgs({
  options: {
    segments: { type: 'string', default: '200000' },
    requests: { type: 'string', default: '300' },
    'per-query': { type: 'boolean', default: false },
    corpus: { type: 'string', default: 'speech' },
    decompounder: { type: 'string', default: 'on' },
    // keep Meilisearch's data directory for inspection (e.g. `mdb_stat -a -e <dir>/meili/meili/indexes/<uuid>`)
    keep: { type: 'boolean', default: false },
  },
});
const segmentCount = Number(values.segments);
const requests = Number(values.requests);
if (!(segmentCount > 0) || !(requests > 0)) throw new Error('--segments and --requests must be positive numbers');
if (!['speech', 'mining'].includes(values.corpus!)) throw new Error('--corpus must be speech or mining');
if (!['on', 'off', 'compare'].includes(values.decompounder!)) throw new Error('--decompounder must be on, off or compare');
// a million passages: the larger archive's goals (issue: ~2,800 hours of speech)
const large = segmentCount >= 1_000_000;

const PREFIX = 'bench_';
const identity = { 'Accept-Encoding': 'identity' };
const MiB = 1024 ** 2;

// What people type into an oral-history archive of a lignite district; the corpus plants most of these words.
const queries: ReadonlyArray<{ kind: string; q: string }> = [
  { kind: 'exact', q: 'Gräfenhainichen' }, { kind: 'exact', q: 'Ferropolis' }, { kind: 'exact', q: 'Zschornewitz' },
  { kind: 'exact', q: 'Kraftwerk' },
  { kind: 'umlaut-less', q: 'Grafenhainichen' }, { kind: 'umlaut-less', q: 'Graefenhainichen' }, { kind: 'umlaut-less', q: 'Forderbrucke' },
  { kind: 'ß/ss', q: 'Straße' }, { kind: 'ß/ss', q: 'Strasse' }, { kind: 'ß/ss', q: 'Grossvater' },
  { kind: 'typo', q: 'Tagebua' }, { kind: 'typo', q: 'Brikettfabrick' }, { kind: 'typo', q: 'Förderbrüke' }, { kind: 'typo', q: 'Zschornewiz' },
  { kind: 'compound', q: 'Tagebau' }, { kind: 'compound', q: 'Kohle' }, { kind: 'compound', q: 'Brikett' }, { kind: 'compound', q: 'Förderbrücke' },
  { kind: 'synonym', q: 'Bergmann' }, { kind: 'synonym', q: 'Kumpel' }, { kind: 'synonym', q: 'Brikettfabrik' },
  { kind: 'two words', q: 'Schicht Kneipe' }, { kind: 'two words', q: 'Kohlenzug Morgen' }, { kind: 'two words', q: 'Tagebau Winter' },
  { kind: 'two words', q: 'Brikettfabrik Staub' },
  { kind: 'rare', q: 'Bergmannsfrau' }, { kind: 'rare', q: 'Tiefbau' }, { kind: 'no hits', q: 'Wismut' },
  { kind: 'common', q: 'Schicht' }, { kind: 'common', q: 'Wende' }, { kind: 'common', q: 'Garten' }, { kind: 'common', q: 'Zeit' },
  { kind: 'look-alike', q: 'Schacht' }, { kind: 'look-alike', q: 'Gräfenhain' },
];

/** VmRSS, VmHWM (peak) and RssAnon of a process, in bytes; the rest of RSS is mostly LMDB's mapped file pages. */
function memoryOf(pid: number): { rss: number; hwm: number; anon: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM'), anon: kb('RssAnon') };
}

/** Nearest-rank percentile. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;
}

interface Sample {
  ms: number;
  bytes: number;
  total: number;
  engineMs: number;
}

async function timedFetch(url: string, init: RequestInit, totalOf: (body: Record<string, unknown>) => unknown): Promise<Sample> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const buf = await res.arrayBuffer();
  const ms = performance.now() - t0;
  // parsing is the client's business, not part of either side's answer time
  const text = new TextDecoder().decode(buf);
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as Record<string, unknown>;
  return { ms, bytes: buf.byteLength, total: Number(totalOf(body)), engineMs: Number(body.processingTimeMs) };
}

function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(`${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-search-'));
let sidecar: MeiliSidecar | undefined;
let server: ChildProcess | undefined;
let serverOutput = '';

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const child = server;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    await sidecar?.stop().catch(() => undefined);
    if (values.keep) process.stdout.write(`kept ${dir}\n`);
    else fs.rmSync(dir, { recursive: true, force: true });
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}

async function waitForIdle(client: Meilisearch): Promise<void> {
  for (;;) {
    const pending = await client.tasks.getTasks({ statuses: ['enqueued', 'processing'], limit: 1 });
    if (pending.results.length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

type BenchMedia = Array<{ interview: SegmentInterviewMeta; mediaId: string; segments: SegmentInput[] }>;

interface Indexed {
  url: string;
  masterKey: string;
  meiliPid: number;
  engine: SearchEngine;
  segments: SegmentIndex;
  indexSeconds: number;
  wallSeconds: number;
  tasks: number;
  batches: number;
  peakSampled: number;
  peakAnon: number;
  afterIndexing: ReturnType<typeof memoryOf>;
}

/** A fresh embedded Meilisearch in `dataDir`, the corpus indexed through SegmentIndex, timed and its memory sampled. */
async function indexCorpus(media: BenchMedia, dataDir: string, decompounder: boolean): Promise<Indexed> {
  useLexiconDecompounder(decompounder);
  sidecar = new MeiliSidecar({ dataDir });
  const { url, masterKey } = await sidecar.start();
  const meiliPid = sidecar.pid!;
  const engine = new SearchEngine({ url, apiKey: masterKey, indexPrefix: PREFIX, timeoutMs: 120_000 });
  const segments = new SegmentIndex(engine, moduleLogger('bench'));
  await segments.ensureSettings();
  let peakSampled = memoryOf(meiliPid).rss;
  let peakAnon = memoryOf(meiliPid).anon;
  const sampler = setInterval(() => {
    const m = memoryOf(meiliPid);
    peakSampled = Math.max(peakSampled, m.rss);
    peakAnon = Math.max(peakAnon, m.anon);
  }, 100);
  const tIndex = performance.now();
  try {
    await segments.replaceMedia(media, { timeoutMs: 60 * 60_000 });
  } finally {
    clearInterval(sampler);
  }
  const wallSeconds = (performance.now() - tIndex) / 1000;
  const tasks: Task[] = [];
  for (let from: number | undefined; ; ) {
    const page = await engine.client.tasks.getTasks({ indexUids: [segments.uid], types: ['documentAdditionOrUpdate', 'documentDeletion'], limit: 1000, ...(from !== undefined ? { from } : {}) });
    tasks.push(...page.results);
    if (page.next === null || page.next === undefined) break;
    from = page.next;
  }
  const failed = tasks.filter((t) => t.status !== 'succeeded');
  if (failed.length > 0) throw new Error(`indexing tasks failed: ${failed.map((t) => t.error?.message ?? t.status).join('; ')}`);
  const first = Math.min(...tasks.map((t) => Date.parse(t.enqueuedAt)));
  const last = Math.max(...tasks.map((t) => Date.parse(t.finishedAt!)));
  const afterIndexing = memoryOf(meiliPid);
  return {
    url, masterKey, meiliPid, engine, segments, indexSeconds: (last - first) / 1000, wallSeconds, tasks: tasks.length,
    batches: new Set(tasks.map((t) => t.batchUid)).size, peakSampled: Math.max(peakSampled, afterIndexing.rss),
    peakAnon: Math.max(peakAnon, afterIndexing.anon), afterIndexing,
  };
}

async function main(): Promise<void> {
  configureLogger('warn');
  const log = moduleLogger('bench');

  const tGen = performance.now();
  const corpus = values.corpus === 'speech' ? generateSpeechSegments(segmentCount, 1) : generateSegments(segmentCount, 1);
  // the corpus mixes in drafts and registered-only interviews for access tests; here every passage must be findable
  const media: BenchMedia = corpus.media.map((m) => ({ ...m, interview: { ...m.interview, status: 'published' as const, visibility: 'public' as const } }));
  const genSeconds = (performance.now() - tGen) / 1000;
  const words = 'distinctWords' in corpus ? `, ${corpus.distinctWords} distinct lexicon words` : '';
  process.stdout.write(`generated ${corpus.count} ${values.corpus} segments in ${media.length} interviews (${genSeconds.toFixed(1)} s${words}); indexing …\n`);

  let without: Indexed | undefined;
  if (values.decompounder === 'compare') {
    without = await indexCorpus(media, path.join(dir, 'meili-without'), false);
    process.stdout.write(`without decompounder: indexing ${without.indexSeconds.toFixed(1)} s, peak ${(Math.max(without.peakSampled, without.afterIndexing.hwm) / MiB).toFixed(0)} MiB\n`);
    await sidecar!.stop();
    fs.rmSync(path.join(dir, 'meili-without'), { recursive: true, force: true });
  }
  const decompounderOn = values.decompounder !== 'off';
  const indexed = await indexCorpus(media, path.join(dir, 'meili'), decompounderOn);
  const { url, masterKey, meiliPid, engine, segments, indexSeconds, wallSeconds, batches, afterIndexing } = indexed;
  const { peakSampled, peakAnon } = indexed;
  const tasks = { length: indexed.tasks };

  // the request SegmentIndex.search sends for an anonymous viewer, recorded from the real code so it cannot drift
  const facets = segmentFacets;
  const filter = segmentFilter(searchScope(anonymous), {});
  const recorded: string[] = [];
  const recorder = new Meilisearch({
    host: url, apiKey: masterKey, requestInit: { headers: identity },
    httpClient: async (input, init) => {
      recorded.push(String(init?.body));
      const res = await fetch(input, init);
      if (!res.ok) throw new Error(`recording search: ${res.status} ${await res.text()}`);
      return res.json();
    },
  });
  // SegmentIndex only reads `client` and `indexName` of its engine
  const recorderIndex = new SegmentIndex({ client: recorder, indexName: (base: string) => PREFIX + base } as unknown as SearchEngine, log);
  const directBodies: string[] = [];
  for (const { q } of queries) {
    recorded.length = 0;
    await recorderIndex.search({ q, filter, page: 1, hitsPerPage: 20, facets });
    if (recorded.length !== 1) throw new Error(`expected one search request for ${q}, saw ${recorded.length}`);
    directBodies.push(recorded[0]!);
  }

  // the API checks every hit against the store (server/search/hit-access.ts): the interviews must exist there too
  const store = openSqliteStore(path.join(dir, 'data'));
  const now = new Date().toISOString();
  const seen = new Set<string>();
  (store as SqliteStore).db.transaction(() => {
    for (const { interview: i } of media) {
      if (seen.has(i.id)) continue;
      seen.add(i.id);
      void store.interviews.create({
        id: i.id, collectionId: null, title: i.title, people: i.narrators.map((name) => ({ name, role: 'narrator' as const })),
        recordedAt: i.recordedYear ? String(i.recordedYear) : null, place: i.place ? { name: i.place } : null, language: i.language,
        summary: null, keywords: i.keywords, visibility: 'public', status: 'published', grants: [], embargoUntil: null, embargoListed: false,
        createdBy: null, createdAt: now, updatedAt: now, version: 1,
      });
    }
  })();
  await store.close();

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: {
      ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1',
      DATA_DIR: path.join(dir, 'data'), UPLOADS_DIR: path.join(dir, 'uploads'),
      MEILI_URL: url, MEILI_MASTER_KEY: masterKey, SEARCH_INDEX_PREFIX: PREFIX, SEARCH_DECOMPOUNDER: String(decompounderOn),
      WORKERS_IN_PROCESS: 'false', LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => (serverOutput += d));
  server.stderr!.on('data', (d) => (serverOutput += d));
  let health = '';
  for (let i = 0; ; i++) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}:\n${serverOutput}`);
    const status = await fetch(`${base}/healthz`).then(async (r) => ((health = await r.text()), r.status), () => 0);
    if (status === 200) break;
    // /healthz also wants ffmpeg; its answer says which check failed
    if (i > 300) throw new Error(`server not healthy within 60 s: ${health}\n${serverOutput}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // the server re-applies the index settings on start; measure only once Meilisearch has nothing left to do
  await waitForIdle(engine.client);

  const apiUrl = (q: string) => `${base}/api/search?q=${encodeURIComponent(q)}`;
  const directUrl = `${url}/indexes/${segments.uid}/search`;
  const directInit = (body: string): RequestInit => ({
    method: 'POST', body, headers: { ...identity, Authorization: `Bearer ${masterKey}`, 'Content-Type': 'application/json' },
  });
  const api = (i: number) => timedFetch(apiUrl(queries[i]!.q), { headers: identity }, (b) => b.total);
  const direct = (i: number) => timedFetch(directUrl, directInit(directBodies[i]!), (b) => b.totalHits);

  // warm-up: every query twice each way (caches, connections, JIT), and the totals must agree
  const totals: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < queries.length; i++) {
      const [a, d] = [await api(i), await direct(i)];
      if (a.total !== d.total) throw new Error(`"${queries[i]!.q}": API total ${a.total} ≠ direct ${d.total}`);
      totals[i] = d.total;
    }
  }

  const apiSamples: Sample[] = [];
  const directSamples: Sample[] = [];
  const perQuery = queries.map(() => ({ api: [] as number[], direct: [] as number[], apiBytes: 0, directBytes: 0 }));
  let mismatches = 0;
  for (let n = 0; n < requests; n++) {
    const i = n % queries.length;
    // alternate who goes first, so neither side always meets the warmer cache
    let a: Sample;
    let d: Sample;
    if (n % 2 === 0) {
      a = await api(i);
      d = await direct(i);
    } else {
      d = await direct(i);
      a = await api(i);
    }
    if (a.total !== d.total) mismatches++;
    apiSamples.push(a);
    directSamples.push(d);
    const pq = perQuery[i]!;
    pq.api.push(a.ms);
    pq.direct.push(d.ms);
    pq.apiBytes = a.bytes;
    pq.directBytes = d.bytes;
  }
  const afterQueries = memoryOf(meiliPid);

  const stats = (s: Sample[]) => {
    const ms = s.map((x) => x.ms).sort((x, y) => x - y);
    const engineMs = s.map((x) => x.engineMs).sort((x, y) => x - y);
    const bytes = s.map((x) => x.bytes).sort((x, y) => x - y);
    return { p50: percentile(ms, 0.5), p95: percentile(ms, 0.95), p99: percentile(ms, 0.99), engine50: percentile(engineMs, 0.5), engine95: percentile(engineMs, 0.95), bytes50: percentile(bytes, 0.5), bytes95: percentile(bytes, 0.95) };
  };
  const ds = stats(directSamples);
  const as = stats(apiSamples);
  const ratio = as.p95 / ds.p95;
  const peak = Math.max(peakSampled, afterIndexing.hwm, afterQueries.hwm);

  process.stdout.write(`\nbench/search on ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, Meilisearch ${(await engine.client.getVersion()).pkgVersion}\n\n`);
  process.stdout.write(`segments            ${corpus.count} in ${media.length} interviews\n`);
  process.stdout.write(`indexing            ${indexSeconds.toFixed(1)} s = ${(corpus.count / indexSeconds).toFixed(0)} docs/s (${tasks.length} tasks in ${batches} batches; replaceMedia wall ${wallSeconds.toFixed(1)} s)\n`);
  const mem = (m: { rss: number; anon: number }) => `${(m.rss / MiB).toFixed(0)} MiB (anon ${(m.anon / MiB).toFixed(0)})`;
  process.stdout.write(`Meilisearch RSS     after indexing ${mem(afterIndexing)}, after queries ${mem(afterQueries)}, peak ${(peak / MiB).toFixed(0)} MiB (VmHWM; sampled every 100 ms while indexing: ${(peakSampled / MiB).toFixed(0)} MiB, anon ${(peakAnon / MiB).toFixed(0)})\n`);
  process.stdout.write(`queries             ${queries.length} distinct, ${requests} requests each way after ${2 * queries.length} warm-up pairs; total mismatches ${mismatches}\n\n`);
  const f = (x: number) => x.toFixed(1);
  printTable(['', 'p50 ms', 'p95 ms', 'p99 ms', 'Meili processingTimeMs p50/p95', 'body KiB p50/p95'], [
    ['direct', f(ds.p50), f(ds.p95), f(ds.p99), `${ds.engine50}/${ds.engine95}`, `${f(ds.bytes50 / 1024)}/${f(ds.bytes95 / 1024)}`],
    ['API', f(as.p50), f(as.p95), f(as.p99), `${as.engine50}/${as.engine95}`, `${f(as.bytes50 / 1024)}/${f(as.bytes95 / 1024)}`],
  ]);
  process.stdout.write(`\nAPI p95 ÷ direct p95 = ${ratio.toFixed(2)}\n`);
  const peakOf = (x: Indexed) => Math.max(x.peakSampled, x.afterIndexing.hwm);
  if (without) {
    process.stdout.write(`\ndecompounder (same corpus, fresh Meilisearch each)\n`);
    printTable(['', 'indexing s', 'peak RSS MiB', 'index docs/s'], [
      ['without', without.indexSeconds.toFixed(1), (peakOf(without) / MiB).toFixed(0), (corpus.count / without.indexSeconds).toFixed(0)],
      ['with', indexSeconds.toFixed(1), (peakOf(indexed) / MiB).toFixed(0), (corpus.count / indexSeconds).toFixed(0)],
    ]);
    process.stdout.write(`with ÷ without: indexing ${(indexSeconds / without.indexSeconds).toFixed(2)}, peak RSS ${(peakOf(indexed) / peakOf(without)).toFixed(2)}\n`);
  }

  if (values['per-query']) {
    process.stdout.write('\n');
    printTable(['query', 'kind', 'total', 'direct p50', 'API p50', 'API − direct', 'direct KiB', 'API KiB'], queries.map(({ q, kind }, i) => {
      const pq = perQuery[i]!;
      const d = percentile([...pq.direct].sort((x, y) => x - y), 0.5);
      const a = percentile([...pq.api].sort((x, y) => x - y), 0.5);
      return [q, kind, String(totals[i]), f(d), f(a), f(a - d), f(pq.directBytes / 1024), f(pq.apiBytes / 1024)];
    }));
  }

  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  process.stdout.write('\ngoals\n');
  const goal = large ? { ratio: 1.3, indexing: 300, rss: 1024 } : { ratio: 1.5, indexing: 60, rss: 512 };
  process.stdout.write(`  ${mark(ratio <= goal.ratio)} API p95 ≤ ${goal.ratio} × direct p95   (${ratio.toFixed(2)} ×)\n`);
  process.stdout.write(`  ${mark(as.p95 <= 50)} API p95 ≤ 50 ms             (${f(as.p95)} ms)\n`);
  process.stdout.write(`  ${mark(indexSeconds <= goal.indexing)} indexing ≤ ${goal.indexing} s            (${indexSeconds.toFixed(1)} s)\n`);
  process.stdout.write(`  ${mark(peak <= goal.rss * MiB)} Meilisearch RSS ≤ ${goal.rss} MiB  (peak ${(peak / MiB).toFixed(0)} MiB)\n`);
  if (without) {
    const t = indexSeconds / without.indexSeconds;
    const m = peakOf(indexed) / peakOf(without);
    process.stdout.write(`  ${mark(t <= 1.25)} decompounder indexing ≤ +25 %  (${((t - 1) * 100).toFixed(0)} %)\n`);
    process.stdout.write(`  ${mark(m <= 1.15)} decompounder RSS ≤ +15 %       (${((m - 1) * 100).toFixed(0)} %)\n`);
  }
}

main()
  .catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
