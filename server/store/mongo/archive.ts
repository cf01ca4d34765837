import type {
  CollectionRepository,
  InterviewFilter,
  InterviewPatch,
  InterviewRepository,
  InterviewSort,
  UpdateResult,
} from '../repositories.js';
import type { Collection, Interview, Page, PageRequest } from '../types.js';
import { ConflictError } from '../errors.js';
import { foldText } from '../sqlite/db.js';
import { InterviewChangeLog, InterviewListCache } from './interview-list-cache.js';
import { asciiLower, literalRegex, type Support } from './support.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

const toCollection = (d: Doc): Collection => ({
  id: d._id,
  title: d.title,
  description: d.description ?? null,
  createdBy: d.createdBy ?? null,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  version: d.version,
  // documents written before the setting existed: off
  autoTranscribe: { enabled: d.autoTranscribe?.enabled === true, language: d.autoTranscribe?.language ?? null },
});

export class MongoCollectionRepository implements CollectionRepository {
  constructor(private readonly s: Support) {}
  private get m() {
    return this.s.models.collections;
  }

  async create(c: Collection): Promise<Collection> {
    const { id, ...rest } = c;
    await this.m.collection.insertOne({ _id: id as never, ...rest, titleKey: asciiLower(c.title) });
    return c;
  }

  async findById(id: string): Promise<Collection | null> {
    const d = await this.m.findById(id).lean<Doc>();
    return d ? toCollection(d) : null;
  }

  async list({ limit, offset }: PageRequest): Promise<Page<Collection>> {
    const [docs, total] = await Promise.all([
      this.m.find({}).sort({ titleKey: 1, _id: 1 }).skip(offset).limit(limit).lean<Doc[]>(),
      this.m.countDocuments({}),
    ]);
    return { items: docs.map(toCollection), total };
  }

  async update(
    id: string,
    patch: Partial<Pick<Collection, 'title' | 'description' | 'autoTranscribe'>>,
    now: string,
    expectedVersion?: number,
  ) {
    return this.s.withLock(`collections:${id}`, async (): Promise<UpdateResult<Collection>> => {
      const current = await this.findById(id);
      if (!current) return { ok: false, reason: 'not-found' };
      if (expectedVersion !== undefined && current.version !== expectedVersion)
        return { ok: false, reason: 'version-conflict', current };
      const record: Collection = {
        ...current,
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.autoTranscribe !== undefined
          ? { autoTranscribe: { enabled: patch.autoTranscribe.enabled, language: patch.autoTranscribe.language } }
          : {}),
        updatedAt: now,
        version: current.version + 1,
      };
      const { id: _id, ...rest } = record;
      await this.m.collection.updateOne(
        { _id: id as never },
        { $set: { ...rest, titleKey: asciiLower(record.title) } },
      );
      return { ok: true, record };
    });
  }

  async delete(id: string): Promise<boolean> {
    // the same guard as SQLite's ON DELETE RESTRICT: a collection with interviews stays
    if ((await this.s.models.interviews.countDocuments({ collectionId: id })) > 0) {
      throw new ConflictError(`collection ${id} still has interviews`);
    }
    return (await this.m.collection.deleteOne({ _id: id as never })).deletedCount === 1;
  }
}

/**
 * Derived fields for the list query: folded (case-, umlaut- and ß-insensitive) text for substring and keyword
 * filters, ASCII-lower title for SQLite's NOCASE order, and the upper end of a partial date ("2019" + "~" sorts after
 * every "2019-…"), so that "overlaps the range" becomes two plain comparisons.
 */
function interviewKeys(i: Interview): Doc {
  return {
    titleKey: asciiLower(i.title),
    titleFold: foldText(i.title),
    summaryFold: i.summary === null ? null : foldText(i.summary),
    peopleFold: i.people.map((p) => foldText(p.name)),
    keywordsFold: i.keywords.map((k) => foldText(k)),
    recordedAtHi: i.recordedAt === null ? null : `${i.recordedAt}~`,
    recordedAtMissing: i.recordedAt === null ? 1 : 0,
  };
}

const toInterviewDoc = (i: Interview): Doc => {
  const { id, ...rest } = i;
  return { _id: id, ...rest, people: i.people.map((p) => ({ name: p.name, role: p.role })), ...interviewKeys(i) };
};

const toInterview = (d: Doc): Interview => ({
  id: d._id,
  collectionId: d.collectionId ?? null,
  title: d.title,
  people: (d.people ?? []).map((p: Doc) => ({ name: p.name, role: p.role })),
  recordedAt: d.recordedAt ?? null,
  place: d.place ?? null,
  language: d.language,
  summary: d.summary ?? null,
  keywords: d.keywords ?? [],
  visibility: d.visibility,
  status: d.status,
  grants: d.grants ?? [],
  embargoUntil: d.embargoUntil ?? null,
  embargoListed: !!d.embargoListed,
  createdBy: d.createdBy ?? null,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  version: d.version,
});

