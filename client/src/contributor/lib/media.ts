import type { Medium } from '../types.js';

export interface PlayableSource {
  src: string;
  type: string;
}

/**
 * What the plain <video>/<audio> element plays: HLS only where the browser plays it natively (Safari, iOS, some
 * Android), else the original when browsers can decode it, else the M4A download rendition.
 */
export function chooseSource(m: Pick<Medium, 'hls' | 'original' | 'originalPlayable' | 'originalMime' | 'download'>, canPlayHls: boolean): PlayableSource | null {
  if (m.hls && canPlayHls) return { src: m.hls, type: 'application/vnd.apple.mpegurl' };
  if (m.originalPlayable && m.original) return { src: m.original, type: m.originalMime };
  if (m.download) return { src: m.download, type: 'audio/mp4' };
  return null;
}

export const isFinal = (status: Medium['status']) => status === 'ready' || status === 'failed';

/** The job currently working on the medium (or the last one that failed), for the status line. */
export function activeJob(m: Pick<Medium, 'jobs'>): Medium['jobs'][number] | null {
  return m.jobs.find((j) => j.status === 'running') ?? m.jobs.find((j) => j.status === 'queued') ?? m.jobs.find((j) => j.status === 'failed') ?? null;
}
