// BagIt 1.0 (RFC 8493): writing a bag from a list of payload entries, and validating one completely (every checksum of
// every manifest, completeness in both directions, Payload-Oxum, tag manifests) before anything is trusted.
//
// File names stay as they are (UTF-8, NFC; spaces and umlauts need no escaping). In manifests only CR, LF and "%"
// are percent-encoded, as §2.1.3 prescribes, so "Teil 1 – Grüße 100%.wav" is listed as "Teil 1 – Grüße 100%25.wav".
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { hashBytes, hashFile } from './hash.js';

export const BAGIT_VERSION = '1.0';
const BAGIT_TXT = `BagIt-Version: ${BAGIT_VERSION}\nTag-File-Character-Encoding: UTF-8\n`;

/** RFC 8493 §2.1.3: percent-encode CR, LF and "%" in manifest paths, nothing else. */
export function encodeManifestPath(p: string): string {
  return p.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function decodeManifestPath(p: string): string {
  return p.replace(/%0A/gi, '\n').replace(/%0D/gi, '\r').replace(/%25/g, '%');
}

export type BagSource = { file: string } | { content: string | Buffer };

export interface BagEntry {
  /** Inside data/, "/"-separated, e.g. `media/part-1/Interview Krüger.wav`. */
  path: string;
  source: BagSource;
  /** For files: the checksum the archive recorded; a copy that hashes differently stops the export. */
  expectedSha256?: string;
}

export type BagInfo = [label: string, value: string][];

export class BagWriteError extends Error {
  override name = 'BagWriteError';
}

export interface WrittenBag {
  dir: string;
  payloadOxum: string;
  files: { path: string; sha256: string; size: number }[];
}

/** Refuses names that could leave data/ or that no file system keeps apart. */
export function assertSafeBagPath(p: string): void {
  const parts = p.split('/');
  if (
    p === '' ||
    p.startsWith('/') ||
    p.includes('\\') ||
    p.includes('\0') ||
    parts.some((s) => s === '' || s === '.' || s === '..')
  ) {
    throw new BagWriteError(`unsafe payload path: ${JSON.stringify(p)}`);
  }
}

/**
 * Writes the bag into `target` (which must not exist): everything goes into a sibling temporary directory that is
 * renamed into place only when complete, so an interrupted export never leaves something that looks like a bag.
 */
export async function writeBag(target: string, entries: BagEntry[], info: BagInfo): Promise<WrittenBag> {
  const abs = path.resolve(target);
  if (
    await fs.stat(abs).then(
      () => true,
      () => false,
    )
  )
    throw new BagWriteError(`${abs} exists already; choose a new folder`);
  const seen = new Set<string>();
  for (const e of entries) {
    assertSafeBagPath(e.path);
    const key = e.path.normalize('NFC').toLowerCase();
    if (seen.has(key)) throw new BagWriteError(`payload path twice (case-insensitively): ${e.path}`);
    seen.add(key);
  }
  await fs.mkdir(path.dirname(abs), { recursive: true });
  const tmp = `${abs}.partial-${crypto.randomBytes(4).toString('hex')}`;
  await fs.mkdir(path.join(tmp, 'data'), { recursive: true });
  try {
    const files: WrittenBag['files'] = [];
    for (const entry of entries) {
      const rel = entry.path.normalize('NFC');
      const dest = path.join(tmp, 'data', ...rel.split('/'));
      await fs.mkdir(path.dirname(dest), { recursive: true });
      let sha256: string;
      let size: number;
      if ('file' in entry.source) {
        ({ digest: sha256, size } = await hashFile(entry.source.file, { copyTo: dest }));
        if (entry.expectedSha256 && entry.expectedSha256 !== sha256) {
          throw new BagWriteError(
            `data/${rel}: the archive's copy no longer matches its recorded SHA-256 (recorded ${entry.expectedSha256}, now ${sha256}); run the fixity audit — nothing exported`,
          );
        }
      } else {
        const buf = Buffer.from(entry.source.content);
        await fs.writeFile(dest, buf, { flag: 'wx' });
        sha256 = hashBytes(buf);
        size = buf.length;
      }
      files.push({ path: rel, sha256, size });
    }
    const octets = files.reduce((n, f) => n + f.size, 0);
    const payloadOxum = `${octets}.${files.length}`;
    const manifest = manifestText(files.map((f) => ({ sha256: f.sha256, path: `data/${f.path}` })));
    const bagInfo = bagInfoText([...info.filter(([l]) => l !== 'Payload-Oxum'), ['Payload-Oxum', payloadOxum]]);
    const tags: [string, string][] = [
      ['bagit.txt', BAGIT_TXT],
      ['bag-info.txt', bagInfo],
      ['manifest-sha256.txt', manifest],
    ];
    for (const [name, text] of tags) await fs.writeFile(path.join(tmp, name), text);
    await fs.writeFile(
      path.join(tmp, 'tagmanifest-sha256.txt'),
      manifestText(tags.map(([name, text]) => ({ sha256: hashBytes(text), path: name }))),
    );
    await fs.rename(tmp, abs);
    return { dir: abs, payloadOxum, files };
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

function manifestText(lines: { sha256: string; path: string }[]): string {
  return [...lines]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((l) => `${l.sha256}  ${encodeManifestPath(l.path)}\n`)
    .join('');
}

/** Labels and values on one line each; a value with line breaks continues on indented lines (RFC 8493 §2.2.2). */
export function bagInfoText(info: BagInfo): string {
  return info.map(([label, value]) => `${label}: ${value.replace(/\r?\n/g, '\n  ')}\n`).join('');
}

export function parseBagInfo(text: string): BagInfo {
  const out: BagInfo = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    if (line === '') continue;
    if (/^[ \t]/.test(line) && out.length > 0) {
      out[out.length - 1]![1] += ` ${line.trim()}`;
      continue;
    }
    const i = line.indexOf(':');
    if (i <= 0) continue;
    out.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
  }
  return out;
}

export type BagProblemCode =
  | 'not-a-bag'
  | 'bad-declaration'
  | 'no-manifest'
  | 'bad-manifest-line'
  | 'unsafe-path'
  | 'missing-file'
  | 'checksum-mismatch'
  | 'not-in-manifest'
  | 'payload-oxum'
  | 'tag-missing'
  | 'tag-checksum-mismatch'
  | 'fetch-not-supported'
  | 'symlink';

export interface BagProblem {
  code: BagProblemCode;
  /** Relative to the bag's base directory, e.g. `data/media/part-1/x.wav`. */
  path?: string;
  message: string;
}

export interface BagValidation {
  ok: boolean;
  problems: BagProblem[];
  info: BagInfo;
  /** Payload files as listed in the sha256 manifest (paths inside data/). */
  payload: { path: string; sha256: string }[];
}

const supportedAlgorithms: Record<string, string> = {
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  sha512: 'sha512',
  sha224: 'sha224',
  sha384: 'sha384',
};

async function listFiles(root: string, rel = ''): Promise<{ files: string[]; symlinks: string[] }> {
  const files: string[] = [];
  const symlinks: string[] = [];
  const entries = await fs.readdir(path.join(root, rel), { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isSymbolicLink()) symlinks.push(r);
    else if (e.isDirectory()) {
      const sub = await listFiles(root, r);
      files.push(...sub.files);
      symlinks.push(...sub.symlinks);
    } else files.push(r);
  }
  return { files, symlinks };
}

async function readManifest(file: string, problems: BagProblem[], label: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  const text = await fs.readFile(file, 'utf8');
  text.split(/\r\n|\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^([0-9a-fA-F]+)[ \t]+(.+)$/.exec(line);
    if (!m) {
      problems.push({
        code: 'bad-manifest-line',
        path: label,
        message: `${label} line ${i + 1} is not "checksum path": ${JSON.stringify(line.slice(0, 80))}`,
      });
      return;
    }
    const p = decodeManifestPath(m[2]!.replace(/^\*/, '')).normalize('NFC');
    entries.set(p, m[1]!.toLowerCase());
  });
  return entries;
}

function isSafe(p: string): boolean {
  const parts = p.split('/');
  return !p.startsWith('/') && !p.includes('\\') && !parts.some((s) => s === '..' || s === '');
}

/**
 * Complete validation: the declaration, every payload manifest (each listed file exists and matches; each file in
 * data/ is listed), Payload-Oxum, and every tag manifest. Every problem is reported, not only the first.
 */
export async function validateBag(dir: string, opts: { maxBytesPerSecond?: number } = {}): Promise<BagValidation> {
  const base = path.resolve(dir);
  const problems: BagProblem[] = [];
  const result = (info: BagInfo, payload: BagValidation['payload']): BagValidation => ({
    ok: problems.length === 0,
    problems,
    info,
    payload,
  });
  const declaration = await fs.readFile(path.join(base, 'bagit.txt'), 'utf8').catch(() => null);
  if (declaration === null) {
    problems.push({ code: 'not-a-bag', path: 'bagit.txt', message: `no bagit.txt in ${base}: not a bag` });
    return result([], []);
  }
  const decl = parseBagInfo(declaration);
  const version = decl.find(([l]) => l === 'BagIt-Version')?.[1];
  const encoding = decl.find(([l]) => l === 'Tag-File-Character-Encoding')?.[1];
  if (!version || !/^\d+\.\d+$/.test(version) || !encoding) {
    problems.push({
      code: 'bad-declaration',
      path: 'bagit.txt',
      message: 'bagit.txt must declare BagIt-Version and Tag-File-Character-Encoding',
    });
  } else if (!/^utf-?8$/i.test(encoding)) {
    problems.push({
      code: 'bad-declaration',
      path: 'bagit.txt',
      message: `tag file encoding ${encoding} is not supported (UTF-8 only)`,
    });
  }
  const info = parseBagInfo(await fs.readFile(path.join(base, 'bag-info.txt'), 'utf8').catch(() => ''));
  if (
    await fs.stat(path.join(base, 'fetch.txt')).then(
      () => true,
      () => false,
    )
  ) {
    problems.push({
      code: 'fetch-not-supported',
      path: 'fetch.txt',
      message: 'the bag lists files to fetch (fetch.txt); only complete bags are accepted',
    });
  }

  const top = await fs.readdir(base);
  const payloadManifests = top.filter((n) => /^manifest-[a-z0-9]+\.txt$/.test(n));
  const tagManifests = top.filter((n) => /^tagmanifest-[a-z0-9]+\.txt$/.test(n));
  if (payloadManifests.length === 0)
    problems.push({ code: 'no-manifest', message: 'no payload manifest (manifest-<algorithm>.txt)' });

  const { files: dataFiles, symlinks } = await listFiles(path.join(base, 'data'));
  for (const s of symlinks)
    problems.push({
      code: 'symlink',
      path: `data/${s}`,
      message: `data/${s} is a symbolic link; a bag must hold the bytes themselves`,
    });
  const onDisk = new Set(dataFiles.map((f) => `data/${f.normalize('NFC')}`));
  const diskName = new Map(dataFiles.map((f) => [`data/${f.normalize('NFC')}`, `data/${f}`]));
  let payload: BagValidation['payload'] = [];
  const hashCache = new Map<string, string>();
  const digestOf = async (rel: string, alg: string): Promise<string> => {
    const key = `${alg}:${rel}`;
    if (!hashCache.has(key))
      hashCache.set(
        key,
        (
          await hashFile(path.join(base, diskName.get(rel) ?? rel), {
            algorithm: alg,
            ...(opts.maxBytesPerSecond ? { maxBytesPerSecond: opts.maxBytesPerSecond } : {}),
          })
        ).digest,
      );
    return hashCache.get(key)!;
  };

  for (const name of payloadManifests) {
    const alg = supportedAlgorithms[name.slice('manifest-'.length, -'.txt'.length)];
    if (!alg) {
      problems.push({ code: 'no-manifest', path: name, message: `${name}: algorithm not supported` });
      continue;
    }
    const entries = await readManifest(path.join(base, name), problems, name);
    for (const [p, expected] of entries) {
      if (!isSafe(p) || !p.startsWith('data/')) {
        problems.push({
          code: 'unsafe-path',
          path: p,
          message: `${name} lists ${JSON.stringify(p)}, which is outside data/`,
        });
        continue;
      }
      if (!onDisk.has(p)) {
        problems.push({ code: 'missing-file', path: p, message: `${p} is listed in ${name} but missing` });
        continue;
      }
      const actual = await digestOf(p, alg);
      if (actual !== expected)
        problems.push({
          code: 'checksum-mismatch',
          path: p,
          message: `${p}: ${alg} mismatch (manifest ${expected}, file ${actual})`,
        });
    }
    for (const p of onDisk) {
      if (!entries.has(p))
        problems.push({
          code: 'not-in-manifest',
          path: p,
          message: `${p} is in the payload but not listed in ${name}`,
        });
    }
    if (alg === 'sha256')
      payload = [...entries]
        .filter(([p]) => p.startsWith('data/'))
        .map(([p, sha256]) => ({ path: p.slice('data/'.length), sha256 }));
  }

  const oxum = info.find(([l]) => l === 'Payload-Oxum')?.[1];
  if (oxum !== undefined) {
    let octets = 0;
    for (const f of dataFiles) octets += (await fs.stat(path.join(base, 'data', f))).size;
    const actual = `${octets}.${dataFiles.length}`;
    if (oxum !== actual)
      problems.push({
        code: 'payload-oxum',
        path: 'bag-info.txt',
        message: `Payload-Oxum is ${oxum} but the payload has ${octets} bytes in ${dataFiles.length} files (${actual})`,
      });
  }

  for (const name of tagManifests) {
    const alg = supportedAlgorithms[name.slice('tagmanifest-'.length, -'.txt'.length)];
    if (!alg) continue;
    const entries = await readManifest(path.join(base, name), problems, name);
    for (const [p, expected] of entries) {
      if (!isSafe(p) || p.startsWith('data/')) {
        problems.push({
          code: 'unsafe-path',
          path: p,
          message: `${name} lists ${JSON.stringify(p)}, which is not a tag file of this bag`,
        });
        continue;
      }
      const text = await fs.readFile(path.join(base, p)).catch(() => null);
      if (text === null) {
        problems.push({ code: 'tag-missing', path: p, message: `${p} is listed in ${name} but missing` });
        continue;
      }
      const actual = hashBytes(text, alg);
      if (actual !== expected)
        problems.push({
          code: 'tag-checksum-mismatch',
          path: p,
          message: `${p}: ${alg} mismatch (tag manifest ${expected}, file ${actual})`,
        });
    }
  }
  return result(info, payload);
}
