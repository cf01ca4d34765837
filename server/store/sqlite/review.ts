// Narrator review: invitations, restrictions, corrections, decisions. Groups, consent records, the audit log and
// operation records are in groups.ts, consent.ts, audit.ts and operations.ts beside this file.
import type { Database } from 'better-sqlite3';
import { cachedStatement } from './db.js';
import type { ReviewRepository } from '../repositories.js';
import type { Correction, Restriction, ReviewDecision, ReviewInvitation } from '../types.js';

interface InvitationRow {
  id: string;
  interview_id: string;
  narrator: string;
  token_hash: string;
  code_hash: string;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}
const toInvitation = (r: InvitationRow): ReviewInvitation => ({
  id: r.id,
  interviewId: r.interview_id,
  narrator: r.narrator,
  tokenHash: r.token_hash,
  codeHash: r.code_hash,
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

interface RestrictionRow {
  id: string;
  interview_id: string;
  media_id: string;
  start: number;
  end: number;
  reason: string | null;
  quote: string | null;
  status: Restriction['status'];
  created_by_kind: Restriction['createdByKind'];
  created_by_id: string | null;
  created_at: string;
  lifted_at: string | null;
  lifted_by: string | null;
}
const toRestriction = (r: RestrictionRow): Restriction => ({
  id: r.id,
  interviewId: r.interview_id,
  mediaId: r.media_id,
  start: r.start,
  end: r.end,
  reason: r.reason,
  quote: r.quote,
  status: r.status,
  createdByKind: r.created_by_kind,
  createdById: r.created_by_id,
  createdAt: r.created_at,
  liftedAt: r.lifted_at,
  liftedBy: r.lifted_by,
});

interface CorrectionRow {
  id: string;
  interview_id: string;
  media_id: string;
  segment_no: number;
  segment_start: number;
  original: string;
  proposed: string;
  note: string | null;
  status: Correction['status'];
  invitation_id: string | null;
  created_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  transcript_version: number | null;
}
const toCorrection = (r: CorrectionRow): Correction => ({
  id: r.id,
  interviewId: r.interview_id,
  mediaId: r.media_id,
  segmentNo: r.segment_no,
  segmentStart: r.segment_start,
  original: r.original,
  proposed: r.proposed,
  note: r.note,
  status: r.status,
  invitationId: r.invitation_id,
  createdAt: r.created_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  decisionNote: r.decision_note,
  transcriptVersion: r.transcript_version,
});

interface DecisionRow {
  id: string;
  interview_id: string;
  invitation_id: string | null;
  decision: ReviewDecision['decision'];
  visibility: ReviewDecision['visibility'];
  message: string | null;
  receipt_no: string;
  created_at: string;
}
const toDecision = (r: DecisionRow): ReviewDecision => ({
  id: r.id,
  interviewId: r.interview_id,
  invitationId: r.invitation_id,
  decision: r.decision,
  visibility: r.visibility,
  message: r.message,
  receiptNo: r.receipt_no,
  createdAt: r.created_at,
});

export class SqliteReviewRepository implements ReviewRepository {
  constructor(private readonly db: Database) {}

  async createInvitation(i: ReviewInvitation): Promise<ReviewInvitation> {
    this.db
      .prepare(
        `INSERT INTO review_invitations (id, interview_id, narrator, token_hash, code_hash, created_by, created_at, expires_at,
        revoked_at, last_used_at)
      VALUES (@id, @interviewId, @narrator, @tokenHash, @codeHash, @createdBy, @createdAt, @expiresAt, @revokedAt, @lastUsedAt)`,
      )
      .run(i);
    return i;
  }

  private invitationWhere(column: 'id' | 'token_hash' | 'code_hash', value: string): ReviewInvitation | null {
    const r = this.db.prepare(`SELECT * FROM review_invitations WHERE ${column} = ?`).get(value) as
      InvitationRow | undefined;
    return r ? toInvitation(r) : null;
  }

  async findInvitation(id: string) {
    return this.invitationWhere('id', id);
  }
  async findInvitationByTokenHash(tokenHash: string) {
    return this.invitationWhere('token_hash', tokenHash);
  }
  async findInvitationByCodeHash(codeHash: string) {
    return this.invitationWhere('code_hash', codeHash);
  }

  async listInvitations(interviewId: string): Promise<ReviewInvitation[]> {
    return (
      this.db
        .prepare('SELECT * FROM review_invitations WHERE interview_id = ? ORDER BY created_at DESC, id')
        .all(interviewId) as InvitationRow[]
    ).map(toInvitation);
  }

  async revokeInvitation(id: string, at: string): Promise<boolean> {
    return (
      this.db.prepare('UPDATE review_invitations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id)
        .changes === 1
    );
  }

  async touchInvitation(id: string, at: string): Promise<void> {
    this.db.prepare('UPDATE review_invitations SET last_used_at = ? WHERE id = ?').run(at, id);
  }

  async addRestriction(r: Restriction): Promise<Restriction> {
    this.db
      .prepare(
        `INSERT INTO restrictions (id, interview_id, media_id, start, "end", reason, quote, status, created_by_kind, created_by_id,
        created_at, lifted_at, lifted_by)
      VALUES (@id, @interviewId, @mediaId, @start, @end, @reason, @quote, @status, @createdByKind, @createdById, @createdAt, @liftedAt, @liftedBy)`,
      )
      .run(r);
    return r;
  }

  async findRestriction(id: string): Promise<Restriction | null> {
    const r = this.db.prepare('SELECT * FROM restrictions WHERE id = ?').get(id) as RestrictionRow | undefined;
    return r ? toRestriction(r) : null;
  }

  async listRestrictions(filter: {
    interviewId?: string;
    mediaId?: string;
    includeLifted?: boolean;
  }): Promise<Restriction[]> {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.interviewId) {
      where.push('interview_id = @interviewId');
      params.interviewId = filter.interviewId;
    }
    if (filter.mediaId) {
      where.push('media_id = @mediaId');
      params.mediaId = filter.mediaId;
    }
    if (!filter.includeLifted) where.push(`status = 'active'`);
    const sql = `SELECT * FROM restrictions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY start, created_at, id`;
    return (cachedStatement(this.db, sql).all(params) as RestrictionRow[]).map(toRestriction);
  }

  async liftRestriction(id: string, at: string, by: string | null): Promise<boolean> {
    return (
      this.db
        .prepare(
          `UPDATE restrictions SET status = 'lifted', lifted_at = ?, lifted_by = ? WHERE id = ? AND status = 'active'`,
        )
        .run(at, by, id).changes === 1
    );
  }

  async addCorrection(c: Correction): Promise<Correction> {
    this.db
      .prepare(
        `INSERT INTO corrections (id, interview_id, media_id, segment_no, segment_start, original, proposed, note, status,
        invitation_id, created_at, decided_by, decided_at, decision_note, transcript_version)
      VALUES (@id, @interviewId, @mediaId, @segmentNo, @segmentStart, @original, @proposed, @note, @status, @invitationId, @createdAt,
        @decidedBy, @decidedAt, @decisionNote, @transcriptVersion)`,
      )
      .run(c);
    return c;
  }

  async findCorrection(id: string): Promise<Correction | null> {
    const r = this.db.prepare('SELECT * FROM corrections WHERE id = ?').get(id) as CorrectionRow | undefined;
    return r ? toCorrection(r) : null;
  }

  async listCorrections(interviewId: string): Promise<Correction[]> {
    return (
      this.db
        .prepare('SELECT * FROM corrections WHERE interview_id = ? ORDER BY created_at, id')
        .all(interviewId) as CorrectionRow[]
    ).map(toCorrection);
  }

  async decideCorrection(
    id: string,
    d: Pick<Correction, 'status' | 'decidedBy' | 'decidedAt' | 'decisionNote' | 'transcriptVersion'>,
  ) {
    return (
      this.db
        .prepare(
          `UPDATE corrections SET status = @status, decided_by = @decidedBy, decided_at = @decidedAt,
        decision_note = @decisionNote, transcript_version = @transcriptVersion WHERE id = @id AND status = 'open'`,
        )
        .run({ ...d, id }).changes === 1
    );
  }

  async addDecision(d: ReviewDecision): Promise<ReviewDecision> {
    this.db
      .prepare(
        `INSERT INTO review_decisions (id, interview_id, invitation_id, decision, visibility, message, receipt_no, created_at)
      VALUES (@id, @interviewId, @invitationId, @decision, @visibility, @message, @receiptNo, @createdAt)`,
      )
      .run(d);
    return d;
  }

  async listDecisions(interviewId: string): Promise<ReviewDecision[]> {
    return (
      this.db
        .prepare('SELECT * FROM review_decisions WHERE interview_id = ? ORDER BY created_at DESC, rowid DESC')
        .all(interviewId) as DecisionRow[]
    ).map(toDecision);
  }
}
