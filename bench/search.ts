// bench/search — the archive search API against Meilisearch asked directly with the same request, in one run; plus
// how long indexing takes and how much memory Meilisearch needs for it.
//
//   npx tsx bench/search.ts [--segments 200000] [--corpus speech|mining] [--decompounder on|off|compare]
//                           [--requests 300] [--per-query] [--keep] [--restart-before-queries]
//                           [--meili-memory-limit <MiB>]
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
// "API" = GET /api/search?q=…; "direct" = POST /indexes/<uid>/search with the bodies SegmentIndex.search sends for an
// anonymous viewer, sent together as it sends them (bench/search/direct.ts). Requests go one at a time (a query's
// concurrent Meilisearch requests count as one), API and direct alternating which goes first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Settings } from 'meilisearch';
import { anonymous } from '../server/access/viewer.js';
import { searchScope } from '../server/access/policy.js';
import { configureLogger, moduleLogger } from '../server/logger.js';
import { segmentFacets, segmentFilter, SegmentIndex } from '../server/search/segment-index.js';
import type { MeiliSidecar } from '../server/search/sidecar.js';
import { describeCeiling, type MemoryCeiling } from './search/memory-limit.js';
import { generateSegments } from '../tests/helpers/german-corpus.js';
import { generateSpeechSegments } from '../tests/helpers/speech-corpus.js';
import { seedStore, startApiServer, type ApiServer } from './search/api-server.js';
import { directSearch, recordSearchRequests } from './search/direct.js';
import {
  indexCorpus,
  peakOf,
  PREFIX,
  restartForQueries,
  waitForIdle,
  type BenchMedia,
  type Indexed,
} from './search/indexing.js';
import { benchQueries as queries } from './search/queries.js';
import { memoryOf, MiB, percentile, printTable, timedFetch, type Sample } from './search/report.js';

const { values } = parseArgs({
  options: {
    segments: { type: 'string', default: '200000' },
    requests: { type: 'string', default: '300' },
    'per-query': { type: 'boolean', default: false },
    corpus: { type: 'string', default: 'speech' },
    decompounder: { type: 'string', default: 'on' },
    // keep Meilisearch's data directory for inspection (e.g. `mdb_stat -a -e <dir>/meili/meili/indexes/<uuid>`) or
    // for bench/search/levers.ts
    keep: { type: 'boolean', default: false },
    // levers: extra Meilisearch launch options (repeatable), its indexing memory, index settings laid over ours as JSON
    // (the server would put our settings back on start, so --settings measures Meilisearch directly, without the API)
    'meili-arg': { type: 'string', multiple: true, default: [] },
    'max-indexing-memory': { type: 'string' },
    // a hard memory limit for Meilisearch in MiB, as a container limit sets one (bench/search/memory-limit.ts; root)
    'meili-memory-limit': { type: 'string' },
    settings: { type: 'string' },
    // queries against a Meilisearch restarted on the built index (as after `npm run cli -- reindex`), not against the
    // process that indexed: its memory is then measured for each phase (bench/search/indexing.ts restartForQueries)
    'restart-before-queries': { type: 'boolean', default: false },
  },
});
const segmentCount = Number(values.segments);
const requests = Number(values.requests);
if (!(segmentCount > 0) || !(requests > 0)) throw new Error('--segments and --requests must be positive numbers');
if (!['speech', 'mining'].includes(values.corpus!)) throw new Error('--corpus must be speech or mining');
if (!['on', 'off', 'compare'].includes(values.decompounder!))
  throw new Error('--decompounder must be on, off or compare');
const leverSettings = values.settings ? (JSON.parse(values.settings) as Settings) : undefined;
const directOnly = leverSettings !== undefined;
// a million passages: the larger archive's goals (issue: ~2,800 hours of speech)
const large = segmentCount >= 1_000_000;

