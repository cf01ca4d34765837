// Consent records: every change is a new version of the record (append-only; a unique insert per version).
import type { ConsentRepository } from '../repositories.js';
import type { ConsentRecord } from '../types.js';
import { isDuplicateKeyError, json, parse, type Support } from './support.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

const toConsent = (d: Doc): ConsentRecord => ({
  id: d.id,
  version: d.version,
  interviewId: d.interviewId,
  narrator: d.narrator,
  scope: d.scope ?? [],
  givenOn: d.givenOn,
  method: d.method,
  scan: parse(d.scanJson),
  embargoUntil: d.embargoUntil ?? null,
  onWithdrawal: d.onWithdrawal,
  notes: d.notes ?? null,
  authorId: d.authorId ?? null,
  createdAt: d.createdAt,
});

export class MongoConsentRepository implements ConsentRepository {
  constructor(private readonly s: Support) {}
  private get m() {
    return this.s.models.consentRecords;
  }

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
        await this.m.collection.insertOne({
          _id: `${record.id}:${version}` as never,
          ...rest,
          version,
          scanJson: json(scan),
        });
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
      .sort((a, b) =>
        a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
      )
      .map(toConsent);
  }

  async history(id: string): Promise<ConsentRecord[]> {
    return (await this.m.find({ id }).sort({ version: -1 }).lean<Doc[]>()).map(toConsent);
  }

  async find(id: string, version?: number): Promise<ConsentRecord | null> {
    const d =
      version === undefined
        ? await this.m.findOne({ id }).sort({ version: -1 }).lean<Doc>()
        : await this.m.findById(`${id}:${version}`).lean<Doc>();
    return d ? toConsent(d) : null;
  }
}
