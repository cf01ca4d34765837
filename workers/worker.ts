// The job worker: claims durable jobs with a lease, renews it while a handler runs, retries with backoff, and fails
// terminally after the last attempt. Runs inside `npm start` or as `npm run worker`; any number of them may share one
// store, because claiming is a single atomic UPDATE.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import {
  jobNames,
  jobPolicies,
  parseJob,
  retryDelayMs,
  type JobName,
  type JobPayload,
} from '../server/jobs/definitions.js';
import type { JobQueue } from '../server/jobs/queue.js';
import type { Logger } from '../server/logger.js';
import type { SearchIndexes } from '../server/search/indexer.js';
import type { AsrEngine } from '../server/asr/types.js';
import { jobWorkDir } from '../server/media/paths.js';
import type { Store } from '../server/store/repositories.js';
import type { JobRecord } from '../server/store/types.js';

export interface JobContext<N extends JobName = JobName> {
  job: JobRecord;
  payload: JobPayload<N>;
  /** Aborted on cancel (medium deleted), lost lease, or worker shutdown; pass it to every ffmpeg run. */
  signal: AbortSignal;
  /** Fresh, empty, under UPLOADS_DIR/tmp/jobs; removed after the attempt whatever happens. */
  workDir: string;
  uploadsDir: string;
  store: Store;
  queue: JobQueue;
  /** The search indexes, when this worker can reach Meilisearch. */
  search: SearchIndexes | null;
  /** The speech-recognition engine (server/asr), when one is configured. */
  asr: AsrEngine | null;
  log: Logger;
  stallTimeoutMs: number;
  /** The job's own progress, 0–100. */
  progress(percent: number): void;
  /** Call right before putting a result in place: a cancelled or taken-over job must never publish. */
  assertStillOwned(): Promise<void>;
}

export type JobHandler<N extends JobName> = (ctx: JobContext<N>) => Promise<void>;
export type HandlerMap = { [N in JobName]: JobHandler<N> };

/** Lifecycle hooks, e.g. the ingest flow's: mark the medium processing, advance the chain, record a failure. */
export interface JobHooks {
  onStart?(job: JobRecord): Promise<void>;
  onProgress?(job: JobRecord, percent: number): Promise<void>;
  onDone?(job: JobRecord): Promise<void>;
  onFinalFailure?(job: JobRecord, error: string): Promise<void>;
}

/** A failure that another attempt cannot fix (the medium is gone, the payload is invalid). */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

export class CancelledError extends Error {
  override name = 'CancelledError';
}

export interface JobWorkerOptions {
  store: Store;
  queue: JobQueue;
  handlers: HandlerMap;
  hooks?: JobHooks;
  search?: SearchIndexes | null;
  asr?: AsrEngine | null;
  uploadsDir: string;
  concurrency: number;
  logger: Logger;
  /** How often an idle worker looks for due jobs. */
  pollMs?: number;
  /** Overrides of the job policies, for tests (short leases, tiny stall timeouts). */
  leaseMs?: number;
  stallTimeoutMs?: number;
  owner?: string;
}

/** Fails start-up unless there is exactly one handler for every job name. */
export function assertHandlers(handlers: Partial<Record<string, unknown>>): asserts handlers is HandlerMap {
  const missing = jobNames.filter((n) => typeof handlers[n] !== 'function');
  const unknown = Object.keys(handlers).filter((n) => !(jobNames as string[]).includes(n));
  if (missing.length || unknown.length) {
    throw new Error(
      `job handlers do not match the job definitions: missing [${missing.join(', ')}], unknown [${unknown.join(', ')}]`,
    );
  }
}

interface Running {
  job: JobRecord;
  controller: AbortController;
  done: Promise<void>;
}

export class JobWorker {
  readonly owner: string;
  private readonly running = new Map<string, Running>();
  private stopped = true;
  private wake?: () => void;
  private loop?: Promise<void>;

  /** A worker without a search connection leaves search jobs to one that has it. */
  private readonly claimable: readonly string[] | undefined;

  constructor(private readonly opts: JobWorkerOptions) {
    assertHandlers(opts.handlers);
    this.claimable = opts.search ? undefined : jobNames.filter((n) => !n.startsWith('search.'));
    this.owner = opts.owner ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  }