const identity = { 'Accept-Encoding': 'identity' };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-search-'));
let sidecar: MeiliSidecar | undefined;
const ceilings: MemoryCeiling[] = [];
const memoryLimitMiB = values['meili-memory-limit'] ? Number(values['meili-memory-limit']) : undefined;
let server: ApiServer | undefined;

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await server?.stop();
    await sidecar?.stop().catch(() => undefined);
    for (const c of ceilings) c.remove();
    if (values.keep) process.stdout.write(`kept ${dir}\n`);
    else fs.rmSync(dir, { recursive: true, force: true });
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}

const index = (media: BenchMedia, dataDir: string, decompounder: boolean): Promise<Indexed> =>
  indexCorpus(media, {
    dataDir,
    decompounder,
    meiliArgs: values['meili-arg'],
    maxIndexingMemory: values['max-indexing-memory'],
    settings: leverSettings,
    onStarted: (s) => {
      sidecar = s;
      // a Meilisearch that died mid-run (an OOM kill under --meili-memory-limit, say) voids the run: the sidecar would
      // restart it and the bench would wait for tasks of the dead one
      s.on('down', (exit) => {
        if (exit.expected) return;
        const limit = ceilings.at(-1)?.report();
        process.stderr.write(
          `Meilisearch (pid ${exit.pid}) ended during the run: code ${exit.code}, signal ${exit.signal}` +
            `${limit ? `; ${describeCeiling(limit)}` : ''}\n`,
        );
        void cleanup().finally(() => process.exit(1));
      });
    },
    ...(memoryLimitMiB ? { memoryLimitMiB, onConfined: (c: MemoryCeiling) => ceilings.push(c) } : {}),
  });

