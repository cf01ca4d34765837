// `npm run worker`: a separate job worker process. Start as many as the machine (or machines) can carry; they share
// the store and UPLOADS_DIR and never take the same job. Set WORKERS_IN_PROCESS=false on the app then.
import { ConfigError, loadConfig } from '../server/config.js';
import { JobQueue } from '../server/jobs/queue.js';
import { configureLogger, moduleLogger } from '../server/logger.js';
import { openStore } from '../server/runtime.js';
import { startWorkers } from './setup.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  configureLogger(config.LOG_LEVEL);
  const log = moduleLogger('worker-main');
  if (config.WORKER_CONCURRENCY < 1) throw new Error('WORKER_CONCURRENCY must be at least 1 for a worker process');
  const store = openStore(config);
  const workers = startWorkers(config, store, new JobQueue(store.jobs, moduleLogger('jobs')));
  log.info({ owner: workers.worker.owner, concurrency: config.WORKER_CONCURRENCY }, 'worker started');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker stopping; running jobs go back to the queue');
    await workers.stop();
    await store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`Worker-Start fehlgeschlagen / worker start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
