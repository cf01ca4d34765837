// Repository interfaces, one per aggregate. Async so that the MongoDB (mongoose) adapter of the scale tier can
// implement the same contract; tests/contract/ runs one suite against every adapter.
import type {
  ApiToken,
  AuditEvent,
  Collection,
  ConsentRecord,
  Correction,
  Group,
  IndexPoint,
  Interview,
  JobRecord,
  MediaDerivatives,
  MediaIndex,
  Medium,
  Operation,
  Page,
  PageRequest,
  Restriction,
  ReviewDecision,
  ReviewInvitation,
  Session,
  TranscriptHead,
  TranscriptVersion,
  User,
  Visibility,
  WorkflowStatus,
} from './types.js';
import type { FixityBaseline, FixityEvent, FixityOutcome } from './types.js';

export type UpdateResult<T> =
  { ok: true; record: T } | { ok: false; reason: 'not-found' } | { ok: false; reason: 'version-conflict'; current: T };

export interface UserRepository {
  create(user: User): Promise<User>;
  findById(id: string): Promise<User | null>;
  /** Case-insensitive. */
  findByEmail(email: string): Promise<User | null>;
  list(page: PageRequest): Promise<Page<User>>;
  update(
    id: string,
    patch: Partial<Pick<User, 'displayName' | 'role' | 'passwordHash' | 'disabled'>>,
    now: string,
  ): Promise<User | null>;
  countActiveAdmins(): Promise<number>;
}

export interface SessionRepository {
  create(session: Session): Promise<void>;
  findById(id: string): Promise<Session | null>;
  touch(id: string, lastSeenAt: string, expiresAt: string): Promise<void>;
  delete(id: string): Promise<void>;
  deleteByUser(userId: string): Promise<number>;
  deleteExpired(now: string): Promise<number>;
}

export interface ApiTokenRepository {
  create(token: ApiToken): Promise<void>;
  findByHash(tokenHash: string): Promise<ApiToken | null>;
  listByUser(userId: string): Promise<ApiToken[]>;
  /** Sets revokedAt once; false when no such token of that user exists or it was already revoked. */
  revoke(id: string, userId: string, at: string): Promise<boolean>;
  touch(id: string, at: string): Promise<void>;
}

export interface CollectionRepository {
  create(collection: Collection): Promise<Collection>;
  findById(id: string): Promise<Collection | null>;
  list(page: PageRequest): Promise<Page<Collection>>;
  update(
    id: string,
    patch: Partial<Pick<Collection, 'title' | 'description' | 'autoTranscribe'>>,
    now: string,
    expectedVersion?: number,
  ): Promise<UpdateResult<Collection>>;
  delete(id: string): Promise<boolean>;
}

/**
 * Which interviews a viewer may list. `all` for curators and admins; otherwise published interviews of the
 * given visibilities, plus (for contributors) everything they created themselves. Built by server/access only.
 */
export type AccessScope =
  | { kind: 'all' }
  | {
      kind: 'scoped';
      publishedVisibilities: readonly Visibility[];
      /** Published `restricted` interviews granted to any of these principals (`user:<id>`, `group:<id>`). */
      principals?: readonly string[];
      /** Interviews this user created (not once withdrawn). */
      ownerId?: string;
      /** Interviews seen in full whatever their state (not once withdrawn): a narrator's own, under review. */
      interviewIds?: readonly string[];
      /** Also list interviews approved for publication but sealed by an embargo that asks to be listed. */
      includeSealed?: boolean;
    };

export interface InterviewFilter {
  access: AccessScope;
  collectionId?: string;
  status?: readonly WorkflowStatus[];
  visibility?: readonly Visibility[];
  language?: string;
  keyword?: string;
  /** Substring of a narrator's or interviewer's name, case-insensitive. */
  person?: string;
  /** Substring of title or summary, case-insensitive. */
  text?: string;
  /** Inclusive bounds on the (possibly partial) recording date, compared as ISO prefixes. */
  recordedFrom?: string;
  recordedTo?: string;
  createdBy?: string;
}

export const interviewSorts = [
  '-updatedAt',
  'updatedAt',
  'title',
  '-title',
  'recordedAt',
  '-recordedAt',
  '-createdAt',
  'createdAt',
] as const;
export type InterviewSort = (typeof interviewSorts)[number];

