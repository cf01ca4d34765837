// Narrator review: invitations, restrictions, corrections, decisions. Groups, consent records, the audit log and
// operation records are in groups.ts, consent.ts, audit.ts and operations.ts beside this file.
import type { ReviewRepository } from '../repositories.js';
import type { Correction, Restriction, ReviewDecision, ReviewInvitation } from '../types.js';
import type { Support } from './support.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

const withId = <T extends { id: string }>(record: T): Doc => {
  const { id, ...rest } = record;
  return { _id: id, ...rest };
};

const toInvitation = (d: Doc): ReviewInvitation => ({
  id: d._id,
  interviewId: d.interviewId,
  narrator: d.narrator,
  tokenHash: d.tokenHash,
  codeHash: d.codeHash,
  createdBy: d.createdBy ?? null,
  createdAt: d.createdAt,
  expiresAt: d.expiresAt,
  revokedAt: d.revokedAt ?? null,
  lastUsedAt: d.lastUsedAt ?? null,
});
const toRestriction = (d: Doc): Restriction => ({
  id: d._id,
  interviewId: d.interviewId,
  mediaId: d.mediaId,
  start: d.start,
  end: d.end,
  reason: d.reason ?? null,
  quote: d.quote ?? null,
  status: d.status,
  createdByKind: d.createdByKind,
  createdById: d.createdById ?? null,
  createdAt: d.createdAt,
  liftedAt: d.liftedAt ?? null,
  liftedBy: d.liftedBy ?? null,
});
const toCorrection = (d: Doc): Correction => ({
  id: d._id,
  interviewId: d.interviewId,
  mediaId: d.mediaId,
  segmentNo: d.segmentNo,
  segmentStart: d.segmentStart,
  original: d.original,
  proposed: d.proposed,
  note: d.note ?? null,
  status: d.status,
  invitationId: d.invitationId ?? null,
  createdAt: d.createdAt,
  decidedBy: d.decidedBy ?? null,
  decidedAt: d.decidedAt ?? null,
  decisionNote: d.decisionNote ?? null,
  transcriptVersion: d.transcriptVersion ?? null,
});
const toDecision = (d: Doc): ReviewDecision => ({
  id: d._id,
  interviewId: d.interviewId,
  invitationId: d.invitationId ?? null,
  decision: d.decision,
  visibility: d.visibility ?? null,
  message: d.message ?? null,
  receiptNo: d.receiptNo,
  createdAt: d.createdAt,
});

export class MongoReviewRepository implements ReviewRepository {
  constructor(private readonly s: Support) {}
  private get m() {
    return this.s.models;
  }

  async createInvitation(i: ReviewInvitation): Promise<ReviewInvitation> {
    await this.m.reviewInvitations.collection.insertOne(withId(i) as never);
    return i;
  }

  private async invitationWhere(query: Doc): Promise<ReviewInvitation | null> {
    const d = await this.m.reviewInvitations.findOne(query).lean<Doc>();
    return d ? toInvitation(d) : null;
  }

  async findInvitation(id: string) {
    return this.invitationWhere({ _id: id });
  }
  async findInvitationByTokenHash(tokenHash: string) {
    return this.invitationWhere({ tokenHash });
  }
  async findInvitationByCodeHash(codeHash: string) {
    return this.invitationWhere({ codeHash });
  }

  async listInvitations(interviewId: string): Promise<ReviewInvitation[]> {
    return (await this.m.reviewInvitations.find({ interviewId }).sort({ createdAt: -1, _id: 1 }).lean<Doc[]>()).map(
      toInvitation,
    );
  }

  // revoke and touch rewrite the same document: one lock, so a touch never undoes a revocation
  async revokeInvitation(id: string, at: string): Promise<boolean> {
    return this.s.withLock(`review_invitations:${id}`, async () => {
      const current = await this.m.reviewInvitations.findById(id, { revokedAt: 1 }).lean<Doc>();
      if (!current || current.revokedAt) return false;
      return (
        (await this.m.reviewInvitations.collection.updateOne({ _id: id as never }, { $set: { revokedAt: at } }))
          .matchedCount === 1
      );
    });
  }

  async touchInvitation(id: string, at: string): Promise<void> {
    await this.s.withLock(`review_invitations:${id}`, async () => {
      await this.m.reviewInvitations.collection.updateOne({ _id: id as never }, { $set: { lastUsedAt: at } });
    });
  }

  async addRestriction(r: Restriction): Promise<Restriction> {
    await this.m.restrictions.collection.insertOne(withId(r) as never);
    return r;
  }

  async findRestriction(id: string): Promise<Restriction | null> {
    const d = await this.m.restrictions.findById(id).lean<Doc>();
    return d ? toRestriction(d) : null;
  }

  async listRestrictions(filter: {
    interviewId?: string;
    mediaId?: string;
    includeLifted?: boolean;
  }): Promise<Restriction[]> {
    const query: Doc = {};
    if (filter.interviewId) query.interviewId = filter.interviewId;
    if (filter.mediaId) query.mediaId = filter.mediaId;
    if (!filter.includeLifted) query.status = 'active';
    return (await this.m.restrictions.find(query).sort({ start: 1, createdAt: 1, _id: 1 }).lean<Doc[]>()).map(
      toRestriction,
    );
  }

  async liftRestriction(id: string, at: string, by: string | null): Promise<boolean> {
    return this.s.withLock(`restrictions:${id}`, async () => {
      const current = await this.m.restrictions.findById(id, { status: 1 }).lean<Doc>();
      if (!current || current.status !== 'active') return false;
      await this.m.restrictions.collection.updateOne(
        { _id: id as never },
        { $set: { status: 'lifted', liftedAt: at, liftedBy: by } },
      );
      return true;
    });
  }

  async addCorrection(c: Correction): Promise<Correction> {
    await this.m.corrections.collection.insertOne(withId(c) as never);
    return c;
  }

  async findCorrection(id: string): Promise<Correction | null> {
    const d = await this.m.corrections.findById(id).lean<Doc>();
    return d ? toCorrection(d) : null;
  }

  async listCorrections(interviewId: string): Promise<Correction[]> {
    return (await this.m.corrections.find({ interviewId }).sort({ createdAt: 1, _id: 1 }).lean<Doc[]>()).map(
      toCorrection,
    );
  }

  async decideCorrection(
    id: string,
    d: Pick<Correction, 'status' | 'decidedBy' | 'decidedAt' | 'decisionNote' | 'transcriptVersion'>,
  ) {
    return this.s.withLock(`corrections:${id}`, async () => {
      const current = await this.m.corrections.findById(id, { status: 1 }).lean<Doc>();
      if (!current || current.status !== 'open') return false;
      await this.m.corrections.collection.updateOne(
        { _id: id as never },
        {
          $set: {
            status: d.status,
            decidedBy: d.decidedBy,
            decidedAt: d.decidedAt,
            decisionNote: d.decisionNote,
            transcriptVersion: d.transcriptVersion,
          },
        },
      );
      return true;
    });
  }

  async addDecision(d: ReviewDecision): Promise<ReviewDecision> {
    await this.m.reviewDecisions.collection.insertOne({ ...withId(d), seq: this.s.seq() } as never);
    return d;
  }

  async listDecisions(interviewId: string): Promise<ReviewDecision[]> {
    return (await this.m.reviewDecisions.find({ interviewId }).sort({ createdAt: -1, seq: -1 }).lean<Doc[]>()).map(
      toDecision,
    );
  }
}
