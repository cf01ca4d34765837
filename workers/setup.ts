// Assembles a worker: the handler for every job name, the ingest flow's hooks (server/media/ingest-flow.ts decides
// what follows a step), and the periodic sweep.
import type { Config } from '../server/config.js';
import { Publication } from '../server/interviews/publication.js';
import type { JobQueue } from '../server/jobs/queue.js';
import { moduleLogger } from '../server/logger.js';
import type { SearchIndexes } from '../server/search/indexer.js';
import type { Store } from '../server/store/repositories.js';
import { ingestJobHooks } from '../server/media/ingest-flow.js';
import { publishInterview, purgeInterview } from './handlers/interview.js';
import { artwork, renditions, waveform } from './handlers/media.js';
import { ensureFixityScheduled, fixityAudit } from './handlers/fixity.js';
import { registerRenditionRecorder } from '../server/preservation/rendition-hashes.js';
import { searchInterview, searchTranscript } from './handlers/search.js';
import { align, transcribe } from './handlers/asr.js';
import { asrEngineFromConfig } from '../server/asr/engines.js';
import type { AsrEngine } from '../server/asr/types.js';
import { sweep } from './sweep.js';
import { JobWorker, type HandlerMap } from './worker.js';

export const handlers: HandlerMap = {
  'media.renditions': renditions,
  'media.artwork': artwork,
  'media.waveform': waveform,
  'search.transcript': searchTranscript,
  'search.interview': searchInterview,
  'interview.publish': publishInterview,
  'interview.purge': purgeInterview,
  'preservation.fixity': fixityAudit,
  'media.transcribe': transcribe,
  'media.align': align,
};

export interface Workers {
  worker: JobWorker;
  sweepNow(): ReturnType<typeof sweep>;
  stop(): Promise<void>;
}

export function startWorkers(
  config: Config,
  store: Store,
  queue: JobQueue,
  overrides: {
    pollMs?: number;
    leaseMs?: number;
    stallTimeoutMs?: number;
    sweepMs?: number;
    concurrency?: number;
    search?: SearchIndexes | null;
    asr?: AsrEngine | null;
  } = {},
): Workers {
  const logger = moduleLogger('worker');
  const leaseMs = overrides.leaseMs ?? (config.JOB_LEASE_SECONDS ? config.JOB_LEASE_SECONDS * 1000 : undefined);
  // one engine for the jobs and for the ingest chain's decision to transcribe (a worker without one queues none)
  const asr = overrides.asr !== undefined ? overrides.asr : asrEngineFromConfig(config);
  const worker = new JobWorker({
    store,
    queue,
    handlers,
    hooks: ingestJobHooks({ store, queue, asr }),
    uploadsDir: config.uploadsDir,
    search: overrides.search ?? null,
    asr,
    concurrency: overrides.concurrency ?? config.WORKER_CONCURRENCY,
    logger,
    ...(overrides.pollMs ? { pollMs: overrides.pollMs } : {}),
    ...(leaseMs ? { leaseMs } : {}),
    ...(overrides.stallTimeoutMs ? { stallTimeoutMs: overrides.stallTimeoutMs } : {}),
  });
  // the units of work of every use case, so that the sweep can complete what a crash left pending
  const { uow: units } = new Publication({
    store,
    queue,
    uploadsDir: config.uploadsDir,
    logger: moduleLogger('units'),
    withdrawalGraceDays: config.WITHDRAWAL_GRACE_DAYS,
  }).units;
  const sweepNow = () => sweep({ store, queue, uploadsDir: config.uploadsDir, logger, units, asr });
  // sweep before taking work, so jobs of a crashed predecessor are back in the queue first
  const unregisterRecorder = registerRenditionRecorder(config.uploadsDir, store, logger);
  const first = sweepNow()
    .catch((err) => logger.error({ err }, 'sweep failed'))
    .then(() => ensureFixityScheduled(store, queue).catch((err) => logger.error({ err }, 'fixity audit not scheduled')))
    .then(() => worker.start());
  const timer = setInterval(
    () => void sweepNow().catch((err) => logger.error({ err }, 'sweep failed')),
    overrides.sweepMs ?? Math.max(1000, Math.min(30_000, leaseMs ?? 30_000)),
  ).unref();
  return {
    worker,
    sweepNow,
    async stop() {
      clearInterval(timer);
      await first;
      await worker.stop();
      unregisterRecorder();
    },
  };
}
