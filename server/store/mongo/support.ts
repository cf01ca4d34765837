// What every MongoDB repository shares: driver-error translation into server/store/errors.ts, write locks and
// counters made of unique inserts. FerretDB 1.x has no transactions and its update/findAndModify read, change and
// write back a whole document without isolation (FerretDB issue 3040), so two concurrent updates of one document can
// lose one of them. A unique insert, however, is atomic on FerretDB (a SQLite unique index) and on MongoDB: it is the
// one primitive this adapter builds every exclusive step on.
import crypto from 'node:crypto';
import { DuplicateKeyError, StoreError, StoreUnavailableError } from '../errors.js';
import type { Models } from './schemas.js';

const UNAVAILABLE = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'PoolClearedError',
  'PoolClosedError',
  'MongoPoolClearedError',
  'MongoPoolClosedError',
  'MongooseServerSelectionError',
  'MongoExpiredSessionError',
]);

export function isDuplicateKeyError(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: { code?: number }[] } | null;
  return e?.code === 11000 || e?.code === 11001 || !!e?.writeErrors?.some((w) => w.code === 11000);
}

/** Driver and mongoose errors → typed store errors; anything else passes unchanged. */
export function translateError(err: unknown): unknown {
  if (err instanceof StoreError) return err;
  const e = err as { name?: string; message?: string; keyPattern?: Record<string, unknown>; code?: number } | null;
  if (!e || typeof e !== 'object') return err;
  if (isDuplicateKeyError(err)) {
    const key = e.keyPattern
      ? Object.keys(e.keyPattern).join('+')
      : (/index: (\S+)/.exec(e.message ?? '')?.[1] ?? /collection: (\S+)/.exec(e.message ?? '')?.[1] ?? 'unique key');
    return new DuplicateKeyError(key, { cause: err });
  }
  if (
    (e.name && UNAVAILABLE.has(e.name)) ||
    /connection .* closed|ECONNREFUSED|ECONNRESET|client was closed|Topology is closed/i.test(e.message ?? '')
  ) {
    return new StoreUnavailableError(`MongoDB unavailable: ${e.message ?? e.name}`, { cause: err });
  }
  return err;
}

/** Wraps every method of a repository so that its driver errors leave the store as typed store errors. */
export function translated<T extends object>(repository: T): T {
  return new Proxy(repository, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'constructor') return value;
      return async (...args: unknown[]) => {
        try {
          return await value.apply(target, args);
        } catch (err) {
          throw translateError(err);
        }
      };
    },
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Support {
  private readonly instance = crypto.randomBytes(6).toString('hex');
  private seqLast = 0;

  constructor(readonly models: Models) {}

  /**
   * Runs `fn` while holding the write lock `key` (a unique insert into `locks`). Every read-modify-write of a shared
   * document runs under its lock, so no concurrent writer's change is lost. A lock outlives a crashed holder by at
   * most `leaseMs`; then the next writer breaks it.
   */
  async withLock<T>(key: string, fn: () => Promise<T>, { leaseMs = 15_000, waitMs = 10_000 } = {}): Promise<T> {
    const owner = `${this.instance}:${crypto.randomBytes(4).toString('hex')}`;
    const deadline = Date.now() + waitMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.models.locks.collection.insertOne({
          _id: key as never,
          owner,
          expiresAt: new Date(Date.now() + leaseMs),
        });
        break;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const held = await this.models.locks.collection.findOne({ _id: key as never });
        if (held && held.expiresAt instanceof Date && held.expiresAt.getTime() < Date.now()) {
          // the holder died: remove exactly its lock (not a successor's) and try again
          await this.models.locks.collection.deleteOne({ _id: key as never, owner: held.owner });
          continue;
        }
        if (Date.now() > deadline) throw new StoreError('conflict', `write lock ${key} busy for ${waitMs} ms`);
        await sleep(Math.min(50, 2 + attempt * 2) * (0.5 + Math.random()));
      }
    }
    try {
      return await fn();
    } finally {
      await this.models.locks.collection.deleteOne({ _id: key as never, owner }).catch(() => undefined);
    }
  }

  /**
   * Inserts a document whose numeric `_id` is one more than the newest (audit ids, the interview change counter):
   * the unique `_id` makes two writers taking the same number impossible; the loser takes the next one.
   */
  async insertNumbered(
    model: keyof Models,
    doc: Record<string, unknown> | ((id: number) => Record<string, unknown>),
    /** Called after every duplicate-key failure (before trying the next number); may throw to give up. */
    onDuplicate?: () => Promise<void>,
  ): Promise<number> {
    const collection = this.models[model].collection;
    let next = this.seqHint.get(model);
    for (let attempt = 0; attempt < 200; attempt++) {
      if (next === undefined) {
        const newest = await collection
          .find({}, { projection: { _id: 1 } })
          .sort({ _id: -1 })
          .limit(1)
          .next();
        next = ((newest?._id as unknown as number | undefined) ?? 0) + 1;
      }
      try {
        await collection.insertOne({ ...(typeof doc === 'function' ? doc(next) : doc), _id: next as never });
        this.seqHint.set(model, next + 1);
        return next;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        if (onDuplicate) await onDuplicate();
        // someone else took it: look up the newest again (cheap, indexed by _id)
        next = undefined;
        if (attempt > 3) await sleep(Math.random() * 5);
      }
    }
    throw new StoreError('conflict', `no free number in ${model} after 200 attempts`);
  }

  private readonly seqHint = new Map<keyof Models, number>();

  /** Strictly increasing within this process; orders records created in the same millisecond (SQLite's rowid). */
  seq(): number {
    this.seqLast = Math.max(this.seqLast + 1, Date.now() * 1000);
    return this.seqLast;
  }
}

/** Escapes text for a literal match inside a regular expression. */
export const literalRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** SQLite's NOCASE: folds ASCII letters only, so both stores sort names the same way. */
export const asciiLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

export const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
export const parse = (text: string | null | undefined) =>
  text === null || text === undefined ? null : JSON.parse(text);
