// Units-of-work operation records: the one unique insert that starts a use case, and its end state.
import type { OperationRepository } from '../repositories.js';
import type { Operation } from '../types.js';
import { isDuplicateKeyError, parse, type Support } from './support.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

const toOperation = (d: Doc): Operation => ({
  key: d._id,
  kind: d.kind,
  payload: parse(d.payloadJson),
  status: d.status,
  error: d.error ?? null,
  createdAt: d.createdAt,
  finishedAt: d.finishedAt ?? null,
});

export class MongoOperationRepository implements OperationRepository {
  constructor(private readonly s: Support) {}
  private get m() {
    return this.s.models.operations;
  }

  async begin(op: Operation): Promise<{ operation: Operation; created: boolean }> {
    try {
      // the key is `_id`: a unique insert, atomic on FerretDB and MongoDB; the payload is JSON text (any keys)
      await this.m.collection.insertOne({
        _id: op.key as never,
        kind: op.kind,
        payloadJson: JSON.stringify(op.payload ?? null),
        status: op.status,
        error: op.error,
        createdAt: op.createdAt,
        finishedAt: op.finishedAt,
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

  async finish(
    key: string,
    outcome: { status: 'done' } | { status: 'failed'; error: string },
    at: string,
  ): Promise<boolean> {
    // conditional on `pending` under the operation's write lock (FerretDB's updates are not atomic)
    return this.s.withLock(`operations:${key}`, async () => {
      const current = await this.m.findById(key, { status: 1 }).lean<Doc>();
      if (!current || current.status !== 'pending') return false;
      await this.m.collection.updateOne(
        { _id: key as never },
        {
          $set: { status: outcome.status, error: outcome.status === 'failed' ? outcome.error : null, finishedAt: at },
        },
      );
      return true;
    });
  }

  async listUnfinished(createdBefore: string, limit: number): Promise<Operation[]> {
    return (
      await this.m
        .find({ status: 'pending', createdAt: { $lt: createdBefore } })
        .sort({ createdAt: 1, _id: 1 })
        .limit(limit)
        .lean<Doc[]>()
    ).map(toOperation);
  }
}
