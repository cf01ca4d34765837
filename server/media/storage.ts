// The media store's health: is UPLOADS_DIR writable, and how much room is left above STORAGE_RESERVE. Uploads ask it
// before accepting bytes (a tus creation whose Upload-Length does not fit is refused at once), /healthz reports it,
// and admins see its warning. The reserve keeps renditions, the database and the log from running out of space.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Problem, storageProblemOf } from '../http/problem.js';
import { msg } from '../i18n/messages.js';
import type { Logger } from '../logger.js';
import { tmpDirs } from './paths.js';

export interface StorageCheck {
  ok: boolean;
  writable: boolean;
  freeBytes: number | null;
  reserveBytes: number;
  /** Why it is not ok (full, read-only, unreadable), for /healthz and the admins' warning. */
  error?: string;
}

export type FreeBytes = (dir: string) => Promise<number>;

/** Free bytes for unprivileged writers (bavail), as df shows them. */
export const statfsFreeBytes: FreeBytes = async (dir) => {
  const s = await fs.promises.statfs(dir);
  return Number(s.bavail) * Number(s.bsize);
};

export class StorageMonitor {
  #last: StorageCheck | null = null;

  constructor(
    private readonly uploadsDir: string,
    readonly reserveBytes: number,
    private readonly logger: Logger,
    private readonly freeBytesOf: FreeBytes = statfsFreeBytes,
  ) {}

  /** The latest check, for the admins' warning list (null before the first check). */
  get last(): StorageCheck | null {
    return this.#last;
  }

  /** Writes and removes a small probe file in the temp area, and reads the free space. */
  async check(): Promise<StorageCheck> {
    const dir = path.join(this.uploadsDir, tmpDirs.uploads);
    let writable = true;
    let error: string | undefined;
    try {
      await fs.promises.mkdir(dir, { recursive: true });
      const probe = path.join(dir, `.health-${crypto.randomUUID()}`);
      await fs.promises.writeFile(probe, 'ok', { flag: 'wx' });
      await fs.promises.rm(probe, { force: true });
    } catch (err) {
      writable = false;
      const code = (err as NodeJS.ErrnoException).code;
      error =
        code === 'EROFS'
          ? 'read-only'
          : code === 'ENOSPC' || code === 'EDQUOT'
            ? 'full'
            : `not writable (${code ?? (err as Error).message})`;
    }
    let freeBytes: number | null = null;
    try {
      freeBytes = await this.freeBytesOf(this.uploadsDir);
    } catch (err) {
      error ??= `free space unknown (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
    }
    if (error === undefined && freeBytes !== null && freeBytes < this.reserveBytes) error = 'full';
    const result: StorageCheck = {
      ok: error === undefined,
      writable,
      freeBytes,
      reserveBytes: this.reserveBytes,
      ...(error ? { error } : {}),
    };
    if (!result.ok && (this.#last?.ok ?? true)) this.logger.warn({ storage: result }, 'media store degraded');
    if (result.ok && this.#last && !this.#last.ok) this.logger.info({ storage: result }, 'media store recovered');
    this.#last = result;
    return result;
  }

  /** Refuses (507) an upload of `bytes` that would eat into the reserve, before a byte of it is written. */
  async assertRoomFor(bytes: number): Promise<void> {
    let free: number;
    try {
      free = await this.freeBytesOf(this.uploadsDir);
    } catch (err) {
      throw storageProblemOf(err) ?? err;
    }
    const room = free - this.reserveBytes;
    if (bytes > room) {
      void this.check().catch(() => undefined);
      throw new Problem('storage-full', {
        detail: msg('media.noRoom', { bytes, free: Math.max(0, room) }),
        extra: { freeBytes: Math.max(0, room) },
      });
    }
  }
}
