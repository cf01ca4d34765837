// `npm run cli -- import <folder> [--dry-run] [--collection <id>]`: a box of recordings into the archive.
//
// The folder holds either `interviews.csv` (one row per interview, columns in README "Bulk import") with the media
// and transcript files beside it, or OHMS XML records with their media (the migration path from OHMS: metadata,
// index and transcript come from the XML, the medium is matched by file name).
//
// Everything is validated first — every problem is reported with its file and line — and a dry run stops there.
// A real run imports the valid rows through the same services as an upload (access rule, probing, storage, jobs),
// with progress bars per file and overall; a row whose media are all in the archive already (by SHA-256) is skipped
// and says so, and a row interrupted halfway continues in its interview. It ends with a summary table.
import fs from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { parse as parseCsv } from 'csv-parse/sync';
import { SaxesParser } from 'saxes';
import { z } from 'zod';
import type { Services } from '../app.js';
import type { Viewer } from '../access/viewer.js';
import { createInterviewSchema, languageSchema, partialDate } from '../interviews/schemas.js';
import { issueText } from '../i18n/messages.js';
import type { Logger } from '../logger.js';
import { probe, ProbeError } from '../media/ffmpeg/probe.js';
import type { Store } from '../store/repositories.js';
import { visibilities, type Medium, type Person } from '../store/types.js';
import { detectFormat, parseTranscript, TranscriptParseError, type TranscriptFormat } from '../transcripts/formats/index.js';
import { archiveHashes, ingestLocalFile } from './archive-writer.js';
import { hashFile } from './hash.js';

export const CSV_FILE = 'interviews.csv';
/** Columns of interviews.csv; multiple values in one cell are separated by "|". */
export const csvColumns = [
  'title', 'narrators', 'interviewers', 'recorded', 'place', 'lat', 'lon', 'language', 'keywords', 'summary', 'visibility',
  'media', 'transcripts',
] as const;
const requiredColumns = ['title', 'media'] as const;
const LIST_SEPARATOR = '|';
/** As the transcript service: a transcript may end up to this much after its recording (rounding, silence). */
const DURATION_SLACK_S = 2;

export interface ImportProblem {
  file: string;
  line: number;
  column?: number;
  message: string;
}

interface PlannedFile {
  name: string;
  abs: string;
  sizeBytes: number;
  sha256?: string;
  durationSec?: number;
}

