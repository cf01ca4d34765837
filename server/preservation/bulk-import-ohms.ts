// Bulk import: reading a folder of OHMS XML records (metadata here; transcript and index through the transcript
// parser) and matching each to its medium by file name.
import fs from 'node:fs/promises';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { createInterviewSchema } from '../interviews/schemas.js';
import { issueText } from '../i18n/messages.js';
import {
  CSV_FILE,
  type ImportProblem,
  type PlannedFile,
  type PlannedRow,
  fileInFolder,
  iso6392,
  personName,
} from './bulk-import-plan.js';

export interface OhmsMeta {
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
  const meta: OhmsMeta = {
    title: '',
    interviewees: [],
    interviewers: [],
    date: null,
    language: null,
    keywords: [],
    description: null,
    fileName: null,
    mediaUrl: null,
  };
  const parser = new SaxesParser();
  const stack: string[] = [];
  let text = '';
  parser.on('opentag', (tag) => {
    const name = (tag.name.includes(':') ? tag.name.slice(tag.name.indexOf(':') + 1) : tag.name).toLowerCase();
    stack.push(name);
    text = '';
    if (name === 'date' && stack.at(-2) === 'record' && typeof tag.attributes.value === 'string')
      meta.date = tag.attributes.value;
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
      case 'title':
        meta.title = value;
        break;
      case 'interviewee':
        meta.interviewees.push(
          ...value
            .split(';')
            .map((s) => s.trim())
            .filter(Boolean),
        );
        break;
      case 'interviewer':
        meta.interviewers.push(
          ...value
            .split(';')
            .map((s) => s.trim())
            .filter(Boolean),
        );
        break;
      case 'date':
        meta.date ??= value;
        break;
      case 'language':
        meta.language = value;
        break;
      case 'keyword':
      case 'keywords':
        meta.keywords.push(
          ...value
            .split(';')
            .map((s) => s.trim())
            .filter(Boolean),
        );
        break;
      case 'description':
        meta.description = value;
        break;
      case 'file_name':
        meta.fileName = value;
        break;
      case 'media_url':
        meta.mediaUrl = value;
        break;
    }
    text = '';
  });
  parser.write(xml).close();
  return meta;
}

export const mediaExtensions = [
  '.wav',
  '.mp3',
  '.m4a',
  '.mp4',
  '.mov',
  '.flac',
  '.ogg',
  '.opus',
  '.webm',
  '.mkv',
  '.aac',
  '.mpg',
  '.mpeg',
  '.avi',
];

export async function readOhmsFolder(folder: string, problems: ImportProblem[]): Promise<PlannedRow[]> {
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
      rowProblems.push({
        file,
        line: m ? Number(m[1]) : 1,
        ...(m ? { column: Number(m[2]) } : {}),
        message: `XML: ${m ? m[3] : (err as Error).message}`,
      });
      planned.push({
        source: at,
        input: createInterviewSchema.parse({ title: file }),
        media: [],
        transcripts: [],
        problems: rowProblems,
      });
      continue;
    }
    const language = meta.language ? (iso6392[meta.language.toLowerCase()] ?? meta.language.toLowerCase()) : undefined;
    const recordedAt = meta.date ? normaliseDate(meta.date) : undefined;
    const input = createInterviewSchema.safeParse({
      title: meta.title || path.basename(file, path.extname(file)),
      people: [
        ...meta.interviewees.map((n) => ({ name: personName(n), role: 'narrator' })),
        ...meta.interviewers.map((n) => ({ name: personName(n), role: 'interviewer' })),
      ],
      ...(recordedAt ? { recordedAt } : {}),
      ...(language ? { language } : {}),
      ...(meta.description ? { summary: meta.description } : {}),
      keywords: meta.keywords,
    });
    if (!input.success)
      for (const i of input.error.issues)
        rowProblems.push({ ...at, message: `${i.path.join('.')}: ${issueText(i.message)}` });
    // the medium: <file_name>, else the last path segment of <media_url>, else a media file with the XML's base name
    const stem = path.basename(file, path.extname(file));
    const named =
      meta.fileName ??
      (meta.mediaUrl ? decodeURIComponent(meta.mediaUrl.split(/[/?#]/).filter(Boolean).pop() ?? '') : null);
    const candidate =
      named && names.includes(named)
        ? named
        : (names.find(
            (n) =>
              path.basename(n, path.extname(n)) === stem && mediaExtensions.includes(path.extname(n).toLowerCase()),
          ) ?? null);
    const media: PlannedFile[] = [];
    if (!candidate)
      rowProblems.push({
        ...at,
        message: `no media file for this record (${named ? `"${named}" not in the folder; ` : ''}looked for ${stem}.<wav|mp3|m4a|mp4|…>)`,
      });
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

export function normaliseDate(raw: string): string | undefined {
  const iso = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(raw);
  if (iso) return [iso[1], iso[2], iso[3]].filter(Boolean).join('-');
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  if (us) return `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`;
  const de = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(raw);
  if (de) return `${de[3]}-${de[2]!.padStart(2, '0')}-${de[1]!.padStart(2, '0')}`;
  return undefined;
}
