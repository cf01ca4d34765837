// Which transcript passages a restriction covers, and which passages a text selection spans. Pure (the DOM part of
// the selection lives in listen/useTranscriptSelection.ts).
import type { ReviewRestriction, ReviewSegment } from '../types.js';

export interface Span {
  start: number;
  end: number;
}

/** The server's rule (server/review/redaction.ts): any overlap counts, there are no word timings. */
export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && a.end > b.start;
}

/** For each segment, whether an active restriction of this medium touches it. */
export function restrictedFlags(
  segments: readonly Span[],
  restrictions: readonly Pick<ReviewRestriction, 'start' | 'end'>[],
): boolean[] {
  return segments.map((s) => restrictions.some((r) => overlaps(s, r)));
}

export interface SelectedPassage {
  first: number;
  last: number;
  start: number;
  end: number;
  quote: string;
}

/**
 * A selection over the transcript → the passage to restrict: from the first covered segment's start to the last
 * one's end; the quote is the selected text of those segments (never button labels or time codes), one space apart.
 * `pieces` maps segment index → the part of its text inside the selection.
 */
export function passageOf(
  segments: readonly ReviewSegment[],
  pieces: ReadonlyMap<number, string>,
): SelectedPassage | null {
  const covered = [...pieces.entries()]
    .map(([index, text]) => [index, text.replace(/\s+/g, ' ').trim()] as const)
    .filter(([index, text]) => text !== '' && segments[index] !== undefined)
    .sort((a, b) => a[0] - b[0]);
  if (covered.length === 0) return null;
  const first = covered[0]![0];
  const last = covered[covered.length - 1]![0];
  return {
    first,
    last,
    start: segments[first]!.start,
    end: segments[last]!.end,
    quote: covered.map(([, text]) => text).join(' '),
  };
}

const wordChar = /[\p{L}\p{N}'’-]/u;

/**
 * A selection inside a text, widened to whole words: people dragging with the mouse seldom hit a word's first and
 * last letter. `from`/`to` are character offsets into `text`.
 */
export function snapToWords(text: string, from: number, to: number): string {
  let a = Math.max(0, Math.min(from, text.length));
  let b = Math.max(a, Math.min(to, text.length));
  while (a > 0 && wordChar.test(text[a - 1]!) && wordChar.test(text[a] ?? ' ')) a--;
  while (b < text.length && b > 0 && wordChar.test(text[b]!) && wordChar.test(text[b - 1]!)) b++;
  return text.slice(a, b);
}

/** The segment playing at `time`: the last one that has started (-1 before the first). */
export { findCurrentIndex } from '../../player/time.js';
