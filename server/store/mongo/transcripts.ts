import type { TranscriptRepository, VersionSummary } from '../repositories.js';
import type { IndexPoint, MediaIndex, TranscriptHead, TranscriptVersion } from '../types.js';
import { isDuplicateKeyError, type Support } from './support.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

const toVersion = (d: Doc): TranscriptVersion => ({
  mediaId: d.mediaId,
  version: d.version,
  segments: JSON.parse(d.segmentsJson),
  authorId: d.authorId ?? null,
  reason: d.reason,
  source: d.source,
  createdAt: d.createdAt,
});

/**
 * Versions are documents `<media>:<n>` (a unique `_id`, so two appends can never both write version n); the head
 * (current version) and what the search index holds are small documents of their own, each written under a lock.
 */
export class MongoTranscriptRepository implements TranscriptRepository {
  constructor(private readonly s: Support) {}
  private get m() {
    return this.s.models;
  }

  async head(mediaId: string): Promise<TranscriptHead | null> {
    const [h, state] = await Promise.all([
      this.m.transcriptHeads.findById(mediaId).lean<Doc>(),
      this.m.transcriptIndexState.findById(mediaId).lean<Doc>(),
    ]);
    return h
      ? { mediaId, currentVersion: h.currentVersion, indexedVersion: state?.version ?? null, updatedAt: h.updatedAt }
      : null;
  }

  /** The newest version number, from the versions themselves (the head may lag a crashed append). */
  private async newest(mediaId: string): Promise<number | null> {
    const d = await this.m.transcriptVersions.findOne({ mediaId }, { version: 1 }).sort({ version: -1 }).lean<Doc>();
    return (d?.version as number | undefined) ?? null;
  }

  async append(v: Omit<TranscriptVersion, 'version'>, expectedCurrent?: number | null) {
    return this.s.withLock(`transcripts:${v.mediaId}`, async () => {
      const current = await this.newest(v.mediaId);
      if (expectedCurrent !== undefined && expectedCurrent !== current) return { ok: false as const, current };
      const version = (current ?? 0) + 1;
      try {
        await this.m.transcriptVersions.collection.insertOne({
          _id: `${v.mediaId}:${version}` as never,
          mediaId: v.mediaId,
          version,
          segmentsJson: JSON.stringify(v.segments),
          segmentCount: v.segments.length,
          authorId: v.authorId,
          reason: v.reason,
          source: v.source,
          createdAt: v.createdAt,
        });
      } catch (err) {
        if (isDuplicateKeyError(err)) return { ok: false as const, current: await this.newest(v.mediaId) };
        throw err;
      }
      await this.m.transcriptHeads.collection.updateOne(
        { _id: v.mediaId as never },
        { $set: { currentVersion: version, updatedAt: v.createdAt } },
        { upsert: true },
      );
      return { ok: true as const, version: { ...v, version } };
    });
  }

  async getVersion(mediaId: string, version: number): Promise<TranscriptVersion | null> {
    const d = await this.m.transcriptVersions.findById(`${mediaId}:${version}`).lean<Doc>();
    return d ? toVersion(d) : null;
  }

  async current(mediaId: string): Promise<TranscriptVersion | null> {
    const h = await this.m.transcriptHeads.findById(mediaId).lean<Doc>();
    return h ? this.getVersion(mediaId, h.currentVersion) : null;
  }

  async listVersions(mediaId: string): Promise<VersionSummary[]> {
    const docs = await this.m.transcriptVersions
      .find({ mediaId }, { segmentsJson: 0 })
      .sort({ version: -1 })
      .lean<Doc[]>();
    return docs.map((d) => ({
      mediaId: d.mediaId,
      version: d.version,
      authorId: d.authorId ?? null,
      reason: d.reason,
      source: d.source,
      createdAt: d.createdAt,
      segmentCount: d.segmentCount,
    }));
  }

  async markIndexed(mediaId: string, version: number): Promise<void> {
    await this.s.withLock(`transcript_index_state:${mediaId}`, async () => {
      if (!(await this.m.transcriptHeads.exists({ _id: mediaId }))) return;
      const state = await this.m.transcriptIndexState.findById(mediaId).lean<Doc>();
      if (state && state.version >= version) return; // never backwards
      await this.m.transcriptIndexState.collection.updateOne(
        { _id: mediaId as never },
        { $set: { version } },
        { upsert: true },
      );
    });
  }

  async listUnindexed(limit: number): Promise<TranscriptHead[]> {
    const [heads, states] = await Promise.all([
      this.m.transcriptHeads.find({}).sort({ updatedAt: 1, _id: 1 }).lean<Doc[]>(),
      this.m.transcriptIndexState.find({}).lean<Doc[]>(),
    ]);
    const indexed = new Map(states.map((s) => [s._id as string, s.version as number]));
    return heads
      .filter((h) => !indexed.has(h._id) || indexed.get(h._id)! < h.currentVersion)
      .slice(0, limit)
      .map((h) => ({
        mediaId: h._id,
        currentVersion: h.currentVersion,
        indexedVersion: indexed.get(h._id) ?? null,
        updatedAt: h.updatedAt,
      }));
  }

  async resetIndexed(): Promise<void> {
    await this.m.transcriptIndexState.collection.deleteMany({});
  }

  async getIndex(mediaId: string): Promise<MediaIndex | null> {
    const d = await this.m.mediaIndex.findById(mediaId).lean<Doc>();
    return d
      ? {
          mediaId,
          points: JSON.parse(d.pointsJson),
          version: d.version,
          updatedBy: d.updatedBy ?? null,
          updatedAt: d.updatedAt,
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
    return this.s.withLock(`media_index:${mediaId}`, async () => {
      const current =
        ((await this.m.mediaIndex.findById(mediaId, { version: 1 }).lean<Doc>())?.version as number | undefined) ?? 0;
      if (expectedVersion !== undefined && expectedVersion !== current) return { ok: false as const, current };
      await this.m.mediaIndex.collection.updateOne(
        { _id: mediaId as never },
        { $set: { pointsJson: JSON.stringify(points), version: current + 1, updatedBy, updatedAt: now } },
        { upsert: true },
      );
      return { ok: true as const, index: { mediaId, points, version: current + 1, updatedBy, updatedAt: now } };
    });
  }
}
