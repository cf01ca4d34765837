// Translates better-sqlite3's errors into the typed store errors of the repository contract (server/store/errors.ts),
// so that nothing above server/store/ ever looks at an SQLite code or message.
import { ConflictError, DuplicateKeyError, NotFoundError, StoreError, StoreUnavailableError } from '../errors.js';

/** The store error for a driver error, or the error itself when it is not the driver's. */
export function translateSqliteError(err: unknown): unknown {
  if (err instanceof StoreError) return err;
  const e = err as { code?: unknown; message?: unknown; name?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: users.email" → users.email
    const key = /constraint failed: (.+)$/.exec(message)?.[1] ?? 'unique key';
    return new DuplicateKeyError(key, { cause: err });
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return new NotFoundError('referenced record', { cause: err });
  if (code === 'SQLITE_CONSTRAINT_CHECK' || code === 'SQLITE_CONSTRAINT_TRIGGER')
    return new ConflictError(message, { cause: err });
  if (/^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|NOMEM|READONLY|PROTOCOL|CORRUPT|NOTADB)/.test(code)) {
    return new StoreUnavailableError(message || code, { cause: err });
  }
  // better-sqlite3 throws a TypeError once the connection is closed
  if (e?.name === 'TypeError' && /database connection is not open/i.test(message))
    return new StoreUnavailableError(message, { cause: err });
  return err;
}

/**
 * Wraps a repository so that every method's driver errors (thrown synchronously by better-sqlite3 or from an async
 * method) arrive as store errors. The repository itself stays as written; this is the adapter's one boundary.
 */
export function withStoreErrors<T extends object>(repository: T): T {
  return new Proxy(repository, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return function (this: unknown, ...args: unknown[]) {
        try {
          const result = value.apply(target, args);
          return result instanceof Promise
            ? result.catch((err: unknown) => {
                throw translateSqliteError(err);
              })
            : result;
        } catch (err) {
          throw translateSqliteError(err);
        }
      };
    },
  });
}
