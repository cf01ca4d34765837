// Domain records of media and background jobs (re-exported by server/store/types.ts, which the code imports).

export const mediaKinds = ['audio', 'video'] as const;
export type MediaKind = (typeof mediaKinds)[number];

export const mediaStatuses = ['stored', 'processing', 'ready', 'failed'] as const;
export type MediaStatus = (typeof mediaStatuses)[number];

/** Technical facts of the preservation master, from ffprobe at ingest. */
export interface MediaTechnical {
  container: string;
  durationSec: number;
  bitRate: number | null;
  audio: { codec: string; channels: number; sampleRate: number } | null;
  video: { codec: string; width: number; height: number; fps: number; rotation: number | null } | null;
  /** MIME type to serve the original with when browsers can play it directly; null otherwise. */
  playableMime: string | null;
}

/** Paths of derivatives, relative to UPLOADS_DIR; each appears once it is verified and in place. */
export interface MediaDerivatives {
  hls?: string;
  download?: string;
  poster?: string;
  storyboard?: string;
  storyboardSprite?: string;
  waveform?: string;
}

export interface Medium {
  id: string;
  interviewId: string;
  /** Tape 1, tape 2 … in the order they were uploaded. */
  part: number;
  kind: MediaKind;
  status: MediaStatus;
  progress: number;
  originalFilename: string;
  /** Relative to UPLOADS_DIR. */
  originalPath: string;
  sha256: string;
  sizeBytes: number;
  technical: MediaTechnical;
  derivatives: MediaDerivatives;
  error: string | null;
  /** Restriction set the current renditions were made with (server/media/ffmpeg/redaction.ts redactionKey); '' = none. */
  renditionRedaction: string;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export const jobStatuses = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];

export interface JobRecord {
  id: string;
  name: string;
  /** Validated against the job's zod schema when enqueued and again when a worker takes it. */
  payload: unknown;
  status: JobStatus;
  /** The medium the job works on, for the job history and for cancelling on delete. */
  mediaId: string | null;
  /** Jobs with the same key are not queued twice (`search.transcript:<mediaId>`); null = no such rule. */
  dedupeKey: string | null;
  /**
   * Whose work this is (the uploader of the medium; null = the archive's own work, e.g. search indexing). Claiming is
   * fair across owners: see JobRepository.claim.
   */
  ownerId: string | null;
  attempts: number;
  maxAttempts: number;
  /** Not before this time (backoff after a failure). */
  runAfter: string;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  progress: number;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}
