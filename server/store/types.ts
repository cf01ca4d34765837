// Domain records as the repositories return them. Plain data, no behaviour; IDs are UUID strings,
// timestamps ISO-8601 strings (UTC) so that SQLite and MongoDB adapters agree byte for byte.
export {
  type JobRecord,
  type JobStatus,
  type MediaDerivatives,
  type MediaKind,
  type MediaStatus,
  type MediaTechnical,
  type Medium,
  jobStatuses,
  mediaKinds,
  mediaStatuses,
} from './media-types.js';
export {
  type IndexHyperlink,
  type IndexPlace,
  type IndexPoint,
  type MediaIndex,
  type TimedSegment,
  type TranscriptHead,
  type TranscriptSegment,
  type TranscriptVersion,
  isTimed,
} from './transcript-types.js';

// researcher: reads `registered` interviews and, when granted, `restricted` ones; never edits.
export const roles = ['admin', 'curator', 'contributor', 'researcher'] as const;
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
  /** Whether a medium of this collection's interviews gets an automatic draft transcript once it is ready. */
  autoTranscribe: AutoTranscribeSetting;
}

export interface AutoTranscribeSetting {
  enabled: boolean;
  /** ISO 639-1 code for the engine; null: the interview's own language (`de` when it has none). */
  language: string | null;
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
  /** Who may see a `restricted` interview: `user:<id>` and `group:<id>` principals. */
  grants: string[];
  /** Published, but sealed until this instant (ISO); null = no embargo. */
  embargoUntil: string | null;
  /** During the embargo, list the interview as "gesperrt bis …" (title only) instead of hiding it. */
  embargoListed: boolean;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** Incremented on every change; exposed as ETag for optimistic concurrency. */
  version: number;
}

export interface Group {
  id: string;
  name: string;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface PageRequest {
  limit: number;
  offset: number;
}

export const consentScopes = ['archive', 'research', 'education', 'public_web', 'exhibition'] as const;
export type ConsentScope = (typeof consentScopes)[number];
export const consentMethods = ['signed_form', 'spoken', 'digital'] as const;
export type ConsentMethod = (typeof consentMethods)[number];
/** What happens to the preservation master when the narrator withdraws. */
export const withdrawalPolicies = ['delete_original', 'keep_archive'] as const;
export type WithdrawalPolicy = (typeof withdrawalPolicies)[number];

export interface ConsentScan {
  /** Relative to UPLOADS_DIR; staff only. */
  path: string;
  mime: 'application/pdf' | 'image/jpeg' | 'image/png';
  sha256: string;
  sizeBytes: number;
  filename: string;
}

/** One version of a narrator's consent; a change adds a version, nothing is overwritten. */
export interface ConsentRecord {
  id: string;
  version: number;
  interviewId: string;
  narrator: string;
  scope: ConsentScope[];
  /** ISO date the consent was given. */
  givenOn: string;
  method: ConsentMethod;
  scan: ConsentScan | null;
  embargoUntil: string | null;
  onWithdrawal: WithdrawalPolicy;
  notes: string | null;
  authorId: string | null;
  createdAt: string;
}

export interface ReviewInvitation {
  id: string;
  interviewId: string;
  narrator: string;
  /** SHA-256 of the link token and of the normalised short code; neither is stored in the clear. */
  tokenHash: string;
  codeHash: string;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export type ActorKind = 'user' | 'narrator' | 'system';

/** A passage (time range of one medium) the narrator does not release. */
export interface Restriction {
  id: string;
  interviewId: string;
  mediaId: string;
  start: number;
  end: number;
  reason: string | null;
  /** The transcript text the narrator selected, for the curator's overview (never shown publicly). */
  quote: string | null;
  status: 'active' | 'lifted';
  createdByKind: ActorKind;
  /** user id or invitation id */
  createdById: string | null;
  createdAt: string;
  liftedAt: string | null;
  liftedBy: string | null;
}

export interface Correction {
  id: string;
  interviewId: string;
  mediaId: string;
  segmentNo: number;
  /** The segment's start, so the proposal still finds its place after a split. */
  segmentStart: number;
  original: string;
  proposed: string;
  note: string | null;
  status: 'open' | 'accepted' | 'rejected';
  invitationId: string | null;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  /** The transcript version an accepted correction created. */
  transcriptVersion: number | null;
}

export const reviewDecisions = ['approve', 'request_changes', 'withdraw'] as const;
export type ReviewDecisionKind = (typeof reviewDecisions)[number];

export interface ReviewDecision {
  id: string;
  interviewId: string;
  invitationId: string | null;
  decision: ReviewDecisionKind;
  /** For approvals: what the narrator released it for. */
  visibility: Visibility | null;
  message: string | null;
  /** A short number printed on the receipt. */
  receiptNo: string;
  createdAt: string;
}

export interface AuditEvent {
  id: number;
  at: string;
  actorKind: ActorKind;
  actorId: string | null;
  /** e.g. the user's email or "Zeitzeuge: Name" at the time. */
  actorLabel: string | null;
  interviewId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

export const operationStatuses = ['pending', 'done', 'failed'] as const;
export type OperationStatus = (typeof operationStatuses)[number];
/**
 * One use case's unit of work (server/store/unit-of-work.ts): written first, in one insert, with everything its steps
 * need; the steps are applied idempotently and the operation is then marked done (or failed). Its key is the
 * idempotency key: a retry with the same key finds it instead of starting the use case twice.
 */
export interface Operation {
  /** Unique: `<kind>:<scope>:<Idempotency-Key or a key derived from the request>`. */
  key: string;
  /** The use case, e.g. `review.decide`; the runner's registry maps it to its steps. */
  kind: string;
  /** JSON: everything the steps need (ids of the records to write are fixed here, so re-applying a step is a no-op). */
  payload: unknown;
  status: OperationStatus;
  /** Why a failed operation failed (a Problem type or message); null otherwise. */
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

// ---------------------------------------------------------------------------------------------- preservation (fixity)

/** The SHA-256 a rendition file had when it was verified and put in place (originals keep theirs on the medium). */
export interface FixityBaseline {
  /** Relative to UPLOADS_DIR, e.g. `renditions/<mediaId>/hls/seg-0001.m4s`. */
  path: string;
  mediaId: string;
  sha256: string;
  sizeBytes: number;
  recordedAt: string;
}

export const fixityOutcomes = ['pass', 'fail', 'missing'] as const;
export type FixityOutcome = (typeof fixityOutcomes)[number];

/** A PREMIS-style event about one file: eventType, the digest algorithm, outcome, date/time and agent. */
export interface FixityEvent {
  id: string;
  at: string;
  /** PREMIS eventType: `fixity check` (re-hashed) or `message digest calculation` (first hash of a file without one). */
  type: 'fixity check' | 'message digest calculation';
  algorithm: 'SHA-256';
  outcome: FixityOutcome;
  /** Relative to UPLOADS_DIR. */
  path: string;
  fileKind: 'original' | 'rendition';
  mediaId: string;
  interviewId: string;
  expectedSha256: string | null;
  actualSha256: string | null;
  /** PREMIS linkingAgent: which program (and which run of it) checked. */
  agent: string;
  runId: string | null;
  /** What followed, e.g. "renditions queued to be re-made from the original". */
  detail: string | null;
}