export type InterviewPatch = Partial<
  Pick<
    Interview,
    | 'collectionId'
    | 'title'
    | 'people'
    | 'recordedAt'
    | 'place'
    | 'language'
    | 'summary'
    | 'keywords'
    | 'visibility'
    | 'status'
    | 'grants'
    | 'embargoUntil'
    | 'embargoListed'
  >
>;

export interface InterviewRepository {
  create(interview: Interview): Promise<Interview>;
  findById(id: string): Promise<Interview | null>;
  list(filter: InterviewFilter, page: PageRequest, sort: InterviewSort): Promise<Page<Interview>>;
  update(id: string, patch: InterviewPatch, now: string, expectedVersion?: number): Promise<UpdateResult<Interview>>;
  delete(id: string): Promise<boolean>;
  countByCollection(collectionId: string): Promise<number>;
  /** Clears the search-dirty mark if the interview is still at that version. */
  markIndexed(id: string, version: number): Promise<void>;
  /** Interviews changed since the search index last saw them. */
  listSearchDirty(limit: number): Promise<Interview[]>;
  markAllSearchDirty(): Promise<void>;
  /** Approved interviews waiting for their embargo to end (the publish job's work list for the sweep). */
  listAwaitingEmbargo(limit: number): Promise<Interview[]>;
  /**
   * Changes whenever any interview is created, changed or deleted (cheap: one aggregate); lets a reader keep all
   * interviews in memory and know when to read them again (server/search/interview-catalog.ts).
   */
  changeStamp(): Promise<string>;
}

export type MediumPatch = Partial<Pick<Medium, 'status' | 'progress' | 'error' | 'renditionRedaction'>>;

export interface MediaRepository {
  create(medium: Medium): Promise<Medium>;
  findById(id: string): Promise<Medium | null>;
  /** Ordered by part (tape 1, tape 2 …). */
  listByInterview(interviewId: string): Promise<Medium[]>;
  /** Media not finished yet (stored or processing): what the sweep looks at. */
  listUnfinished(): Promise<Medium[]>;
  nextPart(interviewId: string): Promise<number>;
  update(id: string, patch: MediumPatch, now: string): Promise<Medium | null>;
  /** Merges the given derivative paths into the medium's derivatives (null removes one). */
  setDerivatives(
    id: string,
    derivatives: { [K in keyof MediaDerivatives]?: string | null },
    now: string,
  ): Promise<Medium | null>;
  delete(id: string): Promise<boolean>;
  /** Ids of media whose renditions were made with restricted passages (renditionRedaction ≠ ''). */
  listRedacted(): Promise<string[]>;
}

export interface JobRepository {
  /**
   * Adds a queued job unless the same job (name + medium) is already queued or running; returns the active one then.
   */
  enqueue(job: JobRecord): Promise<{ job: JobRecord; created: boolean }>;
  findById(id: string): Promise<JobRecord | null>;
  listByMedia(mediaId: string): Promise<JobRecord[]>;
  /**
   * Atomically takes one due queued job (optionally only of the given names): running, leased, attempts + 1.
   * Fair across owners (`ownerId`, null counting as one owner of its own): among the owners with a due job, the one
   * with the fewest running jobs goes first; on a tie, the one whose most recent job start (`startedAt` of any of
   * their jobs, any status) is oldest, an owner never started first; on a tie again, the owner of the oldest due job.
   * Of that owner, the oldest due job (runAfter, then createdAt). So one uploader's long queue never starves another's.
   */
  claim(owner: string, leaseMs: number, now: Date, names?: readonly string[]): Promise<JobRecord | null>;
  /**
   * Up to `max` jobs at once, as `max` claims one after another would take them (same order, same fairness); fewer
   * when fewer are due. For a worker with `max` free slots: each job returned is leased from `now` and starts at once.
   */
  claimMany(owner: string, leaseMs: number, now: Date, max: number, names?: readonly string[]): Promise<JobRecord[]>;
  /** Extends the lease and records progress; false when the job is no longer this owner's (cancelled, lease lost). */
  heartbeat(id: string, owner: string, leaseMs: number, now: Date, progress?: number): Promise<boolean>;
  complete(id: string, owner: string, now: Date): Promise<boolean>;
  /**
   * Back to queued at `retryAt`, or terminally failed when retryAt is null. A job whose dedupe key already has a
   * newer queued job is cancelled as superseded instead of queued twice.
   */
  fail(id: string, owner: string, error: string, now: Date, retryAt: Date | null): Promise<boolean>;
  /** Running jobs whose lease ran out: queued again (or superseded, as in `fail`), or failed once they used up their attempts. */
  requeueExpired(now: Date): Promise<{ requeued: number; failed: number }>;
  /** Cancels queued and running jobs of a medium; returns the ids that were running. */
  cancelByMedia(mediaId: string, now: Date): Promise<string[]>;
  /** Makes queued jobs of these names due now (search is back: do not wait out the backoff). */
  expedite(names: readonly string[], now: Date): Promise<number>;
  /** Whether the medium has a queued or running job. */
  hasActive(mediaId: string): Promise<boolean>;
  /** The queued or running job with this dedupe key (newest first), if any. */
  findActiveByKey(dedupeKey: string): Promise<JobRecord | null>;
  /** Moves the queued job with this dedupe key to a new time; false when none is queued. */
  reschedule(dedupeKey: string, runAfter: Date, now: Date): Promise<boolean>;
  /** Cancels queued jobs with this dedupe key (an embargo was lifted by hand, the interview withdrawn …). */
  cancelByKey(dedupeKey: string, now: Date): Promise<number>;
  /** Cancels one queued or running job (its worker notices at the next heartbeat); false when it was not active. */
  cancel(id: string, now: Date): Promise<boolean>;
}

