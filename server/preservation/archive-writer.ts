// Writing into the archive from the command line (bag import, bulk import) through the same services as the HTTP
// routes, so access rules, probing, storage layout and jobs are exactly those of an upload.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Services } from '../app.js';
import { principalsOf, type Viewer } from '../access/viewer.js';
import { tmpDirs } from '../media/paths.js';
import type { Store } from '../store/repositories.js';
import type { Medium, User } from '../store/types.js';
import { hashFile } from './hash.js';

/** The account the CLI acts as: `--as <email>` or the first active admin. */
export async function cliViewer(store: Store, email?: string): Promise<Viewer> {
  let user: User | null = null;
  if (email) {
    user = await store.users.findByEmail(email);
    if (!user) throw new Error(`no user with e-mail ${email}`);
  } else {
    for (let offset = 0; !user; offset += 100) {
      const page = await store.users.list({ limit: 100, offset });
      user = page.items.find((u) => u.role === 'admin' && !u.disabled) ?? null;
      if (page.items.length < 100) break;
    }
    if (!user)
      throw new Error(
        'no active admin account: create one (npm run cli -- user:add --role admin …) or pass --as <email>',
      );
  }
  if (user.disabled) throw new Error(`account ${user.email} is disabled`);
  return {
    kind: 'user',
    user,
    principals: principalsOf(user, await store.groups.groupIdsOf(user.id)),
    via: 'token',
    tokenId: 'cli',
  };
}

/** SHA-256 of every original in the archive → its medium (for "already imported" checks). */
export async function archiveHashes(store: Store): Promise<Map<string, Medium>> {
  const byHash = new Map<string, Medium>();
  for (let offset = 0; ; offset += 200) {
    const page = await store.interviews.list({ access: { kind: 'all' } }, { limit: 200, offset }, 'createdAt');
    for (const interview of page.items) {
      for (const m of await store.media.listByInterview(interview.id)) byHash.set(m.sha256, m);
    }
    if (page.items.length < 200) break;
  }
  return byHash;
}

/**
 * Copies a file into UPLOADS_DIR/tmp/uploads (hashing on the way, one read) and hands it to the media service's
 * ingest — probe, immutable original, first job — exactly as an upload does. The source file is left untouched.
 */
export async function ingestLocalFile(
  services: Services,
  uploadsDir: string,
  viewer: Viewer,
  interviewId: string,
  file: string,
  opts: { filename?: string; expectedSha256?: string; onBytes?: (n: number) => void } = {},
): Promise<Medium> {
  const dir = path.join(uploadsDir, tmpDirs.uploads);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, crypto.randomUUID());
  try {
    const { digest, size } = await hashFile(file, { copyTo: tmp, ...(opts.onBytes ? { onBytes: opts.onBytes } : {}) });
    if (opts.expectedSha256 && digest !== opts.expectedSha256)
      throw new Error(`${file} changed while it was read (SHA-256 ${digest}, expected ${opts.expectedSha256})`);
    return await services.media.ingest({
      viewer,
      interviewId,
      tmpPath: tmp,
      sha256: digest,
      sizeBytes: size,
      originalFilename: opts.filename ?? path.basename(file),
    });
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
