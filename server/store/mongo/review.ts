// Groups, consent records, narrator review (invitations, restrictions, corrections, decisions) and the audit log.
import type { AuditFilter, AuditRepository, ConsentRepository, GroupRepository, OperationRepository, ReviewRepository } from '../repositories.js';
import type {
  AuditEvent, ConsentRecord, Correction, Group, Operation, Page, PageRequest, Restriction, ReviewDecision, ReviewInvitation,
} from '../types.js';
import { asciiLower, isDuplicateKeyError, json, parse, type Support } from './support.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

const withId = <T extends { id: string }>(record: T): Doc => {
  const { id, ...rest } = record;
  return { _id: id, ...rest };
};

export class MongoGroupRepository implements GroupRepository {
  constructor(private readonly s: Support) {}
  private get m() { return this.s.models; }

  async create(g: Group): Promise<Group> {
    await this.m.groups.collection.insertOne({ _id: g.id as never, name: g.name, nameKey: asciiLower(g.name), createdAt: g.createdAt });
    return g;
  }

  async findById(id: string): Promise<Group | null> {
    const d = await this.m.groups.findById(id).lean<Doc>();
    return d ? { id: d._id, name: d.name, createdAt: d.createdAt } : null;
  }

  async list(): Promise<Group[]> {
    return (await this.m.groups.find({}).sort({ nameKey: 1, _id: 1 }).lean<Doc[]>()).map((d) => ({ id: d._id, name: d.name, createdAt: d.createdAt }));
  }

  async delete(id: string): Promise<boolean> {
    const deleted = (await this.m.groups.collection.deleteOne({ _id: id as never })).deletedCount === 1;
    if (deleted) await this.m.groupMembers.collection.deleteMany({ groupId: id });
    return deleted;
  }

  async addMember(groupId: string, userId: string): Promise<void> {
    try {
      await this.m.groupMembers.collection.insertOne({ _id: `${groupId}:${userId}` as never, groupId, userId });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err; // already a member
    }
  }

  async removeMember(groupId: string, userId: string): Promise<boolean> {
    return (await this.m.groupMembers.collection.deleteOne({ _id: `${groupId}:${userId}` as never })).deletedCount === 1;
  }

  async members(groupId: string): Promise<string[]> {
    return (await this.m.groupMembers.find({ groupId }).sort({ userId: 1 }).lean<Doc[]>()).map((d) => d.userId as string);
  }

  async groupIdsOf(userId: string): Promise<string[]> {
    return (await this.m.groupMembers.find({ userId }).sort({ groupId: 1 }).lean<Doc[]>()).map((d) => d.groupId as string);
  }
}

const toConsent = (d: Doc): ConsentRecord => ({
  id: d.id, version: d.version, interviewId: d.interviewId, narrator: d.narrator, scope: d.scope ?? [], givenOn: d.givenOn,
  method: d.method, scan: parse(d.scanJson), embargoUntil: d.embargoUntil ?? null, onWithdrawal: d.onWithdrawal,
  notes: d.notes ?? null, authorId: d.authorId ?? null, createdAt: d.createdAt,
});

export class MongoConsentRepository implements ConsentRepository {
  constructor(private readonly s: Support) {}
  private get m() { return this.s.models.consentRecords; }

  private async newest(id: string): Promise<number | null> {
    const d = await this.m.findOne({ id }, { version: 1 }).sort({ version: -1 }).lean<Doc>();
    return (d?.version as number | undefined) ?? null;
  }

  async append(record: Omit<ConsentRecord, 'version'>, expectedVersion?: number | null) {
    return this.s.withLock(`consent_records:${record.id}`, async () => {
      const current = await this.newest(record.id);
      if (expectedVersion !== undefined && expectedVersion !== current) return { ok: false as const, current };
      const version = (current ?? 0) + 1;
      const { scan, ...rest } = record;
      try {
        // `<id>:<version>` is unique: a second writer of the same version fails instead of overwriting
        await this.m.collection.insertOne({ _id: `${record.id}:${version}` as never, ...rest, version, scanJson: json(scan) });
      } catch (err) {
        if (isDuplicateKeyError(err)) return { ok: false as const, current: await this.newest(record.id) };
        throw err;
      }
      return { ok: true as const, record: { ...record, version } };
    });
  }

  async currentForInterview(interviewId: string): Promise<ConsentRecord[]> {
    const docs = await this.m.find({ interviewId }).lean<Doc[]>();
    const newest = new Map<string, Doc>();
    for (const d of docs) if ((newest.get(d.id)?.version ?? 0) < d.version) newest.set(d.id, d);
    return [...newest.values()]
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(toConsent);
  }

  async history(id: string): Promise<ConsentRecord[]> {
    return (await this.m.find({ id }).sort({ version: -1 }).lean<Doc[]>()).map(toConsent);
  }

  async find(id: string, version?: number): Promise<ConsentRecord | null> {
    const d = version === undefined
      ? await this.m.findOne({ id }).sort({ version: -1 }).lean<Doc>()
      : await this.m.findById(`${id}:${version}`).lean<Doc>();
    return d ? toConsent(d) : null;
  }
}

