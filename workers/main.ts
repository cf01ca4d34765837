// `npm run worker`: a separate job worker process. Start as many as the machine (or machines) can carry; they share
// the store and UPLOADS_DIR and never take the same job. Set WORKERS_IN_PROCESS=false on the app then.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfigOrExit, type Config } from '../server/config.js';
import { SearchEngine } from '../server/search/engine.js';
import { useLexiconDecompounder } from '../server/search/german.js';
import { searchIndexes } from '../server/search/indexer.js';
import { JobQueue, mediumOwner } from '../server/jobs/queue.js';
import { configureLogger, moduleLogger } from '../server/logger.js';
import { openStore } from '../server/runtime.js';
import { startWorkers } from './setup.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  configureLogger(config.LOG_LEVEL);
  const log = moduleLogger('worker-main');
  if (config.WORKER_CONCURRENCY < 1) throw new Error('WORKER_CONCURRENCY must be at least 1 for a worker process');
  const store = await openStore(config);
  useLexiconDecompounder(config.SEARCH_DECOMPOUNDER);
  const search = connectSearch(config);
  const workers = startWorkers(config, store, new JobQueue(store.jobs, moduleLogger('jobs'), mediumOwner(store)), {
    search: search ? searchIndexes(search, store, moduleLogger('search')) : null,
  });
  if (!search)
    log.warn(
      'no Meilisearch found (MEILI_URL unset, no embedded one in DATA_DIR): this worker leaves search jobs to others',
    );
  log.info({ owner: workers.worker.owner, concurrency: config.WORKER_CONCURRENCY }, 'worker started');
  const healthBeat = config.WORKER_HEALTH_FILE ? startHealthBeat(config.WORKER_HEALTH_FILE) : null;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker stopping; running jobs go back to the queue');
    if (healthBeat) clearInterval(healthBeat);
    await workers.stop();
    search?.stopMonitoring();
    await store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Touches the file now and every 10 s; the event loop stalling or the process dying lets it age. */
function startHealthBeat(file: string): NodeJS.Timeout {
  const touch = () => {
    const now = new Date();
    try {
      fs.utimesSync(file, now, now);
    } catch {
      fs.writeFileSync(file, '');
    }
  };
  touch();
  return setInterval(touch, 10_000).unref();
}

/** MEILI_URL, or the embedded Meilisearch of an `npm start` on this machine (it leaves its URL and key in DATA_DIR). */
function connectSearch(config: Config): SearchEngine | null {
  let url = config.MEILI_URL;
  let key = config.MEILI_MASTER_KEY;
  if (!url) {
    try {
      url = fs.readFileSync(path.join(config.dataDir, 'meili-url'), 'utf8').trim();
      key = fs.readFileSync(path.join(config.dataDir, 'meili-master-key'), 'utf8').trim();
    } catch {
      return null;
    }
  }
  const engine = new SearchEngine({
    url,
    apiKey: key ?? '',
    indexPrefix: config.SEARCH_INDEX_PREFIX,
    logger: moduleLogger('search'),
  });
  engine.startMonitoring();
  return engine;
}

main().catch((err) => {
  process.stderr.write(
    `Worker-Start fehlgeschlagen / worker start-up failed: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
