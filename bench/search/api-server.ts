// The archive server for bench/search, as its own process (never sharing an event loop with the load), over a
// SQLite store that holds the bench's interviews (the API checks every hit against the store).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { openSqliteStore, type SqliteStore } from '../../server/store/sqlite/index.js';
import { freePort } from '../../tests/e2e/helpers/server.js';
import type { BenchMedia } from './indexing.js';

export async function seedStore(dataDir: string, media: BenchMedia): Promise<void> {
  const store = openSqliteStore(dataDir);
  const now = new Date().toISOString();
  const seen = new Set<string>();
  (store as SqliteStore).db.transaction(() => {
    for (const { interview: i } of media) {
      if (seen.has(i.id)) continue;
      seen.add(i.id);
      void store.interviews.create({
        id: i.id,
        collectionId: null,
        title: i.title,
        people: i.narrators.map((name) => ({ name, role: 'narrator' as const })),
        recordedAt: i.recordedYear ? String(i.recordedYear) : null,
        place: i.place ? { name: i.place } : null,
        language: i.language,
        summary: null,
        keywords: i.keywords,
        visibility: 'public',
        status: 'published',
        grants: [],
        embargoUntil: null,
        embargoListed: false,
        createdBy: null,
        // the interview key (server/search/interview-key.ts) is derived from it: the same one the passages were indexed with
        createdAt: i.createdAt,
        updatedAt: now,
        version: 1,
      });
    }
  })();
  await store.close();
}

export interface ApiServer {
  base: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startApiServer(opts: {
  dir: string;
  meiliUrl: string;
  masterKey: string;
  prefix: string;
  decompounder: boolean;
  /** The checkout whose server/main.ts runs (default: this one); bench/search/api-ab.ts runs two side by side. */
  cwd?: string;
  /** The store's directory (default: `<dir>/data`). */
  dataDir?: string;
  /** Extra node options, e.g. `--cpu-prof --cpu-prof-dir=<dir>` (written when the server exits on SIGTERM). */
  nodeArgs?: readonly string[];
}): Promise<ApiServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'server/main.ts'], {
    cwd: opts.cwd ?? path.resolve(import.meta.dirname, '../..'),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: opts.dataDir ?? path.join(opts.dir, 'data'),
      UPLOADS_DIR: path.join(opts.dir, 'uploads'),
      MEILI_URL: opts.meiliUrl,
      MEILI_MASTER_KEY: opts.masterKey,
      SEARCH_INDEX_PREFIX: opts.prefix,
      SEARCH_DECOMPOUNDER: String(opts.decompounder),
      WORKERS_IN_PROCESS: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  let health = '';
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    const status = await fetch(`${base}/healthz`).then(
      async (r) => ((health = await r.text()), r.status),
      () => 0,
    );
    if (status === 200) break;
    // /healthz also wants ffmpeg; its answer says which check failed
    if (i > 300) {
      await stop();
      throw new Error(`server not healthy within 60 s: ${health}\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { base, child, output: () => output, stop };
}
