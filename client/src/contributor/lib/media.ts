import type { Medium } from '../types.js';

export const isFinal = (status: Medium['status']) => status === 'ready' || status === 'failed';

/** The job currently working on the medium (or the last one that failed), for the status line. */
export function activeJob(m: Pick<Medium, 'jobs'>): Medium['jobs'][number] | null {
  return (
    m.jobs.find((j) => j.status === 'running') ??
    m.jobs.find((j) => j.status === 'queued') ??
    m.jobs.find((j) => j.status === 'failed') ??
    null
  );
}
