// What a viewer who may not hear a restricted passage gets instead of it: the same segment slots (numbering and timing
// stay, so players and links still line up) carrying only the marker. Pure functions; every read path uses them.
import type { IndexPoint, Restriction, TranscriptSegment } from '../store/types.js';

export const RESTRICTED_MARKER = 'Diese Passage ist nicht freigegeben.';

export interface TimeRange {
  start: number;
  end: number;
}

export type RedactedSegment = TranscriptSegment & { restricted?: true };

export function rangesOf(restrictions: readonly Pick<Restriction, 'start' | 'end'>[]): TimeRange[] {
  return restrictions.map((r) => ({ start: r.start, end: r.end }));
}

/** Any overlap counts: without word timings we cannot tell which words of a segment fall inside. */
export function overlapsAny(span: TimeRange, ranges: readonly TimeRange[]): boolean {
  return ranges.some((r) => span.start < r.end && span.end > r.start);
}

/**
 * Untimed text (start null) cannot be placed against a restricted time range: while a medium has restrictions, all
 * of its untimed text counts as restricted (shown as the marker), rather than risk showing a restricted passage.
 */
function restricted(s: { start: number | null; end: number | null }, ranges: readonly TimeRange[]): boolean {
  if (s.start === null || s.end === null) return ranges.length > 0;
  return overlapsAny({ start: s.start, end: s.end }, ranges);
}

export function restrictedFlags(
  segments: readonly { start: number | null; end: number | null }[],
  ranges: readonly TimeRange[],
): boolean[] {
  return segments.map((s) => restricted(s, ranges));
}

export function redactSegments(
  segments: readonly TranscriptSegment[],
  ranges: readonly TimeRange[],
): RedactedSegment[] {
  if (ranges.length === 0) return [...segments];
  return segments.map((s) =>
    restricted(s, ranges)
      ? { start: s.start, end: s.end, speaker: null, text: RESTRICTED_MARKER, restricted: true }
      : s,
  );
}

/** Chapters that start inside a restricted passage keep their time but lose what would describe it. */
export function redactIndexPoints(points: readonly IndexPoint[], ranges: readonly TimeRange[]): IndexPoint[] {
  if (ranges.length === 0) return [...points];
  return points.map((p) =>
    ranges.some((r) => p.start >= r.start && p.start < r.end)
      ? {
          start: p.start,
          title: RESTRICTED_MARKER,
          synopsis: null,
          keywords: [],
          subjects: [],
          place: null,
          partialTranscript: null,
        }
      : p,
  );
}
