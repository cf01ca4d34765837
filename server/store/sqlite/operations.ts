// Units-of-work operation records: the one unique insert that starts a use case, and its end state.
import type { Database } from 'better-sqlite3';
import type { OperationRepository } from '../repositories.js';
import type { Operation } from '../types.js';

interface OperationRow {
  key: string;
  kind: string;
  payload: string;
  status: Operation['status'];
  error: string | null;
  created_at: string;
  finished_at: string | null;
}
const toOperation = (r: OperationRow): Operation => ({
  key: r.key,
  kind: r.kind,
  payload: JSON.parse(r.payload),
  status: r.status,
  error: r.error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

export class SqliteOperationRepository implements OperationRepository {
  constructor(private readonly db: Database) {}

  async begin(op: Operation): Promise<{ operation: Operation; created: boolean }> {
    const info = this.db
      .prepare(
        `INSERT INTO operations (key, kind, payload, status, error, created_at, finished_at)
      VALUES (@key, @kind, @payload, @status, @error, @createdAt, @finishedAt) ON CONFLICT (key) DO NOTHING`,
      )
      .run({ ...op, payload: JSON.stringify(op.payload ?? null) });
    if (info.changes === 1) return { operation: op, created: true };
    return { operation: (await this.find(op.key))!, created: false };
  }

  async find(key: string): Promise<Operation | null> {
    const r = this.db.prepare('SELECT * FROM operations WHERE key = ?').get(key) as OperationRow | undefined;
    return r ? toOperation(r) : null;
  }

  async finish(
    key: string,
    outcome: { status: 'done' } | { status: 'failed'; error: string },
    at: string,
  ): Promise<boolean> {
    return (
      this.db
        .prepare(`UPDATE operations SET status = ?, error = ?, finished_at = ? WHERE key = ? AND status = 'pending'`)
        .run(outcome.status, outcome.status === 'failed' ? outcome.error : null, at, key).changes === 1
    );
  }

  async listUnfinished(createdBefore: string, limit: number): Promise<Operation[]> {
    return (
      this.db
        .prepare(
          `SELECT * FROM operations WHERE status = 'pending' AND created_at < ? ORDER BY created_at, key LIMIT ?`,
        )
        .all(createdBefore, limit) as OperationRow[]
    ).map(toOperation);
  }
}
