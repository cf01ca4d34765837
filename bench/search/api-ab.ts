// bench/search/api-ab — the search API of two checkouts side by side on an index that bench/search.ts built and kept,
// each against the direct Meilisearch requests its own SegmentIndex.search sends, all four interleaved in one run:
//
//   npx tsx bench/search.ts --segments 200000 --keep                    # prints "kept <dir>"
//   git worktree add --detach /tmp/base main && ln -s "$PWD/node_modules" /tmp/base/   # or any other checkout
//   npx tsx bench/search/api-ab.ts --dir <dir> --base /tmp/base [--requests 340] [--profile]
//
// "A" is the server of `--base`, "B" the one of this checkout, each over its own copy of the kept store. Their answers
// must be identical (every field but processingTimeMs; differences are counted and the first is printed). Also prints
// each server's CPU time per request (from /proc, so a loaded machine inflates wall time, not this). `--profile`
// writes V8 CPU profiles of both servers to <dir>/profiles/{a,b} (open in Chrome DevTools or speedscope).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { anonymous } from '../../server/access/viewer.js';
import { searchScope } from '../../server/access/policy.js';
import { configureLogger, moduleLogger } from '../../server/logger.js';
import { SearchEngine } from '../../server/search/engine.js';
import { segmentFacets, segmentFilter, SegmentIndex } from '../../server/search/segment-index.js';
import { MeiliSidecar } from '../../server/search/sidecar.js';
import { startApiServer, type ApiServer } from './api-server.js';
import { directSearch, recordSearchRequests } from './direct.js';
import { PREFIX, waitForIdle } from './indexing.js';
import { benchQueries as queries } from './queries.js';
import { cpuSecondsOf, percentile, printTable, timedFetch, type Sample } from './report.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    base: { type: 'string' },
    requests: { type: 'string', default: String(queries.length * 10) },
    profile: { type: 'boolean', default: false },
    decompounder: { type: 'string', default: 'on' },
  },
});
if (!values.dir || !values.base) throw new Error('--dir <kept bench directory> and --base <checkout> are required');
const dir = path.resolve(values.dir);
const base = path.resolve(values.base);
const requests = Number(values.requests);

type Arm = { name: string; run: (i: number) => Promise<Sample & { body?: unknown }>; samples: Sample[] };

