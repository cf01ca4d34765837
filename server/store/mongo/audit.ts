// The audit log: append-only, one entry per key (a retried use case does not log twice), newest first.
import type { AuditFilter, AuditRepository } from '../repositories.js';
import type { AuditEvent, Page, PageRequest } from '../types.js';
import { json, parse, type Support } from './support.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

const toAudit = (d: Doc): AuditEvent => ({
  id: d._id,
  at: d.at,
  actorKind: d.actorKind,
  actorId: d.actorId ?? null,
  actorLabel: d.actorLabel ?? null,
  interviewId: d.interviewId ?? null,
  action: d.action,
  entity: d.entity,
  entityId: d.entityId ?? null,
  before: parse(d.beforeJson),
  after: parse(d.afterJson),
});

export class MongoAuditRepository implements AuditRepository {
  constructor(private readonly s: Support) {}
  private get m() {
    return this.s.models.auditEvents;
  }

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
        key === undefined
          ? undefined
          : async () => {
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
