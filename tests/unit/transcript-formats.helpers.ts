// Shared by the transcript format tests: fixture files and the issues a parse reports.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import {
  TranscriptParseError,
  parseTranscript,
  type ParseIssue,
  type TranscriptFormat,
} from '../../server/transcripts/formats/index.js';

export const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/transcripts/${name}`, import.meta.url), 'utf8');

export function issuesOf(text: string, format?: TranscriptFormat): ParseIssue[] {
  try {
    parseTranscript(text, format);
  } catch (err) {
    expect(err).toBeInstanceOf(TranscriptParseError);
    return (err as TranscriptParseError).issues;
  }
  throw new Error('expected a TranscriptParseError');
}
