// Groups, consent records, narrator review (invitations, restrictions, corrections, decisions) and the audit log.
import type { Database } from 'better-sqlite3';
import { cachedStatement } from './db.js';
import type {
  AuditFilter, AuditRepository, ConsentRepository, GroupRepository, OperationRepository, ReviewRepository,
} from '../repositories.js';
import type {
  AuditEvent, Operation, ConsentRecord, Correction, Group, Page, PageRequest, Restriction, ReviewDecision, ReviewInvitation,
} from '../types.js';

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
const parse = (text: string | null) => (text === null ? null : JSON.parse(text));

export class SqliteGroupRepository implements GroupRepository {
  constructor(private readonly db: Database) {}

  async create(g: Group): Promise<Group> {
    this.db.prepare('INSERT INTO groups (id, name, created_at) VALUES (?, ?, ?)').run(g.id, g.name, g.createdAt);
    return g;
  }

  async findById(id: string): Promise<Group | null> {
    const r = this.db.prepare('SELECT id, name, created_at AS createdAt FROM groups WHERE id = ?').get(id) as Group | undefined;
    return r ?? null;
  }

  async list(): Promise<Group[]> {
    return this.db.prepare('SELECT id, name, created_at AS createdAt FROM groups ORDER BY name COLLATE NOCASE').all() as Group[];
  }

  async delete(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM groups WHERE id = ?').run(id).changes === 1;
  }

  async addMember(groupId: string, userId: string): Promise<void> {
    this.db.prepare('INSERT OR IGNORE INTO group_members (group_id, user_id) VALUES (?, ?)').run(groupId, userId);
  }

  async removeMember(groupId: string, userId: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM group_members WHERE group_id = ? AND user_id = ?').run(groupId, userId).changes === 1;
  }

  async members(groupId: string): Promise<string[]> {
    return this.db.prepare('SELECT user_id FROM group_members WHERE group_id = ? ORDER BY user_id').pluck().all(groupId) as string[];
  }

  async groupIdsOf(userId: string): Promise<string[]> {
    return this.db.prepare('SELECT group_id FROM group_members WHERE user_id = ? ORDER BY group_id').pluck().all(userId) as string[];
  }
}

interface ConsentRow {
  id: string; version: number; interview_id: string; narrator: string; scope: string; given_on: string;
  method: ConsentRecord['method']; scan: string | null; embargo_until: string | null; on_withdrawal: ConsentRecord['onWithdrawal'];
  notes: string | null; author_id: string | null; created_at: string;
}

const toConsent = (r: ConsentRow): ConsentRecord => ({
  id: r.id, version: r.version, interviewId: r.interview_id, narrator: r.narrator, scope: JSON.parse(r.scope), givenOn: r.given_on,
  method: r.method, scan: parse(r.scan), embargoUntil: r.embargo_until, onWithdrawal: r.on_withdrawal, notes: r.notes,
  authorId: r.author_id, createdAt: r.created_at,
});

export class SqliteConsentRepository implements ConsentRepository {
  constructor(private readonly db: Database) {}

  async append(record: Omit<ConsentRecord, 'version'>, expectedVersion?: number | null) {
    return this.db.transaction(() => {
      const current = (this.db.prepare('SELECT max(version) FROM consent_records WHERE id = ?').pluck().get(record.id) as number | null) ?? null;
      if (expectedVersion !== undefined && expectedVersion !== current) return { ok: false as const, current };
      const version = (current ?? 0) + 1;
      this.db.prepare(`INSERT INTO consent_records (id, version, interview_id, narrator, scope, given_on, method, scan, embargo_until,
          on_withdrawal, notes, author_id, created_at)
        VALUES (@id, @version, @interviewId, @narrator, @scope, @givenOn, @method, @scan, @embargoUntil, @onWithdrawal, @notes, @authorId, @createdAt)`)
        .run({ ...record, version, scope: JSON.stringify(record.scope), scan: json(record.scan) });
      return { ok: true as const, record: { ...record, version } };
    })();
  }

  async currentForInterview(interviewId: string): Promise<ConsentRecord[]> {
    return (this.db.prepare(`SELECT c.* FROM consent_records c
        WHERE c.interview_id = ? AND c.version = (SELECT max(version) FROM consent_records WHERE id = c.id)
        ORDER BY c.created_at, c.id`).all(interviewId) as ConsentRow[]).map(toConsent);
  }

