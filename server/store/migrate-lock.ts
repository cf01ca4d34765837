// The lock of `npm run cli -- migrate` (server/store/migrate.ts): at most one run writes into a target database.
//
// A lease in the target, built only from unique inserts by `_id` (atomic on MongoDB and on FerretDB; FerretDB's
// updates and findAndModify are not, so neither is ever the lock): the document `_id: "migrate"` in
// `archive_migration_lock` names the run (host, pid, started) and its expiry, which the holder pushes forward every
// third of the lease. A second run's insert fails on the duplicate key and the run refuses at once, naming the holder.
// A holder that stopped renewing (killed -9, machine gone) is taken over once its lease has run out — at once when it
// ran on this machine and its process is gone. Of several runs that want to take over the same stale lease, only the
// one whose insert of `takeover:<run id>` succeeds deletes it and inserts its own (the claims are kept, so a late
// reader of the stale lease can never take over twice).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import type { mongo } from 'mongoose';
import { isDuplicateKeyError } from './mongo/support.js';

export const LOCK_COLLECTION = 'archive_migration_lock';
const LOCK_ID = 'migrate';
/** Lease length when the operator gives none (`--lock-seconds`): long enough for a checksum pass over a large table. */
export const DEFAULT_LOCK_SECONDS = 60;

export interface LockDoc {
  _id: string;
  runId: string;
  archiveId: string;
  source: string;
  host: string;
  /** Linux boot id: a pid is only comparable on the same host and boot. */
  bootId: string | null;
  pid: number;
  startedAt: string;
  renewedAt: string;
  expiresAt: Date;
}

export class LockHeldError extends Error {
  constructor(
    message: string,
    readonly holder: LockDoc | null,
  ) {
    super(message);
    this.name = 'LockHeldError';
  }
}

const bootId = (() => {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
})();

/** True only when the holder ran on this host and boot and its process no longer exists (a pid seen alive is alive). */
function holderIsGone(holder: LockDoc): boolean {
  if (holder.host !== os.hostname() || holder.bootId !== bootId || !Number.isInteger(holder.pid)) return false;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export const describeHolder = (h: LockDoc) =>
  `host ${h.host}, pid ${h.pid}, started ${h.startedAt}, last renewed ${h.renewedAt}, lease until ${new Date(h.expiresAt).toISOString()}`;

export interface MigrationLock {
  readonly holder: LockDoc;
  /** Set when the stale lease of another run was taken over: whose, and why it counted as stale. */
  readonly tookOver: { from: LockDoc; why: string } | null;
  /** Throws when the lease was lost (taken over after it ran out, or no renewal got through before its expiry). */
  assertHeld(): void;
  release(): Promise<void>;
}

export interface AcquireOptions {
  archiveId: string;
  source: string;
  leaseSeconds?: number;
  /** Called with a line when a renewal fails (the run goes on while the lease lasts). */
  warn?: (line: string) => void;
}

export async function acquireMigrationLock(db: mongo.Db, options: AcquireOptions): Promise<MigrationLock> {
  const leaseMs = (options.leaseSeconds ?? DEFAULT_LOCK_SECONDS) * 1000;
  const locks = db.collection<LockDoc>(LOCK_COLLECTION);
  const runId = crypto.randomUUID();
  const now = new Date();
  const mine: LockDoc = {
    _id: LOCK_ID,
    runId,
    archiveId: options.archiveId,
    source: options.source,
    host: os.hostname(),
    bootId,
    pid: process.pid,
    startedAt: now.toISOString(),
    renewedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + leaseMs),
  };

  let tookOver: MigrationLock['tookOver'] = null;
  const tryInsert = async (): Promise<boolean> => {
    try {
      await locks.insertOne({ ...mine });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  };
  const refuse = (holder: LockDoc | null, extra = '') =>
    new LockHeldError(
      holder
        ? `another migrate run holds this target (${describeHolder(holder)})${extra}. ` +
            'Wait for it to end; if that process is gone, its lock is taken over once the lease has run out.'
        : `another migrate run is taking over this target's lock${extra}; try again in a moment.`,
      holder,
    );

  if (!(await tryInsert())) {
    const holder = await locks.findOne({ _id: LOCK_ID });
    if (holder === null) {
      // released between our insert and the read: one more try, then give way
      if (!(await tryInsert())) throw refuse(await locks.findOne({ _id: LOCK_ID }));
    } else {
      const expired = new Date(holder.expiresAt).getTime() <= Date.now();
      const gone = !expired && holderIsGone(holder);
      if (!expired && !gone) throw refuse(holder);
      try {
        await locks.insertOne({ _id: `takeover:${holder.runId}`, by: runId, at: new Date() } as never);
      } catch (err) {
        if (isDuplicateKeyError(err)) throw refuse(null, ` (a stale lease of pid ${holder.pid} on ${holder.host})`);
        throw err;
      }
      await locks.deleteOne({ _id: LOCK_ID, runId: holder.runId });
      if (!(await tryInsert())) throw refuse(await locks.findOne({ _id: LOCK_ID }));
      tookOver = {
        from: holder,
        why: expired
          ? `its lease ran out at ${new Date(holder.expiresAt).toISOString()}`
          : `its process (pid ${holder.pid} on this machine) is gone`,
      };
    }
  }

  let expiresAt = mine.expiresAt.getTime();
  let lost: string | null = null;
  let renewing: Promise<void> | null = null;
  const renew = async () => {
    const at = new Date();
    const next = new Date(at.getTime() + leaseMs);
    try {
      const res = await locks.updateOne(
        { _id: LOCK_ID, runId },
        { $set: { renewedAt: at.toISOString(), expiresAt: next } },
      );
      if (res.matchedCount === 0) lost ??= 'the lock was taken over by another run';
      else expiresAt = next.getTime();
    } catch (err) {
      options.warn?.(`could not renew the migrate lock (${(err as Error).message}); retrying`);
    }
  };
  const timer = setInterval(
    () => {
      renewing ??= renew().finally(() => (renewing = null));
    },
    Math.max(200, leaseMs / 3),
  );
  timer.unref();

  return {
    holder: mine,
    tookOver,
    assertHeld() {
      if (lost === null && Date.now() >= expiresAt) lost = 'no renewal got through before the lease ran out';
      if (lost !== null) throw new LockHeldError(`lost the migrate lock: ${lost}; stopped before writing more`, null);
    },
    async release() {
      clearInterval(timer);
      await renewing;
      await locks.deleteOne({ _id: LOCK_ID, runId });
    },
  };
}