  get activeJobIds(): string[] {
    return [...this.running.keys()];
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** Looks for work now instead of at the next poll (after an enqueue in the same process). */
  poke(): void {
    this.wake?.();
  }

  /** Aborts the given jobs if this worker runs them (cancellation from the same process, no heartbeat delay). */
  abort(jobIds: readonly string[]): void {
    for (const id of jobIds) this.running.get(id)?.controller.abort(new CancelledError('job cancelled'));
  }

  /** Stops taking jobs, aborts the running ones (they go back to the queue) and waits for them to clean up. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wake?.();
    for (const r of this.running.values()) r.controller.abort(new Error('worker stopping'));
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    await this.loop;
  }

  private async run(): Promise<void> {
    const pollMs = this.opts.pollMs ?? 1000;
    while (!this.stopped) {
      let claimed = false;
      const free = this.opts.concurrency - this.running.size;
      if (free > 0) {
        // every free slot in one claim (one round trip on the MongoDB adapter); each job starts at once
        const jobs = await this.opts.store.jobs
          .claimMany(this.owner, this.leaseMs(), new Date(), free, this.claimable)
          .catch((err) => {
            this.opts.logger.error({ err }, 'claiming a job failed');
            return [];
          });
        for (const job of jobs) this.launch(job);
        claimed = jobs.length > 0;
      }
      // after a claim try again at once: there may be more due jobs and free slots
      if (!claimed || this.running.size >= this.opts.concurrency) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  private leaseMs(name?: string): number {
    return this.opts.leaseMs ?? (name ? jobPolicies[name as JobName]?.leaseMs : undefined) ?? 30_000;
  }

  private launch(job: JobRecord): void {
    const controller = new AbortController();
    const entry: Running = { job, controller, done: Promise.resolve() };
    entry.done = this.execute(job, controller).finally(() => {
      this.running.delete(job.id);
      this.poke();
    });
    this.running.set(job.id, entry);
  }

  private async execute(job: JobRecord, controller: AbortController): Promise<void> {
    const { store, hooks, logger } = this.opts;
    const log = logger.child({ jobId: job.id, job: job.name, mediaId: job.mediaId, attempt: job.attempts });
    // one directory per attempt: an ffmpeg orphaned by a killed worker can never write into its successor's output
    const workDir = jobWorkDir(this.opts.uploadsDir, `${job.id}.${job.attempts}`);
    const leaseMs = this.leaseMs(job.name);
    let progress = 0;
    let lastReported = -1;
    let lastReportAt = 0;

    const heartbeat = async () => {
      const ok = await store.jobs.heartbeat(job.id, this.owner, leaseMs, new Date(), progress).catch(() => true);
      if (!ok && !controller.signal.aborted) {
        log.warn('job no longer ours (cancelled or lease lost); aborting');
        controller.abort(new CancelledError('job cancelled or lease lost'));
      }
      return ok;
    };
    const beat = setInterval(() => void heartbeat(), Math.max(200, Math.min(leaseMs / 3, 5_000)));

    try {
      log.info('job started');
      const parsed = (() => {
        try {
          return parseJob(job.name, job.payload);
        } catch (err) {
          throw new PermanentJobError(`invalid job: ${(err as Error).message}`);
        }
      })();
      await hooks?.onStart?.(job);
      await fs.rm(workDir, { recursive: true, force: true });
      await fs.mkdir(workDir, { recursive: true });
      const ctx: JobContext = {
        job,
        payload: parsed.payload,
        signal: controller.signal,
        workDir,
        uploadsDir: this.opts.uploadsDir,
        store,
        queue: this.opts.queue,
        search: this.opts.search ?? null,
        asr: this.opts.asr ?? null,
        log,
        stallTimeoutMs: this.opts.stallTimeoutMs ?? jobPolicies[parsed.name].stallTimeoutMs,
        progress: (percent) => {
          progress = Math.max(progress, Math.min(100, Math.round(percent * 10) / 10));
          // the store hears about progress at most once a second, and only when it moved
          const now = Date.now();
          if (progress !== lastReported && now - lastReportAt >= 1000) {
            lastReported = progress;
            lastReportAt = now;
            void heartbeat();
            void hooks?.onProgress?.(job, progress).catch(() => undefined);
          }
        },
        assertStillOwned: async () => {
          if (controller.signal.aborted || !(await heartbeat()))
            throw new CancelledError('job cancelled before publishing');
        },
      };
      const handler = this.opts.handlers[parsed.name] as JobHandler<JobName>;
      await handler(ctx);
      if (controller.signal.aborted) throw controller.signal.reason ?? new CancelledError('aborted');
      const completed = await store.jobs.complete(job.id, this.owner, new Date());
      if (!completed) throw new CancelledError('job was cancelled while finishing');
      log.info('job done');
      await hooks?.onDone?.(job);
    } catch (err) {
      await this.handleFailure(job, err, controller, log);
    } finally {
      clearInterval(beat);
      await fs.rm(workDir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  private async handleFailure(job: JobRecord, err: unknown, controller: AbortController, log: Logger): Promise<void> {
    const { store, hooks } = this.opts;
    const reason = controller.signal.reason;
    if (reason instanceof CancelledError || err instanceof CancelledError) {
      log.info('job cancelled');
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    if (this.stopped && controller.signal.aborted) {
      // shutdown: give the job back at once, it was not its fault
      await store.jobs.fail(job.id, this.owner, 'worker stopped during the attempt', new Date(), new Date());
      log.info('job returned to the queue on shutdown');
      return;
    }
    const final = err instanceof PermanentJobError || job.attempts >= job.maxAttempts;
    const retryAt = final ? null : new Date(Date.now() + retryDelayMs(job.attempts));
    await store.jobs.fail(job.id, this.owner, message, new Date(), retryAt);
    if (final) {
      log.error({ err }, 'job failed for good');
      await hooks?.onFinalFailure?.(job, message).catch((e) => log.error({ err: e }, 'failure hook failed'));
    } else {
      log.warn({ err, retryAt }, 'job failed; will retry');
    }
  }
}