export type VersionSummary = Omit<TranscriptVersion, 'segments'> & { segmentCount: number };

export interface TranscriptRepository {
  head(mediaId: string): Promise<TranscriptHead | null>;
  /**
   * Appends the next version atomically. With `expectedCurrent` (null = "no transcript yet") a concurrent change
   * makes it fail instead of silently building on a state the author never saw.
   */
  append(
    version: Omit<TranscriptVersion, 'version'>,
    expectedCurrent?: number | null,
  ): Promise<{ ok: true; version: TranscriptVersion } | { ok: false; current: number | null }>;
  getVersion(mediaId: string, version: number): Promise<TranscriptVersion | null>;
  current(mediaId: string): Promise<TranscriptVersion | null>;
  /** Newest first, without the segments. */
  listVersions(mediaId: string): Promise<VersionSummary[]>;
  /** Records that the search index holds this version (never moves backwards). */
  markIndexed(mediaId: string, version: number): Promise<void>;
  /** Transcripts whose current version is not (yet) in the search index. */
  listUnindexed(limit: number): Promise<TranscriptHead[]>;
  /** Forgets what the search index holds, so that everything is indexed again (reindex). */
  resetIndexed(): Promise<void>;
  getIndex(mediaId: string): Promise<MediaIndex | null>;
  putIndex(
    mediaId: string,
    points: IndexPoint[],
    updatedBy: string | null,
    now: string,
    expectedVersion?: number,
  ): Promise<{ ok: true; index: MediaIndex } | { ok: false; current: number }>;
}

export interface GroupRepository {
  create(group: Group): Promise<Group>;
  findById(id: string): Promise<Group | null>;
  list(): Promise<Group[]>;
  delete(id: string): Promise<boolean>;
  addMember(groupId: string, userId: string): Promise<void>;
  removeMember(groupId: string, userId: string): Promise<boolean>;
  members(groupId: string): Promise<string[]>;
  groupIdsOf(userId: string): Promise<string[]>;
}

export interface ConsentRepository {
  /**
   * Appends a version. A new id starts at 1; an existing one continues after its newest version, and with
   * `expectedVersion` a concurrent change fails instead of being overwritten.
   */
  append(
    record: Omit<ConsentRecord, 'version'>,
    expectedVersion?: number | null,
  ): Promise<{ ok: true; record: ConsentRecord } | { ok: false; current: number | null }>;
  /** The newest version of every consent record of an interview. */
  currentForInterview(interviewId: string): Promise<ConsentRecord[]>;
  /** All versions of one record, newest first. */
  history(id: string): Promise<ConsentRecord[]>;
  find(id: string, version?: number): Promise<ConsentRecord | null>;
}

export interface ReviewRepository {
  createInvitation(invitation: ReviewInvitation): Promise<ReviewInvitation>;
  findInvitation(id: string): Promise<ReviewInvitation | null>;
  findInvitationByTokenHash(tokenHash: string): Promise<ReviewInvitation | null>;
  findInvitationByCodeHash(codeHash: string): Promise<ReviewInvitation | null>;
  listInvitations(interviewId: string): Promise<ReviewInvitation[]>;
  /** Sets revokedAt once; false when unknown or already revoked. */
  revokeInvitation(id: string, at: string): Promise<boolean>;
  touchInvitation(id: string, at: string): Promise<void>;