const toInvitation = (d: Doc): ReviewInvitation => ({
  id: d._id, interviewId: d.interviewId, narrator: d.narrator, tokenHash: d.tokenHash, codeHash: d.codeHash,
  createdBy: d.createdBy ?? null, createdAt: d.createdAt, expiresAt: d.expiresAt, revokedAt: d.revokedAt ?? null,
  lastUsedAt: d.lastUsedAt ?? null,
});
const toRestriction = (d: Doc): Restriction => ({
  id: d._id, interviewId: d.interviewId, mediaId: d.mediaId, start: d.start, end: d.end, reason: d.reason ?? null,
  quote: d.quote ?? null, status: d.status, createdByKind: d.createdByKind, createdById: d.createdById ?? null,
  createdAt: d.createdAt, liftedAt: d.liftedAt ?? null, liftedBy: d.liftedBy ?? null,
});
const toCorrection = (d: Doc): Correction => ({
  id: d._id, interviewId: d.interviewId, mediaId: d.mediaId, segmentNo: d.segmentNo, segmentStart: d.segmentStart,
  original: d.original, proposed: d.proposed, note: d.note ?? null, status: d.status, invitationId: d.invitationId ?? null,
  createdAt: d.createdAt, decidedBy: d.decidedBy ?? null, decidedAt: d.decidedAt ?? null, decisionNote: d.decisionNote ?? null,
  transcriptVersion: d.transcriptVersion ?? null,
});
const toDecision = (d: Doc): ReviewDecision => ({
  id: d._id, interviewId: d.interviewId, invitationId: d.invitationId ?? null, decision: d.decision,
  visibility: d.visibility ?? null, message: d.message ?? null, receiptNo: d.receiptNo, createdAt: d.createdAt,
});

export class MongoReviewRepository implements ReviewRepository {
  constructor(private readonly s: Support) {}
  private get m() { return this.s.models; }

  async createInvitation(i: ReviewInvitation): Promise<ReviewInvitation> {
    await this.m.reviewInvitations.collection.insertOne(withId(i) as never);
    return i;
  }

  private async invitationWhere(query: Doc): Promise<ReviewInvitation | null> {
    const d = await this.m.reviewInvitations.findOne(query).lean<Doc>();
    return d ? toInvitation(d) : null;
  }

  async findInvitation(id: string) { return this.invitationWhere({ _id: id }); }
  async findInvitationByTokenHash(tokenHash: string) { return this.invitationWhere({ tokenHash }); }
  async findInvitationByCodeHash(codeHash: string) { return this.invitationWhere({ codeHash }); }

  async listInvitations(interviewId: string): Promise<ReviewInvitation[]> {
    return (await this.m.reviewInvitations.find({ interviewId }).sort({ createdAt: -1, _id: 1 }).lean<Doc[]>()).map(toInvitation);
  }

