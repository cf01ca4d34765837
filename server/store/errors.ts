// Typed store errors: part of the repository contract. Adapters translate their driver's errors into these, so no
// service above server/store/ ever matches a driver's code or message text.

export type StoreErrorKind = 'duplicate-key' | 'conflict' | 'not-found' | 'unavailable';

export class StoreError extends Error {
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** A unique key (id, e-mail, dedupe key, idempotency key …) is already taken. `key` names the index or field. */
export class DuplicateKeyError extends StoreError {
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super('duplicate-key', `duplicate key: ${key}`, options);
    this.name = 'DuplicateKeyError';
  }
}

/** The record changed since it was read (optimistic concurrency), or the write's precondition no longer holds. */
export class ConflictError extends StoreError {
  constructor(message = 'conflict', options?: { cause?: unknown }) {
    super('conflict', message, options);
    this.name = 'ConflictError';
  }
}

export class NotFoundError extends StoreError {
  constructor(what = 'record', options?: { cause?: unknown }) {
    super('not-found', `${what} not found`, options);
    this.name = 'NotFoundError';
  }
}

/** The engine cannot be reached or stopped answering; the HTTP layer answers 503. */
export class StoreUnavailableError extends StoreError {
  constructor(message = 'store unavailable', options?: { cause?: unknown }) {
    super('unavailable', message, options);
    this.name = 'StoreUnavailableError';
  }
}

export const isDuplicateKey = (err: unknown): err is DuplicateKeyError => err instanceof DuplicateKeyError;