async function main(): Promise<void> {
  configureLogger('warn');
  const log = moduleLogger('bench');
  const load0 = os.loadavg()[0]!;

  const tGen = performance.now();
  const corpus =
    values.corpus === 'speech' ? generateSpeechSegments(segmentCount, 1) : generateSegments(segmentCount, 1);
  // the corpus mixes in drafts and registered-only interviews for access tests; here every passage must be findable
  const media: BenchMedia = corpus.media.map((m) => ({
    ...m,
    interview: { ...m.interview, status: 'published' as const, visibility: 'public' as const },
  }));
  const genSeconds = (performance.now() - tGen) / 1000;
  const words = 'distinctWords' in corpus ? `, ${corpus.distinctWords} distinct lexicon words` : '';
  process.stdout.write(
    `generated ${corpus.count} ${values.corpus} segments in ${media.length} interviews (${genSeconds.toFixed(1)} s${words}); indexing …\n`,
  );
  if (leverSettings) process.stdout.write(`lever settings over ours: ${JSON.stringify(leverSettings)} (direct only)\n`);
  if (values['meili-arg']!.length > 0)
    process.stdout.write(`extra Meilisearch options: ${values['meili-arg']!.join(' ')}\n`);

  let without: Indexed | undefined;
  if (values.decompounder === 'compare') {
    without = await index(media, path.join(dir, 'meili-without'), false);
    process.stdout.write(
      `without decompounder: indexing ${without.indexSeconds.toFixed(1)} s, peak ${(peakOf(without) / MiB).toFixed(0)} MiB (anon peak ${(without.peakAnon / MiB).toFixed(0)}, file peak ${(without.peakFileMax / MiB).toFixed(0)})\n`,
    );
    await without.sidecar.stop();
    if (without.ceiling) process.stdout.write(`without decompounder: ${describeCeiling(without.ceiling.report())}\n`);
    fs.rmSync(path.join(dir, 'meili-without'), { recursive: true, force: true });
  }
  const decompounderOn = values.decompounder !== 'off';
  const indexed = await index(media, path.join(dir, 'meili'), decompounderOn);
  const { indexSeconds, wallSeconds, batches, afterIndexing, peakSampled, peakAnon } = indexed;
  const restarted = values['restart-before-queries'] ? await restartForQueries(indexed) : undefined;
  const { url, masterKey, meiliPid, engine, segments } = restarted ?? indexed;
  const afterRestart = restarted ? memoryOf(meiliPid) : undefined;

  // the requests SegmentIndex.search sends for an anonymous viewer, recorded from the real code so they cannot drift
  const filter = segmentFilter(searchScope(anonymous), {});
  const directBodies = await recordSearchRequests({
    url,
    masterKey,
    prefix: PREFIX,
    logger: log,
    SegmentIndexClass: SegmentIndex,
    params: queries.map(({ q }) => ({ q, filter, page: 1, hitsPerPage: 20, facets: segmentFacets })),
  });

  if (!directOnly) {
    // the API checks every hit against the store (server/search/hit-access.ts): the interviews must exist there too
    await seedStore(path.join(dir, 'data'), media);
    server = await startApiServer({ dir, meiliUrl: url, masterKey, prefix: PREFIX, decompounder: decompounderOn });
    // the server re-applies the index settings on start; measure only once Meilisearch has nothing left to do
    await waitForIdle(engine.client);
  }

  const apiUrl = (q: string) => `${server!.base}/api/search?q=${encodeURIComponent(q)}`;
  const sendDirect = directSearch(`${url}/indexes/${segments.uid}/search`, masterKey);
  const direct = (i: number) => sendDirect(directBodies[i]!);
  // direct-only runs measure Meilisearch twice, so the table keeps its shape
  const api = directOnly
    ? direct
    : (i: number) => timedFetch(apiUrl(queries[i]!.q), { headers: identity }, (b) => b.total);

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
    return {
      p50: percentile(ms, 0.5),
      p95: percentile(ms, 0.95),
      p99: percentile(ms, 0.99),
      engine50: percentile(engineMs, 0.5),
      engine95: percentile(engineMs, 0.95),
      bytes50: percentile(bytes, 0.5),
      bytes95: percentile(bytes, 0.95),
    };
  };
  const ds = stats(directSamples);
  const as = stats(apiSamples);
  const ratio = as.p95 / ds.p95;
  const peak = Math.max(peakSampled, afterIndexing.hwm, afterQueries.hwm);

  process.stdout.write(
    `\nbench/search on ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, Meilisearch ${(await engine.client.getVersion()).pkgVersion}\n`,
  );
  process.stdout.write(
    `load average 1 min: ${load0.toFixed(1)} at start, ${os.loadavg()[0]!.toFixed(1)} at the end (shared machine)\n\n`,
  );
  process.stdout.write(`segments            ${corpus.count} in ${media.length} interviews\n`);
  process.stdout.write(
    `indexing            ${indexSeconds.toFixed(1)} s = ${(corpus.count / indexSeconds).toFixed(0)} docs/s (${indexed.tasks} tasks in ${batches} batches; replaceMedia wall ${wallSeconds.toFixed(1)} s; Meilisearch CPU ${indexed.cpuSeconds.toFixed(1)} s)\n`,
  );
  const mem = (m: { rss: number; anon: number; file: number }) =>
    `${(m.rss / MiB).toFixed(0)} MiB (anon ${(m.anon / MiB).toFixed(0)}, file ${(m.file / MiB).toFixed(0)})`;
  process.stdout.write(
    `Meilisearch RSS     after indexing ${mem(afterIndexing)}, after queries ${mem(afterQueries)}\n`,
  );
  if (afterRestart)
    process.stdout.write(
      `                    queries ran on Meilisearch restarted after indexing: ${mem(afterRestart)} after the restart, VmHWM of the queries ${(afterQueries.hwm / MiB).toFixed(0)} MiB\n`,
    );
  process.stdout.write(
    `                    peak ${(peak / MiB).toFixed(0)} MiB (VmHWM); sampled every 100 ms while indexing: ${(peakSampled / MiB).toFixed(0)} MiB (file ${(indexed.peakFile / MiB).toFixed(0)}), anon peak ${(peakAnon / MiB).toFixed(0)} MiB, file peak ${(indexed.peakFileMax / MiB).toFixed(0)} MiB\n`,
  );
  const ceiling = indexed.ceiling?.report();
  if (ceiling) process.stdout.write(`                    ${describeCeiling(ceiling)}\n`);
  process.stdout.write(
    `queries             ${queries.length} distinct, ${requests} requests each way after ${2 * queries.length} warm-up pairs; total mismatches ${mismatches}\n\n`,
  );
  const f = (x: number) => x.toFixed(1);
  printTable(
    ['', 'p50 ms', 'p95 ms', 'p99 ms', 'Meili processingTimeMs p50/p95', 'body KiB p50/p95'],
    [
      [
        'direct',
        f(ds.p50),
        f(ds.p95),
        f(ds.p99),
        `${ds.engine50}/${ds.engine95}`,
        `${f(ds.bytes50 / 1024)}/${f(ds.bytes95 / 1024)}`,
      ],
      [
        directOnly ? 'direct again' : 'API',
        f(as.p50),
        f(as.p95),
        f(as.p99),
        `${as.engine50}/${as.engine95}`,
        `${f(as.bytes50 / 1024)}/${f(as.bytes95 / 1024)}`,
      ],
    ],
  );
  if (!directOnly) process.stdout.write(`\nAPI p95 ÷ direct p95 = ${ratio.toFixed(2)}\n`);
  if (without) {
    process.stdout.write(`\ndecompounder (same corpus, fresh Meilisearch each)\n`);
    printTable(
      ['', 'indexing s', 'Meili CPU s', 'peak RSS MiB', 'index docs/s'],
      [
        [
          'without',
          without.indexSeconds.toFixed(1),
          without.cpuSeconds.toFixed(1),
          (peakOf(without) / MiB).toFixed(0),
          (corpus.count / without.indexSeconds).toFixed(0),
        ],
        [
          'with',
          indexSeconds.toFixed(1),
          indexed.cpuSeconds.toFixed(1),
          (peakOf(indexed) / MiB).toFixed(0),
          (corpus.count / indexSeconds).toFixed(0),
        ],
      ],
    );
    process.stdout.write(
      `with ÷ without: indexing ${(indexSeconds / without.indexSeconds).toFixed(2)}, Meilisearch CPU ${(indexed.cpuSeconds / without.cpuSeconds).toFixed(2)}, peak RSS ${(peakOf(indexed) / peakOf(without)).toFixed(2)}\n`,
    );
  }

  if (values['per-query']) {
    process.stdout.write('\n');
    printTable(
      ['query', 'kind', 'total', 'direct p50', 'API p50', 'API − direct', 'direct KiB', 'API KiB'],
      queries.map(({ q, kind }, i) => {
        const pq = perQuery[i]!;
        const d = percentile(
          [...pq.direct].sort((x, y) => x - y),
          0.5,
        );
        const a = percentile(
          [...pq.api].sort((x, y) => x - y),
          0.5,
        );
        return [q, kind, String(totals[i]), f(d), f(a), f(a - d), f(pq.directBytes / 1024), f(pq.apiBytes / 1024)];
      }),
    );
  }

  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  process.stdout.write('\ngoals\n');
  const goal = large ? { ratio: 1.3, indexing: 300, rss: 1024 } : { ratio: 1.5, indexing: 60, rss: 512 };
  if (!directOnly) {
    process.stdout.write(
      `  ${mark(ratio <= goal.ratio)} API p95 ≤ ${goal.ratio} × direct p95   (${ratio.toFixed(2)} ×)\n`,
    );
    process.stdout.write(`  ${mark(as.p95 <= 50)} API p95 ≤ 50 ms             (${f(as.p95)} ms)\n`);
  }
  process.stdout.write(
    `  ${mark(indexSeconds <= goal.indexing)} indexing ≤ ${goal.indexing} s            (${indexSeconds.toFixed(1)} s)\n`,
  );
  process.stdout.write(
    `  ${mark(peak <= goal.rss * MiB)} Meilisearch RSS ≤ ${goal.rss} MiB  (peak ${(peak / MiB).toFixed(0)} MiB` +
      `${ceiling ? `, under a ${ceiling.limitMiB} MiB memory limit, OOM kills ${ceiling.oomKills}` : ''})\n`,
  );
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
