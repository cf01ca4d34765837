// Repository interfaces, one per aggregate. Async so that the MongoDB (mongoose) adapter of the scale tier can
// implement the same contract; tests/contract/ runs one suite against every adapter.
import type {
  ApiToken, Collection, IndexPoint, Interview, JobRecord, MediaDerivatives, MediaIndex, Medium, Page, PageRequest, Session,
  TranscriptHead, TranscriptVersion, User, Visibility, WorkflowStatus,
} from './types.js';

export type UpdateResult<T> =
  | { ok: true; record: T }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'version-conflict'; current: T };

export interface UserRepository {
  create(user: User): Promise<User>;
  findById(id: string): Promise<User | null>;
  /** Case-insensitive. */
  findByEmail(email: string): Promise<User | null>;
  list(page: PageRequest): Promise<Page<User>>;
  update(id: string, patch: Partial<Pick<User, 'displayName' | 'role' | 'passwordHash' | 'disabled'>>, now: string): Promise<User | null>;
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
    patch: Partial<Pick<Collection, 'title' | 'description'>>,
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
  | { kind: 'scoped'; publishedVisibilities: readonly Visibility[]; ownerId?: string };

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

export const interviewSorts = ['-updatedAt', 'updatedAt', 'title', '-title', 'recordedAt', '-recordedAt', '-createdAt', 'createdAt'] as const;
export type InterviewSort = (typeof interviewSorts)[number];

export type InterviewPatch = Partial<
  Pick<Interview, 'collectionId' | 'title' | 'people' | 'recordedAt' | 'place' | 'language' | 'summary' | 'keywords' | 'visibility' | 'status'>
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
}

export type MediumPatch = Partial<Pick<Medium, 'status' | 'progress' | 'error'>>;

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
  setDerivatives(id: string, derivatives: { [K in keyof MediaDerivatives]?: string | null }, now: string): Promise<Medium | null>;
  delete(id: string): Promise<boolean>;
}

export interface JobRepository {
  /**
   * Adds a queued job unless the same job (name + medium) is already queued or running; returns the active one then.
   */
  enqueue(job: JobRecord): Promise<{ job: JobRecord; created: boolean }>;
  findById(id: string): Promise<JobRecord | null>;
  listByMedia(mediaId: string): Promise<JobRecord[]>;
  /** Atomically takes the oldest due queued job (optionally only of the given names): running, leased, attempts + 1. */
  claim(owner: string, leaseMs: number, now: Date, names?: readonly string[]): Promise<JobRecord | null>;
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
  putIndex(mediaId: string, points: IndexPoint[], updatedBy: string | null, now: string, expectedVersion?: number): Promise<{ ok: true; index: MediaIndex } | { ok: false; current: number }>;
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
  /** Cheap round trip for /healthz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