interface PlannedRow {
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

type Out = NodeJS.WritableStream & { isTTY?: boolean };

export interface BulkImportOptions {
  folder: string;
  dryRun: boolean;
  collectionId?: string;
  stdout: Out;
  stderr: Out;
}

const splitList = (cell: string | undefined): string[] => (cell ?? '').split(LIST_SEPARATOR).map((s) => s.trim()).filter((s) => s !== '');

/** "Mehnert, Karl" → "Karl Mehnert" (OHMS and library catalogues put the family name first). */
export function personName(raw: string): string {
  const m = /^([^,]+),\s*([^,]+)$/.exec(raw.trim());
  return m ? `${m[2]!.trim()} ${m[1]!.trim()}` : raw.trim();
}

/** ISO 639-2 codes as OHMS writes them, to the BCP 47 codes the archive uses. */
const iso6392: Record<string, string> = { ger: 'de', deu: 'de', eng: 'en', pol: 'pl', ces: 'cs', cze: 'cs', rus: 'ru', fre: 'fr', fra: 'fr', nds: 'nds', dsb: 'dsb', hsb: 'hsb' };

function safeJoin(folder: string, name: string): string | null {
  const abs = path.resolve(folder, name);
  return abs.startsWith(path.resolve(folder) + path.sep) ? abs : null;
}

async function fileInFolder(folder: string, name: string, at: { file: string; line: number }, what: string, problems: ImportProblem[]): Promise<PlannedFile | null> {
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

// ------------------------------------------------------------------------------------------------ reading the input

const rowSchema = z.object({
  title: z.string().trim().min(1, { message: 'title is empty' }).max(300),
  recorded: z.union([z.literal(''), partialDate]),
  language: z.union([z.literal(''), languageSchema]),
  visibility: z.union([z.literal(''), z.enum(visibilities)], { error: (iss) => `"${String(iss.input)}" is not one of ${visibilities.join(', ')}` }),
  lat: z.union([z.literal(''), z.coerce.number().min(-90).max(90)]),
  lon: z.union([z.literal(''), z.coerce.number().min(-180).max(180)]),
});

async function readCsv(folder: string, problems: ImportProblem[]): Promise<PlannedRow[]> {
  const file = CSV_FILE;
  const text = await fs.readFile(path.join(folder, file), 'utf8');
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, { bom: true, delimiter, info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number };
    problems.push({ file, line: e.lines ?? 1, message: `CSV cannot be read: ${e.message}` });
    return [];
  }
  const [header, ...rows] = records;
  if (!header) {
    problems.push({ file, line: 1, message: 'interviews.csv is empty' });
    return [];
  }
  const columns = header.record.map((c) => c.trim().toLowerCase());
  columns.forEach((c, i) => {
    if (!(csvColumns as readonly string[]).includes(c)) problems.push({ file, line: 1, column: i + 1, message: `unknown column "${header.record[i]}" (known: ${csvColumns.join(', ')})` });
  });
  for (const c of requiredColumns) if (!columns.includes(c)) problems.push({ file, line: 1, message: `required column "${c}" is missing` });
  columns.forEach((c, i) => {
    if (columns.indexOf(c) !== i) problems.push({ file, line: 1, column: i + 1, message: `column "${c}" appears twice` });
  });

  const planned: PlannedRow[] = [];
  for (const { record, info } of rows) {
    const line = info.lines;
    const at = { file, line };
    const rowProblems: ImportProblem[] = [];
    if (record.length !== columns.length) rowProblems.push({ ...at, message: `${record.length} fields, but the header has ${columns.length}` });
    const cell = (name: (typeof csvColumns)[number]) => {
      const i = columns.indexOf(name);
      return i >= 0 ? (record[i] ?? '').trim() : '';
    };
    const basics = rowSchema.safeParse({ title: cell('title'), recorded: cell('recorded'), language: cell('language'), visibility: cell('visibility'), lat: cell('lat'), lon: cell('lon') });
    if (!basics.success) for (const i of basics.error.issues) rowProblems.push({ ...at, message: `${String(i.path[0])}: ${issueText(i.message)}` });
    if ((cell('lat') === '') !== (cell('lon') === '')) rowProblems.push({ ...at, message: 'lat and lon: give both or neither' });
    if ((cell('lat') !== '' || cell('lon') !== '') && cell('place') === '') rowProblems.push({ ...at, message: 'coordinates without a place name' });
    const people: Person[] = [
      ...splitList(cell('narrators')).map((name) => ({ name, role: 'narrator' as const })),
      ...splitList(cell('interviewers')).map((name) => ({ name, role: 'interviewer' as const })),
    ];
    const lat = cell('lat') === '' ? undefined : Number(cell('lat'));
    const lon = cell('lon') === '' ? undefined : Number(cell('lon'));
    const input = createInterviewSchema.safeParse({
      title: cell('title') || 'untitled',
      people,
      ...(cell('recorded') ? { recordedAt: cell('recorded') } : {}),
      ...(cell('place') ? { place: { name: cell('place'), ...(lat !== undefined && lon !== undefined && Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : {}) } } : {}),
      ...(cell('language') ? { language: cell('language') } : {}),
      ...(cell('summary') ? { summary: cell('summary') } : {}),
      keywords: splitList(cell('keywords')),
      ...(cell('visibility') ? { visibility: cell('visibility') } : {}),
    });
    if (!input.success && basics.success) for (const i of input.error.issues) rowProblems.push({ ...at, message: `${i.path.join('.')}: ${issueText(i.message)}` });

    const mediaNames = splitList(cell('media'));
    if (mediaNames.length === 0) rowProblems.push({ ...at, message: 'no media file named (column "media")' });
    const media: PlannedFile[] = [];
    for (const name of mediaNames) {
      const f = await fileInFolder(folder, name, at, 'media file', rowProblems);
      if (f) media.push(f);
    }
    const transcriptNames = cell('transcripts') === '' ? [] : (cell('transcripts')).split(LIST_SEPARATOR).map((s) => s.trim());
    if (transcriptNames.length > mediaNames.length) rowProblems.push({ ...at, message: `${transcriptNames.length} transcripts for ${mediaNames.length} media part(s): one per part, in part order` });
    const transcripts: PlannedRow['transcripts'] = [];
    for (const name of transcriptNames.slice(0, mediaNames.length)) {
      if (name === '') {
        transcripts.push(null);
        continue;
      }
      const f = await fileInFolder(folder, name, at, 'transcript', rowProblems);
      if (!f) {
        transcripts.push(null);
        continue;
      }
      const text = await fs.readFile(f.abs, 'utf8');
      transcripts.push({ file: f, format: detectFormat(text, name), text });
    }
    planned.push({
      source: at,
      input: input.success ? input.data : createInterviewSchema.parse({ title: cell('title') || 'untitled' }),
      media,
      transcripts,
      problems: rowProblems,
    });
  }
  return planned;
}

interface OhmsMeta {
  title: string;
  interviewees: string[];
  interviewers: string[];
  date: string | null;
  language: string | null;
  keywords: string[];
  description: string | null;
  fileName: string | null;
  mediaUrl: string | null;
}

/** The record-level metadata of an OHMS XML file (transcript and index are read by the transcript parser). */
export function readOhmsMetadata(xml: string): OhmsMeta {
  const meta: OhmsMeta = { title: '', interviewees: [], interviewers: [], date: null, language: null, keywords: [], description: null, fileName: null, mediaUrl: null };
  const parser = new SaxesParser();
  const stack: string[] = [];
  let text = '';
  parser.on('opentag', (tag) => {
    const name = (tag.name.includes(':') ? tag.name.slice(tag.name.indexOf(':') + 1) : tag.name).toLowerCase();
    stack.push(name);
    text = '';
    if (name === 'date' && stack.at(-2) === 'record' && typeof tag.attributes.value === 'string') meta.date = tag.attributes.value;
  });
  parser.on('text', (t) => (text += t));
  parser.on('cdata', (t) => (text += t));
  parser.on('closetag', () => {
    const name = stack.pop();
    // only direct children of <record>: index points have titles and keywords of their own
    if (stack.at(-1) !== 'record') return;
    const value = text.trim();
    if (value === '') return;
    switch (name) {
      case 'title': meta.title = value; break;
      case 'interviewee': meta.interviewees.push(...value.split(';').map((s) => s.trim()).filter(Boolean)); break;
      case 'interviewer': meta.interviewers.push(...value.split(';').map((s) => s.trim()).filter(Boolean)); break;
      case 'date': meta.date ??= value; break;
      case 'language': meta.language = value; break;
      case 'keyword': case 'keywords': meta.keywords.push(...value.split(';').map((s) => s.trim()).filter(Boolean)); break;
      case 'description': meta.description = value; break;
      case 'file_name': meta.fileName = value; break;
      case 'media_url': meta.mediaUrl = value; break;
    }
    text = '';
  });
  parser.write(xml).close();
  return meta;
}

const mediaExtensions = ['.wav', '.mp3', '.m4a', '.mp4', '.mov', '.flac', '.ogg', '.opus', '.webm', '.mkv', '.aac', '.mpg', '.mpeg', '.avi'];

async function readOhmsFolder(folder: string, problems: ImportProblem[]): Promise<PlannedRow[]> {
  const names = (await fs.readdir(folder)).sort();
  const xmls = names.filter((n) => n.toLowerCase().endsWith('.xml'));
  if (xmls.length === 0) {
    problems.push({ file: folder, line: 0, message: `neither ${CSV_FILE} nor OHMS XML files in ${folder}` });
    return [];
  }
  const planned: PlannedRow[] = [];
  for (const file of xmls) {
    const at = { file, line: 1 };
    const rowProblems: ImportProblem[] = [];
    const text = await fs.readFile(path.join(folder, file), 'utf8');
    let meta: OhmsMeta;
    try {
      meta = readOhmsMetadata(text);
    } catch (err) {
      const m = /^(\d+):(\d+): ([\s\S]*)$/.exec((err as Error).message);
      rowProblems.push({ file, line: m ? Number(m[1]) : 1, ...(m ? { column: Number(m[2]) } : {}), message: `XML: ${m ? m[3] : (err as Error).message}` });
      planned.push({ source: at, input: createInterviewSchema.parse({ title: file }), media: [], transcripts: [], problems: rowProblems });
      continue;
    }
    const language = meta.language ? (iso6392[meta.language.toLowerCase()] ?? meta.language.toLowerCase()) : undefined;
    const recordedAt = meta.date ? normaliseDate(meta.date) : undefined;
    const input = createInterviewSchema.safeParse({
      title: meta.title || path.basename(file, path.extname(file)),
      people: [...meta.interviewees.map((n) => ({ name: personName(n), role: 'narrator' })), ...meta.interviewers.map((n) => ({ name: personName(n), role: 'interviewer' }))],
      ...(recordedAt ? { recordedAt } : {}),
      ...(language ? { language } : {}),
      ...(meta.description ? { summary: meta.description } : {}),
      keywords: meta.keywords,
    });
    if (!input.success) for (const i of input.error.issues) rowProblems.push({ ...at, message: `${i.path.join('.')}: ${issueText(i.message)}` });
    // the medium: <file_name>, else the last path segment of <media_url>, else a media file with the XML's base name
    const stem = path.basename(file, path.extname(file));
    const named = meta.fileName ?? (meta.mediaUrl ? decodeURIComponent(meta.mediaUrl.split(/[/?#]/).filter(Boolean).pop() ?? '') : null);
    const candidate = named && names.includes(named) ? named
      : names.find((n) => path.basename(n, path.extname(n)) === stem && mediaExtensions.includes(path.extname(n).toLowerCase())) ?? null;
    const media: PlannedFile[] = [];
    if (!candidate) rowProblems.push({ ...at, message: `no media file for this record (${named ? `"${named}" not in the folder; ` : ''}looked for ${stem}.<wav|mp3|m4a|mp4|…>)` });
    else {
      const f = await fileInFolder(folder, candidate, at, 'media file', rowProblems);
      if (f) media.push(f);
    }
    const xmlFile: PlannedFile = { name: file, abs: path.join(folder, file), sizeBytes: Buffer.byteLength(text) };
    planned.push({
      source: at,
      input: input.success ? input.data : createInterviewSchema.parse({ title: stem }),
      media,
      transcripts: [{ file: xmlFile, format: 'ohms', text }],
      problems: rowProblems,
    });
  }
  return planned;
}

function normaliseDate(raw: string): string | undefined {
  const iso = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(raw);
  if (iso) return [iso[1], iso[2], iso[3]].filter(Boolean).join('-');
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  if (us) return `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`;
  const de = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(raw);
  if (de) return `${de[3]}-${de[2]!.padStart(2, '0')}-${de[1]!.padStart(2, '0')}`;
  return undefined;
}

// ------------------------------------------------------------------------------------------------ validation

async function validateRows(rows: PlannedRow[], logger: Logger): Promise<void> {
  const mediaUse = new Map<string, { file: string; line: number }>();
  const identity = new Map<string, { file: string; line: number }>();
  const hashes = new Map<string, { file: string; line: number; name: string }>();
  for (const row of rows) {
    const at = row.source;
    const key = [row.input.title.toLowerCase(), row.input.people.map((p) => p.name.toLowerCase()).sort().join('|'), row.input.recordedAt ?? ''].join('\u0000');
    const twin = identity.get(key);
    if (twin) row.problems.push({ ...at, message: `duplicate row: same title, people and date as ${twin.file} line ${twin.line}` });
    else identity.set(key, at);
    for (const f of row.media) {
      const seen = mediaUse.get(f.abs);
      if (seen) row.problems.push({ ...at, message: `media file "${f.name}" is already used by ${seen.file} line ${seen.line}` });
      else mediaUse.set(f.abs, at);
      try {
        const info = await probe(f.abs, { logger });
        if (!info.audio) row.problems.push({ ...at, message: `media file "${f.name}" has no sound track` });
        f.durationSec = info.durationSec;
      } catch (err) {
        if (!(err instanceof ProbeError)) throw err;
        row.problems.push({ ...at, message: `media file "${f.name}" is not readable media (${err.reason}: ${err.message.split(': ').pop()})` });
        continue;
      }
      f.sha256 = (await hashFile(f.abs)).digest;
      const same = hashes.get(f.sha256);
      if (same && same.name !== f.name) row.problems.push({ ...at, message: `media file "${f.name}" has the same content (SHA-256) as "${same.name}" of ${same.file} line ${same.line}` });
      else hashes.set(f.sha256, { ...at, name: f.name });
    }
    row.transcripts.forEach((t, part) => {
      if (!t) return;
      let parsed;
      try {
        parsed = parseTranscript(t.text, t.format);
      } catch (err) {
        if (!(err instanceof TranscriptParseError)) throw err;
        for (const i of err.issues) row.problems.push({ file: t.file.name, line: i.line, ...(i.column ? { column: i.column } : {}), message: `${t.format}: ${i.message} (row ${at.file} line ${at.line})` });
        return;
      }
      const duration = row.media[part]?.durationSec;
      const last = parsed.segments.reduce((m, s) => Math.max(m, s.end ?? 0), 0);
      if (duration !== undefined && last > duration + DURATION_SLACK_S) {
        row.problems.push({ file: t.file.name, line: 1, message: `transcript runs to ${last.toFixed(1)} s, past its recording "${row.media[part]!.name}" (${duration.toFixed(1)} s): probably belongs to another recording (row ${at.file} line ${at.line})` });
      }
      if (parsed.segments.length === 0 && parsed.index.length === 0) row.problems.push({ file: t.file.name, line: 1, message: 'transcript has no segments' });
    });
  }
}

// ------------------------------------------------------------------------------------------------ the run

function bytes(n: number): string {
  if (n < 1e3) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell + ' '.repeat(widths[c]! - [...cell].length)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

export async function runBulkImport(
  deps: { store: Store; services: Services; uploadsDir: string; viewer: Viewer; logger: Logger },
  opts: BulkImportOptions,
): Promise<BulkImportSummary> {
  const { store, services, uploadsDir, viewer, logger } = deps;
  const folder = path.resolve(opts.folder);
  const print = (s = '') => opts.stdout.write(`${s}\n`);
  const globalProblems: ImportProblem[] = [];
  if (!(await fs.stat(folder).then((s) => s.isDirectory(), () => false))) {
    print(`Ordner nicht gefunden / folder not found: ${folder}`);
    return { exitCode: 2, problems: [{ file: folder, line: 0, message: 'folder not found' }], rows: [] };
  }
  if (opts.collectionId && !(await store.collections.findById(opts.collectionId))) {
    globalProblems.push({ file: '--collection', line: 0, message: `no collection ${opts.collectionId}` });
  }
  const hasCsv = await fs.stat(path.join(folder, CSV_FILE)).then(() => true, () => false);
  print(`${opts.dryRun ? 'Probelauf / dry run' : 'Import'}: ${folder} (${hasCsv ? CSV_FILE : 'OHMS XML records'})`);
  const rows = hasCsv ? await readCsv(folder, globalProblems) : await readOhmsFolder(folder, globalProblems);
  await validateRows(rows, logger);
  if (opts.collectionId) for (const r of rows) r.input.collectionId = opts.collectionId;

  const allProblems = [...globalProblems, ...rows.flatMap((r) => r.problems)];
  const present = await archiveHashes(store);
  const results: RowResult[] = rows.map((r) => ({
    source: r.source, title: r.input.title, status: r.problems.length > 0 || globalProblems.length > 0 ? 'refused' : 'valid', interviewId: null,
    media: r.media.length, transcripts: r.transcripts.filter(Boolean).length, note: r.problems.length > 0 ? `${r.problems.length} problem(s)` : '',
  }));
  rows.forEach((r, i) => {
    const known = r.media.filter((m) => m.sha256 && present.has(m.sha256));
    if (results[i]!.status === 'valid' && known.length > 0) {
      results[i]!.note = known.length === r.media.length ? 'already in the archive (SHA-256)' : `${known.length} of ${r.media.length} media already in the archive (SHA-256)`;
    }
  });

  if (allProblems.length > 0) {
    print(`\n${allProblems.length} Problem(e) / problem(s):`);
    for (const p of [...allProblems].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1))) {
      print(`  ${p.file}:${p.line}${p.column ? `:${p.column}` : ''}: ${p.message}`);
    }
  } else print('\nKeine Probleme / no problems found.');

  if (opts.dryRun || globalProblems.length > 0) {
    print(`\n${table([['line', 'title', 'result', 'media', 'transcripts', 'note'], ...results.map((r) => [`${r.source.file}:${r.source.line}`, r.title, r.status === 'valid' ? 'ok' : 'refused', String(r.media), String(r.transcripts), r.note])])}`);
    const ok = results.filter((r) => r.status === 'valid').length;
    print(opts.dryRun
      ? `\nProbelauf: nichts importiert / dry run: nothing imported (${ok} of ${results.length} rows valid).`
      : `\nNichts importiert / nothing imported: the problems above concern the whole import (${globalProblems.length}).`);
    return { exitCode: allProblems.length > 0 ? 1 : 0, problems: allProblems, rows: results };
  }

  // ---- the real run: valid rows only
  const todo = rows.map((r, i) => ({ row: r, result: results[i]! })).filter(({ result }) => result.status === 'valid');
  const pendingMedia = todo.flatMap(({ row }) => row.media.filter((m) => !present.has(m.sha256!)));
  const totalBytes = pendingMedia.reduce((n, m) => n + m.sizeBytes, 0);
  const multibar = new cliProgress.MultiBar({
    stream: opts.stderr,
    noTTYOutput: true,
    notTTYSchedule: 1000,
    hideCursor: opts.stderr.isTTY ?? false,
    clearOnComplete: false,
    format: '{label} [{bar}] {percentage}% | {done}/{all} | ETA {eta_formatted} | {name}',
    formatValue: (v) => String(v),
    barsize: 24,
  }, cliProgress.Presets.shades_classic);
  const overall = multibar.create(Math.max(1, totalBytes), 0, { label: 'Gesamt / overall', done: bytes(0), all: bytes(totalBytes), name: `${pendingMedia.length} file(s)` });
  let overallDone = 0;

  for (const { row, result } of todo) {
    const unknown = row.media.filter((m) => !present.has(m.sha256!));
    if (unknown.length === 0) {
      result.status = 'skipped';
      result.interviewId = present.get(row.media[0]!.sha256!)!.interviewId;
      multibar.log(`übersprungen / skipped ${row.source.file}:${row.source.line} „${row.input.title}“: already in the archive (SHA-256 ${row.media.map((m) => m.sha256!.slice(0, 12)).join(', ')}) — interview ${result.interviewId}\n`);
      continue;
    }
    // an earlier run stopped inside this row: continue in the interview that holds its first media
    const resumedFrom = row.media.map((m) => present.get(m.sha256!)).find((m): m is Medium => Boolean(m));
    let interviewId = resumedFrom?.interviewId ?? null;
    let created = false;
    try {
      if (!interviewId) {
        interviewId = (await services.interviews.create(viewer, row.input)).id;
        created = true;
      }
      result.interviewId = interviewId;
      const mediaIds: (string | null)[] = [];
      for (const m of row.media) {
        const existing = present.get(m.sha256!);
        if (existing) {
          mediaIds.push(existing.interviewId === interviewId ? existing.id : null);
          continue;
        }
        const bar = multibar.create(Math.max(1, m.sizeBytes), 0, { label: 'Datei / file    ', done: bytes(0), all: bytes(m.sizeBytes), name: m.name });
        let fileDone = 0;
        const medium = await ingestLocalFile(services, uploadsDir, viewer, interviewId, m.abs, {
          expectedSha256: m.sha256!,
          onBytes: (n) => {
            fileDone += n;
            overallDone += n;
            bar.update(fileDone, { done: bytes(fileDone) });
            overall.update(overallDone, { done: bytes(overallDone) });
          },
        });
        bar.update(m.sizeBytes, { done: bytes(m.sizeBytes) });
        multibar.update();
        multibar.remove(bar);
        present.set(medium.sha256, medium);
        mediaIds.push(medium.id);
      }
      let transcripts = 0;
      for (const [part, t] of row.transcripts.entries()) {
        const mediaId = mediaIds[part];
        if (!t || !mediaId) continue;
        if (await store.transcripts.head(mediaId)) continue; // imported by the run that stopped here
        await services.transcripts.import({ viewer, interviewId, mediaId, text: t.text, format: t.format, filename: t.file.name, reason: `Massenimport / bulk import: ${t.file.name}` });
        transcripts++;
      }
      result.status = resumedFrom ? 'resumed' : 'imported';
      result.media = row.media.length;
      result.transcripts = transcripts;
      result.note = resumedFrom ? `continued: ${unknown.length} missing media added` : '';
      await services.audit.record(viewer, {
        interviewId, action: 'preservation.bulk-import', entity: 'interview', entityId: interviewId,
        after: { folder, source: `${row.source.file}:${row.source.line}`, media: row.media.map((m) => ({ file: m.name, sha256: m.sha256 })) },
      });
    } catch (err) {
      result.status = 'failed';
      result.note = err instanceof Error ? err.message.slice(0, 200) : String(err);
      logger.error({ err, source: row.source }, 'bulk import row failed');
      // a row that this run began is removed again (its media too); a resumed one keeps what earlier runs stored
      if (created && interviewId) await services.interviews.delete(viewer, interviewId).catch(() => undefined);
      result.interviewId = created ? null : interviewId;
    }
  }
  overall.update(Math.max(1, totalBytes), { done: bytes(totalBytes) });
  multibar.update();
  multibar.stop();

  print(`\n${table([['line', 'title', 'result', 'media', 'transcripts', 'interview', 'note'], ...results.map((r) => [
    `${r.source.file}:${r.source.line}`, r.title, r.status, String(r.media), String(r.transcripts), r.interviewId ?? '—', r.note,
  ])])}`);
  const count = (s: RowStatus) => results.filter((r) => r.status === s).length;
  print(`\n${count('imported')} imported, ${count('resumed')} resumed, ${count('skipped')} skipped (already in the archive), ${count('refused')} refused, ${count('failed')} failed; renditions are made by the archive's workers.`);
  return { exitCode: count('refused') + count('failed') > 0 ? 1 : 0, problems: allProblems, rows: results };
}
