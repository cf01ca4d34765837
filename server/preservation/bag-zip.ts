// The admin download of an interview's bag: the same entries as `export-bag`, streamed as one ZIP whose single
// top-level folder is the bag (RFC 8493 §4 serialisation: one base directory, named like the archive file).
// ZIP rather than tar because every archivist's desktop opens it without tools, yazl writes UTF-8 names (umlauts)
// and ZIP64 for masters over 4 GiB, and entries can be added while earlier ones are still streaming.
// Payload bytes are hashed as they stream; the manifests come last, from those hashes — one read per original. An
// original that no longer matches its recorded SHA-256 aborts the download (the bag would be false) and is logged.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Transform, type Writable } from 'node:stream';
import yazl from 'yazl';
import type { Logger } from '../logger.js';
import { bagInfoText, encodeManifestPath, type BagEntry, type BagInfo, BAGIT_VERSION } from './bagit.js';
import { hashBytes } from './hash.js';

const manifest = (lines: { sha256: string; path: string }[]) =>
  [...lines]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((l) => `${l.sha256}  ${encodeManifestPath(l.path)}\n`)
    .join('');

export function streamBagZip(
  bagName: string,
  entries: BagEntry[],
  info: BagInfo,
  out: Writable,
  logger: Logger,
): Promise<void> {
  const zip = new yazl.ZipFile();
  const mtime = new Date();
  const files: { path: string; sha256: string; size: number }[] = [];
  const pending: Promise<void>[] = [];
  const done = new Promise<void>((resolve, reject) => {
    zip.outputStream.on('error', reject);
    out.on('error', reject);
    out.on('finish', resolve);
    out.on('close', resolve);
  });
  zip.outputStream.pipe(out);
  const fail = (err: Error) => {
    logger.error({ err, bag: bagName }, 'bag download aborted');
    zip.outputStream.unpipe(out);
    out.destroy(err);
  };
  for (const entry of entries) {
    const rel = entry.path.normalize('NFC');
    const name = `${bagName}/data/${rel}`;
    if ('file' in entry.source) {
      const hash = crypto.createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, next) {
          hash.update(chunk);
          size += chunk.length;
          next(null, chunk);
        },
      });
      const source = fs.createReadStream(entry.source.file);
      const finished = new Promise<void>((resolve, reject) => {
        meter.on('end', () => {
          const sha256 = hash.digest('hex');
          if (entry.expectedSha256 && entry.expectedSha256 !== sha256) {
            reject(
              new Error(
                `data/${rel} no longer matches its recorded SHA-256 (recorded ${entry.expectedSha256}, now ${sha256})`,
              ),
            );
            return;
          }
          files.push({ path: rel, sha256, size });
          resolve();
        });
        source.on('error', reject);
      });
      source.pipe(meter);
      // media are compressed already; storing them keeps the download fast and the bytes unchanged
      zip.addReadStream(meter, name, { compress: false, mtime });
      pending.push(finished);
    } else {
      const buf = Buffer.from(entry.source.content);
      files.push({ path: rel, sha256: hashBytes(buf), size: buf.length });
      zip.addBuffer(buf, name, { compress: true, mtime });
    }
  }
  void Promise.all(pending).then(
    () => {
      const octets = files.reduce((n, f) => n + f.size, 0);
      const tags: [string, string][] = [
        ['bagit.txt', `BagIt-Version: ${BAGIT_VERSION}\nTag-File-Character-Encoding: UTF-8\n`],
        [
          'bag-info.txt',
          bagInfoText([...info.filter(([l]) => l !== 'Payload-Oxum'), ['Payload-Oxum', `${octets}.${files.length}`]]),
        ],
        ['manifest-sha256.txt', manifest(files.map((f) => ({ sha256: f.sha256, path: `data/${f.path}` })))],
      ];
      for (const [n, text] of tags) zip.addBuffer(Buffer.from(text), `${bagName}/${n}`, { compress: true, mtime });
      zip.addBuffer(
        Buffer.from(manifest(tags.map(([n, text]) => ({ sha256: hashBytes(text), path: n })))),
        `${bagName}/tagmanifest-sha256.txt`,
        { compress: true, mtime },
      );
      zip.end();
    },
    (err: Error) => fail(err),
  );
  return done;
}
