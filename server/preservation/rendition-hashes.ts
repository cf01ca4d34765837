// Rendition hashes are recorded at the one place where verified outputs are put in place (workers/publish.ts): the
// bytes are hashed in the job's work directory, after ffprobe accepted them and before the rename, and recorded in
// the fixity repository once they are in place. A worker registers its store for its UPLOADS_DIR at start.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import type { Store } from '../store/repositories.js';
import { hashFile } from './hash.js';

interface Recorder {
  uploadsDir: string;
  store: Store;
  logger: Logger;
}

const recorders = new Map<string, Recorder>();

/** Called by startWorkers: renditions published under this UPLOADS_DIR are recorded in this store. */
export function registerRenditionRecorder(uploadsDir: string, store: Store, logger: Logger): () => void {
  const key = path.resolve(uploadsDir);
  const recorder = { uploadsDir: key, store, logger };
  recorders.set(key, recorder);
  return () => {
    if (recorders.get(key) === recorder) recorders.delete(key);
  };
}

export interface HashedTree {
  /** Relative to the hashed root ('' for a single file). */
  files: { rel: string; sha256: string; sizeBytes: number }[];
  isDir: boolean;
}

export async function hashTree(root: string): Promise<HashedTree> {
  const stat = await fs.stat(root);
  if (!stat.isDirectory()) {
    const { digest, size } = await hashFile(root);
    return { isDir: false, files: [{ rel: '', sha256: digest, sizeBytes: size }] };
  }
  const files: HashedTree['files'] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const e of await fs.readdir(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else if (e.isFile()) {
        const { digest, size } = await hashFile(path.join(root, r));
        files.push({ rel: r, sha256: digest, sizeBytes: size });
      }
    }
  };
  await walk('');
  return { isDir: true, files: files.sort((a, b) => (a.rel < b.rel ? -1 : 1)) };
}

function recorderFor(target: string): Recorder | null {
  const abs = path.resolve(target);
  for (const r of recorders.values()) if (abs.startsWith(r.uploadsDir + path.sep)) return r;
  return null;
}

/** Hash what is about to be published (null when no recorder covers the target: nothing to record). */
export async function hashBeforePublish(from: string, to: string): Promise<HashedTree | null> {
  if (!recorderFor(to)) return null;
  return hashTree(from);
}

/** After the rename: the recorded hashes of `to` are now these. Renditions live under renditions/<mediaId>/. */
export async function recordPublished(to: string, tree: HashedTree | null): Promise<void> {
  const recorder = recorderFor(to);
  if (!recorder || !tree) return;
  const rel = path.relative(recorder.uploadsDir, path.resolve(to)).split(path.sep).join('/');
  const [top, mediaId] = rel.split('/');
  if (top !== 'renditions' || !mediaId) return;
  const prefix = tree.isDir ? `${rel}/` : rel;
  const now = new Date().toISOString();
  try {
    await recorder.store.fixity.replaceBaselines(
      mediaId,
      prefix,
      tree.files.map((f) => ({
        path: tree.isDir ? `${prefix}${f.rel}` : rel,
        sha256: f.sha256,
        sizeBytes: f.sizeBytes,
        recordedAt: now,
      })),
    );
  } catch (err) {
    // the rendition is in place and valid; the next audit records a baseline for it (and says so)
    recorder.logger.error({ err, mediaId, path: rel }, 'rendition hashes not recorded');
  }
}
