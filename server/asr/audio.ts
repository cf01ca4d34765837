// Audio for the engine: the M4A rendition decoded to 16 kHz mono PCM with restricted passages silenced (a second
// time: the rendition may predate a new restriction), split into overlapping chunks for engines that limit length,
// and the chunk results merged back onto the recording's timeline.
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import type { Logger } from '../logger.js';
import { audioRedactionFilter, type RedactionRange } from '../media/ffmpeg/redaction.js';
import { runFfmpeg } from '../media/ffmpeg/runner.js';
import { safePath } from '../media/ffmpeg/args.js';
import type { AsrAudio, AsrResult, AsrSegment } from './types.js';

export const SAMPLE_RATE = 16_000;
const BYTES_PER_SAMPLE = 2;

/** ffmpeg arguments: any input → raw s16le 16 kHz mono, restricted ranges silenced before resampling. */
export function enginePcmArgs(input: string, output: string, ranges: readonly RedactionRange[]): string[] {
  const redact = audioRedactionFilter(ranges);
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'error',
    '-nostats',
    '-progress',
    'pipe:1',
    '-i',
    safePath(input),
    '-map',
    '0:a:0',
    '-vn',
    '-sn',
    '-dn',
    ...(redact ? ['-af', redact] : []),
    '-ac',
    '1',
    '-ar',
    String(SAMPLE_RATE),
    '-c:a',
    'pcm_s16le',
    '-f',
    's16le',
    safePath(output),
  ];
}

export async function decodeForEngine(opts: {
  input: string;
  output: string;
  ranges: readonly RedactionRange[];
  durationSec: number;
  signal?: AbortSignal;
  stallTimeoutMs?: number;
  logger?: Logger;
  onProgress?: (p: number) => void;
}): Promise<{ path: string; durationSec: number }> {
  await runFfmpeg(enginePcmArgs(opts.input, opts.output, opts.ranges), {
    durationSec: opts.durationSec,
    signal: opts.signal,
    stallTimeoutMs: opts.stallTimeoutMs,
    logger: opts.logger,
    cleanupPaths: [opts.output],
    onProgress: (p) => p !== null && opts.onProgress?.(p),
  });
  const { size } = await fs.stat(opts.output);
  return { path: opts.output, durationSec: size / BYTES_PER_SAMPLE / SAMPLE_RATE };
}