  async history(id: string): Promise<ConsentRecord[]> {
    return (this.db.prepare('SELECT * FROM consent_records WHERE id = ? ORDER BY version DESC').all(id) as ConsentRow[]).map(toConsent);
  }

  async find(id: string, version?: number): Promise<ConsentRecord | null> {
    const r = (version === undefined
      ? this.db.prepare('SELECT * FROM consent_records WHERE id = ? ORDER BY version DESC LIMIT 1').get(id)
      : this.db.prepare('SELECT * FROM consent_records WHERE id = ? AND version = ?').get(id, version)) as ConsentRow | undefined;
    return r ? toConsent(r) : null;
  }
}

interface InvitationRow {
  id: string; interview_id: string; narrator: string; token_hash: string; code_hash: string; created_by: string | null;
  created_at: string; expires_at: string; revoked_at: string | null; last_used_at: string | null;
}
const toInvitation = (r: InvitationRow): ReviewInvitation => ({
  id: r.id, interviewId: r.interview_id, narrator: r.narrator, tokenHash: r.token_hash, codeHash: r.code_hash, createdBy: r.created_by,
  createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at,
});

interface RestrictionRow {
  id: string; interview_id: string; media_id: string; start: number; end: number; reason: string | null; quote: string | null;
  status: Restriction['status']; created_by_kind: Restriction['createdByKind']; created_by_id: string | null; created_at: string;
  lifted_at: string | null; lifted_by: string | null;
}
const toRestriction = (r: RestrictionRow): Restriction => ({
  id: r.id, interviewId: r.interview_id, mediaId: r.media_id, start: r.start, end: r.end, reason: r.reason, quote: r.quote,
  status: r.status, createdByKind: r.created_by_kind, createdById: r.created_by_id, createdAt: r.created_at,
  liftedAt: r.lifted_at, liftedBy: r.lifted_by,
});

interface CorrectionRow {
  id: string; interview_id: string; media_id: string; segment_no: number; segment_start: number; original: string; proposed: string;
  note: string | null; status: Correction['status']; invitation_id: string | null; created_at: string; decided_by: string | null;
  decided_at: string | null; decision_note: string | null; transcript_version: number | null;
}
const toCorrection = (r: CorrectionRow): Correction => ({
  id: r.id, interviewId: r.interview_id, mediaId: r.media_id, segmentNo: r.segment_no, segmentStart: r.segment_start,
  original: r.original, proposed: r.proposed, note: r.note, status: r.status, invitationId: r.invitation_id, createdAt: r.created_at,
  decidedBy: r.decided_by, decidedAt: r.decided_at, decisionNote: r.decision_note, transcriptVersion: r.transcript_version,
});

interface DecisionRow {
  id: string; interview_id: string; invitation_id: string | null; decision: ReviewDecision['decision'];
  visibility: ReviewDecision['visibility']; message: string | null; receipt_no: string; created_at: string;
}
const toDecision = (r: DecisionRow): ReviewDecision => ({
  id: r.id, interviewId: r.interview_id, invitationId: r.invitation_id, decision: r.decision, visibility: r.visibility,
  message: r.message, receiptNo: r.receipt_no, createdAt: r.created_at,
});

export class SqliteReviewRepository implements ReviewRepository {
  constructor(private readonly db: Database) {}

  async createInvitation(i: ReviewInvitation): Promise<ReviewInvitation> {
    this.db.prepare(`INSERT INTO review_invitations (id, interview_id, narrator, token_hash, code_hash, created_by, created_at, expires_at,
        revoked_at, last_used_at)
      VALUES (@id, @interviewId, @narrator, @tokenHash, @codeHash, @createdBy, @createdAt, @expiresAt, @revokedAt, @lastUsedAt)`).run(i);
    return i;
  }

  private invitationWhere(column: 'id' | 'token_hash' | 'code_hash', value: string): ReviewInvitation | null {
    const r = this.db.prepare(`SELECT * FROM review_invitations WHERE ${column} = ?`).get(value) as InvitationRow | undefined;
    return r ? toInvitation(r) : null;
  }

  async findInvitation(id: string) { return this.invitationWhere('id', id); }
  async findInvitationByTokenHash(tokenHash: string) { return this.invitationWhere('token_hash', tokenHash); }
  async findInvitationByCodeHash(codeHash: string) { return this.invitationWhere('code_hash', codeHash); }

