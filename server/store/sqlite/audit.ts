// The audit log: append-only, one entry per key (a retried use case does not log twice), newest first.
import type { Database } from 'better-sqlite3';
import type { AuditFilter, AuditRepository } from '../repositories.js';
import type { AuditEvent, Page, PageRequest } from '../types.js';
import { json, parse } from './json-columns.js';

interface AuditRow {
  id: number;
  at: string;
  actor_kind: AuditEvent['actorKind'];
  actor_id: string | null;
  actor_label: string | null;
  interview_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
}
const toAudit = (r: AuditRow): AuditEvent => ({
  id: r.id,
  at: r.at,
  actorKind: r.actor_kind,
  actorId: r.actor_id,
  actorLabel: r.actor_label,
  interviewId: r.interview_id,
  action: r.action,
  entity: r.entity,
  entityId: r.entity_id,
  before: parse(r.before),
  after: parse(r.after),
});

export class SqliteAuditRepository implements AuditRepository {
  constructor(private readonly db: Database) {}

  async append(e: Omit<AuditEvent, 'id'>, key?: string): Promise<AuditEvent> {
    const info = this.db
      .prepare(
        `INSERT INTO audit_events (at, actor_kind, actor_id, actor_label, interview_id, action, entity, entity_id, before, after, op_key)
      VALUES (@at, @actorKind, @actorId, @actorLabel, @interviewId, @action, @entity, @entityId, @before, @after, @key)
      ON CONFLICT (op_key) DO NOTHING`,
      )
      .run({ ...e, before: json(e.before), after: json(e.after), key: key ?? null });
    if (info.changes === 0) {
      const { op_key: _key, ...row } = this.db
        .prepare('SELECT * FROM audit_events WHERE op_key = ?')
        .get(key) as AuditRow & { op_key: string };
      return toAudit(row);
    }
    return { ...e, id: Number(info.lastInsertRowid) };
  }

  async list(filter: AuditFilter, { limit, offset }: PageRequest): Promise<Page<AuditEvent>> {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.interviewId) {
      where.push('interview_id = @interviewId');
      params.interviewId = filter.interviewId;
    }
    if (filter.action) {
      where.push('action = @action');
      params.action = filter.action;
    }
    if (filter.actorId) {
      where.push('actor_id = @actorId');
      params.actorId = filter.actorId;
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows = this.db
      .prepare(
        `SELECT id, at, actor_kind, actor_id, actor_label, interview_id, action, entity, entity_id, before, after FROM audit_events ${whereSql} ORDER BY id DESC LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit, offset }) as AuditRow[];
    const total = this.db.prepare(`SELECT count(*) FROM audit_events ${whereSql}`).pluck().get(params) as number;
    return { items: rows.map(toAudit), total };
  }
}
