// Consent records: every change is a new version of the record (append-only, optimistic on the version).
import type { Database } from 'better-sqlite3';
import type { ConsentRepository } from '../repositories.js';
import type { ConsentRecord } from '../types.js';
import { json, parse } from './json-columns.js';

interface ConsentRow {
  id: string;
  version: number;
  interview_id: string;
  narrator: string;
  scope: string;
  given_on: string;
  method: ConsentRecord['method'];
  scan: string | null;
  embargo_until: string | null;
  on_withdrawal: ConsentRecord['onWithdrawal'];
  notes: string | null;
  author_id: string | null;
  created_at: string;
}

const toConsent = (r: ConsentRow): ConsentRecord => ({
  id: r.id,
  version: r.version,
  interviewId: r.interview_id,
  narrator: r.narrator,
  scope: JSON.parse(r.scope),
  givenOn: r.given_on,
  method: r.method,
  scan: parse(r.scan),
  embargoUntil: r.embargo_until,
  onWithdrawal: r.on_withdrawal,
  notes: r.notes,
  authorId: r.author_id,
  createdAt: r.created_at,
});

export class SqliteConsentRepository implements ConsentRepository {
  constructor(private readonly db: Database) {}

  async append(record: Omit<ConsentRecord, 'version'>, expectedVersion?: number | null) {
    return this.db.transaction(() => {
      const current =
        (this.db.prepare('SELECT max(version) FROM consent_records WHERE id = ?').pluck().get(record.id) as
          number | null) ?? null;
      if (expectedVersion !== undefined && expectedVersion !== current) return { ok: false as const, current };
      const version = (current ?? 0) + 1;
      this.db
        .prepare(
          `INSERT INTO consent_records (id, version, interview_id, narrator, scope, given_on, method, scan, embargo_until,
          on_withdrawal, notes, author_id, created_at)
        VALUES (@id, @version, @interviewId, @narrator, @scope, @givenOn, @method, @scan, @embargoUntil, @onWithdrawal, @notes, @authorId, @createdAt)`,
        )
        .run({ ...record, version, scope: JSON.stringify(record.scope), scan: json(record.scan) });
      return { ok: true as const, record: { ...record, version } };
    })();
  }

  async currentForInterview(interviewId: string): Promise<ConsentRecord[]> {
    return (
      this.db
        .prepare(
          `SELECT c.* FROM consent_records c
        WHERE c.interview_id = ? AND c.version = (SELECT max(version) FROM consent_records WHERE id = c.id)
        ORDER BY c.created_at, c.id`,
        )
        .all(interviewId) as ConsentRow[]
    ).map(toConsent);
  }

  async history(id: string): Promise<ConsentRecord[]> {
    return (
      this.db.prepare('SELECT * FROM consent_records WHERE id = ? ORDER BY version DESC').all(id) as ConsentRow[]
    ).map(toConsent);
  }

  async find(id: string, version?: number): Promise<ConsentRecord | null> {
    const r = (
      version === undefined
        ? this.db.prepare('SELECT * FROM consent_records WHERE id = ? ORDER BY version DESC LIMIT 1').get(id)
        : this.db.prepare('SELECT * FROM consent_records WHERE id = ? AND version = ?').get(id, version)
    ) as ConsentRow | undefined;
    return r ? toConsent(r) : null;
  }
}
