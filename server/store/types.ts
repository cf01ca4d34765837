// Domain records as the repositories return them. Plain data, no behaviour; IDs are UUID strings,
// timestamps ISO-8601 strings (UTC) so that SQLite and MongoDB adapters agree byte for byte.

export const roles = ['admin', 'curator', 'contributor'] as const;
export type Role = (typeof roles)[number];

export const visibilities = ['public', 'registered', 'restricted', 'private'] as const;
export type Visibility = (typeof visibilities)[number];

export const workflowStatuses = [
  'draft',
  'processing',
  'ready_for_review',
  'in_review',
  'changes_requested',
  'approved',
  'published',
  'withdrawn',
] as const;
export type WorkflowStatus = (typeof workflowStatuses)[number];

export const personRoles = ['narrator', 'interviewer'] as const;
export type PersonRole = (typeof personRoles)[number];

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Session {
  /** SHA-256 of the cookie value; the raw value is never stored. */
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
  userAgent: string | null;
}

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  /** SHA-256 of the token; shown to its owner once at creation. */
  tokenHash: string;
  /** First characters of the token, so that owners can tell their tokens apart. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface Collection {
  id: string;
  title: string;
  description: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Person {
  name: string;
  role: PersonRole;
}

export interface Place {
  name: string;
  lat?: number;
  lon?: number;
}

export interface Interview {
  id: string;
  collectionId: string | null;
  title: string;
  people: Person[];
  /** ISO date, possibly partial: "2019", "2019-05" or "2019-05-17". */
  recordedAt: string | null;
  place: Place | null;
  language: string;
  summary: string | null;
  keywords: string[];
  visibility: Visibility;
  status: WorkflowStatus;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** Incremented on every change; exposed as ETag for optimistic concurrency. */
  version: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface PageRequest {
  limit: number;
  offset: number;
}

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

/** One timed passage of a transcript (seconds). */
export interface TranscriptSegment {
  start: number;
  end: number;
  speaker: string | null;
  text: string;
  words?: { start: number; end: number; text: string }[];
}

/** An OHMS-style table-of-contents entry; chapters in the player. */
export interface IndexPoint {
  start: number;
  title: string;
  synopsis: string | null;
  keywords: string[];
  subjects: string[];
  place: { name: string; lat?: number; lon?: number } | null;
  partialTranscript?: string | null;
}

/** Every change to a transcript is a new, complete version: listable, diffable, restorable. */
export interface TranscriptVersion {
  mediaId: string;
  version: number;
  segments: TranscriptSegment[];
  authorId: string | null;
  reason: string;
  /** What made it: `import:vtt`, `edit:text`, `edit:split`, `edit:merge`, `restore:3` … */
  source: string;
  createdAt: string;
}

export interface TranscriptHead {
  mediaId: string;
  currentVersion: number;
  /** The version the search index holds; behind currentVersion until the index job ran. */
  indexedVersion: number | null;
  updatedAt: string;
}

export interface MediaIndex {
  mediaId: string;
  points: IndexPoint[];
  version: number;
  updatedBy: string | null;
  updatedAt: string;
}
