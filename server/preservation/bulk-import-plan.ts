// The plan of a bulk import (npm run cli -- import): its columns, problems, planned rows and files, and the helpers
// both readers (interviews.csv, OHMS XML) share.
import fs from 'node:fs/promises';
import path from 'node:path';
import { type z } from 'zod';
import { type createInterviewSchema } from '../interviews/schemas.js';
import { type TranscriptFormat } from '../transcripts/formats/index.js';

export const CSV_FILE = 'interviews.csv';
/** Columns of interviews.csv; multiple values in one cell are separated by "|". */
export const csvColumns = [
  'title',
  'narrators',
  'interviewers',
  'recorded',
  'place',
  'lat',
  'lon',
  'language',
  'keywords',
  'summary',
  'visibility',
  'media',
  'transcripts',
] as const;
export const requiredColumns = ['title', 'media'] as const;
export const LIST_SEPARATOR = '|';
/** As the transcript service: a transcript may end up to this much after its recording (rounding, silence). */
export const DURATION_SLACK_S = 2;

export interface ImportProblem {
  file: string;
  line: number;
  column?: number;
  message: string;
}

export interface PlannedFile {
  name: string;
  abs: string;
  sizeBytes: number;
  sha256?: string;
  durationSec?: number;
}

export interface PlannedRow {
  source: { file: string; line: number };
  input: z.output<typeof createInterviewSchema>;
  media: PlannedFile[];
  /** Per part (index into media); null = no transcript for that part. */
  transcripts: ({ file: PlannedFile; format: TranscriptFormat; text: string } | null)[];
  problems: ImportProblem[];
}

export type RowStatus = 'imported' | 'resumed' | 'skipped' | 'refused' | 'failed' | 'valid';

export interface RowResult {
  source: { file: string; line: number };
  title: string;
  status: RowStatus;
  interviewId: string | null;
  media: number;
  transcripts: number;
  note: string;
}

export interface BulkImportSummary {
  exitCode: number;
  problems: ImportProblem[];
  rows: RowResult[];
}

export type Out = NodeJS.WritableStream & { isTTY?: boolean };

export interface BulkImportOptions {
  folder: string;
  dryRun: boolean;
  collectionId?: string;
  stdout: Out;
  stderr: Out;
}

export const splitList = (cell: string | undefined): string[] =>
  (cell ?? '')
    .split(LIST_SEPARATOR)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** "Mehnert, Karl" → "Karl Mehnert" (OHMS and library catalogues put the family name first). */
export function personName(raw: string): string {
  const m = /^([^,]+),\s*([^,]+)$/.exec(raw.trim());
  return m ? `${m[2]!.trim()} ${m[1]!.trim()}` : raw.trim();
}

/** ISO 639-2 codes as OHMS writes them, to the BCP 47 codes the archive uses. */
export const iso6392: Record<string, string> = {
  ger: 'de',
  deu: 'de',
  eng: 'en',
  pol: 'pl',
  ces: 'cs',
  cze: 'cs',
  rus: 'ru',
  fre: 'fr',
  fra: 'fr',
  nds: 'nds',
  dsb: 'dsb',
  hsb: 'hsb',
};

export function safeJoin(folder: string, name: string): string | null {
  const abs = path.resolve(folder, name);
  return abs.startsWith(path.resolve(folder) + path.sep) ? abs : null;
}

export async function fileInFolder(
  folder: string,
  name: string,
  at: { file: string; line: number },
  what: string,
  problems: ImportProblem[],
): Promise<PlannedFile | null> {
  const abs = safeJoin(folder, name);
  if (!abs) {
    problems.push({ ...at, message: `${what} "${name}" is outside the import folder` });
    return null;
  }
  const stat = await fs.stat(abs).catch(() => null);
  if (!stat || !stat.isFile()) {
    problems.push({ ...at, message: `${what} "${name}" not found in ${folder}` });
    return null;
  }
  return { name, abs, sizeBytes: stat.size };
}