  async listInvitations(interviewId: string): Promise<ReviewInvitation[]> {
    return (this.db.prepare('SELECT * FROM review_invitations WHERE interview_id = ? ORDER BY created_at DESC, id').all(interviewId) as InvitationRow[])
      .map(toInvitation);
  }

  async revokeInvitation(id: string, at: string): Promise<boolean> {
    return this.db.prepare('UPDATE review_invitations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes === 1;
  }

  async touchInvitation(id: string, at: string): Promise<void> {
    this.db.prepare('UPDATE review_invitations SET last_used_at = ? WHERE id = ?').run(at, id);
  }

  async addRestriction(r: Restriction): Promise<Restriction> {
    this.db.prepare(`INSERT INTO restrictions (id, interview_id, media_id, start, "end", reason, quote, status, created_by_kind, created_by_id,
        created_at, lifted_at, lifted_by)
      VALUES (@id, @interviewId, @mediaId, @start, @end, @reason, @quote, @status, @createdByKind, @createdById, @createdAt, @liftedAt, @liftedBy)`).run(r);
    return r;
  }

  async findRestriction(id: string): Promise<Restriction | null> {
    const r = this.db.prepare('SELECT * FROM restrictions WHERE id = ?').get(id) as RestrictionRow | undefined;
    return r ? toRestriction(r) : null;
  }

  async listRestrictions(filter: { interviewId?: string; mediaId?: string; includeLifted?: boolean }): Promise<Restriction[]> {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.interviewId) { where.push('interview_id = @interviewId'); params.interviewId = filter.interviewId; }
    if (filter.mediaId) { where.push('media_id = @mediaId'); params.mediaId = filter.mediaId; }
    if (!filter.includeLifted) where.push(`status = 'active'`);
    const sql = `SELECT * FROM restrictions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY start, created_at, id`;
    return (cachedStatement(this.db, sql).all(params) as RestrictionRow[]).map(toRestriction);
  }

  async liftRestriction(id: string, at: string, by: string | null): Promise<boolean> {
    return this.db.prepare(`UPDATE restrictions SET status = 'lifted', lifted_at = ?, lifted_by = ? WHERE id = ? AND status = 'active'`)
      .run(at, by, id).changes === 1;
  }

  async addCorrection(c: Correction): Promise<Correction> {
    this.db.prepare(`INSERT INTO corrections (id, interview_id, media_id, segment_no, segment_start, original, proposed, note, status,
        invitation_id, created_at, decided_by, decided_at, decision_note, transcript_version)
      VALUES (@id, @interviewId, @mediaId, @segmentNo, @segmentStart, @original, @proposed, @note, @status, @invitationId, @createdAt,
        @decidedBy, @decidedAt, @decisionNote, @transcriptVersion)`).run(c);
    return c;
  }

  async findCorrection(id: string): Promise<Correction | null> {
    const r = this.db.prepare('SELECT * FROM corrections WHERE id = ?').get(id) as CorrectionRow | undefined;
    return r ? toCorrection(r) : null;
  }

  async listCorrections(interviewId: string): Promise<Correction[]> {
    return (this.db.prepare('SELECT * FROM corrections WHERE interview_id = ? ORDER BY created_at, id').all(interviewId) as CorrectionRow[])
      .map(toCorrection);
  }

  async decideCorrection(id: string, d: Pick<Correction, 'status' | 'decidedBy' | 'decidedAt' | 'decisionNote' | 'transcriptVersion'>) {
    return this.db.prepare(`UPDATE corrections SET status = @status, decided_by = @decidedBy, decided_at = @decidedAt,
        decision_note = @decisionNote, transcript_version = @transcriptVersion WHERE id = @id AND status = 'open'`)
      .run({ ...d, id }).changes === 1;
  }

  async addDecision(d: ReviewDecision): Promise<ReviewDecision> {
    this.db.prepare(`INSERT INTO review_decisions (id, interview_id, invitation_id, decision, visibility, message, receipt_no, created_at)
      VALUES (@id, @interviewId, @invitationId, @decision, @visibility, @message, @receiptNo, @createdAt)`).run(d);
    return d;
  }

  async listDecisions(interviewId: string): Promise<ReviewDecision[]> {
    return (this.db.prepare('SELECT * FROM review_decisions WHERE interview_id = ? ORDER BY created_at DESC, rowid DESC').all(interviewId) as DecisionRow[])
      .map(toDecision);
  }
}

