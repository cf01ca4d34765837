// Helpers shared by all formats: time formatting, issue collection, segment validation, speaker prefixes.
import { TranscriptParseError, type ParseIssue, type Segment, type TranscriptFormat } from './types.js';

/** A cue may start this much earlier than its predecessor (ASR jitter) before it counts as going backwards. */
export const BACKWARDS_TOLERANCE_S = 0.5;
/** Speech rate used to estimate times where the source has none (last segment of txt/OHMS). */
export const WORDS_PER_SECOND = 2.5;
const MAX_ISSUES = 500;

export const roundMs = (s: number): number => Math.round(s * 1000) / 1000;

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function splitLines(text: string): string[] {
  return stripBom(text).split(/\r\n|\r|\n/);
}

export function normalizeText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function wordsOf(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

/** `HH:MM:SS.mmm` (or `,` for SRT); hours always two digits or more. */
export function formatClock(seconds: number, decimal: '.' | ',' = '.', withMs = true): string {
  const totalMs = Math.max(0, Math.round(seconds * 1000));
  const ms = totalMs % 1000;
  const totalS = Math.floor(totalMs / 1000);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  const base = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return withMs ? `${base}${decimal}${String(ms).padStart(3, '0')}` : base;
}

/**
 * Parses `hh:mm:ss`, `mm:ss`, `hh:mm:ss.mmm` (`.` or `,`) or plain seconds; null when invalid
 * (minutes/seconds above 59 in clock form are invalid).
 */
export function parseClock(raw: string): number | null {
  const s = raw.trim();
  if (/^\d+(?:\.\d+)?$/.test(s)) return roundMs(Number(s));
  const m = /^(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$/.exec(s);
  if (!m) return null;
  const h = Number(m[1] ?? 0);
  const min = Number(m[2]);
  const sec = Number(m[3]);
  if (min > 59 || sec > 59) return null;
  const frac = m[4] ? Number(m[4].padEnd(3, '0')) / 1000 : 0;
  return roundMs(h * 3600 + min * 60 + sec + frac);
}

export class IssueList {
  constructor(
    private readonly lineOffset = 0,
    readonly items: ParseIssue[] = [],
    private readonly seen = new Set<string>(),
    private readonly columnShift?: (line: number) => number,
    /** Repairs made to what the file holds (never silent): reported with the import result, not refused. */
    readonly warnings: ParseIssue[] = [],
  ) {}

  /** A repair, with the line it concerns (shifted like issues). */
  warn(line: number, message: string): void {
    if (this.warnings.length >= MAX_ISSUES) return;
    this.warnings.push({ line: Math.max(1, line + this.lineOffset), message });
  }

  add(line: number, message: string, col?: number): void {
    if (this.items.length >= MAX_ISSUES) return;
    const column = col !== undefined && this.columnShift ? col + this.columnShift(line) : col;
    const abs = Math.max(1, line + this.lineOffset);
    const key = `${abs}:${column ?? ''}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(column !== undefined ? { line: abs, column, message } : { line: abs, message });
  }

  /**
   * Same list, line numbers shifted (and columns, for text that was re-indented): for a format embedded in
   * another, like WebVTT inside OHMS XML.
   */
  shifted(offset: number, columnShift?: (line: number) => number): IssueList {
    return new IssueList(this.lineOffset + offset, this.items, this.seen, columnShift, this.warnings);
  }

  get size(): number {
    return this.items.length;
  }

  throwIfAny(format: TranscriptFormat): void {
    if (this.items.length > 0) throw new TranscriptParseError(this.items, format);
  }
}

export interface LocatedSegment {
  segment: Segment;
  /** 1-based line the segment came from (before any shift of the issue list). */
  line: number;
}

/**
 * Rules every format shares: valid times, end after start, non-empty text, no going backwards in time
 * beyond the tolerance. Returns the segments in time order (stable for equal starts).
 */
export function validateSegments(items: LocatedSegment[], issues: IssueList): Segment[] {
  let prevStart: number | null = null;
  for (const { segment: s, line } of items) {
    if (!Number.isFinite(s.start) || !Number.isFinite(s.end)) {
      issues.add(line, 'Invalid time.');
      continue;
    }
    if (s.start < 0) issues.add(line, `Start time ${s.start} is negative.`);
    if (!(s.end > s.start))
      issues.add(line, `End time ${formatClock(s.end)} is not after start time ${formatClock(s.start)}.`);
    if (s.text.trim() === '') issues.add(line, 'Empty cue text.');
    if (prevStart !== null && s.start < prevStart - BACKWARDS_TOLERANCE_S) {
      issues.add(
        line,
        `Start time ${formatClock(s.start)} goes backwards (previous cue starts at ${formatClock(prevStart)}).`,
      );
    }
    for (const w of s.words ?? []) {
      if (!(w.end >= w.start) || w.start < s.start - 0.001 || w.end > s.end + 0.001) {
        issues.add(line, `Word timing for "${w.text}" lies outside the cue or ends before it starts.`);
        break;
      }
    }
    prevStart = s.start;
  }
  return items.map((i) => i.segment).sort((a, b) => a.start - b.start);
}

/** Unique speakers in order of first appearance; listed ones first when given. */
export function collectSpeakers(
  segments: readonly { speaker: string | null }[],
  listed: readonly string[] = [],
): string[] {
  const out: string[] = [];
  for (const name of [...listed, ...segments.map((s) => s.speaker)]) {
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

// Up to four Capitalised or ALL-CAPS words (name particles like "von" allowed in between), then a colon.
const NAME_WORD = String.raw`(?:\p{Lu}[\p{L}\p{M}'’.\-]*|\d{1,2})`;
const PARTICLE = String.raw`(?:von|van|vom|zu|der|de|den|la|le)`;
const SPEAKER_PREFIX = new RegExp(
  String.raw`^(\p{Lu}[\p{L}\p{M}'’.\-]*(?:[ \t]+(?:${PARTICLE}[ \t]+)?${NAME_WORD}){0,3}):(?:[ \t]+|$)`,
  'u',
);

/** `KARL MEHNERT: text` → name and the remaining text; null when the text does not start with a speaker prefix. */
export function matchSpeakerPrefix(text: string): { speaker: string; rest: string; length: number } | null {
  const m = SPEAKER_PREFIX.exec(text);
  if (!m || !m[1]) return null;
  return { speaker: m[1], rest: text.slice(m[0].length), length: m[0].length };
}

export interface TimelineUnit {
  words: number;
  anchor: number | null;
}

/**
 * Start times for units where only some carry a time (a timecode): the gaps are interpolated by word count,
 * units after the last anchor run to `end` when known, else at WORDS_PER_SECOND. The first unit must be anchored.
 */
export function interpolateStarts(units: readonly TimelineUnit[], end: number | null): number[] {
  const starts: number[] = new Array<number>(units.length).fill(0);
  let i = 0;
  while (i < units.length) {
    const a = units[i]!;
    const ta = a.anchor ?? 0;
    starts[i] = ta;
    let j = i + 1;
    while (j < units.length && units[j]!.anchor === null) j++;
    const span = units.slice(i, j).reduce((n, u) => n + Math.max(1, u.words), 0);
    const tb = j < units.length ? units[j]!.anchor! : end !== null && end > ta ? end : ta + span / WORDS_PER_SECOND;
    let acc = 0;
    for (let k = i + 1; k < j; k++) {
      acc += Math.max(1, units[k - 1]!.words);
      starts[k] = roundMs(ta + ((tb - ta) * acc) / span);
    }
    i = j;
  }
  return starts;
}

/** End of the final segment when the source gives none: the duration if it lies after the start, else an estimate. */
export function estimateLastEnd(start: number, words: number, duration: number | null): number {
  if (duration !== null && duration > start) return roundMs(duration);
  return roundMs(start + Math.max(1, words / WORDS_PER_SECOND));
}
