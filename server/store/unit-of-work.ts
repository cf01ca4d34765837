// One unit of work per use case, without multi-document transactions (the MongoDB-wire engine of the scale tier has
// none): the use case is first written as one operation record carrying everything its steps need (one unique
// insert, keyed by its idempotency key); then the steps run, each idempotent — the records they write have ids
// derived from the operation's key, so applying a step again is a no-op or a DuplicateKeyError that is swallowed —
// and the operation is marked done. A crash between steps leaves a pending operation that the sweep completes
// (workers/sweep.ts); a retry with the same key finds the operation instead of starting the use case again.
//
// Preconditions are checked by the caller before run(): once the operation is written, its steps only apply it.
import crypto from 'node:crypto';
import type { Logger } from '../logger.js';
import { ConflictError, isDuplicateKey } from './errors.js';
import type { Store } from './repositories.js';
import type { Operation } from './types.js';

export interface Step {
  name: string;
  run(): Promise<void>;
}

export interface UnitContext<P> {
  operation: Operation;
  payload: P;
  /** A stable key for an idempotent write of this step (an audit event). */
  key(step: string): string;
  /** A stable UUID for a record this step inserts. */
  id(step: string): string;
}

/** The steps of one kind of operation, computed from its payload alone (the sweep has nothing else). */
export type Planner<P> = (ctx: UnitContext<P>) => Step[] | Promise<Step[]>;

/** Thrown by the test hook `failAfterStep`: a crash between two steps. */
export class InjectedFailure extends Error {
  constructor(readonly afterStep: number) {
    super(`injected failure after step ${afterStep}`);
    this.name = 'InjectedFailure';
  }
}

/** An operation with this key failed earlier; `error` is what it failed with (a Problem type, or a message). */
export class OperationFailedError extends Error {
  constructor(
    readonly key: string,
    readonly error: string,
  ) {
    super(`operation ${key} failed: ${error}`);
    this.name = 'OperationFailedError';
  }
}

/** A UUID (version 5 layout) derived from a name: the same operation step always writes the same record id. */
export function derivedId(name: string): string {
  const h = crypto.createHash('sha256').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Runs an insert whose id is derived: a second run finds the record there already. */
export async function insertOnce(insert: () => Promise<unknown>): Promise<void> {
  try {
    await insert();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** A short stable digest of JSON data, for keys derived from a request. */
export function digestOf(value: unknown): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(value ?? null))
    .digest('base64url')
    .slice(0, 22);
}

export interface UnitOfWorkOptions {
  /**
   * Whether an error thrown by a step is a definitive rejection (a precondition that no longer holds: the operation
   * is marked failed with the returned text, and a retry gets the same answer) or a crash (null: the operation stays
   * pending for the sweep). Supplied by the layer that knows its error types (server/units.ts).
   */
  rejection?: (err: unknown) => string | null;
}

export class UnitOfWork {
  private readonly planners = new Map<string, Planner<never>>();
  /**
   * Test hook: every run stops with an InjectedFailure after this many steps (0: right after the operation record
   * is written); null runs everything. The contract suite uses it to crash a use case between each pair of steps.
   */
  failAfterStep: number | null = null;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly options: UnitOfWorkOptions = {},
  ) {}

  register<P>(kind: string, planner: Planner<P>): this {
    if (this.planners.has(kind)) throw new Error(`unit of work ${kind} registered twice`);
    this.planners.set(kind, planner as Planner<never>);
    return this;
  }

  kinds(): string[] {
    return [...this.planners.keys()];
  }

  find(key: string): Promise<Operation | null> {
    return this.store.operations.find(key);
  }

  /**
   * Runs a use case once per key: writes the operation (or finds the one with this key), applies its steps, marks
   * it done, and returns the stored operation — for a retry the first run's, whose payload the caller answers from.
   * A pending one found (a crashed or concurrent run) is completed first. A failed one throws OperationFailedError.
   */
  async run<P>(kind: string, key: string, payload: P): Promise<Operation & { payload: P }> {
    if (!this.planners.has(kind)) throw new Error(`no unit of work registered for ${kind}`);
    const { operation } = await this.store.operations.begin({
      key,
      kind,
      payload,
      status: 'pending',
      error: null,
      createdAt: new Date().toISOString(),
      finishedAt: null,
    });
    if (operation.kind !== kind)
      throw new ConflictError(`idempotency key ${key} belongs to another use case (${operation.kind})`);
    if (operation.status === 'pending') await this.apply(operation);
    const stored = (await this.store.operations.find(key)) ?? operation;
    if (stored.status === 'failed') throw new OperationFailedError(key, stored.error ?? 'failed');
    return stored as Operation & { payload: P };
  }

  /**
   * run() for a request: when an operation with this key exists (a retry), it is completed and returned without
   * preparing anything; otherwise `prepare` checks every precondition and builds the payload, and then it runs.
   */
  async once<P>(kind: string, key: string, prepare: () => Promise<P>): Promise<Operation & { payload: P }> {
    const existing = await this.store.operations.find(key);
    if (existing) return this.run(kind, key, existing.payload as P);
    return this.run(kind, key, await prepare());
  }

  private async apply(operation: Operation): Promise<void> {
    const planner = this.planners.get(operation.kind);
    if (!planner) throw new Error(`no unit of work registered for ${operation.kind}`);
    const ctx: UnitContext<never> = {
      operation,
      payload: operation.payload as never,
      key: (step) => `${operation.key}#${step}`,
      id: (step) => derivedId(`${operation.key}#${step}`),
    };
    const fail = this.failAfterStep;
    try {
      if (fail === 0) throw new InjectedFailure(0);
      const steps = await planner(ctx);
      for (const [i, step] of steps.entries()) {
        await step.run();
        if (fail === i + 1) throw new InjectedFailure(i + 1);
      }
    } catch (err) {
      const rejected = err instanceof InjectedFailure ? null : (this.options.rejection?.(err) ?? null);
      if (rejected !== null) {
        await this.store.operations.finish(
          operation.key,
          { status: 'failed', error: rejected },
          new Date().toISOString(),
        );
      } else {
        this.logger.warn({ err, operation: operation.key }, 'unit of work interrupted; the sweep completes it');
      }
      throw err;
    }
    await this.store.operations.finish(operation.key, { status: 'done' }, new Date().toISOString());
  }

  /**
   * The sweep's part: completes pending operations older than `graceMs` (younger ones may still be running in the
   * request that wrote them; running a step twice is harmless, but needless).
   */
  async completeUnfinished(
    graceMs = 30_000,
    now = new Date(),
    limit = 200,
  ): Promise<{ completed: number; failed: number; pending: number }> {
    const result = { completed: 0, failed: 0, pending: 0 };
    for (const operation of await this.store.operations.listUnfinished(
      new Date(now.getTime() - graceMs).toISOString(),
      limit,
    )) {
      try {
        await this.apply(operation);
        result.completed++;
      } catch (err) {
        const after = await this.store.operations.find(operation.key);
        if (after?.status === 'failed') result.failed++;
        else result.pending++;
        this.logger.error({ err, operation: operation.key }, 'unit of work could not be completed');
      }
    }
    return result;
  }
}