interface AuditRow {
  id: number; at: string; actor_kind: AuditEvent['actorKind']; actor_id: string | null; actor_label: string | null;
  interview_id: string | null; action: string; entity: string; entity_id: string | null; before: string | null; after: string | null;
}
const toAudit = (r: AuditRow): AuditEvent => ({
  id: r.id, at: r.at, actorKind: r.actor_kind, actorId: r.actor_id, actorLabel: r.actor_label, interviewId: r.interview_id,
  action: r.action, entity: r.entity, entityId: r.entity_id, before: parse(r.before), after: parse(r.after),
});

export class SqliteAuditRepository implements AuditRepository {
  constructor(private readonly db: Database) {}

  async append(e: Omit<AuditEvent, 'id'>, key?: string): Promise<AuditEvent> {
    const info = this.db.prepare(`INSERT INTO audit_events (at, actor_kind, actor_id, actor_label, interview_id, action, entity, entity_id, before, after, op_key)
      VALUES (@at, @actorKind, @actorId, @actorLabel, @interviewId, @action, @entity, @entityId, @before, @after, @key)
      ON CONFLICT (op_key) DO NOTHING`)
      .run({ ...e, before: json(e.before), after: json(e.after), key: key ?? null });
    if (info.changes === 0) {
      const { op_key: _key, ...row } = this.db.prepare('SELECT * FROM audit_events WHERE op_key = ?').get(key) as AuditRow & { op_key: string };
      return toAudit(row);
    }
    return { ...e, id: Number(info.lastInsertRowid) };
  }

  async list(filter: AuditFilter, { limit, offset }: PageRequest): Promise<Page<AuditEvent>> {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.interviewId) { where.push('interview_id = @interviewId'); params.interviewId = filter.interviewId; }
    if (filter.action) { where.push('action = @action'); params.action = filter.action; }
    if (filter.actorId) { where.push('actor_id = @actorId'); params.actorId = filter.actorId; }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows = this.db.prepare(`SELECT id, at, actor_kind, actor_id, actor_label, interview_id, action, entity, entity_id, before, after FROM audit_events ${whereSql} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit, offset }) as AuditRow[];
    const total = this.db.prepare(`SELECT count(*) FROM audit_events ${whereSql}`).pluck().get(params) as number;
    return { items: rows.map(toAudit), total };
  }
}

interface OperationRow {
  key: string; kind: string; payload: string; status: Operation['status']; error: string | null; created_at: string; finished_at: string | null;
}
const toOperation = (r: OperationRow): Operation => ({
  key: r.key, kind: r.kind, payload: JSON.parse(r.payload), status: r.status, error: r.error, createdAt: r.created_at, finishedAt: r.finished_at,
});

export class SqliteOperationRepository implements OperationRepository {
  constructor(private readonly db: Database) {}

  async begin(op: Operation): Promise<{ operation: Operation; created: boolean }> {
    const info = this.db.prepare(`INSERT INTO operations (key, kind, payload, status, error, created_at, finished_at)
      VALUES (@key, @kind, @payload, @status, @error, @createdAt, @finishedAt) ON CONFLICT (key) DO NOTHING`)
      .run({ ...op, payload: JSON.stringify(op.payload ?? null) });
    if (info.changes === 1) return { operation: op, created: true };
    return { operation: (await this.find(op.key))!, created: false };
  }

  async find(key: string): Promise<Operation | null> {
    const r = this.db.prepare('SELECT * FROM operations WHERE key = ?').get(key) as OperationRow | undefined;
    return r ? toOperation(r) : null;
  }

  async finish(key: string, outcome: { status: 'done' } | { status: 'failed'; error: string }, at: string): Promise<boolean> {
    return this.db.prepare(`UPDATE operations SET status = ?, error = ?, finished_at = ? WHERE key = ? AND status = 'pending'`)
      .run(outcome.status, outcome.status === 'failed' ? outcome.error : null, at, key).changes === 1;
  }

  async listUnfinished(createdBefore: string, limit: number): Promise<Operation[]> {
    return (this.db.prepare(`SELECT * FROM operations WHERE status = 'pending' AND created_at < ? ORDER BY created_at, key LIMIT ?`)
      .all(createdBefore, limit) as OperationRow[]).map(toOperation);
  }
}