async function main(): Promise<void> {
  configureLogger('warn');
  const log = moduleLogger('bench');
  const sidecar = new MeiliSidecar({ dataDir: path.join(dir, 'meili') });
  const { url, masterKey } = await sidecar.start();
  const servers: ApiServer[] = [];
  try {
    const profileDir = path.join(dir, 'profiles');
    const start = async (name: string, cwd: string) => {
      const dataDir = path.join(dir, `data-${name}`);
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.cpSync(path.join(dir, 'data'), dataDir, { recursive: true });
      const server = await startApiServer({
        dir,
        dataDir,
        cwd,
        meiliUrl: url,
        masterKey,
        prefix: PREFIX,
        decompounder: values.decompounder !== 'off',
        // one profile per thread (tsx compiles in a worker), so a directory per server
        nodeArgs: values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`] : [],
      });
      servers.push(server);
      return server;
    };
    const [serverA, serverB] = [await start('a', base), await start('b', path.resolve(import.meta.dirname, '../..'))];
    const engine = new SearchEngine({ url, apiKey: masterKey, indexPrefix: PREFIX });
    await waitForIdle(engine.client);

    const filter = segmentFilter(searchScope(anonymous), {});
    const params = queries.map(({ q }) => ({ q, filter, page: 1, hitsPerPage: 20, facets: segmentFacets }));
    const baseIndex = (await import(path.join(base, 'server/search/segment-index.ts'))) as {
      SegmentIndex: typeof SegmentIndex;
    };
    const record = (SegmentIndexClass: typeof SegmentIndex) =>
      recordSearchRequests({ url, masterKey, prefix: PREFIX, logger: log, SegmentIndexClass, params });
    const [bodiesA, bodiesB] = [await record(baseIndex.SegmentIndex), await record(SegmentIndex)];
    process.stdout.write(
      `direct requests per query: A ${bodiesA[0]!.length}, B ${bodiesB[0]!.length}; ${requests} requests per arm\n`,
    );

    const send = directSearch(`${url}/indexes/${PREFIX}segments/search`, masterKey);
    let body: unknown;
    const api = (server: ApiServer) => (i: number) =>
      timedFetch(
        `${server.base}/api/search?q=${encodeURIComponent(queries[i]!.q)}`,
        { headers: { 'Accept-Encoding': 'identity' } },
        (b) => ((body = b), b.total),
      ).then((s) => ({ ...s, body }));
    const arms: Arm[] = [
      { name: 'A API', run: api(serverA), samples: [] },
      { name: 'A direct', run: (i) => send(bodiesA[i]!), samples: [] },
      { name: 'B API', run: api(serverB), samples: [] },
      { name: 'B direct', run: (i) => send(bodiesB[i]!), samples: [] },
    ];
    const comparable = (b: unknown) => JSON.stringify({ ...(b as object), processingTimeMs: undefined });
    let differences = 0;
    let firstDifference = '';
    const round = async (n: number, keep: boolean) => {
      const i = n % queries.length;
      const answers: Record<string, Sample & { body?: unknown }> = {};
      for (let k = 0; k < arms.length; k++) {
        const arm = arms[(k + n) % arms.length]!;
        const s = await arm.run(i);
        answers[arm.name] = s;
        if (keep) arm.samples.push(s);
      }
      const [a, b] = [comparable(answers['A API']!.body), comparable(answers['B API']!.body)];
      if (a !== b) {
        differences++;
        firstDifference ||= `"${queries[i]!.q}":\nA ${a.slice(0, 600)}\nB ${b.slice(0, 600)}`;
      }
      if (
        answers['A direct']!.total !== answers['B direct']!.total ||
        answers['A API']!.total !== answers['B direct']!.total
      )
        throw new Error(`"${queries[i]!.q}": totals differ`);
    };
    for (let n = 0; n < 2 * queries.length; n++) await round(n, false);
    const cpu0 = servers.map((s) => cpuSecondsOf(s.child.pid!));
    const load0 = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    const t0 = performance.now();
    for (let n = 0; n < requests; n++) await round(n, true);
    const wall = (performance.now() - t0) / 1000;
    const cpuMs = servers.map((s, k) => ((cpuSecondsOf(s.child.pid!) - cpu0[k]!) * 1000) / requests);
    const load1 = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

    const f = (x: number) => x.toFixed(1);
    const stats = (s: Sample[]) => {
      const ms = s.map((x) => x.ms).sort((x, y) => x - y);
      const e = s.map((x) => x.engineMs).sort((x, y) => x - y);
      return {
        p50: percentile(ms, 0.5),
        p95: percentile(ms, 0.95),
        p99: percentile(ms, 0.99),
        e50: percentile(e, 0.5),
        e95: percentile(e, 0.95),
      };
    };
    const st = arms.map((a) => stats(a.samples));
    process.stdout.write(`\nload average 1 min ${load0} → ${load1}; ${f(wall)} s for ${requests} rounds of 4\n\n`);
    printTable(
      ['', 'p50 ms', 'p95 ms', 'p99 ms', 'Meili ms p50/p95', 'server CPU ms/request'],
      arms.map((a, k) => [
        a.name,
        f(st[k]!.p50),
        f(st[k]!.p95),
        f(st[k]!.p99),
        `${st[k]!.e50}/${st[k]!.e95}`,
        a.name === 'A API' ? f(cpuMs[0]!) : a.name === 'B API' ? f(cpuMs[1]!) : '',
      ]),
    );
    process.stdout.write(
      `\nAPI p95 ÷ direct p95: A ${(st[0]!.p95 / st[1]!.p95).toFixed(2)}, B ${(st[2]!.p95 / st[3]!.p95).toFixed(2)}\n`,
    );
    process.stdout.write(
      `B ÷ A API p95: ${(st[2]!.p95 / st[0]!.p95).toFixed(2)}, p50: ${(st[2]!.p50 / st[0]!.p50).toFixed(2)}\n`,
    );
    process.stdout.write(`answers A vs B: ${differences} of ${requests + 2 * queries.length} differ\n`);
    if (firstDifference) process.stdout.write(`first difference ${firstDifference}\n`);
    if (differences > 0) process.exitCode = 1;
  } finally {
    for (const s of servers) await s.stop();
    await sidecar.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
