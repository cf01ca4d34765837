// Hashing files for bags and fixity audits: one streaming read, optionally throttled to a byte rate so that an audit
// of terabytes never starves playback of disk bandwidth (FIXITY_MAX_MBPS).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface HashOptions {
  algorithm?: string;
  /** Bytes per second; 0 or absent = as fast as the disk allows. */
  maxBytesPerSecond?: number;
  onBytes?: (bytes: number) => void;
  signal?: AbortSignal;
  /** Also copy the bytes to this path while hashing (one read for copy and checksum). */
  copyTo?: string;
}

export interface HashResult {
  digest: string;
  size: number;
}

export async function hashFile(file: string, opts: HashOptions = {}): Promise<HashResult> {
  const hash = crypto.createHash(opts.algorithm ?? 'sha256');
  const rate = opts.maxBytesPerSecond ?? 0;
  const started = Date.now();
  let size = 0;
  const out = opts.copyTo ? fs.createWriteStream(opts.copyTo, { flags: 'wx' }) : null;
  const outDone = out
    ? new Promise<void>((resolve, reject) => {
        out.on('close', resolve);
        out.on('error', reject);
      })
    : null;
  try {
    for await (const chunk of fs.createReadStream(file, {
      highWaterMark: 1024 * 1024,
      ...(opts.signal ? { signal: opts.signal } : {}),
    })) {
      const buf = chunk as Buffer;
      hash.update(buf);
      size += buf.length;
      if (out && !out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      opts.onBytes?.(buf.length);
      if (rate > 0) {
        // sleep until the bytes read so far fit the allowed rate
        const ahead = (size / rate) * 1000 - (Date.now() - started);
        if (ahead > 5) await sleep(ahead, undefined, opts.signal ? { signal: opts.signal } : {});
      }
    }
  } catch (err) {
    out?.destroy();
    throw err;
  }
  if (out) {
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    await outDone;
    const fd = await fs.promises.open(opts.copyTo!, 'r');
    try {
      await fd.sync();
    } finally {
      await fd.close();
    }
  }
  return { digest: hash.digest('hex'), size };
}

export function hashBytes(data: string | Buffer, algorithm = 'sha256'): string {
  return crypto.createHash(algorithm).update(data).digest('hex');
}
