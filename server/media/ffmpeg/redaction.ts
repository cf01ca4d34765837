// Restricted passages: the public renditions are re-made with these time ranges silenced and, for video, covered by
// a neutral card. Everything here except findCardFont is pure, so the filter strings can be unit-tested; the builders
// in args.ts splice them into their filter chains. The original upload is never touched.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';

/** A restricted passage in seconds of the original's timeline; `end` is exclusive. */
export interface RedactionRange {
  start: number;
  end: number;
}

/** What the argument builders take: the ranges and, for video, the font for the card's caption (null: plain card). */
export interface Redaction {
  ranges: RedactionRange[];
  fontFile?: string | null;
}

/** Stand-in for an open end when no duration is known (about 115 days: longer than any recording). */
const OPEN_END = 1e7;

/**
 * Sorted, clamped to [0, durationSec], merged where ranges overlap or touch. NaN bounds and empty or inverted ranges
 * are dropped; an infinite end means "to the end of the recording" and is kept (dropping it would publish the passage).
 */
export function normalizeRanges(ranges: readonly RedactionRange[], durationSec?: number): RedactionRange[] {
  const max = durationSec !== undefined && Number.isFinite(durationSec) && durationSec >= 0 ? durationSec : OPEN_END;
  const clamped: RedactionRange[] = [];
  for (const r of ranges) {
    if (r === null || typeof r !== 'object') continue;
    const { start, end } = r;
    if (typeof start !== 'number' || typeof end !== 'number' || Number.isNaN(start) || Number.isNaN(end)) continue;
    const s = Math.min(Math.max(start, 0), max);
    const e = Math.min(Math.max(end, 0), max);
    if (e > s) clamped.push({ start: s, end: e });
  }
  clamped.sort((a, b) => a.start - b.start || a.end - b.end);
  const out: RedactionRange[] = [];
  for (const r of clamped) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/**
 * Stable key of a restriction set ('' for none), to tell whether renditions were made with the current one. Rounded
 * to milliseconds before merging, so float noise and order do not change it.
 */
export function redactionKey(ranges: readonly RedactionRange[]): string {
  const ms = (n: number): number => (Number.isFinite(n) ? Math.round(n * 1000) : n);
  const norm = normalizeRanges(
    ranges.map((r) => ({ start: ms(r?.start), end: ms(r?.end) })),
    OPEN_END * 1000,
  );
  if (norm.length === 0) return '';
  const text = norm.map((r) => `${r.start}-${r.end}`).join(',');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Ranges moved by `offsetSec` on the timeline (e.g. -seek for an input-side `-ss`), then normalized. */
export function shiftRanges(ranges: readonly RedactionRange[], offsetSec: number): RedactionRange[] {
  return normalizeRanges(normalizeRanges(ranges).map((r) => ({ start: r.start + offsetSec, end: r.end + offsetSec })));
}

/**
 * `at` if it is outside every range, else the nearer of: just after the covering range (the card's `between` includes
 * the end, and ends are rounded up to ms, hence +2 ms) or just before its start. Stays inside [0, durationSec); null
 * when everything is restricted. For picking a poster frame.
 */
export function unrestrictedTime(at: number, ranges: readonly RedactionRange[], durationSec: number): number | null {
  const norm = normalizeRanges(ranges, durationSec);
  const inside = (t: number): RedactionRange | undefined =>
    norm.find((r) => t >= r.start - 0.001 && t <= r.end + 0.001);
  const hit = inside(at);
  if (!hit) return at;
  const candidates: number[] = [];
  // ranges closer than a few ms apart: keep walking right
  let after = hit.end + 0.002;
  for (let r = inside(after); r; r = inside(after)) after = r.end + 0.002;
  if (after < durationSec) candidates.push(after);
  const before = hit.start - 0.002;
  if (before >= 0) candidates.push(before);
  if (candidates.length === 0) return null;
  return candidates.reduce((best, c) => (Math.abs(c - at) < Math.abs(best - at) ? c : best));
}

// Milliseconds, rounded outwards so a range never shrinks; the epsilon keeps 4.35 from becoming 4.349.
const floorMs = (n: number): string => (Math.floor(n * 1000 + 1e-6) / 1000).toFixed(3);
const ceilMs = (n: number): string => (Math.ceil(n * 1000 - 1e-6) / 1000).toFixed(3);

/**
 * Escapes a value for a filter option inside a filtergraph: first for the option parser (`\ ' :`), then for the
 * graph parser (`\ ' [ ] , ;`). Works the same in `-vf`/`-af` and `-filter_complex`.
 */
export function escapeFilterValue(value: string): string {
  const option = value.replace(/[\\':]/g, (c) => `\\${c}`);
  return option.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/** Largest audio frame the volume expression has to reckon with; asetnsamples makes it true. */
const AUDIO_FRAME_SAMPLES = 1024;

/**
 * Silences the ranges. Timeline `enable` (and `volume` with eval=frame) decide per audio frame by the frame's start
 * time, so a frame starting just before a range would let its first milliseconds through. Hence: frames cut to at
 * most 1024 samples (asetnsamples, no padding), and a frame is muted when it overlaps a range at all — up to one
 * frame (≈ 21 ms at 48 kHz) of extra silence at each edge, never restricted audio. Per-sample `aeval` would be exact
 * but is about ten times slower. The quotes protect the commas at the filtergraph level.
 */
export function audioRedactionFilter(ranges: readonly RedactionRange[]): string | null {
  const norm = normalizeRanges(ranges);
  if (norm.length === 0) return null;
  const frameEnd = `t+${AUDIO_FRAME_SAMPLES}/sample_rate`;
  const overlaps = norm.map((r) => `lt(t,${ceilMs(r.end)})*gt(${frameEnd},${floorMs(r.start)})`).join('+');
  return `asetnsamples=n=${AUDIO_FRAME_SAMPLES}:p=0,volume=volume='not(${overlaps})':eval=frame`;
}

/** `between(t,a,b)+…` for the timeline `enable` option: true while a frame's timestamp is inside any range. */
export function enableExpression(ranges: readonly RedactionRange[]): string | null {
  const norm = normalizeRanges(ranges);
  if (norm.length === 0) return null;
  return norm.map((r) => `between(t,${floorMs(r.start)},${ceilMs(r.end)})`).join('+');
}

/** The caption on the card; plain ASCII so neither the filter parsers nor drawtext's expansion need more escaping. */
export const CARD_TEXT = 'Diese Passage ist nicht freigegeben';
export const CARD_COLOR = '0x333333';

export interface VideoRedactionOptions {
  /** Font for the caption; null/absent gives the plain card (see findCardFont). */
  fontFile?: string | null;
}

/**
 * Paints an opaque full-frame card over every frame whose timestamp is in a range, with the caption when a font is
 * given. A video frame only shows content from its own timestamp on, so the per-frame decision is exact here.
 */
export function videoRedactionFilter(
  ranges: readonly RedactionRange[],
  opts: VideoRedactionOptions = {},
): string | null {
  const expr = enableExpression(ranges);
  if (expr === null) return null;
  const enable = `enable='${expr}'`;
  const box = `drawbox=x=0:y=0:w=iw:h=ih:color=${CARD_COLOR}@1:t=fill:${enable}`;
  if (!opts.fontFile) return box;
  // w/28 keeps the 35-character line inside the frame for portrait video as well
  const text =
    `drawtext=fontfile=${escapeFilterValue(opts.fontFile)}:text=${escapeFilterValue(CARD_TEXT)}` +
    `:fontcolor=0xd0d0d0:fontsize=w/28:x=(w-text_w)/2:y=(h-text_h)/2:${enable}`;
  return `${box},${text}`;
}

const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/freefont/FreeSans.ttf',
];

const fontCache = new Map<string, string | null>();

/**
 * A font for the card caption, or null when there is none or ffmpeg lacks drawtext (built without libfreetype):
 * the caller then uses the plain card. Not pure — checks files, asks fc-match and `ffmpeg -filters`; cached per binary.
 */
export function findCardFont(opts: { ffmpegPath?: string } = {}): string | null {
  const ffmpegPath = opts.ffmpegPath ?? 'ffmpeg';
  const cached = fontCache.get(ffmpegPath);
  if (cached !== undefined) return cached;
  let found: string | null = null;
  const filters = spawnSync(ffmpegPath, ['-hide_banner', '-filters'], { encoding: 'utf8', timeout: 10_000 });
  if (filters.status === 0 && /^\s*\S+\s+drawtext\s/m.test(filters.stdout)) {
    found = FONT_CANDIDATES.find((f) => existsSync(f)) ?? null;
    if (!found) {
      const fc = spawnSync('fc-match', ['-f', '%{file}', 'sans'], { encoding: 'utf8', timeout: 10_000 });
      const file = fc.status === 0 ? fc.stdout.trim() : '';
      if (/\.(ttf|otf)$/i.test(file) && existsSync(file)) found = file;
    }
  }
  fontCache.set(ffmpegPath, found);
  return found;
}
