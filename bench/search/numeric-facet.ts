// bench/search/numeric-facet — how much does the per-interview distribution cost as the interviewId string facet, as
// the interview key passages carry (`interviewSortKey`, server/search/interview-key.ts: in creation order, up to 16
// digits) and as a dense number (up to 5 digits), in the order the passages were indexed in and shuffled? Measured
// directly against an index that bench/search.ts built and kept (it is changed: every passage gets `interviewNo`, its
// interview's number in id order, which in the bench corpus is the order of creation and indexing, and `shuffledNo`,
// the same numbers permuted (no × 7919 mod interviews), so unrelated to that order; both filterable):
//
//   npx tsx bench/search.ts --segments 1000000 --keep          # prints "kept <dir>"
//   npx tsx bench/search/numeric-facet.ts --dir <dir> [--rounds 5]
//
// Meilisearch counts a facet over many candidates by walking a tree over its values in order (each node the documents
// of neighbouring values) and, for a string, reading for every value the original string of one document carrying it.
// All variants send the distribution request of SegmentIndex.search (hitsPerPage 0, one facet), interleaved; every
// distribution must be the same counts per interview for every query. Prints Meilisearch's processingTimeMs, the
// client time (until the whole answer is read) and the answer's size, p50/p95.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { anonymous } from '../../server/access/viewer.js';
import { searchScope } from '../../server/access/policy.js';
import { configureLogger } from '../../server/logger.js';
import { normalizeQuery } from '../../server/search/german.js';
import { segmentFilter } from '../../server/search/segment-filter.js';
import { MeiliSidecar } from '../../server/search/sidecar.js';
import { benchQueries } from './queries.js';
import { cpuSecondsOf, memoryOf, MiB, percentile, printTable } from './report.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    index: { type: 'string', default: 'bench_segments' },
  },
});
if (!values.dir) throw new Error('--dir <kept bench directory> is required');
const rounds = Number(values.rounds);

type Distribution = Record<string, number>;
/** A permutation of 0 … n−1 (7919 is prime; n must not be a multiple of it). */
const shuffled = (no: number, n: number) => (no * 7919) % n;
interface Answer {
  processingTimeMs: number;
  totalHits: number;
  facetDistribution?: Record<string, Distribution>;
}

