// Durability on disk: fsync of files and directories, and a move that survives crossing file systems.
import fs from 'node:fs/promises';

export async function fsyncPath(p: string): Promise<void> {
  const handle = await fs.open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** rename(2) when on one file system; otherwise copy, fsync, unlink — so the original is durable either way. */
export async function moveFile(src: string, dest: string): Promise<void> {
  try {
    await fs.rename(src, dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await fs.copyFile(src, dest, fs.constants.COPYFILE_EXCL);
    await fsyncPath(dest);
    await fs.unlink(src);
  }
}
