// Hashing files for bags and fixity audits: one streaming read, optionally throttled to a byte rate so that an audit
// of terabytes never starves playback of disk bandwidth (FIXITY_MAX_MBPS).
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
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

const READ_BYTES = 1024 * 1024;

/**
 * Read buffers kept between calls. A read stream allocates a fresh 1 MiB buffer per chunk, outside the heap: for the
 * thousands of HLS segments of a 3-hour recording that external memory drove ~2 s of garbage collection at the end of
 * every ingest. A call takes a buffer from here (or makes one), reads into it again and again, and gives it back.
 */
const spareBuffers: Buffer[] = [];
const SPARE_BUFFERS_KEPT = 4;

/** Each write of the copy is awaited before the buffer is refilled, so reusing it is safe. */
export async function hashFile(file: string, opts: HashOptions = {}): Promise<HashResult> {
  const hash = crypto.createHash(opts.algorithm ?? 'sha256');
  const rate = opts.maxBytesPerSecond ?? 0;
  const started = Date.now();
  const sleepOpts = opts.signal ? { signal: opts.signal } : {};
  const input = await fs.open(file, 'r');
  let out: fs.FileHandle | null = null;
  let size = 0;
  const buf = spareBuffers.pop() ?? Buffer.allocUnsafeSlow(READ_BYTES);
  try {
    out = opts.copyTo ? await fs.open(opts.copyTo, 'wx') : null;
    for (;;) {
      opts.signal?.throwIfAborted();
      const { bytesRead } = await input.read(buf, 0, READ_BYTES, null);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      hash.update(chunk);
      size += bytesRead;
      for (let at = 0; out && at < bytesRead;) at += (await out.write(chunk, at, bytesRead - at)).bytesWritten;
      opts.onBytes?.(bytesRead);
      if (rate > 0) {
        // sleep until the bytes read so far fit the allowed rate
        const ahead = (size / rate) * 1000 - (Date.now() - started);
        if (ahead > 5) await sleep(ahead, undefined, sleepOpts);
      }
    }
    await out?.sync();
  } finally {
    if (spareBuffers.length < SPARE_BUFFERS_KEPT) spareBuffers.push(buf);
    await input.close();
    await out?.close();
  }
  return { digest: hash.digest('hex'), size };
}

export function hashBytes(data: string | Buffer, algorithm = 'sha256'): string {
  return crypto.createHash(algorithm).update(data).digest('hex');
}