/** A RIFF/WAVE header in front of s16le mono PCM. */
export function wavFromPcm(pcm: Buffer, sampleRate = SAMPLE_RATE): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * BYTES_PER_SAMPLE, 28);
  header.writeUInt16LE(BYTES_PER_SAMPLE, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

export interface Chunk {
  /** Where the chunk's audio starts and ends on the recording's timeline. */
  start: number;
  end: number;
  /** Results are kept from here to `keepEnd` (the middle of each overlap), so no word is counted twice. */
  keepStart: number;
  keepEnd: number;
}

/** Chunks of at most maxSec, overlapping by overlapSec; one chunk when the recording fits. */
export function planChunks(durationSec: number, maxSec: number, overlapSec = 5): Chunk[] {
  if (durationSec <= maxSec) return [{ start: 0, end: durationSec, keepStart: 0, keepEnd: durationSec }];
  const overlap = Math.min(overlapSec, maxSec / 4);
  const step = maxSec - overlap;
  const chunks: Chunk[] = [];
  for (let start = 0; start < durationSec; start += step) {
    const end = Math.min(durationSec, start + maxSec);
    chunks.push({
      start,
      end,
      keepStart: start === 0 ? 0 : start + overlap / 2,
      keepEnd: end >= durationSec ? durationSec : end - overlap / 2,
    });
    if (end >= durationSec) break;
  }
  return chunks;
}

/** Reads one chunk of the PCM file as WAV. */
export async function readChunk(pcmPath: string, chunk: Chunk): Promise<AsrAudio & { rms: number }> {
  const from = Math.floor(chunk.start * SAMPLE_RATE) * BYTES_PER_SAMPLE;
  const to = Math.floor(chunk.end * SAMPLE_RATE) * BYTES_PER_SAMPLE;
  const fh = await fs.open(pcmPath, 'r');
  try {
    const pcm = Buffer.alloc(Math.max(0, to - from));
    const { bytesRead } = await fh.read(pcm, 0, pcm.length, from);
    const data = pcm.subarray(0, bytesRead - (bytesRead % 2));
    return {
      wav: wavFromPcm(data),
      durationSec: data.length / BYTES_PER_SAMPLE / SAMPLE_RATE,
      rms: speechEnergy(data),
    };
  } finally {
    await fh.close();
  }
}

/**
 * Loudness of the loudest 100 ms window (dBFS). Silence (and silenced restricted passages) stay below −50 dBFS;
 * speech peaks far above −35 dBFS even when recorded quietly.
 */
export function speechEnergy(pcm: Buffer): number {
  const window = SAMPLE_RATE / 10;
  let best = 0;
  for (let off = 0; off + window * 2 <= pcm.length; off += window * 2) {
    let sum = 0;
    for (let i = 0; i < window; i++) {
      const v = pcm.readInt16LE(off + i * 2) / 32768;
      sum += v * v;
    }
    best = Math.max(best, sum / window);
  }
  return best > 0 ? 10 * Math.log10(best) : -Infinity;
}

export const SILENCE_DBFS = -50;

/**
 * Moves each segment's start (and its first word's) forward to where speech begins, when the engine put it in silence:
 * Whisper starts a recording's first words at 0 s whatever silence leads them. Looks only inside the first word
 * (20 ms frames of the 16 kHz PCM the engine heard, read from the file), so a start never moves past speech.
 */
export function snapStartsToSpeech(
  segments: AsrSegment[],
  pcmPath: string,
  thresholdDbfs = SILENCE_DBFS,
): AsrSegment[] {
  const frame = SAMPLE_RATE / 50;
  const fd = fsSync.openSync(pcmPath, 'r');
  try {
    return segments.map((s) => {
      const first = s.words[0];
      const limit = first ? first.end : s.end;
      if (!(limit > s.start)) return s;
      const from = Math.max(0, Math.floor(s.start * SAMPLE_RATE));
      const to = Math.ceil(limit * SAMPLE_RATE);
      const buf = Buffer.alloc((to - from) * 2);
      const read = fsSync.readSync(fd, buf, 0, buf.length, from * 2);
      for (let off = 0; off + frame * 2 <= read; off += frame * 2) {
        let sum = 0;
        for (let i = 0; i < frame; i++) {
          const v = buf.readInt16LE(off + i * 2) / 32768;
          sum += v * v;
        }
        if (sum > 0 && 10 * Math.log10(sum / frame) >= thresholdDbfs) {
          const onset = (from + off / 2) / SAMPLE_RATE;
          if (onset <= s.start + 0.02) return s;
          const words = first ? [{ ...first, start: Math.max(first.start, onset) }, ...s.words.slice(1)] : s.words;
          return { ...s, start: onset, words };
        }
      }
      return s;
    });
  } finally {
    fsSync.closeSync(fd);
  }
}

/** Chunk results onto the recording's timeline, each word kept by the chunk whose keep range holds its middle. */
export function mergeChunkResults(parts: { chunk: Chunk; result: AsrResult }[]): AsrSegment[] {
  const out: AsrSegment[] = [];
  for (const { chunk, result } of parts) {
    for (const s of result.segments) {
      const seg = {
        start: s.start + chunk.start,
        end: s.end + chunk.start,
        text: s.text,
        words: s.words.map((w) => ({ ...w, start: w.start + chunk.start, end: w.end + chunk.start })),
      };
      const mid = (seg.start + seg.end) / 2;
      if (seg.words.length > 0) {
        const kept = seg.words.filter((w) => {
          const m = (w.start + w.end) / 2;
          return m >= chunk.keepStart && m < chunk.keepEnd;
        });
        if (kept.length === 0) continue;
        if (kept.length < seg.words.length) {
          out.push({
            start: kept[0]!.start,
            end: kept[kept.length - 1]!.end,
            text: kept.map((w) => w.word).join(' '),
            words: kept,
          });
          continue;
        }
        out.push(seg);
      } else if (mid >= chunk.keepStart && mid < chunk.keepEnd) {
        out.push(seg);
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Segments the engine put into a restricted (silenced) range are dropped: there was nothing to hear but silence. */
export function dropRestricted(segments: AsrSegment[], ranges: readonly RedactionRange[]): AsrSegment[] {
  if (ranges.length === 0) return segments;
  const inside = (t0: number, t1: number) => ranges.some((r) => t0 < r.end && t1 > r.start);
  const out: AsrSegment[] = [];
  for (const s of segments) {
    if (s.words.length === 0) {
      if (!inside(s.start, s.end)) out.push(s);
      continue;
    }
    const words = s.words.filter((w) => !inside(w.start, w.end));
    if (words.length === s.words.length) out.push(s);
    else if (words.length > 0)
      out.push({
        start: words[0]!.start,
        end: words[words.length - 1]!.end,
        text: words.map((w) => w.word).join(' '),
        words,
      });
  }
  return out;
}

/** A segment's times from its words where it has them: Whisper starts a first segment at 0 s whatever silence leads
 * it, while its word times follow the speech. */
function wordSpan(s: AsrSegment): AsrSegment {
  const first = s.words[0];
  const last = s.words[s.words.length - 1];
  return first && last ? { ...s, start: first.start, end: Math.max(last.end, first.start) } : s;
}

/**
 * Engines put several sentences into one segment (up to 30 s). Editors, captions and search hits work best with one
 * sentence each, so a segment is split after a word that ends a sentence when a pause follows or the piece is long
 * enough; short abbreviations ("z. B.", "Dr.") only split at a clear pause.
 */
export function splitAtSentences(
  segments: AsrSegment[],
  opts: { minPauseSec?: number; minWords?: number } = {},
): AsrSegment[] {
  const minPause = opts.minPauseSec ?? 0.15;
  const minWords = opts.minWords ?? 6;
  const out: AsrSegment[] = [];
  for (const s of segments) {
    if (s.words.length < 2) {
      out.push(wordSpan(s));
      continue;
    }
    const before = out.length;
    let piece: AsrSegment['words'] = [];
    const flush = () => {
      if (piece.length === 0) return;
      out.push({
        start: piece[0]!.start,
        end: piece[piece.length - 1]!.end,
        text: piece.map((w) => w.word.trim()).join(' '),
        words: piece,
      });
      piece = [];
    };
    s.words.forEach((w, i) => {
      piece.push(w);
      const next = s.words[i + 1];
      if (!next || !/[.?!…]["»“”']?$/.test(w.word.trim())) return;
      const pause = next.start - w.end;
      const abbreviation = /^(\p{L}{1,3}\.)+$/u.test(w.word.trim());
      if (abbreviation ? pause >= 0.3 : pause >= minPause || piece.length >= minWords) flush();
    });
    if (out.length === before)
      out.push(wordSpan(s)); // nothing split: the engine's own text stays untouched
    else flush();
  }
  return out;
}
