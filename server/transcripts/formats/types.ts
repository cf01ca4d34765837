// Pure data model of the transcript import/export layer; no HTTP, no store.

export type TranscriptFormat = 'vtt' | 'srt' | 'ohms' | 'txt' | 'json';

export const transcriptFormats: readonly TranscriptFormat[] = ['vtt', 'srt', 'ohms', 'txt', 'json'];

export interface Word {
  start: number;
  end: number;
  text: string;
}

/** One timed passage (seconds, millisecond precision). */
export interface Segment {
  start: number;
  end: number;
  speaker: string | null;
  text: string;
  words?: Word[];
}

/** An OHMS index point (table of contents entry). */
export interface IndexSegment {
  start: number;
  title: string;
  synopsis: string | null;
  keywords: string[];
  subjects: string[];
  place: { name: string; lat?: number; lon?: number } | null;
  partialTranscript?: string | null;
}

export interface ParsedTranscript {
  format: TranscriptFormat;
  segments: Segment[];
  index: IndexSegment[];
  speakers: string[];
}

export interface ExportInput {
  segments: readonly Segment[];
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
    const head = sorted.slice(0, 5).map((i) => `line ${i.line}${i.column ? `:${i.column}` : ''}: ${i.message}`).join('; ');
    const more = sorted.length > 5 ? ` (+${sorted.length - 5} more)` : '';
    super(`${format ? `${format}: ` : ''}${sorted.length} issue(s): ${head}${more}`);
    this.name = 'TranscriptParseError';
    this.issues = sorted;
  }
}
