// Pure data model of the transcript import/export layer; no HTTP, no store.
import type { IndexPoint, TimedSegment, TranscriptSegment } from '../../store/types.js';

export type TranscriptFormat = 'vtt' | 'srt' | 'ohms' | 'txt' | 'json';

export const transcriptFormats: readonly TranscriptFormat[] = ['vtt', 'srt', 'ohms', 'txt', 'json'];

// The segment and index shapes are the archive's own (server/store/types.ts): what is parsed is what is stored.
/** A timed segment: what every timed format parses and captions are cut from. */
export type Segment = TimedSegment;
/** Timed or untimed (start/end null): what a transcript holds. */
export type AnySegment = TranscriptSegment;
export type Word = NonNullable<TranscriptSegment['words']>[number];
/** An OHMS index point (table of contents entry). */
export type IndexSegment = IndexPoint;

export interface ParsedTranscript {
  format: TranscriptFormat;
  /** All timed, or (legacy OHMS without timecodes or sync) all untimed. */
  segments: AnySegment[];
  index: IndexSegment[];
  speakers: string[];
  /** What was repaired on the way in (zero-length or reversed cues …), each with its line; empty when nothing was. */
  warnings: ParseIssue[];
}

export interface ExportInput {
  segments: readonly AnySegment[];
  index?: readonly IndexSegment[];
  title?: string | null;
  speakers?: readonly string[];
}

/** `line` is 1-based in the uploaded file; `column` 1-based where known. */
export interface ParseIssue {
  line: number;
  column?: number;
  message: string;
}

export class TranscriptParseError extends Error {
  readonly issues: ParseIssue[];

  constructor(issues: ParseIssue[], format?: TranscriptFormat) {
    const sorted = [...issues].sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
    const head = sorted
      .slice(0, 5)
      .map((i) => `line ${i.line}${i.column ? `:${i.column}` : ''}: ${i.message}`)
      .join('; ');
    const more = sorted.length > 5 ? ` (+${sorted.length - 5} more)` : '';
    super(`${format ? `${format}: ` : ''}${sorted.length} issue(s): ${head}${more}`);
    this.name = 'TranscriptParseError';
    this.issues = sorted;
  }
}
