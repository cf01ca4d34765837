// Fixity baselines (rendition hashes recorded when made) and PREMIS-style fixity events, with the current state
// (latest event) of every checked path kept beside them, as in server/store/sqlite/fixity.ts.
import type { FixityEventFilter, FixityRepository } from '../repositories.js';
import type { FixityBaseline, FixityEvent, Page, PageRequest } from '../types.js';
import { literalRegex, type Support } from './support.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

const toEvent = (d: Doc): FixityEvent => ({
  id: d.id,
  at: d.at,
  type: d.type,
  algorithm: d.algorithm,
  outcome: d.outcome,
  path: d.path,
  fileKind: d.fileKind,
  mediaId: d.mediaId,
  interviewId: d.interviewId,
  expectedSha256: d.expectedSha256 ?? null,
  actualSha256: d.actualSha256 ?? null,
  agent: d.agent,
  runId: d.runId ?? null,
  detail: d.detail ?? null,
});

/** Code-point order of the paths (SQLite's BINARY collation on UTF-8 text). */
const byPath = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Documents (keyed by path) under a prefix: the path itself, or everything below a directory prefix ending in "/". */
const under = (prefix: string): Doc =>
  prefix.endsWith('/') ? { _id: { $regex: `^${literalRegex(prefix)}` } } : { _id: prefix };

export class MongoFixityRepository implements FixityRepository {
  constructor(private readonly s: Support) {}
  private get m() {
    return this.s.models;
  }

  async replaceBaselines(mediaId: string, prefix: string, files: Omit<FixityBaseline, 'mediaId'>[]): Promise<void> {
    await this.s.withLock(`fixity_baselines:${prefix}`, async () => {
      await this.m.fixityBaselines.collection.deleteMany(under(prefix));
      await this.m.fixityState.collection.deleteMany(under(prefix));
      for (const f of files) {
        await this.m.fixityBaselines.collection.replaceOne(
          { _id: f.path as never },
          { mediaId, sha256: f.sha256, sizeBytes: f.sizeBytes, recordedAt: f.recordedAt },
          { upsert: true },
        );
      }
    });
  }

  async listBaselines(mediaId: string): Promise<FixityBaseline[]> {
    const docs = await this.m.fixityBaselines.find({ mediaId }).lean<Doc[]>();
    return docs
      .map((d) => ({
        path: d._id as string,
        mediaId: d.mediaId,
        sha256: d.sha256,
        sizeBytes: d.sizeBytes,
        recordedAt: d.recordedAt,
      }))
      .sort((a, b) => byPath(a.path, b.path));
  }

  async appendEvent(e: FixityEvent): Promise<FixityEvent> {
    // the insertion number orders events of the same instant (SQLite's seq)
    const seq = await this.s.insertNumbered('fixityEvents', { ...toEvent(e) });
    await this.s.withLock(`fixity_state:${e.path}`, async () => {
      const state = await this.m.fixityState.findById(e.path).lean<Doc>();
      // the latest event wins: later `at`, or the same `at` and inserted later
      if (state && (state.at > e.at || (state.at === e.at && state.eventSeq > seq))) return;
      await this.m.fixityState.collection.replaceOne(
        { _id: e.path as never },
        { eventSeq: seq, at: e.at, outcome: e.outcome },
        { upsert: true },
      );
    });
    return e;
  }

  async listEvents(filter: FixityEventFilter, { limit, offset }: PageRequest): Promise<Page<FixityEvent>> {
    const query: Doc = {};
    if (filter.mediaId) query.mediaId = filter.mediaId;
    if (filter.interviewId) query.interviewId = filter.interviewId;
    if (filter.outcome) query.outcome = filter.outcome;
    if (filter.runId) query.runId = filter.runId;
    const [docs, total] = await Promise.all([
      this.m.fixityEvents.find(query).sort({ at: -1, _id: -1 }).skip(offset).limit(limit).lean<Doc[]>(),
      this.m.fixityEvents.countDocuments(query),
    ]);
    return { items: docs.map(toEvent), total };
  }

  async listProblems(): Promise<FixityEvent[]> {
    const states = (await this.m.fixityState.find({ outcome: { $ne: 'pass' } }).lean<Doc[]>()).sort((a, b) =>
      a.at < b.at ? -1 : a.at > b.at ? 1 : a.eventSeq - b.eventSeq,
    );
    if (states.length === 0) return [];
    const events = await this.m.fixityEvents.find({ _id: { $in: states.map((s) => s.eventSeq) } }).lean<Doc[]>();
    const bySeq = new Map(events.map((d) => [d._id as number, d]));
    return states.flatMap((s) => {
      const d = bySeq.get(s.eventSeq);
      return d ? [toEvent(d)] : [];
    });
  }

  async lastChecked(path: string): Promise<string | null> {
    const state = await this.m.fixityState.findById(path, { at: 1 }).lean<Doc>();
    return (state?.at as string | undefined) ?? null;
  }
}
