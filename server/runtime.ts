// Start-up and shutdown of the archive's parts, shared by `npm start`, the CLI and the tests:
// store → search (embedded sidecar or MEILI_URL) → services. The HTTP listener is added by main.ts, and so are the
// in-process job workers: the server never imports workers/ — main.ts, the composition root, passes them in.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, type Services } from './app.js';
import { randomToken } from './auth/secrets.js';
import type { Config } from './config.js';
import { moduleLogger } from './logger.js';
import { ffmpegVersions } from './media/ffmpeg/runner.js';
import { SearchEngine } from './search/engine.js';
import { useLexiconDecompounder } from './search/german.js';
import { searchJobNames } from './jobs/definitions.js';
import type { SearchIndexes } from './search/indexer.js';
import { MeiliSidecar } from './search/sidecar.js';
import type { JobQueue } from './jobs/queue.js';
import type { Store } from './store/repositories.js';
import { openMongoStore } from './store/mongo/index.js';
import { openSqliteStore } from './store/sqlite/index.js';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Runtime {
  config: Config;
  store: Store;
  search: SearchEngine;
  sidecar: MeiliSidecar | null;
  services: Services;
  app: ReturnType<typeof createApp>['app'];
  workers: InProcessWorkers | null;
  stop(): Promise<void>;
}

/** Job workers running inside the server process, as the runtime needs them (workers/setup.ts makes them). */
export interface InProcessWorkers {
  worker: { poke(): void; abort(jobIds: string[]): void };
  stop(): Promise<void>;
}

/** Starts in-process workers; handed in by the composition root (server/main.ts passes workers/setup.ts's startWorkers). */
export type StartInProcessWorkers = (
  config: Config,
  store: Store,
  queue: JobQueue,
  options: { search: SearchIndexes },
) => InProcessWorkers;

/** Where a mongodb:// URI points, without its credentials (for messages and logs). */
export function redactMongoUri(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, '$1…@');
}

/**
 * The store: MongoDB (the scale tier) when MONGODB_URI is set, else the embedded SQLite file in DATA_DIR.
 * A malformed or unreachable MONGODB_URI fails within the driver's server-selection timeout (3 s), with a message
 * that names the variable — start-up never hangs on it.
 */