export const interviewSorts: Record<InterviewSort, Record<string, 1 | -1>> = {
  '-updatedAt': { updatedAt: -1, _id: 1 },
  updatedAt: { updatedAt: 1, _id: 1 },
  title: { titleKey: 1, _id: 1 },
  '-title': { titleKey: -1, _id: 1 },
  // undated interviews last in both directions, as on SQLite
  recordedAt: { recordedAtMissing: 1, recordedAt: 1, _id: 1 },
  '-recordedAt': { recordedAtMissing: 1, recordedAt: -1, _id: 1 },
  '-createdAt': { createdAt: -1, _id: 1 },
  createdAt: { createdAt: 1, _id: 1 },
};

/** The MongoDB form of server/access/policy.ts interviewAccess(), like the SQL in sqlite/archive.ts. */
export function interviewQuery(filter: InterviewFilter, now = new Date()): Doc {
  const and: Doc[] = [];
  if (filter.access.kind === 'scoped') {
    const scope = filter.access;
    const open: Doc[] = [{ visibility: { $in: [...scope.publishedVisibilities] } }];
    if (scope.principals && scope.principals.length > 0) {
      open.push({ visibility: 'restricted', grants: { $in: [...scope.principals] } });
    }
    const alternatives: Doc[] = [{ status: 'published', $or: open }];
    if (scope.includeSealed) {
      alternatives.push({
        status: 'approved',
        embargoListed: true,
        embargoUntil: { $gt: now.toISOString() },
        $or: open,
      });
    }
    if (scope.ownerId) alternatives.push({ createdBy: scope.ownerId, status: { $ne: 'withdrawn' } });
    if (scope.interviewIds && scope.interviewIds.length > 0) {
      alternatives.push({ _id: { $in: [...scope.interviewIds] }, status: { $ne: 'withdrawn' } });
    }
    and.push({ $or: alternatives });
  }
  if (filter.collectionId) and.push({ collectionId: filter.collectionId });
  if (filter.status) and.push({ status: { $in: [...filter.status] } });
  if (filter.visibility) and.push({ visibility: { $in: [...filter.visibility] } });
  if (filter.language) and.push({ language: filter.language });
  if (filter.createdBy) and.push({ createdBy: filter.createdBy });
  if (filter.keyword) and.push({ keywordsFold: foldText(filter.keyword) });
  if (filter.person) and.push({ peopleFold: { $regex: literalRegex(foldText(filter.person)) } });
  if (filter.text) {
    const re = literalRegex(foldText(filter.text));
    and.push({ $or: [{ titleFold: { $regex: re } }, { summaryFold: { $regex: re } }] });
  }
  if (filter.recordedFrom) and.push({ recordedAtHi: { $gte: filter.recordedFrom } });
  if (filter.recordedTo) and.push({ recordedAt: { $lte: `${filter.recordedTo}~` } });
  return and.length === 0 ? {} : and.length === 1 ? and[0]! : { $and: and };
}

export class MongoInterviewRepository implements InterviewRepository {
  private get m() {
    return this.s.models.interviews;
  }
  private readonly changes: InterviewChangeLog;
  /** The list query's answer from memory, kept current through the change log (interview-list-cache.ts says why). */
  private readonly listed: InterviewListCache;

  constructor(private readonly s: Support) {
    this.changes = new InterviewChangeLog(s.models);
    this.listed = new InterviewListCache(s.models, this.changes);
  }

  /** One more entry in the change log, after the write: changeStamp() and every process's list cache read it. */
  private async changed(id: string): Promise<void> {
    await this.changes.append(id);
  }

  async create(i: Interview): Promise<Interview> {
    await this.m.collection.insertOne(toInterviewDoc(i) as never);
    await this.changed(i.id);
    return i;
  }

  async findById(id: string): Promise<Interview | null> {
    const d = await this.m.findById(id).lean<Doc>();
    return d ? toInterview(d) : null;
  }

  async list(filter: InterviewFilter, { limit, offset }: PageRequest, sort: InterviewSort): Promise<Page<Interview>> {
    const found = await this.listed.find(interviewQuery(filter), interviewSorts[sort]);
    // the cached documents stay untouched: callers get their own copies
    return {
      items: found.slice(offset, offset + limit).map((d) => toInterview(structuredClone(d))),
      total: found.length,
    };
  }

