// Plain-text transcripts: `[hh:mm:ss] Speaker: text`, timecodes at line starts or inline.
import {
  type IssueList,
  estimateLastEnd,
  formatClock,
  interpolateStarts,
  normalizeText,
  roundMs,
  splitLines,
  validateSegments,
  type LocatedSegment,
} from './common.js';
import { scanMarkedText, type TextUnit } from './marked-text.js';
import type { AnySegment, Segment } from './types.js';

/** Segments from units with start times: each ends where the next starts, the last at `duration` or an estimate. */
export function unitsToSegments(
  units: readonly TextUnit[],
  starts: readonly number[],
  duration: number | null,
): LocatedSegment[] {
  return units.map((u, i) => {
    const start = starts[i]!;
    const next = starts[i + 1];
    const end = next !== undefined ? next : estimateLastEnd(start, u.words, duration);
    return { segment: { start, end, speaker: u.speaker, text: u.text }, line: u.line };
  });
}

export function parseTxt(text: string, issues: IssueList): Segment[] {
  const scanned = scanMarkedText(splitLines(text), issues);
  const first = scanned.units[0];
  if (!first) {
    issues.add(1, 'No transcript text found.');
    return [];
  }
  if (scanned.timecodes === 0) {
    issues.add(first.line, 'No timecodes found (expected [hh:mm:ss] before the text).');
    return [];
  }
  // untimed leading text is reported once and left out, so it does not cause follow-up time issues
  const firstTimed = scanned.units.findIndex((u) => u.anchor !== null);
  if (firstTimed > 0) issues.add(first.line, 'Text before the first timecode has no time.');
  const units = scanned.units.slice(Math.max(0, firstTimed));
  const starts = interpolateStarts(units, null);
  return validateSegments(unitsToSegments(units, starts, null), issues);
}

/** `[hh:mm:ss]`, with milliseconds only when the start has them, so a re-import keeps the exact start. */
export function timecode(start: number): string {
  const t = roundMs(start);
  return `[${formatClock(t, '.', !Number.isInteger(t))}]`;
}

/** Untimed text (start null) is written as plain paragraphs without a timecode. */
export function exportTxt(segments: readonly AnySegment[]): string {
  const paragraphs = segments
    .filter((s) => s.text.trim() !== '')
    .map(
      (s) =>
        `${s.start !== null ? `${timecode(s.start)} ` : ''}${s.speaker ? `${normalizeText(s.speaker)}: ` : ''}${normalizeText(s.text)}`,
    );
  return paragraphs.length > 0 ? `${paragraphs.join('\n\n')}\n` : '';
}
