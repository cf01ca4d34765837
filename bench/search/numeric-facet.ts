// bench/search/numeric-facet — is the per-interview distribution cheaper as a numeric facet than as the interviewId
// string facet? Measured directly against an index that bench/search.ts built and kept (it is changed: every passage
// gets `interviewNo`, its interview's number in id order, and the field becomes filterable):
//
//   npx tsx bench/search.ts --segments 1000000 --keep          # prints "kept <dir>"
//   npx tsx bench/search/numeric-facet.ts --dir <dir> [--rounds 5]
//
// Meilisearch counts a string facet over many candidates by walking its facet tree and reading, for every value, the
// original string of one document carrying it; a number is its own key. Both variants send the distribution request of
// SegmentIndex.search (hitsPerPage 0, one facet), interleaved; the two distributions must be the same counts per
// interview for every query. Prints Meilisearch's processingTimeMs and the client time, p50/p95.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { anonymous } from '../../server/access/viewer.js';
import { searchScope } from '../../server/access/policy.js';
import { configureLogger } from '../../server/logger.js';
import { normalizeQuery } from '../../server/search/german.js';
import { segmentFilter } from '../../server/search/segment-index.js';
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
    const numbers = new Map<string, number>();
    if (!settings.filterableAttributes.includes('interviewNo')) {
      const t0 = performance.now();
      const cpu0 = cpuSecondsOf(pid);
      const docs: Array<{ id: string; interviewId: string }> = [];
      for (let offset = 0; ; offset += 10_000) {
        const page = await call<{ results: typeof docs }>('POST', `${idx}/documents/fetch`, {
          fields: ['id', 'interviewId'],
          limit: 10_000,
          offset,
        });
        docs.push(...page.results);
        if (page.results.length < 10_000) break;
      }
      [...new Set(docs.map((d) => d.interviewId))].sort().forEach((id, no) => numbers.set(id, no));
      const filterable = [...settings.filterableAttributes, 'interviewNo'];
      await waitTask(
        (await call<{ taskUid: number }>('PATCH', `${idx}/settings`, { filterableAttributes: filterable })).taskUid,
      );
      const tasks: number[] = [];
      for (let i = 0; i < docs.length; i += 100_000) {
        const updates = docs.slice(i, i + 100_000).map((d) => ({ id: d.id, interviewNo: numbers.get(d.interviewId) }));
        tasks.push((await call<{ taskUid: number }>('PUT', `${idx}/documents?primaryKey=id`, updates)).taskUid);
      }
      for (const t of tasks) await waitTask(t);
      process.stdout.write(
        `added interviewNo to ${docs.length} passages of ${numbers.size} interviews in ${((performance.now() - t0) / 1000).toFixed(1)} s (Meilisearch CPU ${(cpuSecondsOf(pid) - cpu0).toFixed(1)} s)\n`,
      );
    } else {
      // numbers as assigned above: interview ids in sorted order
      const ids = await call<{ facetDistribution: Record<string, Distribution> }>('POST', `${idx}/search`, {
        q: '',
        hitsPerPage: 0,
        facets: ['interviewId'],
      });
      Object.keys(ids.facetDistribution.interviewId ?? {})
        .sort()
        .forEach((id, no) => numbers.set(id, no));
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
      const answer = await call<Answer>('POST', `${idx}/search`, body(q, facet));
      return { ms: performance.now() - t0, answer };
    };
    const variants = ['interviewId', 'interviewNo'] as const;
    let mismatches = 0;
    for (const { q } of benchQueries) {
      const [a, b] = [await send(q, 'interviewId'), await send(q, 'interviewNo')];
      const byId = a.answer.facetDistribution?.interviewId ?? {};
      const byNo = b.answer.facetDistribution?.interviewNo ?? {};
      const fromNo = Object.fromEntries(Object.entries(byNo).map(([no, n]) => [idOf[Number(no)], n]));
      const same =
        Object.keys(byId).length === Object.keys(fromNo).length &&
        Object.entries(byId).every(([id, n]) => fromNo[id] === n);
      if (!same) {
        mismatches++;
        process.stdout.write(
          `"${q}": distributions differ (${Object.keys(byId).length} vs ${Object.keys(fromNo).length} interviews)\n`,
        );
      }
    }
    const samples = variants.map(() => ({ ms: [] as number[], engine: [] as number[] }));
    for (let r = 0; r < rounds; r++) {
      for (const { q } of benchQueries) {
        for (let k = 0; k < variants.length; k++) {
          const i = (k + r) % variants.length;
          const s = await send(q, variants[i]!);
          samples[i]!.ms.push(s.ms);
          samples[i]!.engine.push(s.answer.processingTimeMs);
        }
      }
    }
    const m = memoryOf(pid);
    process.stdout.write(
      `Meilisearch RSS ${(m.rss / MiB).toFixed(0)} MiB (anon ${(m.anon / MiB).toFixed(0)}, file ${(m.file / MiB).toFixed(0)}); distributions compared for ${benchQueries.length} queries: ${mismatches} differ\n`,
    );
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    printTable(
      ['distribution request facet', 'Meili ms p50', 'p95', 'client ms p50', 'p95'],
      variants.map((v, i) => {
        const e = sorted(samples[i]!.engine);
        const c = sorted(samples[i]!.ms);
        return [
          v,
          String(percentile(e, 0.5)),
          String(percentile(e, 0.95)),
          percentile(c, 0.5).toFixed(1),
          percentile(c, 0.95).toFixed(1),
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
