// Every background job the archive knows: a typed `{name, payload}` union. Payloads carry ids and a version only —
// never file contents — and are validated with zod when enqueued and again when a worker takes them.
import { z } from 'zod';

const mediaPayload = z.strictObject({ v: z.literal(1), mediaId: z.uuid() });
const interviewPayload = z.strictObject({ v: z.literal(1), interviewId: z.uuid() });
/** Speech recognition: the language to recognise (ISO 639-1, e.g. `de`) and who asked (audit, notifications). */
const asrPayload = z.strictObject({
  v: z.literal(1),
  mediaId: z.uuid(),
  language: z.string().regex(/^[a-z]{2,3}$/),
  requestedBy: z.uuid().nullable(),
});

export const jobSchemas = {
  /** HLS renditions (audio ladder or 360p/720p video ladder) and the M4A download. */
  'media.renditions': mediaPayload,
  /** Poster frame (video) or waveform picture (audio), and the thumbnail storyboard for scrubbing (video). */
  'media.artwork': mediaPayload,
  /** Waveform peaks JSON. */
  'media.waveform': mediaPayload,
  /** The current transcript version of a medium into the segment index. */
  'search.transcript': mediaPayload,
  /** An interview's metadata into the interview index and onto its segments (title, visibility, facets). */
  'search.interview': interviewPayload,
  /** Runs when an approved interview's embargo ends: publishes it if its consent still allows. */
  'interview.publish': interviewPayload,
  /** Runs a grace period after a withdrawal whose consent says so: deletes the preservation masters. */
  'interview.purge': interviewPayload,
  /** The scheduled fixity audit: re-hashes originals and renditions not checked within FIXITY_INTERVAL_DAYS. */
  'preservation.fixity': z.strictObject({ v: z.literal(1), interviewId: z.uuid().optional() }),
  /** Automatic transcript of a medium by the configured ASR engine: a new draft version `asr:<engine>:<model>`. */
  'media.transcribe': asrPayload,
  /** Times for a given transcript version from the engine's word timings (the text stays as it is). */
  'media.align': asrPayload.extend({ version: z.number().int().min(1) }),
} as const;

export type JobName = keyof typeof jobSchemas;
export type JobPayload<N extends JobName> = z.output<(typeof jobSchemas)[N]>;
export type Job = { [N in JobName]: { name: N; payload: JobPayload<N> } }[JobName];

export const jobNames = Object.keys(jobSchemas) as JobName[];

export interface JobPolicy {
  maxAttempts: number;
  /** A worker that has not renewed its lease for this long is presumed dead; the job is queued again. */
  leaseMs: number;
  /** ffmpeg without a progress report for this long is killed and the attempt fails. */
  stallTimeoutMs: number;
}

export const jobPolicies: Record<JobName, JobPolicy> = {
  'media.renditions': { maxAttempts: 4, leaseMs: 30_000, stallTimeoutMs: 120_000 },
  'media.artwork': { maxAttempts: 4, leaseMs: 30_000, stallTimeoutMs: 120_000 },
  'media.waveform': { maxAttempts: 4, leaseMs: 30_000, stallTimeoutMs: 120_000 },
  // search may be down for a while: many patient attempts (backoff caps at 5 min), and the sweep re-queues after that
  'search.transcript': { maxAttempts: 12, leaseMs: 60_000, stallTimeoutMs: 120_000 },
  'search.interview': { maxAttempts: 12, leaseMs: 60_000, stallTimeoutMs: 120_000 },
  'interview.publish': { maxAttempts: 8, leaseMs: 60_000, stallTimeoutMs: 120_000 },
  'interview.purge': { maxAttempts: 8, leaseMs: 120_000, stallTimeoutMs: 120_000 },
  'preservation.fixity': { maxAttempts: 3, leaseMs: 120_000, stallTimeoutMs: 120_000 },
  // an engine that is down gets three tries (5 s, 10 s apart) before the job fails with the engine's message
  'media.transcribe': { maxAttempts: 3, leaseMs: 60_000, stallTimeoutMs: 120_000 },
  'media.align': { maxAttempts: 3, leaseMs: 60_000, stallTimeoutMs: 120_000 },
};

/**
 * Search jobs replace what is indexed with the store's current state, and interview jobs look at the interview as it
 * is when they run, so one queued job per subject is enough (a scheduled one is moved, not duplicated).
 */
export function dedupeKeyOf(job: Job): string | null {
  switch (job.name) {
    case 'search.transcript':
      return `${job.name}:${job.payload.mediaId}`;
    case 'search.interview':
    case 'interview.publish':
    case 'interview.purge':
      return `${job.name}:${job.payload.interviewId}`;
    case 'preservation.fixity':
      return job.name;
    default:
      return null;
  }
}

export const searchJobNames = ['search.transcript', 'search.interview'] as const satisfies readonly JobName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobSchemas, name);
}

/** Parses a stored job's name and payload; throws when either is unknown or malformed (that job then fails for good). */
export function parseJob(name: string, payload: unknown): Job {
  if (!isJobName(name)) throw new Error(`unknown job name ${name}`);
  return { name, payload: jobSchemas[name].parse(payload) } as Job;
}

/** Exponential backoff with jitter: 5 s, 10 s, 20 s … capped at 5 minutes. */
export function retryDelayMs(attempt: number, random = Math.random): number {
  const base = Math.min(5_000 * 2 ** Math.max(0, attempt - 1), 300_000);
  return Math.round(base * (0.8 + random() * 0.4));
}
