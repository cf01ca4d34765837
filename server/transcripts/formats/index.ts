// Transcript import/export: pure functions from text to segments and back (no HTTP, no store).
import { exportSrt, exportVtt } from './captions.js';
import { IssueList, collectSpeakers } from './common.js';
import { isTimed } from '../../store/types.js';
import { detectFormat } from './detect.js';
import { exportJson, parseJson } from './json.js';
import { exportOhms, parseOhms } from './ohms.js';
import { exportTxt, parseTxt } from './txt.js';
import type { ExportInput, ParsedTranscript, TranscriptFormat } from './types.js';
import { parseSrt, parseVtt } from './vtt.js';

export { detectFormat } from './detect.js';
export { BACKWARDS_TOLERANCE_S } from './common.js';
export { MAX_CUE_SECONDS, MAX_LINE_CHARS, MAX_LINES } from './captions.js';
export { transcriptJsonSchema } from './json.js';
export {
  TranscriptParseError,
  transcriptFormats,
  type ExportInput,
  type IndexSegment,
  type ParseIssue,
  type ParsedTranscript,
  type Segment,
  type TranscriptFormat,
  type Word,
} from './types.js';

/**
 * Strict, all-or-nothing parse. Throws TranscriptParseError listing every issue found, each with a 1-based
 * line (and column where the parser knows it). The format is detected from the content when not given.
 */
export function parseTranscript(text: string, format?: TranscriptFormat): ParsedTranscript {
  const fmt = format ?? detectFormat(text);
  const issues = new IssueList();
  let result: Omit<ParsedTranscript, 'format' | 'warnings'>;
  switch (fmt) {
    case 'vtt': {
      const segments = parseVtt(text, issues);
      result = { segments, index: [], speakers: collectSpeakers(segments) };
      break;
    }
    case 'srt': {
      const segments = parseSrt(text, issues);
      result = { segments, index: [], speakers: collectSpeakers(segments) };
      break;
    }
    case 'txt': {
      const segments = parseTxt(text, issues);
      result = { segments, index: [], speakers: collectSpeakers(segments) };
      break;
    }
    case 'ohms':
      result = parseOhms(text, issues);
      break;
    case 'json':
      result = parseJson(text, issues);
      break;
  }
  issues.throwIfAny(fmt);
  return { format: fmt, ...result, warnings: [...issues.warnings].sort((a, b) => a.line - b.line) };
}

/**
 * Renders a transcript. vtt/srt split long segments into caption-sized cues; the index is only carried by
 * json and ohms (the other formats have no place for it).
 */
export function exportTranscript(t: ExportInput, format: TranscriptFormat): string {
  const index = t.index ?? [];
  switch (format) {
    // untimed passages cannot be captions: skipped, and the VTT says so in a NOTE
    case 'vtt':
      return exportVtt(t.segments.filter(isTimed), t.title, t.segments.length - t.segments.filter(isTimed).length);
    case 'srt':
      return exportSrt(t.segments.filter(isTimed));
    case 'txt':
      return exportTxt(t.segments);
    case 'json':
      return exportJson({ segments: t.segments, index, title: t.title ?? null, speakers: t.speakers ?? [] });
    case 'ohms':
      return exportOhms({ segments: t.segments, index, title: t.title ?? null });
  }
}