  addRestriction(restriction: Restriction): Promise<Restriction>;
  findRestriction(id: string): Promise<Restriction | null>;
  /** Oldest first; only active ones unless `includeLifted`. */
  listRestrictions(filter: { interviewId?: string; mediaId?: string; includeLifted?: boolean }): Promise<Restriction[]>;
  /** false when unknown or already lifted. */
  liftRestriction(id: string, at: string, by: string | null): Promise<boolean>;

  addCorrection(correction: Correction): Promise<Correction>;
  findCorrection(id: string): Promise<Correction | null>;
  listCorrections(interviewId: string): Promise<Correction[]>;
  /** Decides an open correction once; false when unknown or already decided. */
  decideCorrection(
    id: string,
    decision: Pick<Correction, 'status' | 'decidedBy' | 'decidedAt' | 'decisionNote' | 'transcriptVersion'>,
  ): Promise<boolean>;

  addDecision(decision: ReviewDecision): Promise<ReviewDecision>;
  /** Newest first. */
  listDecisions(interviewId: string): Promise<ReviewDecision[]>;
}

export interface AuditFilter {
  interviewId?: string;
  action?: string;
  actorId?: string;
}

export interface AuditRepository {
  /**
   * Appends an event. With a `key` the append is idempotent: at most one event per key exists, and appending again
   * with a key already used returns the event stored first, unchanged (no error). Events without a key never collide.
   */
  append(event: Omit<AuditEvent, 'id'>, key?: string): Promise<AuditEvent>;
  /** Newest first. */
  list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEvent>>;
}

/** The durable record of each use case's unit of work (server/store/unit-of-work.ts). Every method touches one record. */
export interface OperationRepository {
  /**
   * Inserts the operation unless one with its key exists (a unique insert, nothing else). Returns the stored one:
   * `created: true` with the given record, or `created: false` with the existing record untouched, whatever its status.
   */
  begin(operation: Operation): Promise<{ operation: Operation; created: boolean }>;
  find(key: string): Promise<Operation | null>;
  /** pending → done or failed (with the error), once; false when unknown or already finished. */
  finish(key: string, outcome: { status: 'done' } | { status: 'failed'; error: string }, at: string): Promise<boolean>;
  /** Pending operations created before `createdBefore` (ISO), oldest first: what the sweep completes. */
  listUnfinished(createdBefore: string, limit: number): Promise<Operation[]>;
}

/**
 * Errors are part of the contract (server/store/errors.ts): an insert whose id or unique key is taken throws
 * DuplicateKeyError; an engine that cannot be reached throws StoreUnavailableError; nothing else of a driver leaks.
 */
export interface FixityEventFilter {
  mediaId?: string;
  interviewId?: string;
  outcome?: FixityOutcome;
  runId?: string;
}

/** Fixity (issue 15): recorded rendition hashes, and one PREMIS-style event per file checked. */
export interface FixityRepository {
  /**
   * The files now at `prefix` (one file's path, or a directory path ending in "/") are exactly these: earlier
   * baselines under the prefix are dropped, and so is the current check state of those paths (they are new files).
   */
  replaceBaselines(mediaId: string, prefix: string, files: Omit<FixityBaseline, 'mediaId'>[]): Promise<void>;
  /** A medium's recorded rendition hashes, ordered by path. */
  listBaselines(mediaId: string): Promise<FixityBaseline[]>;
  /** Appends the event; it becomes its path's current state unless that path has a later one. */
  appendEvent(event: FixityEvent): Promise<FixityEvent>;
  /** Newest first (by `at`, then insertion). */
  listEvents(filter: FixityEventFilter, page: PageRequest): Promise<Page<FixityEvent>>;
  /** The latest event of every path whose latest event is not a pass — the open alerts — oldest first. */
  listProblems(): Promise<FixityEvent[]>;
  /** When this path was last checked (latest event's `at`), or null if never. */
  lastChecked(path: string): Promise<string | null>;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongodb';
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly apiTokens: ApiTokenRepository;
  readonly collections: CollectionRepository;
  readonly interviews: InterviewRepository;
  readonly media: MediaRepository;
  readonly jobs: JobRepository;
  readonly transcripts: TranscriptRepository;
  readonly groups: GroupRepository;
  readonly consents: ConsentRepository;
  readonly review: ReviewRepository;
  readonly audit: AuditRepository;
  readonly operations: OperationRepository;
  readonly fixity: FixityRepository;
  /** Cheap round trip for /healthz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
