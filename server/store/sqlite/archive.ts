import type { Database } from 'better-sqlite3';
import type {
  CollectionRepository,
  InterviewFilter,
  InterviewPatch,
  InterviewRepository,
  InterviewSort,
  UpdateResult,
} from '../repositories.js';
import type { Collection, Interview, Page, PageRequest } from '../types.js';
import { cachedStatement, foldText } from './db.js';

/** Shared optimistic-concurrency update: bumps `version`, and tells a missing row from a stale version. */
function versionedUpdate<T>(
  db: Database,
  table: 'collections' | 'interviews',
  id: string,
  columns: Record<string, unknown>,
  now: string,
  expectedVersion: number | undefined,
  load: (id: string) => T | null,
): UpdateResult<T> {
  const sets = Object.keys(columns).map((c) => `${c} = @${c}`);
  // every interview change is news for the search index
  if (table === 'interviews') sets.push('search_dirty = 1');
  const info = db
    .prepare(
      `UPDATE ${table} SET ${[...sets, 'updated_at = @now', 'version = version + 1'].join(', ')}
              WHERE id = @id AND (@expected IS NULL OR version = @expected)`,
    )
    .run({ ...columns, now, id, expected: expectedVersion ?? null });
  const current = load(id);
  if (!current) return { ok: false, reason: 'not-found' };
  if (info.changes === 0) return { ok: false, reason: 'version-conflict', current };
  return { ok: true, record: current };
}

interface CollectionRow {
  id: string;
  title: string;
  description: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  auto_transcribe: number;
  auto_transcribe_language: string | null;
}

const toCollection = (r: CollectionRow): Collection => ({
  id: r.id,
  title: r.title,
  description: r.description,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
  autoTranscribe: { enabled: r.auto_transcribe === 1, language: r.auto_transcribe_language },
});

export class SqliteCollectionRepository implements CollectionRepository {
  constructor(private readonly db: Database) {}

  async create(c: Collection): Promise<Collection> {
    this.db
      .prepare(
        `INSERT INTO collections (id, title, description, created_by, created_at, updated_at, version,
        auto_transcribe, auto_transcribe_language)
      VALUES (@id, @title, @description, @createdBy, @createdAt, @updatedAt, @version, @autoTranscribe, @autoTranscribeLanguage)`,
      )
      .run({
        ...c,
        autoTranscribe: c.autoTranscribe.enabled ? 1 : 0,
        autoTranscribeLanguage: c.autoTranscribe.language,
      });
    return c;
  }

  async findById(id: string): Promise<Collection | null> {
    return this.load(id);
  }

  private load(id: string): Collection | null {
    const r = this.db.prepare('SELECT * FROM collections WHERE id = ?').get(id) as CollectionRow | undefined;
    return r ? toCollection(r) : null;
  }

  async list({ limit, offset }: PageRequest): Promise<Page<Collection>> {
    const rows = this.db
      .prepare('SELECT * FROM collections ORDER BY title COLLATE NOCASE, id LIMIT ? OFFSET ?')
      .all(limit, offset) as CollectionRow[];
    const total = this.db.prepare('SELECT count(*) FROM collections').pluck().get() as number;
    return { items: rows.map(toCollection), total };
  }

  async update(
    id: string,
    patch: Partial<Pick<Collection, 'title' | 'description' | 'autoTranscribe'>>,
    now: string,
    expectedVersion?: number,
  ) {
    const columns: Record<string, unknown> = {};
    if (patch.title !== undefined) columns.title = patch.title;
    if (patch.description !== undefined) columns.description = patch.description;
    if (patch.autoTranscribe !== undefined) {
      columns.auto_transcribe = patch.autoTranscribe.enabled ? 1 : 0;
      columns.auto_transcribe_language = patch.autoTranscribe.language;
    }
    return versionedUpdate(this.db, 'collections', id, columns, now, expectedVersion, (i) => this.load(i));
  }

  async delete(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM collections WHERE id = ?').run(id).changes === 1;
  }
}

interface InterviewRow {
  id: string;
  collection_id: string | null;
  title: string;
  people: string;
  recorded_at: string | null;
  place: string | null;
  language: string;
  summary: string | null;
  keywords: string;
  visibility: Interview['visibility'];
  status: Interview['status'];
  created_by: string | null;
  grants: string;
  embargo_until: string | null;
  embargo_listed: number;
  created_at: string;
  updated_at: string;
  version: number;
}

