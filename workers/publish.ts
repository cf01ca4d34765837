// Putting verified results in place: rename within UPLOADS_DIR (atomic on one file system); a previous version is
// moved aside first and removed after, so a reader sees either the old or the new file, never half of one.
import fs from 'node:fs/promises';
import path from 'node:path';
import { runFfprobe } from '../server/media/ffmpeg/runner.js';
import { hashBeforePublish, recordPublished } from '../server/preservation/rendition-hashes.js';

/** `<name>.old-<pid>-<ms since epoch>`: a previous version moved aside by publish(). */
const ASIDE = /^(.+)\.old-\d+-(\d+)$/;
/** publish() keeps an aside for the moment between two renames; one this old was left by a worker that died there. */
export const ASIDE_GRACE_MS = 10 * 60_000;

export async function publish(from: string, to: string): Promise<void> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  // fixity: the verified bytes' hashes, taken before the rename and recorded once they are in place
  const hashes = await hashBeforePublish(from, to);
  const aside = `${to}.old-${process.pid}-${Date.now()}`;
  const hadPrevious = await fs.rename(to, aside).then(
    () => true,
    () => false,
  );
  try {
    await fs.rename(from, to);
  } catch (err) {
    if (hadPrevious) await fs.rename(aside, to).catch(() => undefined);
    throw err;
  }
  if (hadPrevious) await fs.rm(aside, { recursive: true, force: true });
  // the rename is durable only once the directory entry is on disk
  const dir = await fs.open(path.dirname(to), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
  await recordPublished(to, hashes);
}

/**
 * Settles what publish() left in `dir` when its worker was killed between its steps: an aside whose file is back in
 * place (the new version, or the old one never moved) is removed; an aside whose file is missing — killed between
 * moving the old version aside and renaming the new one in — is the only copy of the version the medium still
 * records, so it is renamed back. Asides younger than `graceMs` may belong to a publish() running right now (on any
 * worker sharing UPLOADS_DIR) and are left alone. Returns how many were restored and removed.
 */
export async function settleAsides(
  dir: string,
  now: Date,
  graceMs = ASIDE_GRACE_MS,
): Promise<{ restored: number; removed: number }> {
  let restored = 0;
  let removed = 0;
  for (const entry of await fs.readdir(dir).catch(() => [] as string[])) {
    const match = ASIDE.exec(entry);
    if (!match || now.getTime() - Number(match[2]) < graceMs) continue;
    const aside = path.join(dir, entry);
    const target = path.join(dir, match[1]!);
    const inPlace = await fs.lstat(target).then(
      () => true,
      () => false,
    );
    if (
      !inPlace &&
      (await fs.rename(aside, target).then(
        () => true,
        () => false,
      ))
    ) {
      restored++;
      continue;
    }
    await fs.rm(aside, { recursive: true, force: true });
    removed++;
  }
  return { restored, removed };
}

interface ProbeStreams {
  format?: { duration?: string };
  streams?: { codec_type?: string; codec_name?: string; width?: number; height?: number }[];
}

/** ffprobe a produced file: what streams it has and how long it lasts. Throws when ffprobe cannot read it. */
export async function probeOutput(
  file: string,
  signal?: AbortSignal,
): Promise<{ durationSec: number; audio: boolean; video: boolean; width?: number; height?: number }> {
  const out = JSON.parse(
    await runFfprobe(
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
      signal ? { signal } : {},
    ),
  ) as ProbeStreams;
  const streams = out.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video');
  return {
    durationSec: Number(out.format?.duration ?? 0) || 0,
    audio: streams.some((s) => s.codec_type === 'audio'),
    video: Boolean(video),
    ...(video?.width ? { width: video.width, height: video.height } : {}),
  };
}

/** A rendition must last as long as its source (within a frame-rounding tolerance) and carry the expected streams. */
export function assertDuration(what: string, actual: number, expected: number): void {
  const tolerance = Math.max(1.5, expected * 0.02);
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new Error(`${what}: duration ${actual.toFixed(2)} s, expected ${expected.toFixed(2)} s`);
  }
}