  // revoke and touch rewrite the same document: one lock, so a touch never undoes a revocation
  async revokeInvitation(id: string, at: string): Promise<boolean> {
    return this.s.withLock(`review_invitations:${id}`, async () => {
      const current = await this.m.reviewInvitations.findById(id, { revokedAt: 1 }).lean<Doc>();
      if (!current || current.revokedAt) return false;
      return (await this.m.reviewInvitations.collection.updateOne({ _id: id as never }, { $set: { revokedAt: at } })).matchedCount === 1;
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

  async listRestrictions(filter: { interviewId?: string; mediaId?: string; includeLifted?: boolean }): Promise<Restriction[]> {
    const query: Doc = {};
    if (filter.interviewId) query.interviewId = filter.interviewId;
    if (filter.mediaId) query.mediaId = filter.mediaId;
    if (!filter.includeLifted) query.status = 'active';
    return (await this.m.restrictions.find(query).sort({ start: 1, createdAt: 1, _id: 1 }).lean<Doc[]>()).map(toRestriction);
  }

  async liftRestriction(id: string, at: string, by: string | null): Promise<boolean> {
    return this.s.withLock(`restrictions:${id}`, async () => {
      const current = await this.m.restrictions.findById(id, { status: 1 }).lean<Doc>();
      if (!current || current.status !== 'active') return false;
      await this.m.restrictions.collection.updateOne({ _id: id as never }, { $set: { status: 'lifted', liftedAt: at, liftedBy: by } });
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
    return (await this.m.corrections.find({ interviewId }).sort({ createdAt: 1, _id: 1 }).lean<Doc[]>()).map(toCorrection);
  }

  async decideCorrection(id: string, d: Pick<Correction, 'status' | 'decidedBy' | 'decidedAt' | 'decisionNote' | 'transcriptVersion'>) {
    return this.s.withLock(`corrections:${id}`, async () => {
      const current = await this.m.corrections.findById(id, { status: 1 }).lean<Doc>();
      if (!current || current.status !== 'open') return false;
      await this.m.corrections.collection.updateOne({ _id: id as never }, {
        $set: { status: d.status, decidedBy: d.decidedBy, decidedAt: d.decidedAt, decisionNote: d.decisionNote, transcriptVersion: d.transcriptVersion },
      });
      return true;
    });
  }

  async addDecision(d: ReviewDecision): Promise<ReviewDecision> {
    await this.m.reviewDecisions.collection.insertOne({ ...withId(d), seq: this.s.seq() } as never);
    return d;
  }

  async listDecisions(interviewId: string): Promise<ReviewDecision[]> {
    return (await this.m.reviewDecisions.find({ interviewId }).sort({ createdAt: -1, seq: -1 }).lean<Doc[]>()).map(toDecision);
  }
}

const toAudit = (d: Doc): AuditEvent => ({
  id: d._id, at: d.at, actorKind: d.actorKind, actorId: d.actorId ?? null, actorLabel: d.actorLabel ?? null,
  interviewId: d.interviewId ?? null, action: d.action, entity: d.entity, entityId: d.entityId ?? null,
  before: parse(d.beforeJson), after: parse(d.afterJson),
});

export class MongoAuditRepository implements AuditRepository {
  constructor(private readonly s: Support) {}
  private get m() { return this.s.models.auditEvents; }

  async append(e: Omit<AuditEvent, 'id'>, key?: string): Promise<AuditEvent> {
    const { before, after, ...rest } = e;
    if (key !== undefined) {
      const stored = await this.m.findOne({ opKey: key }).lean<Doc>();
      if (stored) return toAudit(stored);
    }
    // before/after are free-form (metadata with any keys): JSON text. Ids increase through unique numbered inserts;
    // the unique opKey makes a keyed append happen once (unkeyed events get `seq:<id>`, which nothing else uses).
    const taken = new Error('audit key taken');
    try {
      const id = await this.s.insertNumbered(
        'auditEvents',
        (n) => ({ ...rest, beforeJson: json(before), afterJson: json(after), opKey: key ?? `seq:${n}` }),
        key === undefined ? undefined : async () => {
          if (await this.m.exists({ opKey: key })) throw taken;
        },
      );
      return { ...e, id };
    } catch (err) {
      if (err !== taken) throw err;
      return toAudit((await this.m.findOne({ opKey: key }).lean<Doc>())!);
    }
  }

  async list(filter: AuditFilter, { limit, offset }: PageRequest): Promise<Page<AuditEvent>> {
    const query: Doc = {};
    if (filter.interviewId) query.interviewId = filter.interviewId;
    if (filter.action) query.action = filter.action;
    if (filter.actorId) query.actorId = filter.actorId;
    const [docs, total] = await Promise.all([
      this.m.find(query).sort({ _id: -1 }).skip(offset).limit(limit).lean<Doc[]>(),
      this.m.countDocuments(query),
    ]);
    return { items: docs.map(toAudit), total };
  }
}

const toOperation = (d: Doc): Operation => ({
  key: d._id, kind: d.kind, payload: parse(d.payloadJson), status: d.status, error: d.error ?? null, createdAt: d.createdAt,
  finishedAt: d.finishedAt ?? null,
});

export class MongoOperationRepository implements OperationRepository {
  constructor(private readonly s: Support) {}
  private get m() { return this.s.models.operations; }

  async begin(op: Operation): Promise<{ operation: Operation; created: boolean }> {
    try {
      // the key is `_id`: a unique insert, atomic on FerretDB and MongoDB; the payload is JSON text (any keys)
      await this.m.collection.insertOne({
        _id: op.key as never, kind: op.kind, payloadJson: JSON.stringify(op.payload ?? null), status: op.status, error: op.error,
        createdAt: op.createdAt, finishedAt: op.finishedAt,
      });
      return { operation: op, created: true };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const stored = await this.find(op.key);
      if (!stored) throw err;
      return { operation: stored, created: false };
    }
  }

  async find(key: string): Promise<Operation | null> {
    const d = await this.m.findById(key).lean<Doc>();
    return d ? toOperation(d) : null;
  }

  async finish(key: string, outcome: { status: 'done' } | { status: 'failed'; error: string }, at: string): Promise<boolean> {
    // conditional on `pending` under the operation's write lock (FerretDB's updates are not atomic)
    return this.s.withLock(`operations:${key}`, async () => {
      const current = await this.m.findById(key, { status: 1 }).lean<Doc>();
      if (!current || current.status !== 'pending') return false;
      await this.m.collection.updateOne({ _id: key as never }, {
        $set: { status: outcome.status, error: outcome.status === 'failed' ? outcome.error : null, finishedAt: at },
      });
      return true;
    });
  }

  async listUnfinished(createdBefore: string, limit: number): Promise<Operation[]> {
    return (await this.m.find({ status: 'pending', createdAt: { $lt: createdBefore } }).sort({ createdAt: 1, _id: 1 }).limit(limit).lean<Doc[]>())
      .map(toOperation);
  }
}
