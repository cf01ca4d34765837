// The public JSON shape of a medium and its jobs (the API contract; the client imports these types).
import { isPubliclyVisible } from '../access/policy.js';
import type { Viewer } from '../access/viewer.js';
import type { Store } from '../store/repositories.js';
import type { Interview, JobRecord, MediaDerivatives, MediaTechnical, Medium } from '../store/types.js';
import { derivativeFiles, mediaUrl } from './paths.js';
import { deliverable, redactionState } from './restrictions.js';
import { signedMediaUrl, type MediaUrlSigner } from './signing.js';

/** A job as clients see it: no payload, no lease internals. */
export interface PublicJob {
  id: string;
  name: string;
  status: JobRecord['status'];
  attempts: number;
  maxAttempts: number;
  progress: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface PublicMedium {
  id: string;
  interviewId: string;
  part: number;
  kind: Medium['kind'];
  status: Medium['status'];
  progress: number;
  sha256: string;
  sizeBytes: number;
  durationSec: number;
  originalFilename: string;
  technical: MediaTechnical;
  /** null while restricted passages exist for a viewer who may not hear them (the original is never redacted). */
  original: string | null;
  originalPlayable: boolean;
  originalMime: string;
  hls: string | null;
  download: string | null;
  poster: string | null;
  waveform: string | null;
  storyboard: string | null;
  error: string | null;
  /** Time ranges the narrator did not release (public renditions are silent there, with a card over the picture). */
  restrictedRanges: { start: number; end: number }[];
  createdAt: string;
  updatedAt: string;
  jobs: PublicJob[];
}

export function presentJob(j: JobRecord): PublicJob {
  return {
    id: j.id,
    name: j.name,
    status: j.status,
    attempts: j.attempts,
    maxAttempts: j.maxAttempts,
    progress: j.progress,
    error: j.error,
    createdAt: j.createdAt,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
  };
}

/** The public JSON contract of a medium (and its job history), before any viewer's access is applied. */
export function presentMedium(medium: Medium, jobs: JobRecord[] = []): PublicMedium {
  const d = medium.derivatives;
  const url = (key: keyof MediaDerivatives) => (d[key] ? mediaUrl(medium.id, derivativeFiles[key]) : null);
  const playableMime = medium.technical.playableMime;
  return {
    id: medium.id,
    interviewId: medium.interviewId,
    part: medium.part,
    kind: medium.kind,
    status: medium.status,
    progress: medium.progress,
    sha256: medium.sha256,
    sizeBytes: medium.sizeBytes,
    durationSec: medium.technical.durationSec,
    originalFilename: medium.originalFilename,
    technical: medium.technical,
    original: mediaUrl(medium.id, 'original'),
    originalPlayable: playableMime !== null,
    originalMime: playableMime ?? 'application/octet-stream',
    hls: url('hls'),
    download: url('download'),
    poster: url('poster'),
    waveform: url('waveform'),
    storyboard: url('storyboard'),
    error: medium.error,
    restrictedRanges: [],
    createdAt: medium.createdAt,
    updatedAt: medium.updatedAt,
    jobs: jobs.map(presentJob),
  };
}

/**
 * presentMedium() for one viewer: files they may not get have no URL (the file routes refuse them too), and URLs of
 * interviews that are not public are signed for this viewer and expire.
 */
export async function presentMediumFor(
  store: Store,
  signer: MediaUrlSigner | null,
  viewer: Viewer,
  interview: Interview,
  medium: Medium,
  jobs: JobRecord[] = [],
): Promise<PublicMedium> {
  const state = await redactionState(store, medium);
  const deliver = deliverable(viewer, interview, medium, state);
  const grant =
    isPubliclyVisible(interview) || !signer ? null : signer.grantFor(viewer, medium.id, medium.technical.durationSec);
  const link = (url: string | null) =>
    url && grant ? signedMediaUrl(grant, medium.id, url.slice(`/media/${medium.id}/`.length)) : url;
  const base = presentMedium(medium, jobs);
  const rendition = (url: string | null) => (deliver.renditions ? link(url) : null);
  return {
    ...base,
    original: deliver.original ? link(base.original) : null,
    originalPlayable: deliver.original && base.originalPlayable,
    hls: rendition(base.hls),
    download: rendition(base.download),
    poster: rendition(base.poster),
    waveform: rendition(base.waveform),
    storyboard: rendition(base.storyboard),
    restrictedRanges: state.ranges,
  };
}