async function main(): Promise<void> {
  configureLogger('warn');
  const sidecar = new MeiliSidecar({ dataDir: path.join(values.dir!, 'meili') });
  const { url, masterKey } = await sidecar.start();
  const pid = sidecar.pid!;
  const headers = {
    'Accept-Encoding': 'identity',
    Authorization: `Bearer ${masterKey}`,
    'Content-Type': 'application/json',
  };
  const call = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${route}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  const waitTask = async (taskUid: number) => {
    for (;;) {
      const task = await call<{ status: string; error?: unknown }>('GET', `/tasks/${taskUid}`);
      if (task.status === 'succeeded') return;
      if (task.status === 'failed' || task.status === 'canceled') throw new Error(JSON.stringify(task.error));
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const idx = `/indexes/${values.index}`;
  try {
    const settings = await call<{ filterableAttributes: string[] }>('GET', `${idx}/settings`);
    const docs: Array<{ id: string; interviewId: string; interviewSortKey: number }> = [];
    for (let offset = 0; ; offset += 10_000) {
      const page = await call<{ results: typeof docs }>('POST', `${idx}/documents/fetch`, {
        fields: ['id', 'interviewId', 'interviewSortKey'],
        limit: 10_000,
        offset,
      });
      docs.push(...page.results);
      if (page.results.length < 10_000) break;
    }
    const numbers = new Map<string, number>();
    [...new Set(docs.map((d) => d.interviewId))].sort().forEach((id, no) => numbers.set(id, no));
    const idOfKey = new Map(docs.map((d) => [String(d.interviewSortKey), d.interviewId]));
    const added = ['interviewNo', 'shuffledNo'];
    if (!added.every((f) => settings.filterableAttributes.includes(f))) {
      const t0 = performance.now();
      const cpu0 = cpuSecondsOf(pid);
      const filterable = [...new Set([...settings.filterableAttributes, ...added])];
      await waitTask(
        (await call<{ taskUid: number }>('PATCH', `${idx}/settings`, { filterableAttributes: filterable })).taskUid,
      );
      const tasks: number[] = [];
      for (let i = 0; i < docs.length; i += 100_000) {
        const updates = docs.slice(i, i + 100_000).map((d) => {
          const no = numbers.get(d.interviewId)!;
          return { id: d.id, interviewNo: no, shuffledNo: shuffled(no, numbers.size) };
        });
        tasks.push((await call<{ taskUid: number }>('PUT', `${idx}/documents?primaryKey=id`, updates)).taskUid);
      }
      for (const t of tasks) await waitTask(t);
      process.stdout.write(
        `added interviewNo and shuffledNo to ${docs.length} passages of ${numbers.size} interviews in ${((performance.now() - t0) / 1000).toFixed(1)} s (Meilisearch CPU ${(cpuSecondsOf(pid) - cpu0).toFixed(1)} s)\n`,
      );
    }
    const idOf = [...numbers.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id);

    const filter = segmentFilter(searchScope(anonymous), {});
    const body = (q: string, facet: string) => ({
      q: normalizeQuery(q),
      filter,
      page: 1,
      hitsPerPage: 0,
      facets: [facet],
    });
    const send = async (q: string, facet: string) => {
      const t0 = performance.now();
      const res = await fetch(`${url}${idx}/search`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body(q, facet)),
      });
      // the answer as the API reads it: whole text first (client time), parsed after the clock stopped
      const text = await res.text();
      const ms = performance.now() - t0;
      if (!res.ok) throw new Error(`search ${facet}: ${res.status} ${text.slice(0, 300)}`);
      return { ms, bytes: text.length, answer: JSON.parse(text) as Answer };
    };
    const unshuffled = new Map(idOf.map((_, no) => [shuffled(no, idOf.length), no]));
    const variants = ['interviewId', 'interviewSortKey', 'interviewNo', 'shuffledNo'] as const;
    const toId: Record<(typeof variants)[number], (value: string) => string | undefined> = {
      interviewId: (id) => id,
      interviewSortKey: (key) => idOfKey.get(key),
      interviewNo: (no) => idOf[Number(no)],
      shuffledNo: (no) => idOf[unshuffled.get(Number(no)) ?? -1],
    };
    let mismatches = 0;
    for (const { q } of benchQueries) {
      const byId = (await send(q, 'interviewId')).answer.facetDistribution?.interviewId ?? {};
      for (const v of ['interviewSortKey', 'interviewNo', 'shuffledNo'] as const) {
        const other = (await send(q, v)).answer.facetDistribution?.[v] ?? {};
        const asIds = Object.fromEntries(Object.entries(other).map(([value, n]) => [toId[v](value), n]));
        const same =
          Object.keys(byId).length === Object.keys(asIds).length &&
          Object.entries(byId).every(([id, n]) => asIds[id] === n);
        if (!same) {
          mismatches++;
          process.stdout.write(
            `"${q}": ${v} distribution differs (${Object.keys(byId).length} vs ${Object.keys(asIds).length} interviews)\n`,
          );
        }
      }
    }
    const samples = variants.map(() => ({ ms: [] as number[], engine: [] as number[], bytes: [] as number[] }));
    for (let r = 0; r < rounds; r++) {
      for (const { q } of benchQueries) {
        for (let k = 0; k < variants.length; k++) {
          const i = (k + r) % variants.length;
          const s = await send(q, variants[i]!);
          samples[i]!.ms.push(s.ms);
          samples[i]!.engine.push(s.answer.processingTimeMs);
          samples[i]!.bytes.push(s.bytes);
        }
      }
    }
    const m = memoryOf(pid);
    process.stdout.write(
      `Meilisearch RSS ${(m.rss / MiB).toFixed(0)} MiB (anon ${(m.anon / MiB).toFixed(0)}, file ${(m.file / MiB).toFixed(0)}); distributions compared for ${benchQueries.length} queries: ${mismatches} differ\n`,
    );
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    printTable(
      ['distribution request facet', 'Meili ms p50', 'p95', 'client ms p50', 'p95', 'answer KiB p50', 'p95'],
      variants.map((v, i) => {
        const e = sorted(samples[i]!.engine);
        const c = sorted(samples[i]!.ms);
        const b = sorted(samples[i]!.bytes);
        return [
          v,
          String(percentile(e, 0.5)),
          String(percentile(e, 0.95)),
          percentile(c, 0.5).toFixed(1),
          percentile(c, 0.95).toFixed(1),
          (percentile(b, 0.5) / 1024).toFixed(1),
          (percentile(b, 0.95) / 1024).toFixed(1),
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