const toInterview = (r: InterviewRow): Interview => ({
  id: r.id,
  collectionId: r.collection_id,
  title: r.title,
  people: JSON.parse(r.people),
  recordedAt: r.recorded_at,
  place: r.place ? JSON.parse(r.place) : null,
  language: r.language,
  summary: r.summary,
  keywords: JSON.parse(r.keywords),
  visibility: r.visibility,
  status: r.status,
  grants: JSON.parse(r.grants),
  embargoUntil: r.embargo_until,
  embargoListed: r.embargo_listed === 1,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
});

const sortSql: Record<InterviewSort, string> = {
  '-updatedAt': 'updated_at DESC',
  updatedAt: 'updated_at ASC',
  title: 'title COLLATE NOCASE ASC',
  '-title': 'title COLLATE NOCASE DESC',
  // undated interviews last in both directions
  recordedAt: 'recorded_at IS NULL, recorded_at ASC',
  '-recordedAt': 'recorded_at IS NULL, recorded_at DESC',
  '-createdAt': 'created_at DESC',
  createdAt: 'created_at ASC',
};

/** Escapes LIKE wildcards so that user text matches literally. */
const likeContains = (text: string) => `%${foldText(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class SqliteInterviewRepository implements InterviewRepository {
  constructor(private readonly db: Database) {}

  async create(i: Interview): Promise<Interview> {
    this.db
      .prepare(
        `INSERT INTO interviews (id, collection_id, title, people, recorded_at, place, language, summary,
        keywords, visibility, status, grants, embargo_until, embargo_listed, created_by, created_at, updated_at, version)
      VALUES (@id, @collectionId, @title, @people, @recordedAt, @place, @language, @summary, @keywords, @visibility,
        @status, @grants, @embargoUntil, @embargoListed, @createdBy, @createdAt, @updatedAt, @version)`,
      )
      .run({
        ...i,
        people: JSON.stringify(i.people),
        place: i.place ? JSON.stringify(i.place) : null,
        keywords: JSON.stringify(i.keywords),
        grants: JSON.stringify(i.grants),
        embargoListed: i.embargoListed ? 1 : 0,
      });
    return i;
  }

  async findById(id: string): Promise<Interview | null> {
    return this.load(id);
  }

  private load(id: string): Interview | null {
    const r = cachedStatement(this.db, 'SELECT * FROM interviews WHERE id = ?').get(id) as InterviewRow | undefined;
    return r ? toInterview(r) : null;
  }

  async list(filter: InterviewFilter, { limit, offset }: PageRequest, sort: InterviewSort): Promise<Page<Interview>> {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    const inList = (column: string, name: string, values: readonly string[]) => {
      const keys = values.map((v, n) => {
        params[`${name}${n}`] = v;
        return `@${name}${n}`;
      });
      return keys.length === 0 ? '0' : `${column} IN (${keys.join(', ')})`;
    };
    if (filter.access.kind === 'scoped') {
      // the SQL form of server/access/policy.ts interviewAccess(); tests/api/access-matrix.test.ts holds both to one table
      const scope = filter.access;
      const visible = [inList('visibility', 'accessVis', scope.publishedVisibilities)];
      if (scope.principals && scope.principals.length > 0) {
        visible.push(
          `(visibility = 'restricted' AND EXISTS (SELECT 1 FROM json_each(interviews.grants) WHERE ${inList('value', 'accessPrincipal', scope.principals)}))`,
        );
      }
      const open = `(${visible.join(' OR ')})`;
      const alternatives = [`(status = 'published' AND ${open})`];
      if (scope.includeSealed) {
        params.accessNow = new Date().toISOString();
        alternatives.push(`(status = 'approved' AND embargo_listed = 1 AND embargo_until > @accessNow AND ${open})`);
      }
      if (scope.ownerId) {
        params.accessOwner = scope.ownerId;
        alternatives.push(`(created_by = @accessOwner AND status != 'withdrawn')`);
      }
      if (scope.interviewIds && scope.interviewIds.length > 0) {
        alternatives.push(`(${inList('id', 'accessId', scope.interviewIds)} AND status != 'withdrawn')`);
      }
      where.push(`(${alternatives.join(' OR ')})`);
    }
    if (filter.collectionId) {
      params.collectionId = filter.collectionId;
      where.push('collection_id = @collectionId');
    }
    if (filter.status) where.push(inList('status', 'status', filter.status));
    if (filter.visibility) where.push(inList('visibility', 'vis', filter.visibility));
    if (filter.language) {
      params.language = filter.language;
      where.push('language = @language');
    }
    if (filter.createdBy) {
      params.createdBy = filter.createdBy;
      where.push('created_by = @createdBy');
    }
    if (filter.keyword) {
      params.keyword = filter.keyword;
      where.push(`EXISTS (SELECT 1 FROM json_each(interviews.keywords) WHERE fold(value) = fold(@keyword))`);
    }
    if (filter.person) {
      params.person = likeContains(filter.person);
      where.push(
        `EXISTS (SELECT 1 FROM json_each(interviews.people) WHERE fold(json_extract(value, '$.name')) LIKE @person ESCAPE '\\')`,
      );
    }
    if (filter.text) {
      params.text = likeContains(filter.text);
      where.push(`(fold(title) LIKE @text ESCAPE '\\' OR fold(summary) LIKE @text ESCAPE '\\')`);
    }
    // Partial dates: "2019" overlaps [2019-03, 2019-12]; "2019-05-17" lies within [2019, 2019-05].
    // Both sides are cut to the shorter precision, so a partial date matches when its span overlaps the range.
    if (filter.recordedFrom) {
      params.from = filter.recordedFrom;
      where.push('substr(recorded_at, 1, length(@from)) >= substr(@from, 1, length(recorded_at))');
    }
    if (filter.recordedTo) {
      params.to = filter.recordedTo;
      where.push('substr(recorded_at, 1, length(@to)) <= substr(@to, 1, length(recorded_at))');
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows = this.db
      .prepare(`SELECT * FROM interviews ${whereSql} ORDER BY ${sortSql[sort]}, id LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit, offset }) as InterviewRow[];
    const total = this.db.prepare(`SELECT count(*) FROM interviews ${whereSql}`).pluck().get(params) as number;
    return { items: rows.map(toInterview), total };
  }

  async update(
    id: string,
    patch: InterviewPatch,
    now: string,
    expectedVersion?: number,
  ): Promise<UpdateResult<Interview>> {
    const columns: Record<string, unknown> = {};
    const json = new Set(['people', 'place', 'keywords', 'grants']);
    const names: Record<keyof InterviewPatch, string> = {
      collectionId: 'collection_id',
      title: 'title',
      people: 'people',
      recordedAt: 'recorded_at',
      place: 'place',
      language: 'language',
      summary: 'summary',
      keywords: 'keywords',
      visibility: 'visibility',
      status: 'status',
      grants: 'grants',
      embargoUntil: 'embargo_until',
      embargoListed: 'embargo_listed',
    };
    for (const [key, value] of Object.entries(patch) as [keyof InterviewPatch, unknown][]) {
      if (value === undefined) continue;
      columns[names[key]] =
        json.has(key) && value !== null ? JSON.stringify(value) : typeof value === 'boolean' ? (value ? 1 : 0) : value;
    }
    return versionedUpdate(this.db, 'interviews', id, columns, now, expectedVersion, (i) => this.load(i));
  }

  async delete(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM interviews WHERE id = ?').run(id).changes === 1;
  }

  async changeStamp(): Promise<string> {
    // counted by triggers (migration 6); a stamp made of count, newest update and summed versions was tried and can
    // repeat itself (a delete and a create in between)
    const row = cachedStatement(this.db, "SELECT n FROM change_counters WHERE name = 'interviews'").get() as {
      n: number;
    };
    return String(row.n);
  }

  async markIndexed(id: string, version: number): Promise<void> {
    this.db.prepare('UPDATE interviews SET search_dirty = 0 WHERE id = ? AND version = ?').run(id, version);
  }

  async listSearchDirty(limit: number): Promise<Interview[]> {
    return (
      this.db
        .prepare('SELECT * FROM interviews WHERE search_dirty = 1 ORDER BY updated_at LIMIT ?')
        .all(limit) as InterviewRow[]
    ).map(toInterview);
  }

  async markAllSearchDirty(): Promise<void> {
    this.db.prepare('UPDATE interviews SET search_dirty = 1').run();
  }

  async listAwaitingEmbargo(limit: number): Promise<Interview[]> {
    return (
      this.db
        .prepare(
          `SELECT * FROM interviews WHERE status = 'approved' AND embargo_until IS NOT NULL ORDER BY embargo_until LIMIT ?`,
        )
        .all(limit) as InterviewRow[]
    ).map(toInterview);
  }

  async countByCollection(collectionId: string): Promise<number> {
    return this.db
      .prepare('SELECT count(*) FROM interviews WHERE collection_id = ?')
      .pluck()
      .get(collectionId) as number;
  }
}
