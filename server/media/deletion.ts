// Removing a medium's files, shared by media deletion, interview deletion and publication (withdrawal).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import type { Store } from '../store/repositories.js';
import type { Medium } from '../store/types.js';
import { renditionsRelDir, resolveInUploads } from './paths.js';

/**
 * Deletes a medium and its files; returns the ids of jobs that were running on it (cancelled). Row first: the medium
 * disappears from the API at once; a worker still finishing finds it gone and publishes nothing, and the sweep
 * removes rendition folders without a medium should one slip through.
 */
export async function removeMediumWithFiles(
  store: Store,
  uploadsDir: string,
  medium: Medium,
  logger: Logger,
): Promise<string[]> {
  const running = await store.jobs.cancelByMedia(medium.id, new Date());
  await store.media.delete(medium.id);
  const originalDir = path.dirname(resolveInUploads(uploadsDir, medium.originalPath));
  for (const target of [resolveInUploads(uploadsDir, renditionsRelDir(medium.id)), originalDir]) {
    await fs
      .rm(target, { recursive: true, force: true })
      .catch((err) => logger.error({ err, target }, 'media files not removed'));
  }
  // Leaves no empty originals/<interviewId> behind; fails harmlessly while other parts are still there.
  await fs.rmdir(path.dirname(originalDir)).catch(() => undefined);
  return running;
}

/** Deletes a medium's renditions (HLS, download, poster, storyboard, waveform) but keeps the original; returns cancelled running jobs. */
export async function removeRenditions(
  store: Store,
  uploadsDir: string,
  medium: Medium,
  logger: Logger,
): Promise<string[]> {
  const running = await store.jobs.cancelByMedia(medium.id, new Date());
  const cleared = Object.fromEntries(Object.keys(medium.derivatives).map((k) => [k, null]));
  await store.media.setDerivatives(medium.id, cleared, new Date().toISOString());
  await store.media.update(medium.id, { renditionRedaction: '' }, new Date().toISOString());
  const dir = resolveInUploads(uploadsDir, renditionsRelDir(medium.id));
  await fs
    .rm(dir, { recursive: true, force: true })
    .catch((err) => logger.error({ err, dir }, 'renditions not removed'));
  return running;
}