export async function openStore(config: Config): Promise<Store> {
  if (config.MONGODB_URI) {
    try {
      const store = await openMongoStore(config.MONGODB_URI);
      moduleLogger('runtime').info({ uri: redactMongoUri(config.MONGODB_URI) }, 'store: MongoDB');
      return store;
    } catch (err) {
      throw new Error(
        `MONGODB_URI (${redactMongoUri(config.MONGODB_URI)}): MongoDB nicht erreichbar / not usable: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  return openSqliteStore(config.dataDir);
}

export async function startSearch(config: Config): Promise<{ search: SearchEngine; sidecar: MeiliSidecar | null }> {
  const log = moduleLogger('search');
  useLexiconDecompounder(config.SEARCH_DECOMPOUNDER);
  let url = config.MEILI_URL;
  let key = config.MEILI_MASTER_KEY;
  let sidecar: MeiliSidecar | null = null;
  if (!url) {
    sidecar = new MeiliSidecar({
      dataDir: config.dataDir,
      port: config.MEILI_PORT,
      // the app listens once search is up: a port picked now must not be the one it is about to bind
      reservedPorts: [config.PORT],
      maxIndexingMemory: config.MEILI_MAX_INDEXING_MEMORY,
      ...(config.MEILI_BINARY ? { binary: config.MEILI_BINARY } : {}),
      logger: moduleLogger('meilisearch'),
    });
    ({ url, masterKey: key } = await sidecar.start());
    // separate `npm run worker` processes on this machine find the embedded Meilisearch through this file
    fs.writeFileSync(path.join(config.dataDir, 'meili-url'), url);
    log.info({ url }, 'embedded Meilisearch started');
  }
  const search = new SearchEngine({ url, apiKey: key ?? '', indexPrefix: config.SEARCH_INDEX_PREFIX, logger: log });
  search.startMonitoring();
  return { search, sidecar };
}

/**
 * A fresh archive needs someone who can log in. ADMIN_EMAIL/ADMIN_PASSWORD name that person; without them the first
 * start creates admin@schichtbuch.local with a random password written once to DATA_DIR/initial-admin.txt (0600).
 */
async function ensureAdmin(config: Config, services: Services): Promise<void> {
  const log = moduleLogger('runtime');
  const configured = await services.users.ensureFirstAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
  if (configured) {
    log.info({ userId: configured.id, email: configured.email }, 'first admin created from ADMIN_EMAIL');
    return;
  }
  if (config.ADMIN_EMAIL) return;
  const email = 'admin@schichtbuch.local';
  const password = randomToken(18);
  const generated = await services.users.ensureFirstAdmin(email, password);
  if (!generated) return;
  const file = path.join(config.dataDir, 'initial-admin.txt');
  fs.writeFileSync(
    file,
    `E-Mail: ${email}\nPasswort: ${password}\n\nBitte nach der ersten Anmeldung ändern und diese Datei löschen.\n`,
    { mode: 0o600 },
  );
  log.warn({ email, file }, `Erster Administrator angelegt; Zugangsdaten in ${file}`);
}

/**
 * Search indexes are derived data kept current by jobs. Whenever Meilisearch comes (back) up, make sure the indexes
 * exist with their settings and let waiting search jobs run at once instead of sitting out their backoff.
 * Returns the handler, so a caller can also run it once when search is already up.
 */
export function keepSearchCurrent(
  store: Store,
  search: SearchEngine,
  indexes: SearchIndexes,
  worker: () => { poke(): void } | null,
  queue: JobQueue,
): () => void {
  const log = moduleLogger('search');
  const onUp = () =>
    void (async () => {
      await indexes.interviews.ensureSettings();
      await indexes.segments.ensureSettings();
      // an index written by an older version: passages without access tags are found by nobody, passages without
      // interview keys are not counted per interview, until re-indexed
      const stale = await indexes.segments.mediaToReindex();
      for (const mediaId of stale) await queue.enqueue({ name: 'search.transcript', payload: { v: 1, mediaId } });
      if (stale.length > 0)
        log.warn({ media: stale.length }, 're-indexing passages without access tags or interview keys');
      await store.jobs.expedite(searchJobNames, new Date());
      worker()?.poke();
    })().catch((err) => log.warn({ err }, 'preparing the search indexes failed; retrying on next up'));
  search.on('up', onUp);
  return onUp;
}

/**
 * `startWorkers` runs the job workers in this process when WORKERS_IN_PROCESS is set (null: this process runs none,
 * e.g. when only separate `npm run worker` processes do).
 */
export async function startRuntime(
  config: Config,
  options: { startWorkers: StartInProcessWorkers | null; serveClient?: boolean },
): Promise<Runtime> {
  const log = moduleLogger('runtime');
  const store = await openStore(config);
  let searchParts: Awaited<ReturnType<typeof startSearch>>;
  try {
    searchParts = await startSearch(config);
  } catch (err) {
    await store.close();
    throw err;
  }
  const { search, sidecar } = searchParts;
  const clientDir = path.join(projectRoot, 'client', 'dist');
  const { app, services } = createApp({
    config,
    store,
    search,
    tools: ffmpegVersions,
    ...(options.serveClient !== false ? { clientDir } : {}),
  });

  await ensureAdmin(config, services);

  const onSearchUp = keepSearchCurrent(store, search, services.search, () => workers?.worker ?? null, services.queue);

  const sweeper = setInterval(() => void services.auth.sweepExpiredSessions().catch(() => undefined), 3600_000).unref();
  services.uploads.startCleanup();

  // Job workers inside the server process (the embedded default); `npm run worker` processes can run alongside.
  let workers: InProcessWorkers | null = null;
  if (config.WORKERS_IN_PROCESS && config.WORKER_CONCURRENCY > 0) {
    if (!options.startWorkers)
      log.warn(
        'WORKERS_IN_PROCESS is set but this process was started without workers; jobs wait for `npm run worker`',
      );
    workers = options.startWorkers?.(config, store, services.queue, { search: services.search }) ?? null;
  }
  if (workers) {
    const { worker } = workers;
    services.queue.on('enqueued', () => worker.poke());
    // a deleted medium's ffmpeg is killed at once, not at the next heartbeat
    services.media.on('jobsCancelled', (ids) => worker.abort(ids));
    services.interviews.on('jobsCancelled', (ids) => worker.abort(ids));
    services.asr.on('jobsCancelled', (ids) => worker.abort(ids));
  }
  if (search.available) onSearchUp();

  return {
    config,
    store,
    search,
    sidecar,
    services,
    app,
    workers,
    async stop() {
      clearInterval(sweeper);
      services.uploads.stop();
      await workers?.stop();
      search.stopMonitoring();
      search.removeAllListeners();
      await sidecar?.stop();
      await store.close();
    },
  };
}
