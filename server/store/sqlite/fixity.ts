// Fixity baselines (rendition hashes recorded when made) and PREMIS-style fixity events, with the current state
// (latest event) of every checked path kept beside them so the open alerts are one indexed query.
import type { Database } from 'better-sqlite3';
import type { FixityEventFilter, FixityRepository } from '../repositories.js';
import type { FixityBaseline, FixityEvent, Page, PageRequest } from '../types.js';

interface EventRow {
  id: string;
  at: string;
  type: FixityEvent['type'];
  algorithm: 'SHA-256';
  outcome: FixityEvent['outcome'];
  path: string;
  file_kind: FixityEvent['fileKind'];
  media_id: string;
  interview_id: string;
  expected_sha256: string | null;
  actual_sha256: string | null;
  agent: string;
  run_id: string | null;
  detail: string | null;
}

const toEvent = (r: EventRow): FixityEvent => ({
  id: r.id,
  at: r.at,
  type: r.type,
  algorithm: r.algorithm,
  outcome: r.outcome,
  path: r.path,
  fileKind: r.file_kind,
  mediaId: r.media_id,
  interviewId: r.interview_id,
  expectedSha256: r.expected_sha256,
  actualSha256: r.actual_sha256,
  agent: r.agent,
  runId: r.run_id,
  detail: r.detail,
});

/** Rows under a prefix: the path itself, or everything below a directory prefix ending in "/". */
const UNDER = `(path = @prefix OR (substr(@prefix, -1) = '/' AND substr(path, 1, length(@prefix)) = @prefix))`;

export class SqliteFixityRepository implements FixityRepository {
  constructor(private readonly db: Database) {}

  async replaceBaselines(mediaId: string, prefix: string, files: Omit<FixityBaseline, 'mediaId'>[]): Promise<void> {
    const insert = this.db.prepare(`INSERT INTO fixity_baselines (path, media_id, sha256, size_bytes, recorded_at)
      VALUES (@path, @mediaId, @sha256, @sizeBytes, @recordedAt)
      ON CONFLICT(path) DO UPDATE SET media_id = excluded.media_id, sha256 = excluded.sha256, size_bytes = excluded.size_bytes, recorded_at = excluded.recorded_at`);
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM fixity_baselines WHERE ${UNDER}`).run({ prefix });
      this.db.prepare(`DELETE FROM fixity_state WHERE ${UNDER}`).run({ prefix });
      for (const f of files) insert.run({ ...f, mediaId });
    })();
  }

  async listBaselines(mediaId: string): Promise<FixityBaseline[]> {
    const rows = this.db.prepare('SELECT * FROM fixity_baselines WHERE media_id = ? ORDER BY path').all(mediaId) as {
      path: string;
      media_id: string;
      sha256: string;
      size_bytes: number;
      recorded_at: string;
    }[];
    return rows.map((r) => ({
      path: r.path,
      mediaId: r.media_id,
      sha256: r.sha256,
      sizeBytes: r.size_bytes,
      recordedAt: r.recorded_at,
    }));
  }

  async appendEvent(e: FixityEvent): Promise<FixityEvent> {
    this.db.transaction(() => {
      const info = this.db
        .prepare(
          `INSERT INTO fixity_events (id, at, type, algorithm, outcome, path, file_kind, media_id, interview_id,
          expected_sha256, actual_sha256, agent, run_id, detail)
        VALUES (@id, @at, @type, @algorithm, @outcome, @path, @fileKind, @mediaId, @interviewId, @expectedSha256, @actualSha256, @agent, @runId, @detail)`,
        )
        .run(e);
      this.db
        .prepare(
          `INSERT INTO fixity_state (path, event_seq, at, outcome) VALUES (@path, @seq, @at, @outcome)
        ON CONFLICT(path) DO UPDATE SET event_seq = excluded.event_seq, at = excluded.at, outcome = excluded.outcome WHERE excluded.at >= fixity_state.at`,
        )
        .run({ path: e.path, seq: info.lastInsertRowid, at: e.at, outcome: e.outcome });
    })();
    return e;
  }

  async listEvents(filter: FixityEventFilter, page: PageRequest): Promise<Page<FixityEvent>> {
    const where: string[] = [];
    if (filter.mediaId) where.push('media_id = @mediaId');
    if (filter.interviewId) where.push('interview_id = @interviewId');
    if (filter.outcome) where.push('outcome = @outcome');
    if (filter.runId) where.push('run_id = @runId');
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.db.prepare(`SELECT count(*) FROM fixity_events ${clause}`).pluck().get(filter) as number;
    const rows = this.db
      .prepare(`SELECT * FROM fixity_events ${clause} ORDER BY at DESC, seq DESC LIMIT @limit OFFSET @offset`)
      .all({ ...filter, limit: page.limit, offset: page.offset }) as EventRow[];
    return { items: rows.map(toEvent), total };
  }

  async listProblems(): Promise<FixityEvent[]> {
    const rows = this.db
      .prepare(
        `SELECT e.* FROM fixity_state s JOIN fixity_events e ON e.seq = s.event_seq
      WHERE s.outcome != 'pass' ORDER BY s.at, e.seq`,
      )
      .all() as EventRow[];
    return rows.map(toEvent);
  }

  async lastChecked(path: string): Promise<string | null> {
    return (
      (this.db.prepare('SELECT at FROM fixity_state WHERE path = ?').pluck().get(path) as string | undefined) ?? null
    );
  }
}
