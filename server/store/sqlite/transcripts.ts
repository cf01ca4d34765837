import type { Database } from 'better-sqlite3';
import type { TranscriptRepository, VersionSummary } from '../repositories.js';
import type { IndexPoint, MediaIndex, TranscriptHead, TranscriptVersion } from '../types.js';

interface HeadRow {
  media_id: string;
  current_version: number;
  indexed_version: number | null;
  updated_at: string;
}
interface VersionRow {
  media_id: string;
  version: number;
  segments: string;
  author_id: string | null;
  reason: string;
  source: string;
  created_at: string;
}

const toHead = (r: HeadRow): TranscriptHead => ({
  mediaId: r.media_id,
  currentVersion: r.current_version,
  indexedVersion: r.indexed_version,
  updatedAt: r.updated_at,
});
const toVersion = (r: VersionRow): TranscriptVersion => ({
  mediaId: r.media_id,
  version: r.version,
  segments: JSON.parse(r.segments),
  authorId: r.author_id,
  reason: r.reason,
  source: r.source,
  createdAt: r.created_at,
});

export class SqliteTranscriptRepository implements TranscriptRepository {
  constructor(private readonly db: Database) {}

  async head(mediaId: string): Promise<TranscriptHead | null> {
    const r = this.db.prepare('SELECT * FROM transcripts WHERE media_id = ?').get(mediaId) as HeadRow | undefined;
    return r ? toHead(r) : null;
  }

  async append(v: Omit<TranscriptVersion, 'version'>, expectedCurrent?: number | null) {
    return this.db.transaction(() => {
      const current =
        (this.db.prepare('SELECT current_version FROM transcripts WHERE media_id = ?').pluck().get(v.mediaId) as
          number | undefined) ?? null;
      if (expectedCurrent !== undefined && expectedCurrent !== current) return { ok: false as const, current };
      const version = (current ?? 0) + 1;
      if (current === null) {
        this.db
          .prepare(
            'INSERT INTO transcripts (media_id, current_version, indexed_version, updated_at) VALUES (?, ?, NULL, ?)',
          )
          .run(v.mediaId, version, v.createdAt);
      } else {
        this.db
          .prepare('UPDATE transcripts SET current_version = ?, updated_at = ? WHERE media_id = ?')
          .run(version, v.createdAt, v.mediaId);
      }
      this.db
        .prepare(
          `INSERT INTO transcript_versions (media_id, version, segments, author_id, reason, source, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(v.mediaId, version, JSON.stringify(v.segments), v.authorId, v.reason, v.source, v.createdAt);
      return { ok: true as const, version: { ...v, version } };
    })();
  }

  async getVersion(mediaId: string, version: number): Promise<TranscriptVersion | null> {
    const r = this.db
      .prepare('SELECT * FROM transcript_versions WHERE media_id = ? AND version = ?')
      .get(mediaId, version) as VersionRow | undefined;
    return r ? toVersion(r) : null;
  }

  async current(mediaId: string): Promise<TranscriptVersion | null> {
    const r = this.db
      .prepare(
        `SELECT v.* FROM transcript_versions v JOIN transcripts t ON t.media_id = v.media_id AND t.current_version = v.version
                               WHERE v.media_id = ?`,
      )
      .get(mediaId) as VersionRow | undefined;
    return r ? toVersion(r) : null;
  }

  async listVersions(mediaId: string): Promise<VersionSummary[]> {
    const rows = this.db
      .prepare(
        `SELECT media_id, version, author_id, reason, source, created_at, json_array_length(segments) AS n
                                  FROM transcript_versions WHERE media_id = ? ORDER BY version DESC`,
      )
      .all(mediaId) as (Omit<VersionRow, 'segments'> & { n: number })[];
    return rows.map((r) => ({
      mediaId: r.media_id,
      version: r.version,
      authorId: r.author_id,
      reason: r.reason,
      source: r.source,
      createdAt: r.created_at,
      segmentCount: r.n,
    }));
  }

  async markIndexed(mediaId: string, version: number): Promise<void> {
    this.db
      .prepare(
        'UPDATE transcripts SET indexed_version = ? WHERE media_id = ? AND (indexed_version IS NULL OR indexed_version < ?)',
      )
      .run(version, mediaId, version);
  }

  async listUnindexed(limit: number): Promise<TranscriptHead[]> {
    return (
      this.db
        .prepare(
          'SELECT * FROM transcripts WHERE indexed_version IS NULL OR indexed_version < current_version ORDER BY updated_at LIMIT ?',
        )
        .all(limit) as HeadRow[]
    ).map(toHead);
  }

  async resetIndexed(): Promise<void> {
    this.db.prepare('UPDATE transcripts SET indexed_version = NULL').run();
  }

  async getIndex(mediaId: string): Promise<MediaIndex | null> {
    const r = this.db.prepare('SELECT * FROM media_index WHERE media_id = ?').get(mediaId) as
      { media_id: string; points: string; version: number; updated_by: string | null; updated_at: string } | undefined;
    return r
      ? {
          mediaId: r.media_id,
          points: JSON.parse(r.points),
          version: r.version,
          updatedBy: r.updated_by,
          updatedAt: r.updated_at,
        }
      : null;
  }

  async putIndex(
    mediaId: string,
    points: IndexPoint[],
    updatedBy: string | null,
    now: string,
    expectedVersion?: number,
  ) {
    return this.db.transaction(() => {
      const current =
        (this.db.prepare('SELECT version FROM media_index WHERE media_id = ?').pluck().get(mediaId) as
          number | undefined) ?? 0;
      if (expectedVersion !== undefined && expectedVersion !== current) return { ok: false as const, current };
      this.db
        .prepare(
          `INSERT INTO media_index (media_id, points, version, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (media_id) DO UPDATE SET points = excluded.points, version = excluded.version, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        )
        .run(mediaId, JSON.stringify(points), current + 1, updatedBy, now);
      return { ok: true as const, index: { mediaId, points, version: current + 1, updatedBy, updatedAt: now } };
    })();
  }
}
