// Bulk import: reading interviews.csv (one row per interview) into planned rows, every problem with its line.
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { createInterviewSchema, languageSchema, partialDate } from '../interviews/schemas.js';
import { issueText } from '../i18n/messages.js';
import { visibilities, type Person } from '../store/types.js';
import { detectFormat } from '../transcripts/formats/index.js';
import {
  CSV_FILE,
  type ImportProblem,
  LIST_SEPARATOR,
  type PlannedFile,
  type PlannedRow,
  csvColumns,
  fileInFolder,
  requiredColumns,
  splitList,
} from './bulk-import-plan.js';

// ------------------------------------------------------------------------------------------------ reading the input

export const rowSchema = z.object({
  title: z.string().trim().min(1, { message: 'title is empty' }).max(300),
  recorded: z.union([z.literal(''), partialDate]),
  language: z.union([z.literal(''), languageSchema]),
  visibility: z.union([z.literal(''), z.enum(visibilities)], {
    error: (iss) => `"${String(iss.input)}" is not one of ${visibilities.join(', ')}`,
  }),
  lat: z.union([z.literal(''), z.coerce.number().min(-90).max(90)]),
  lon: z.union([z.literal(''), z.coerce.number().min(-180).max(180)]),
});

export async function readCsv(folder: string, problems: ImportProblem[]): Promise<PlannedRow[]> {
  const file = CSV_FILE;
  const text = await fs.readFile(path.join(folder, file), 'utf8');
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t']
    .map((d) => [d, firstLine.split(d).length] as const)
    .sort((a, b) => b[1] - a[1])[0]![0];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      bom: true,
      delimiter,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as typeof records;
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
    if (!(csvColumns as readonly string[]).includes(c))
      problems.push({
        file,
        line: 1,
        column: i + 1,
        message: `unknown column "${header.record[i]}" (known: ${csvColumns.join(', ')})`,
      });
  });
  for (const c of requiredColumns)
    if (!columns.includes(c)) problems.push({ file, line: 1, message: `required column "${c}" is missing` });
  columns.forEach((c, i) => {
    if (columns.indexOf(c) !== i)
      problems.push({ file, line: 1, column: i + 1, message: `column "${c}" appears twice` });
  });

  const planned: PlannedRow[] = [];
  for (const { record, info } of rows) {
    const line = info.lines;
    const at = { file, line };
    const rowProblems: ImportProblem[] = [];
    if (record.length !== columns.length)
      rowProblems.push({ ...at, message: `${record.length} fields, but the header has ${columns.length}` });
    const cell = (name: (typeof csvColumns)[number]) => {
      const i = columns.indexOf(name);
      return i >= 0 ? (record[i] ?? '').trim() : '';
    };
    const basics = rowSchema.safeParse({
      title: cell('title'),
      recorded: cell('recorded'),
      language: cell('language'),
      visibility: cell('visibility'),
      lat: cell('lat'),
      lon: cell('lon'),
    });
    if (!basics.success)
      for (const i of basics.error.issues)
        rowProblems.push({ ...at, message: `${String(i.path[0])}: ${issueText(i.message)}` });
    if ((cell('lat') === '') !== (cell('lon') === ''))
      rowProblems.push({ ...at, message: 'lat and lon: give both or neither' });
    if ((cell('lat') !== '' || cell('lon') !== '') && cell('place') === '')
      rowProblems.push({ ...at, message: 'coordinates without a place name' });
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
      ...(cell('place')
        ? {
            place: {
              name: cell('place'),
              ...(lat !== undefined && lon !== undefined && Number.isFinite(lat) && Number.isFinite(lon)
                ? { lat, lon }
                : {}),
            },
          }
        : {}),
      ...(cell('language') ? { language: cell('language') } : {}),
      ...(cell('summary') ? { summary: cell('summary') } : {}),
      keywords: splitList(cell('keywords')),
      ...(cell('visibility') ? { visibility: cell('visibility') } : {}),
    });
    if (!input.success && basics.success)
      for (const i of input.error.issues)
        rowProblems.push({ ...at, message: `${i.path.join('.')}: ${issueText(i.message)}` });

    const mediaNames = splitList(cell('media'));
    if (mediaNames.length === 0) rowProblems.push({ ...at, message: 'no media file named (column "media")' });
    const media: PlannedFile[] = [];
    for (const name of mediaNames) {
      const f = await fileInFolder(folder, name, at, 'media file', rowProblems);
      if (f) media.push(f);
    }
    const transcriptNames =
      cell('transcripts') === ''
        ? []
        : cell('transcripts')
            .split(LIST_SEPARATOR)
            .map((s) => s.trim());
    if (transcriptNames.length > mediaNames.length)
      rowProblems.push({
        ...at,
        message: `${transcriptNames.length} transcripts for ${mediaNames.length} media part(s): one per part, in part order`,
      });
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
