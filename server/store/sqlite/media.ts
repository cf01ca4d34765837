import type { Database, Statement } from 'better-sqlite3';
import type { JobRepository, MediaRepository, MediumPatch } from '../repositories.js';
import type { JobRecord, MediaDerivatives, Medium } from '../types.js';

interface MediumRow {
  id: string;
  interview_id: string;
  part: number;
  kind: Medium['kind'];
  status: Medium['status'];
  progress: number;
  original_filename: string;
  original_path: string;
  sha256: string;
  size_bytes: number;
  technical: string;
  derivatives: string;
  error: string | null;
  rendition_redaction: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

const toMedium = (r: MediumRow): Medium => ({
  id: r.id,
  interviewId: r.interview_id,
  part: r.part,
  kind: r.kind,
  status: r.status,
  progress: r.progress,
  originalFilename: r.original_filename,
  originalPath: r.original_path,
  sha256: r.sha256,
  sizeBytes: r.size_bytes,
  technical: JSON.parse(r.technical),
  derivatives: JSON.parse(r.derivatives),
  error: r.error,
  renditionRedaction: r.rendition_redaction,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class SqliteMediaRepository implements MediaRepository {
  constructor(private readonly db: Database) {}

  async create(m: Medium): Promise<Medium> {
    this.db
      .prepare(
        `INSERT INTO media (id, interview_id, part, kind, status, progress, original_filename, original_path,
        sha256, size_bytes, technical, derivatives, error, rendition_redaction, created_by, created_at, updated_at)
      VALUES (@id, @interviewId, @part, @kind, @status, @progress, @originalFilename, @originalPath, @sha256, @sizeBytes,
        @technical, @derivatives, @error, @renditionRedaction, @createdBy, @createdAt, @updatedAt)`,
      )
      .run({ ...m, technical: JSON.stringify(m.technical), derivatives: JSON.stringify(m.derivatives) });
    return m;
  }

  async findById(id: string): Promise<Medium | null> {
    return this.load(id);
  }

  private load(id: string): Medium | null {
    const r = this.db.prepare('SELECT * FROM media WHERE id = ?').get(id) as MediumRow | undefined;
    return r ? toMedium(r) : null;
  }

  async listByInterview(interviewId: string): Promise<Medium[]> {
    return (
      this.db.prepare('SELECT * FROM media WHERE interview_id = ? ORDER BY part').all(interviewId) as MediumRow[]
    ).map(toMedium);
  }

  async listUnfinished(): Promise<Medium[]> {
    return (
      this.db
        .prepare(`SELECT * FROM media WHERE status IN ('stored', 'processing') ORDER BY created_at`)
        .all() as MediumRow[]
    ).map(toMedium);
  }

  async nextPart(interviewId: string): Promise<number> {
    return (
      ((this.db.prepare('SELECT max(part) FROM media WHERE interview_id = ?').pluck().get(interviewId) as
        number | null) ?? 0) + 1
    );
  }

  async update(id: string, patch: MediumPatch, now: string): Promise<Medium | null> {
    const columns: Record<string, unknown> = {};
    if (patch.status !== undefined) columns.status = patch.status;
    if (patch.progress !== undefined) columns.progress = patch.progress;
    if (patch.error !== undefined) columns.error = patch.error;
    if (patch.renditionRedaction !== undefined) columns.rendition_redaction = patch.renditionRedaction;
    const sets = [...Object.keys(columns).map((c) => `${c} = @${c}`), 'updated_at = @now'];
    const info = this.db.prepare(`UPDATE media SET ${sets.join(', ')} WHERE id = @id`).run({ ...columns, now, id });
    return info.changes ? this.load(id) : null;
  }

  async setDerivatives(id: string, derivatives: { [K in keyof MediaDerivatives]?: string | null }, now: string) {
    // json_patch (RFC 7396) merges in one statement, so concurrent jobs on one medium never lose each other's paths
    const info = this.db
      .prepare('UPDATE media SET derivatives = json_patch(derivatives, ?), updated_at = ? WHERE id = ?')
      .run(JSON.stringify(derivatives), now, id);
    return info.changes ? this.load(id) : null;
  }

  async delete(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM media WHERE id = ?').run(id).changes === 1;
  }

  async listRedacted(): Promise<string[]> {
    return this.db.prepare(`SELECT id FROM media WHERE rendition_redaction != ''`).pluck().all() as string[];
  }
}

interface JobRow {
  id: string;
  name: string;
  payload: string;
  status: JobRecord['status'];
  media_id: string | null;
  attempts: number;
  max_attempts: number;
  run_after: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  progress: number;
  error: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  dedupe_key: string | null;
  owner_id: string | null;
}

const toJob = (r: JobRow): JobRecord => ({
  id: r.id,
  name: r.name,
  payload: JSON.parse(r.payload),
  status: r.status,
  mediaId: r.media_id,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  runAfter: r.run_after,
  leaseOwner: r.lease_owner,
  leaseExpiresAt: r.lease_expires_at,
  progress: r.progress,
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  dedupeKey: r.dedupe_key,
  ownerId: r.owner_id ?? null,
});

const iso = (d: Date) => d.toISOString();
const later = (d: Date, ms: number) => new Date(d.getTime() + ms).toISOString();

/** SQL condition: a queued job with the same dedupe key exists (only one queued job per key is allowed). */
const HAS_QUEUED_TWIN = `dedupe_key IS NOT NULL AND EXISTS (SELECT 1 FROM jobs AS twin WHERE twin.dedupe_key = jobs.dedupe_key AND twin.status = 'queued')`;

export class SqliteJobRepository implements JobRepository {
  constructor(private readonly db: Database) {}

  async enqueue(job: JobRecord) {
    const info = this.db
      .prepare(
        `INSERT INTO jobs (id, name, payload, status, media_id, attempts, max_attempts, run_after,
        lease_owner, lease_expires_at, progress, error, created_at, updated_at, started_at, finished_at, dedupe_key, owner_id)
      VALUES (@id, @name, @payload, @status, @mediaId, @attempts, @maxAttempts, @runAfter, @leaseOwner, @leaseExpiresAt,
        @progress, @error, @createdAt, @updatedAt, @startedAt, @finishedAt, @dedupeKey, @ownerId)
      ON CONFLICT DO NOTHING`,
      )
      .run({ ...job, ownerId: job.ownerId ?? null, payload: JSON.stringify(job.payload) });
    if (info.changes === 1) return { job, created: true };
    const active = (
      job.dedupeKey
        ? this.db.prepare(`SELECT * FROM jobs WHERE dedupe_key = ? AND status = 'queued'`).get(job.dedupeKey)
        : this.db
            .prepare(`SELECT * FROM jobs WHERE name = ? AND media_id IS ? AND status IN ('queued', 'running')`)
            .get(job.name, job.mediaId)
    ) as JobRow | undefined;
    if (!active)
      throw new Error(
        `job ${job.name} conflicted with an active job that is gone (${job.dedupeKey ?? job.mediaId}); retry`,
      );
    return { job: toJob(active), created: false };
  }

  async findById(id: string): Promise<JobRecord | null> {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return r ? toJob(r) : null;
  }

  async listByMedia(mediaId: string): Promise<JobRecord[]> {
    return (
      this.db.prepare('SELECT * FROM jobs WHERE media_id = ? ORDER BY created_at, rowid').all(mediaId) as JobRow[]
    ).map(toJob);
  }

  /** Prepared claim statements by name filter (the statement is long; preparing it per claim costs CPU). */
  private readonly claimStatements = new Map<string, Statement>();

  /**
   * The claim is one statement: SQLite serialises writers, so two processes can never take the same row. It ranks
   * only the owners with a due job, each by its first due job (jobs_queued_by_owner, migration 11), its running count
   * and its most recent start (jobs_owner_last_start) — not every due job against every other (that cost ~70 ms of CPU
   * per claim at 1,000 queued jobs of one owner). Same order as before: running, never started first, oldest last
   * start, then the owner's first due job by run_after, created_at, insertion.
   */
  private claimStatement(names?: readonly string[]): Statement {
    const key = names ? JSON.stringify(names) : '';
    const cached = this.claimStatements.get(key);
    if (cached) return cached;
    const nameFilter = (alias: string) =>
      names ? `AND ${alias}.name IN (${names.map((_, i) => `@name${i}`).join(', ')})` : '';
    const statement = this.db
      .prepare(`UPDATE jobs SET status = 'running', lease_owner = @owner, lease_expires_at = @leaseExpiresAt,
                  attempts = attempts + 1, started_at = @now, updated_at = @now, error = NULL
                WHERE status = 'queued' AND rowid = (
                  WITH owners AS (SELECT DISTINCT q.owner_id FROM jobs q
                                  WHERE q.status = 'queued' AND q.run_after <= @now ${nameFilter('q')}),
                  firsts AS (SELECT o.owner_id,
                               (SELECT count(*) FROM jobs r WHERE r.owner_id IS o.owner_id AND r.status = 'running') AS running,
                               (SELECT max(s.started_at) FROM jobs s WHERE s.owner_id IS o.owner_id) AS last_started,
                               (SELECT d.rowid FROM jobs d
                                WHERE d.status = 'queued' AND d.owner_id IS o.owner_id AND d.run_after <= @now ${nameFilter('d')}
                                ORDER BY d.run_after, d.created_at, d.rowid LIMIT 1) AS rid
                             FROM owners o)
                  SELECT f.rid FROM firsts f JOIN jobs j ON j.rowid = f.rid
                  ORDER BY f.running, f.last_started IS NOT NULL, f.last_started, j.run_after, j.created_at, j.rowid
                  LIMIT 1)
                RETURNING *`);
    if (this.claimStatements.size > 32) this.claimStatements.clear();
    this.claimStatements.set(key, statement);
    return statement;
  }

  async claim(owner: string, leaseMs: number, now: Date, names?: readonly string[]): Promise<JobRecord | null> {
    const params: Record<string, string> = { owner, leaseExpiresAt: later(now, leaseMs), now: iso(now) };
    names?.forEach((name, i) => {
      params[`name${i}`] = name;
    });
    const row = this.claimStatement(names).get(params) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  async claimMany(
    owner: string,
    leaseMs: number,
    now: Date,
    max: number,
    names?: readonly string[],
  ): Promise<JobRecord[]> {
    // one write transaction: the claims one after another, without another writer between them
    return this.db
      .transaction(() => {
        const claimed: JobRecord[] = [];
        const params: Record<string, string> = { owner, leaseExpiresAt: later(now, leaseMs), now: iso(now) };
        names?.forEach((name, i) => {
          params[`name${i}`] = name;
        });
        const statement = this.claimStatement(names);
        while (claimed.length < max) {
          const row = statement.get(params) as JobRow | undefined;
          if (!row) break;
          claimed.push(toJob(row));
        }
        return claimed;
      })
      .immediate();
  }

  async heartbeat(id: string, owner: string, leaseMs: number, now: Date, progress?: number): Promise<boolean> {
    return (
      this.db
        .prepare(
          `UPDATE jobs SET lease_expires_at = ?, updated_at = ?, progress = coalesce(?, progress)
                WHERE id = ? AND status = 'running' AND lease_owner = ?`,
        )
        .run(later(now, leaseMs), iso(now), progress ?? null, id, owner).changes === 1
    );
  }

  async complete(id: string, owner: string, now: Date): Promise<boolean> {
    return (
      this.db
        .prepare(
          `UPDATE jobs SET status = 'done', progress = 100, lease_owner = NULL, lease_expires_at = NULL,
                  finished_at = ?, updated_at = ? WHERE id = ? AND status = 'running' AND lease_owner = ?`,
        )
        .run(iso(now), iso(now), id, owner).changes === 1
    );
  }

  async fail(id: string, owner: string, error: string, now: Date, retryAt: Date | null): Promise<boolean> {
    const params = { id, owner, error: error.slice(0, 4000), now: iso(now), retryAt: retryAt ? iso(retryAt) : null };
    if (!retryAt) {
      return (
        this.db
          .prepare(
            `UPDATE jobs SET status = 'failed', error = @error, lease_owner = NULL, lease_expires_at = NULL, finished_at = @now,
                    updated_at = @now WHERE id = @id AND status = 'running' AND lease_owner = @owner`,
          )
          .run(params).changes === 1
      );
    }
    return this.db.transaction(() => {
      // A newer job with the same dedupe key was queued while this one ran: that one redoes the whole work,
      // so this attempt is superseded rather than queued a second time (which the unique index forbids).
      const superseded = this.db
        .prepare(
          `UPDATE jobs SET status = 'cancelled', error = 'superseded by a newer queued job after: ' || @error,
                    lease_owner = NULL, lease_expires_at = NULL, finished_at = @now, updated_at = @now
                  WHERE id = @id AND status = 'running' AND lease_owner = @owner AND ${HAS_QUEUED_TWIN}`,
        )
        .run(params).changes;
      if (superseded === 1) return true;
      return (
        this.db
          .prepare(
            `UPDATE jobs SET status = 'queued', run_after = @retryAt, error = @error, lease_owner = NULL, lease_expires_at = NULL,
                    updated_at = @now WHERE id = @id AND status = 'running' AND lease_owner = @owner`,
          )
          .run(params).changes === 1
      );
    })();
  }

  async requeueExpired(now: Date) {
    return this.db.transaction(() => {
      const failed = this.db
        .prepare(
          `UPDATE jobs SET status = 'failed', error = coalesce(error, '') || 'lease expired after the last attempt (worker died?)',
                    lease_owner = NULL, lease_expires_at = NULL, finished_at = @now, updated_at = @now
                  WHERE status = 'running' AND lease_expires_at < @now AND attempts >= max_attempts`,
        )
        .run({ now: iso(now) }).changes;
      this.db
        .prepare(
          `UPDATE jobs SET status = 'cancelled', error = 'lease expired; superseded by a newer queued job',
                    lease_owner = NULL, lease_expires_at = NULL, finished_at = @now, updated_at = @now
                  WHERE status = 'running' AND lease_expires_at < @now AND ${HAS_QUEUED_TWIN}`,
        )
        .run({ now: iso(now) });
      const requeued = this.db
        .prepare(
          `UPDATE jobs SET status = 'queued', run_after = @now, error = 'lease expired (worker died?)',
                    lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
                  WHERE status = 'running' AND lease_expires_at < @now`,
        )
        .run({ now: iso(now) }).changes;
      return { requeued, failed };
    })();
  }

  async cancelByMedia(mediaId: string, now: Date): Promise<string[]> {
    return this.db.transaction(() => {
      const running = this.db
        .prepare(`SELECT id FROM jobs WHERE media_id = ? AND status = 'running'`)
        .pluck()
        .all(mediaId) as string[];
      this.db
        .prepare(
          `UPDATE jobs SET status = 'cancelled', lease_owner = NULL, lease_expires_at = NULL, finished_at = ?, updated_at = ?
                  WHERE media_id = ? AND status IN ('queued', 'running')`,
        )
        .run(iso(now), iso(now), mediaId);
      return running;
    })();
  }

  async expedite(names: readonly string[], now: Date): Promise<number> {
    return this.db
      .prepare(
        `UPDATE jobs SET run_after = ?, updated_at = ? WHERE status = 'queued' AND run_after > ? AND name IN (${names.map(() => '?').join(', ')})`,
      )
      .run(iso(now), iso(now), iso(now), ...names).changes;
  }

  async findActiveByKey(dedupeKey: string): Promise<JobRecord | null> {
    const r = this.db
      .prepare(
        `SELECT * FROM jobs WHERE dedupe_key = ? AND status IN ('queued', 'running') ORDER BY created_at DESC, rowid DESC LIMIT 1`,
      )
      .get(dedupeKey) as JobRow | undefined;
    return r ? toJob(r) : null;
  }

  async reschedule(dedupeKey: string, runAfter: Date, now: Date): Promise<boolean> {
    return (
      this.db
        .prepare(`UPDATE jobs SET run_after = ?, updated_at = ? WHERE dedupe_key = ? AND status = 'queued'`)
        .run(iso(runAfter), iso(now), dedupeKey).changes > 0
    );
  }

  async cancelByKey(dedupeKey: string, now: Date): Promise<number> {
    return this.db
      .prepare(
        `UPDATE jobs SET status = 'cancelled', finished_at = ?, updated_at = ? WHERE dedupe_key = ? AND status = 'queued'`,
      )
      .run(iso(now), iso(now), dedupeKey).changes;
  }

  async cancel(id: string, now: Date): Promise<boolean> {
    return (
      this.db
        .prepare(
          `UPDATE jobs SET status = 'cancelled', lease_owner = NULL, lease_expires_at = NULL, finished_at = ?, updated_at = ?
                WHERE id = ? AND status IN ('queued', 'running')`,
        )
        .run(iso(now), iso(now), id).changes === 1
    );
  }

  async hasActive(mediaId: string): Promise<boolean> {
    return (
      this.db
        .prepare(`SELECT 1 FROM jobs WHERE media_id = ? AND status IN ('queued', 'running') LIMIT 1`)
        .get(mediaId) !== undefined
    );
  }
}
