import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashFile } from '../../server/preservation/hash.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hash-file-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** 3.5 MiB of varied bytes: several reads into the one reused buffer, the last one short. */
function sample(name: string): { file: string; bytes: Buffer } {
  const bytes = crypto.randomBytes(3.5 * 1024 * 1024);
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return { file, bytes };
}

describe('hashFile (one reused read buffer)', () => {
  it('gives the digest and size of the whole file, and a copy with the same bytes', async () => {
    const { file, bytes } = sample('a.bin');
    const seen: number[] = [];
    const copy = path.join(dir, 'a.copy');
    const r = await hashFile(file, { copyTo: copy, onBytes: (n) => seen.push(n) });
    expect(r).toEqual({ digest: crypto.createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
    expect(seen.length).toBe(4);
    expect(seen.reduce((a, b) => a + b, 0)).toBe(bytes.length);
    // a reused buffer that was refilled before its write finished would corrupt the copy
    expect(fs.readFileSync(copy).equals(bytes)).toBe(true);
  });

  it('refuses to overwrite an existing copy target and leaves it as it was', async () => {
    const { file } = sample('b.bin');
    const copy = path.join(dir, 'b.copy');
    fs.writeFileSync(copy, 'keep');
    await expect(hashFile(file, { copyTo: copy })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(fs.readFileSync(copy, 'utf8')).toBe('keep');
  });

  it('stops when its signal is aborted', async () => {
    const { file } = sample('c.bin');
    const ac = new AbortController();
    const read: number[] = [];
    const run = hashFile(file, {
      maxBytesPerSecond: 1024 * 1024,
      signal: ac.signal,
      onBytes: (n) => {
        read.push(n);
        ac.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(read.length).toBe(1);
  });
});
