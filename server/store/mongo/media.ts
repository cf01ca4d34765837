import type { MediaRepository, MediumPatch } from '../repositories.js';
import type { MediaDerivatives, Medium } from '../types.js';
import { deleteMediaData } from './archive.js';
import { type Support } from './support.js';

export { MongoJobRepository } from './jobs.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

const toMedium = (d: Doc): Medium => ({
  id: d._id,
  interviewId: d.interviewId,
  part: d.part,
  kind: d.kind,
  status: d.status,
  progress: d.progress,
  originalFilename: d.originalFilename,
  originalPath: d.originalPath,
  sha256: d.sha256,
  sizeBytes: d.sizeBytes,
  technical: JSON.parse(d.technicalJson),
  derivatives: d.derivatives ?? {},
  error: d.error ?? null,
  renditionRedaction: d.renditionRedaction ?? '',
  createdBy: d.createdBy ?? null,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export class MongoMediaRepository implements MediaRepository {
  constructor(private readonly s: Support) {}
  private get m() {
    return this.s.models.media;
  }

  async create(medium: Medium): Promise<Medium> {
    const { id, technical, ...rest } = medium;
    // ffprobe's facts may carry keys with '.' (tags): stored as JSON text
    await this.m.collection.insertOne({
      _id: id as never,
      ...rest,
      technicalJson: JSON.stringify(technical),
      derivatives: { ...medium.derivatives },
    });
    return medium;
  }

  async findById(id: string): Promise<Medium | null> {
    const d = await this.m.findById(id).lean<Doc>();
    return d ? toMedium(d) : null;
  }

  async listByInterview(interviewId: string): Promise<Medium[]> {
    return (await this.m.find({ interviewId }).sort({ part: 1 }).lean<Doc[]>()).map(toMedium);
  }

  async listUnfinished(): Promise<Medium[]> {
    return (
      await this.m
        .find({ status: { $in: ['stored', 'processing'] } })
        .sort({ createdAt: 1, _id: 1 })
        .lean<Doc[]>()
    ).map(toMedium);
  }

  async nextPart(interviewId: string): Promise<number> {
    const newest = await this.m.findOne({ interviewId }, { part: 1 }).sort({ part: -1 }).lean<Doc>();
    return ((newest?.part as number | undefined) ?? 0) + 1;
  }

  async update(id: string, patch: MediumPatch, now: string): Promise<Medium | null> {
    return this.s.withLock(`media:${id}`, async () => {
      const set: Doc = { updatedAt: now };
      for (const key of ['status', 'progress', 'error', 'renditionRedaction'] as const)
        if (patch[key] !== undefined) set[key] = patch[key];
      const r = await this.m.collection.updateOne({ _id: id as never }, { $set: set });
      return r.matchedCount ? this.findById(id) : null;
    });
  }

  async setDerivatives(id: string, derivatives: { [K in keyof MediaDerivatives]?: string | null }, now: string) {
    // under the medium's lock, so concurrent jobs on one medium never lose each other's paths
    return this.s.withLock(`media:${id}`, async () => {
      const current = await this.m.findById(id, { derivatives: 1 }).lean<Doc>();
      if (!current) return null;
      const merged: Doc = { ...(current.derivatives ?? {}) };
      for (const [key, value] of Object.entries(derivatives)) {
        if (value === undefined) continue;
        if (value === null) delete merged[key];
        else merged[key] = value;
      }
      await this.m.collection.updateOne({ _id: id as never }, { $set: { derivatives: merged, updatedAt: now } });
      return this.findById(id);
    });
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.s.withLock(
      `media:${id}`,
      async () => (await this.m.collection.deleteOne({ _id: id as never })).deletedCount === 1,
    );
    if (deleted) await deleteMediaData(this.s, [id]);
    return deleted;
  }

  async listRedacted(): Promise<string[]> {
    return (await this.m.find({ renditionRedaction: { $ne: '' } }, { _id: 1 }).lean<Doc[]>()).map(
      (d) => d._id as string,
    );
  }
}
