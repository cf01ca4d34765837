// Assembles a worker: the handler for every job name, the ingest flow's hooks, and the periodic sweep.
import type { Config } from '../server/config.js';
import { Publication } from '../server/interviews/publication.js';
import type { JobQueue } from '../server/jobs/queue.js';
import { moduleLogger } from '../server/logger.js';
import type { SearchIndexes } from '../server/search/indexer.js';
import type { Store } from '../server/store/repositories.js';
import { advanceIngest, failIngest, ingestSteps, overallProgress, type IngestStep } from './flows/ingest.js';
import { publishInterview, purgeInterview } from './handlers/interview.js';
import { artwork, renditions, waveform } from './handlers/media.js';
import { ensureFixityScheduled, fixityAudit } from './handlers/fixity.js';
import { registerRenditionRecorder } from '../server/preservation/rendition-hashes.js';
import { searchInterview, searchTranscript } from './handlers/search.js';
import { align, transcribe } from './handlers/asr.js';
import { asrEngineFromConfig } from '../server/asr/engines.js';
import type { AsrEngine } from '../server/asr/types.js';
import { sweep } from './sweep.js';
import { JobWorker, type HandlerMap, type JobHooks } from './worker.js';

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

const isIngestStep = (name: string): name is IngestStep => (ingestSteps as readonly string[]).includes(name);

export function ingestHooks(store: Store, queue: JobQueue, asr: AsrEngine | null): JobHooks {
  return {
    async onStart(job) {
      if (job.mediaId && isIngestStep(job.name)) {
        await store.media.update(job.mediaId, { status: 'processing', progress: overallProgress(job.name, 0), error: null }, new Date().toISOString());
      }
    },
    async onProgress(job, percent) {
      if (job.mediaId && isIngestStep(job.name)) {
        await store.media.update(job.mediaId, { progress: overallProgress(job.name, percent) }, new Date().toISOString());
      }
    },
    async onDone(job) {
      if (job.mediaId && isIngestStep(job.name)) await advanceIngest(store, queue, job.mediaId, asr);
    },
    async onFinalFailure(job, error) {
      if (job.mediaId && isIngestStep(job.name)) await failIngest(store, job.mediaId, `${job.name}: ${error}`);
    },
  };
}

export interface Workers {
  worker: JobWorker;
  sweepNow(): ReturnType<typeof sweep>;
  stop(): Promise<void>;
}

export function startWorkers(
  config: Config,
  store: Store,
  queue: JobQueue,
  overrides: { pollMs?: number; leaseMs?: number; stallTimeoutMs?: number; sweepMs?: number; concurrency?: number; search?: SearchIndexes | null; asr?: AsrEngine | null } = {},
): Workers {
  const logger = moduleLogger('worker');
  const leaseMs = overrides.leaseMs ?? (config.JOB_LEASE_SECONDS ? config.JOB_LEASE_SECONDS * 1000 : undefined);
  // one engine for the jobs and for the ingest chain's decision to transcribe (a worker without one queues none)
  const asr = overrides.asr !== undefined ? overrides.asr : asrEngineFromConfig(config);
  const worker = new JobWorker({
    store, queue, handlers, hooks: ingestHooks(store, queue, asr), uploadsDir: config.uploadsDir, search: overrides.search ?? null,
    asr,
    concurrency: overrides.concurrency ?? config.WORKER_CONCURRENCY, logger,
    ...(overrides.pollMs ? { pollMs: overrides.pollMs } : {}),
    ...(leaseMs ? { leaseMs } : {}),
    ...(overrides.stallTimeoutMs ? { stallTimeoutMs: overrides.stallTimeoutMs } : {}),
  });
  // the units of work of every use case, so that the sweep can complete what a crash left pending
  const { uow: units } = new Publication({ store, queue, uploadsDir: config.uploadsDir, logger: moduleLogger('units'), withdrawalGraceDays: config.WITHDRAWAL_GRACE_DAYS }).units;
  const sweepNow = () => sweep({ store, queue, uploadsDir: config.uploadsDir, logger, units, asr });
  // sweep before taking work, so jobs of a crashed predecessor are back in the queue first
  const unregisterRecorder = registerRenditionRecorder(config.uploadsDir, store, logger);
  const first = sweepNow().catch((err) => logger.error({ err }, 'sweep failed'))
    .then(() => ensureFixityScheduled(store, queue).catch((err) => logger.error({ err }, 'fixity audit not scheduled')))
    .then(() => worker.start());
  const timer = setInterval(() => void sweepNow().catch((err) => logger.error({ err }, 'sweep failed')), overrides.sweepMs ?? Math.max(1000, Math.min(30_000, leaseMs ?? 30_000))).unref();
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

