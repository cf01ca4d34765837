// bench/search/levers — query-time levers measured directly against an index that bench/search.ts built and kept:
//
//   npx tsx bench/search.ts --segments 200000 --keep          # prints "kept <dir>"
//   npx tsx bench/search/levers.ts --dir <dir> [--rounds 5] [--meili-memory-limit <MiB>]
//
// It restarts Meilisearch on the kept data directory (same master key) and sends the request SegmentIndex.search
// makes for an anonymous viewer, once as it is and once per variant (facets, pagination mode, highlighting, typo
// tolerance on `parts` …), every query of bench/search/queries.ts `--rounds` times each, variants interleaved, and
// prints Meilisearch's own processingTimeMs (p50/p95 over all requests) and the client time. Variants that change
// index settings are not here: they need a fresh index (bench/search.ts with the setting changed).
//
// It also prints what queries alone keep resident: Meilisearch's RSS (anonymous / file-backed = mapped LMDB pages)
// right after the restart and after all requests, next to the index's size (GET /indexes/<uid>/stats).
// `--meili-memory-limit` restarts Meilisearch inside a hard memory limit (memory-limit.ts, as a container's), to see
// how fast searches are when only that much of the index can stay resident (and prints the group's peak charge).
// A variant is one request or several sent together (archive search sends the hits and the per-interview
// distribution side by side); its Meilisearch time is then the slower request's.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { configureLogger } from '../../server/logger.js';
import { MeiliSidecar } from '../../server/search/sidecar.js';
import { normalizeQuery } from '../../server/search/german.js';
import { segmentFacets, segmentFilter } from '../../server/search/segment-index.js';
import { searchScope } from '../../server/access/policy.js';
import { anonymous } from '../../server/access/viewer.js';
import { MARK_CLOSE, MARK_OPEN } from '../../server/search/highlight.js';
import { createMemoryCeiling, describeCeiling } from './memory-limit.js';
import { benchQueries } from './queries.js';
import { memoryOf, MiB, percentile, printTable } from './report.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    index: { type: 'string', default: 'bench_segments' },
    // index settings to apply to the kept index first (query-time ones such as faceting or typo tolerance)
    settings: { type: 'string' },
    'meili-memory-limit': { type: 'string' },
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
  facets: ['speaker'],
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

/** SegmentIndex.search's second request: the per-interview distribution of every matching passage, no hits. */
const distribution = (q: string, facet: string): Body => ({
  q: normalizeQuery(q),
  filter: segmentFilter(searchScope(anonymous), {}),
  page: 1,
  hitsPerPage: 0,
  facets: [facet],
});

const variants: ReadonlyArray<{ name: string; bodies: (q: string) => Body[] }> = [
  {
    name: `as sent: hits + ${segmentFacets[1]} distribution together`,
    bodies: (q) => [base(q), distribution(q, segmentFacets[1])],
  },
  { name: 'hits request alone (speaker facet)', bodies: (q) => [base(q)] },
  { name: `${segmentFacets[1]} distribution alone`, bodies: (q) => [distribution(q, segmentFacets[1])] },
  { name: 'interviewId distribution alone (string facet)', bodies: (q) => [distribution(q, 'interviewId')] },
  { name: 'hits, no facets', bodies: (q) => [without(base(q), 'facets')] },
  {
    name: 'hits, limit/offset (estimated total)',
    bodies: (q) => [{ ...without(base(q), 'page', 'hitsPerPage'), limit: 20, offset: 0 }],
  },
  {
    name: 'hits, no crop/highlight',
    bodies: (q) => [without(base(q), 'attributesToCrop', 'cropLength', 'cropMarker', 'attributesToHighlight')],
  },
  { name: 'hits, no filter', bodies: (q) => [without(base(q), 'filter')] },
  {
    name: 'hits, attributesToSearchOn text+spellings',
    bodies: (q) => [{ ...base(q), attributesToSearchOn: ['text', 'spellings'] }],
  },
];

async function main(): Promise<void> {
  configureLogger('warn');
  const sidecar = new MeiliSidecar({ dataDir: path.join(values.dir!, 'meili') });
  const limitMiB = values['meili-memory-limit'] ? Number(values['meili-memory-limit']) : undefined;
  const ceiling = limitMiB === undefined ? undefined : createMemoryCeiling(limitMiB);
  const { url, masterKey } = ceiling ? await ceiling.startInside(() => sidecar.start()) : await sidecar.start();
  if (ceiling) {
    ceiling.assertHolds(sidecar.pid!);
    process.stdout.write(`Meilisearch inside a memory limit of ${limitMiB} MiB\n`);
  }
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
    const one = async (body: Body) => {
      const res = await fetch(`${url}/indexes/${values.index}/search`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${res.status} ${text.slice(0, 300)}`);
      return (JSON.parse(text) as { processingTimeMs: number }).processingTimeMs;
    };
    const send = async (bodies: Body[]) => {
      const t0 = performance.now();
      const engine = Math.max(...(await Promise.all(bodies.map(one))));
      return { ms: performance.now() - t0, engine };
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
    for (const { q } of benchQueries) for (const v of variants) await send(v.bodies(q));
    const samples = variants.map(() => ({ ms: [] as number[], engine: [] as number[] }));
    for (let r = 0; r < rounds; r++) {
      for (const { q } of benchQueries) {
        for (let k = 0; k < variants.length; k++) {
          // rotate who goes first
          const i = (k + r) % variants.length;
          const s = await send(variants[i]!.bodies(q));
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
    if (ceiling) process.stdout.write(`${describeCeiling(ceiling.report())}\n`);
  } finally {
    await sidecar.stop();
    ceiling?.remove();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