  async update(
    id: string,
    patch: InterviewPatch,
    now: string,
    expectedVersion?: number,
  ): Promise<UpdateResult<Interview>> {
    const result = await this.s.withLock(`interviews:${id}`, async (): Promise<UpdateResult<Interview>> => {
      const current = await this.findById(id);
      if (!current) return { ok: false, reason: 'not-found' };
      if (expectedVersion !== undefined && current.version !== expectedVersion)
        return { ok: false, reason: 'version-conflict', current };
      const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as InterviewPatch;
      const record: Interview = { ...current, ...changes, updatedAt: now, version: current.version + 1 };
      const { _id, ...doc } = toInterviewDoc(record);
      await this.m.collection.updateOne({ _id: id as never }, { $set: doc });
      return { ok: true, record };
    });
    if (result.ok) await this.changed(id);
    return result;
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.s.withLock(
      `interviews:${id}`,
      async () => (await this.m.collection.deleteOne({ _id: id as never })).deletedCount === 1,
    );
    if (!deleted) return false;
    await this.changed(id);
    // what SQLite's ON DELETE CASCADE removes with the interview (the audit log outlives it)
    const m = this.s.models;
    const mediaIds = (await m.media.find({ interviewId: id }, { _id: 1 }).lean<Doc[]>()).map((d) => d._id as string);
    await deleteMediaData(this.s, mediaIds);
    await Promise.all([
      m.interviewIndexState.collection.deleteOne({ _id: id as never }),
      m.consentRecords.collection.deleteMany({ interviewId: id }),
      m.reviewInvitations.collection.deleteMany({ interviewId: id }),
      m.restrictions.collection.deleteMany({ interviewId: id }),
      m.corrections.collection.deleteMany({ interviewId: id }),
      m.reviewDecisions.collection.deleteMany({ interviewId: id }),
    ]);
    return true;
  }

  async changeStamp(): Promise<string> {
    return String(await this.changes.current());
  }

  async markIndexed(id: string, version: number): Promise<void> {
    // kept apart from the interview: dirty is "indexed version ≠ current version", so a mark for an older version
    // leaves a newer change dirty, as SQLite's `WHERE version = ?` does
    await this.s.withLock(`interview_index_state:${id}`, async () => {
      await this.s.models.interviewIndexState.collection.updateOne(
        { _id: id as never },
        { $set: { version } },
        { upsert: true },
      );
    });
  }

  async listSearchDirty(limit: number): Promise<Interview[]> {
    const [heads, states] = await Promise.all([
      this.m.find({}, { _id: 1, version: 1, updatedAt: 1 }).lean<Doc[]>(),
      this.s.models.interviewIndexState.find({}).lean<Doc[]>(),
    ]);
    const indexed = new Map(states.map((s) => [s._id as string, s.version as number]));
    const dirty = heads
      .filter((h) => indexed.get(h._id) !== h.version)
      .sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0))
      .slice(0, limit)
      .map((h) => h._id as string);
    if (dirty.length === 0) return [];
    const docs = new Map((await this.m.find({ _id: { $in: dirty } }).lean<Doc[]>()).map((d) => [d._id as string, d]));
    return dirty.flatMap((id) => (docs.has(id) ? [toInterview(docs.get(id)!)] : []));
  }

  async markAllSearchDirty(): Promise<void> {
    await this.s.models.interviewIndexState.collection.deleteMany({});
  }

  async listAwaitingEmbargo(limit: number): Promise<Interview[]> {
    return (
      await this.m
        .find({ status: 'approved', embargoUntil: { $ne: null } })
        .sort({ embargoUntil: 1, _id: 1 })
        .limit(limit)
        .lean<Doc[]>()
    ).map(toInterview);
  }

  async countByCollection(collectionId: string): Promise<number> {
    return this.m.countDocuments({ collectionId });
  }
}

/** Everything that hangs off media (SQLite: ON DELETE CASCADE from media). */
export async function deleteMediaData(s: Support, mediaIds: string[]): Promise<void> {
  if (mediaIds.length === 0) return;
  const m = s.models;
  const ids = { $in: mediaIds };
  const jobIds = (await m.jobs.find({ mediaId: ids }, { _id: 1 }).lean<Doc[]>()).map((d) => d._id as string);
  await Promise.all([
    m.media.collection.deleteMany({ _id: ids as never }),
    m.jobs.collection.deleteMany({ mediaId: ids }),
    jobIds.length ? m.jobClaims.collection.deleteMany({ jobId: { $in: jobIds } }) : undefined,
    jobIds.length ? m.jobSlots.collection.deleteMany({ jobId: { $in: jobIds } }) : undefined,
    jobIds.length ? m.jobQueue.collection.deleteMany({ jobId: { $in: jobIds } }) : undefined,
    m.transcriptHeads.collection.deleteMany({ _id: ids as never }),
    m.transcriptIndexState.collection.deleteMany({ _id: ids as never }),
    m.transcriptVersions.collection.deleteMany({ mediaId: ids }),
    m.mediaIndex.collection.deleteMany({ _id: ids as never }),
    m.restrictions.collection.deleteMany({ mediaId: ids }),
    m.corrections.collection.deleteMany({ mediaId: ids }),
  ]);
}
