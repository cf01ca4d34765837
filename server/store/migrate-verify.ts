// Checksums and verification of `npm run cli -- migrate` (server/store/migrate.ts): canonical JSON, the
// order-independent set checksum, and what differs when source and target disagree; split from migrate.ts.
import crypto from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Models } from './mongo/schemas.js';
import { specs, type Doc, type Row, type Spec } from './migrate-specs.js';

// ---------------------------------------------------------------------------------------------------------------------
// Canonical JSON and the order-independent checksum

/** JSON with object keys sorted at every level; Dates as ISO text. Both sides are hashed in exactly this form. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify({ $date: value.toISOString() });
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}

const MOD = 1n << 256n;

/** Sum (mod 2^256) of the documents' SHA-256: the same set gives the same value in any order. */
export class SetChecksum {
  private sum = 0n;
  count = 0;
  add(doc: unknown): string {
    const hex = crypto.createHash('sha256').update(canonicalJson(doc)).digest('hex');
    this.sum = (this.sum + BigInt(`0x${hex}`)) % MOD;
    this.count++;
    return hex;
  }
  get hex(): string {
    return this.sum.toString(16).padStart(64, '0');
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Verification: the source documents again, and what differs on a mismatch

export function forEachSourceDoc(db: Database, spec: Spec, batchSize: number, fn: (doc: Doc) => void): void {
  const select = db.prepare(
    `SELECT rowid AS _rowid, * FROM "${spec.table}" WHERE rowid > ?${spec.where ? ` AND (${spec.where})` : ''} ORDER BY rowid LIMIT ?`,
  );
  for (let after = 0; ;) {
    const rows = select.all(after, batchSize) as Row[];
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!._rowid;
    for (const row of rows) fn(spec.toDoc(row));
  }
}

/** Which documents differ (only run on a mismatch): missing in the target, extra there, or changed — with a few ids. */
export async function describeDifference(
  db: Database,
  models: Models,
  model: keyof Models,
  batchSize: number,
): Promise<string> {
  const expected = new Map<string, string>();
  const sum = new SetChecksum();
  for (const spec of specs.filter((s) => s.model === model))
    forEachSourceDoc(db, spec, batchSize, (doc) => expected.set(String(doc._id), sum.add(doc)));
  const missing: string[] = [];
  const extra: string[] = [];
  const changed: string[] = [];
  const seen = new Set<string>();
  const probe = new SetChecksum();
  for await (const doc of models[model].collection.find({})) {
    const key = String(doc._id);
    seen.add(key);
    const hash = probe.add(doc);
    const want = expected.get(key);
    if (want === undefined) extra.push(key);
    else if (want !== hash) changed.push(key);
  }
  for (const key of expected.keys()) if (!seen.has(key)) missing.push(key);
  const few = (ids: string[]) => ids.slice(0, 3).join(', ') + (ids.length > 3 ? ', …' : '');
  return (
    [
      missing.length ? `${missing.length} missing in the target (${few(missing)})` : '',
      extra.length ? `${extra.length} only in the target (${few(extra)})` : '',
      changed.length ? `${changed.length} changed since copied (${few(changed)})` : '',
    ]
      .filter(Boolean)
      .join('; ') || 'checksums differ'
  );
}
