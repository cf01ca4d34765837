// bench/search/levers — query-time levers measured directly against an index that bench/search.ts built and kept:
//
//   npx tsx bench/search.ts --segments 200000 --keep          # prints "kept <dir>"
//   npx tsx bench/search/levers.ts --dir <dir> [--rounds 5]
//
// It restarts Meilisearch on the kept data directory (same master key) and sends the request SegmentIndex.search
// makes for an anonymous viewer, once as it is and once per variant (facets, pagination mode, highlighting, typo
// tolerance on `parts` …), every query of bench/search/queries.ts `--rounds` times each, variants interleaved, and
// prints Meilisearch's own processingTimeMs (p50/p95 over all requests) and the client time. Variants that change
// index settings are not here: they need a fresh index (bench/search.ts with the setting changed).
//
// It also prints what queries alone keep resident: Meilisearch's RSS (anonymous / file-backed = mapped LMDB pages)
// right after the restart and after all requests, next to the index's size (GET /indexes/<uid>/stats).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { configureLogger } from '../../server/logger.js';
import { MeiliSidecar } from '../../server/search/sidecar.js';
import { normalizeQuery } from '../../server/search/german.js';
import { segmentFacets, segmentFilter } from '../../server/search/segment-index.js';
import { searchScope } from '../../server/access/policy.js';
import { anonymous } from '../../server/access/viewer.js';
import { MARK_CLOSE, MARK_OPEN } from '../../server/search/highlight.js';
import { benchQueries } from './queries.js';
import { memoryOf, MiB, percentile, printTable } from './report.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    index: { type: 'string', default: 'bench_segments' },
    // index settings to apply to the kept index first (query-time ones such as faceting or typo tolerance)
    settings: { type: 'string' },
  },
});
if (!values.dir) throw new Error('--dir <kept bench directory> is required');
const rounds = Number(values.rounds);

type Body = Record<string, unknown>;

const base = (q: string): Body => ({
  q: normalizeQuery(q),
  filter: segmentFilter(searchScope(anonymous), {}),
  page: 1,
  hitsPerPage: 20,
  facets: [...segmentFacets],
  attributesToRetrieve: ['id', 'interviewId', 'mediaId', 'start', 'end', 'speaker', 'text'],
  attributesToCrop: ['text'],
  cropLength: 30,
  cropMarker: '…',
  attributesToHighlight: ['text'],
  highlightPreTag: MARK_OPEN,
  highlightPostTag: MARK_CLOSE,
});

const without = (body: Body, ...keys: string[]): Body =>
  Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));

const variants: ReadonlyArray<{ name: string; body: (q: string) => Body }> = [
  { name: 'as sent (page/hitsPerPage, facets speaker+interviewId)', body: base },
  { name: 'no facets', body: (q) => without(base(q), 'facets') },
  { name: 'facets: interviewId only', body: (q) => ({ ...base(q), facets: ['interviewId'] }) },
  { name: 'facets: speaker only', body: (q) => ({ ...base(q), facets: ['speaker'] }) },
  {
    name: 'limit/offset (estimated total), facets',
    body: (q) => ({ ...without(base(q), 'page', 'hitsPerPage'), limit: 20, offset: 0 }),
  },
  {
    name: 'limit/offset, no facets',
    body: (q) => ({ ...without(base(q), 'page', 'hitsPerPage', 'facets'), limit: 20, offset: 0 }),
  },
  {
    name: 'no crop/highlight',
    body: (q) => without(base(q), 'attributesToCrop', 'cropLength', 'cropMarker', 'attributesToHighlight'),
  },
  { name: 'no filter', body: (q) => without(base(q), 'filter') },
  {
    name: 'attributesToSearchOn text+spellings',
    body: (q) => ({ ...base(q), attributesToSearchOn: ['text', 'spellings'] }),
  },
];

async function main(): Promise<void> {
  configureLogger('warn');
  const sidecar = new MeiliSidecar({ dataDir: path.join(values.dir!, 'meili') });
  const { url, masterKey } = await sidecar.start();
  const pid = sidecar.pid!;
  const mem = (label: string) => {
    const m = memoryOf(pid);
    const f = (x: number) => (x / MiB).toFixed(0);
    process.stdout.write(
      `Meilisearch ${label}: RSS ${f(m.rss)} MiB (anon ${f(m.anon)}, file ${f(m.file)}), VmHWM ${f(m.hwm)} MiB\n`,
    );
  };
  mem('after restart');
  try {
    const headers = {
      'Accept-Encoding': 'identity',
      Authorization: `Bearer ${masterKey}`,
      'Content-Type': 'application/json',
    };
    if (values.settings) {
      const res = await fetch(`${url}/indexes/${values.index}/settings`, {
        method: 'PATCH',
        headers,
        body: values.settings,
      });
      const { taskUid } = (await res.json()) as { taskUid: number };
      for (;;) {
        const task = (await (await fetch(`${url}/tasks/${taskUid}`, { headers })).json()) as {
          status: string;
          error?: unknown;
        };
        if (task.status === 'succeeded') break;
        if (task.status === 'failed') throw new Error(`settings: ${JSON.stringify(task.error)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      process.stdout.write(`applied ${values.settings}\n`);
    }
    const send = async (body: Body) => {
      const t0 = performance.now();
      const res = await fetch(`${url}/indexes/${values.index}/search`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      const text = await res.text();
      const ms = performance.now() - t0;
      if (!res.ok) throw new Error(`${res.status} ${text.slice(0, 300)}`);
      const json = JSON.parse(text) as { processingTimeMs: number; totalHits?: number; estimatedTotalHits?: number };
      return { ms, engine: json.processingTimeMs, total: json.totalHits ?? json.estimatedTotalHits ?? 0 };
    };
    const stats = (await (await fetch(`${url}/indexes/${values.index}/stats`, { headers })).json()) as Record<
      string,
      unknown
    >;
    const { numberOfDocuments, rawDocumentDbSize, avgDocumentSize } = stats as Record<string, number>;
    process.stdout.write(
      `index ${values.index}: ${numberOfDocuments} documents, rawDocumentDbSize ${(rawDocumentDbSize! / MiB).toFixed(1)} MiB, avgDocumentSize ${avgDocumentSize} B\n`,
    );
    // warm-up: every query and variant once
    for (const { q } of benchQueries) for (const v of variants) await send(v.body(q));
    const samples = variants.map(() => ({ ms: [] as number[], engine: [] as number[] }));
    for (let r = 0; r < rounds; r++) {
      for (const { q } of benchQueries) {
        for (let k = 0; k < variants.length; k++) {
          // rotate who goes first
          const i = (k + r) % variants.length;
          const s = await send(variants[i]!.body(q));
          samples[i]!.ms.push(s.ms);
          samples[i]!.engine.push(s.engine);
        }
      }
    }
    mem(`after ${rounds} rounds`);
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    printTable(
      ['variant', 'Meili ms p50', 'p95', 'client ms p50', 'p95'],
      variants.map((v, i) => {
        const e = sorted(samples[i]!.engine);
        const m = sorted(samples[i]!.ms);
        return [
          v.name,
          String(percentile(e, 0.5)),
          String(percentile(e, 0.95)),
          percentile(m, 0.5).toFixed(1),
          percentile(m, 0.95).toFixed(1),
        ];
      }),
    );
  } finally {
    await sidecar.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
