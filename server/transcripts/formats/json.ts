// Our own JSON shape `{ version: 1, segments, index }`, validated with zod; issues carry JSON pointers and,
// located in the source text, line numbers.
import { z } from 'zod';
import { type IssueList, collectSpeakers, roundMs, stripBom, validateSegments, type LocatedSegment } from './common.js';
import type { AnySegment, IndexSegment, Segment } from './types.js';

const time = z.number().min(0);

const wordSchema = z.object({ start: time, end: time, text: z.string() });

const segmentSchema = z.object({
  start: time,
  end: time,
  speaker: z.string().nullable().optional(),
  text: z.string(),
  words: z.array(wordSchema).optional(),
});

const indexSchema = z.object({
  start: time,
  title: z.string(),
  synopsis: z.string().nullable().optional(),
  keywords: z.array(z.string()).optional(),
  subjects: z.array(z.string()).optional(),
  place: z
    .object({
      name: z.string(),
      lat: z.number().min(-90).max(90).optional(),
      lon: z.number().min(-180).max(180).optional(),
      zoom: z.number().optional(),
      nameAlt: z.string().optional(),
    })
    .nullable()
    .optional(),
  partialTranscript: z.string().nullable().optional(),
  titleAlt: z.string().optional(),
  synopsisAlt: z.string().optional(),
  partialTranscriptAlt: z.string().optional(),
  keywordsAlt: z.array(z.string()).optional(),
  subjectsAlt: z.array(z.string()).optional(),
  morePlaces: z
    .array(
      z.object({
        name: z.string(),
        lat: z.number().min(-90).max(90).optional(),
        lon: z.number().min(-180).max(180).optional(),
        zoom: z.number().optional(),
        nameAlt: z.string().optional(),
      }),
    )
    .optional(),
  hyperlinks: z.array(z.object({ url: z.string(), text: z.string(), textAlt: z.string().optional() })).optional(),
});

export const transcriptJsonSchema = z.object({
  version: z.literal(1),
  title: z.string().nullable().optional(),
  speakers: z.array(z.string()).optional(),
  segments: z.array(segmentSchema),
  index: z.array(indexSchema).optional(),
});

export type TranscriptJson = z.infer<typeof transcriptJsonSchema>;

function lineStarts(src: string): number[] {
  const starts = [0];
  for (let i = 0; i < src.length; i++) if (src[i] === '\n') starts.push(i + 1);
  return starts;
}

function lineCol(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

const escapePointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Offsets of every value in already-valid JSON, keyed by JSON pointer (JSON.parse keeps no positions). */
function valueOffsets(src: string): Map<string, number> {
  const map = new Map<string, number>();
  let i = 0;
  const ws = (): void => {
    while (i < src.length && ' \t\n\r'.includes(src[i]!)) i++;
  };
  const str = (): string => {
    const from = i++;
    while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(src.slice(from, i)) as string;
  };
  const value = (ptr: string): void => {
    ws();
    map.set(ptr, i);
    const c = src[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (src[i] === close) {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        ws();
        let key = String(n);
        if (c === '{') {
          key = str();
          ws();
          i++; // ':'
        }
        value(`${ptr}/${escapePointer(key)}`);
        ws();
        if (src[i++] !== ',') return;
      }
    } else if (c === '"') str();
    else while (i < src.length && /[-+.\w]/.test(src[i]!)) i++;
  };
  value('');
  return map;
}

/** Line/column of a JSON.parse failure: newer V8 says "(line L column C)", older "at position N". */
function syntaxErrorPosition(message: string, starts: number[]): { line: number; column?: number } {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  if (pos) return lineCol(starts, Number(pos[1]));
  return { line: 1 };
}

export interface ParsedJson {
  segments: Segment[];
  index: IndexSegment[];
  speakers: string[];
}

export function parseJson(text: string, issues: IssueList): ParsedJson {
  const src = stripBom(text);
  const starts = lineStarts(src);
  let data: unknown;
  try {
    data = JSON.parse(src);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = syntaxErrorPosition(message, starts);
    issues.add(at.line, `Invalid JSON: ${message}`, at.column);
    return { segments: [], index: [], speakers: [] };
  }
  const offsets = valueOffsets(src);
  const locate = (path: readonly PropertyKey[]): { line: number; column: number; pointer: string } => {
    // a missing property has no offset: fall back to its nearest present parent
    for (let n = path.length; n >= 0; n--) {
      const pointer = path
        .slice(0, n)
        .map((k) => `/${escapePointer(String(k))}`)
        .join('');
      const off = offsets.get(pointer);
      if (off !== undefined)
        return { ...lineCol(starts, off), pointer: path.map((k) => `/${escapePointer(String(k))}`).join('') };
    }
    return { line: 1, column: 1, pointer: '' };
  };

  const toSegment = (s: z.infer<typeof segmentSchema>): Segment => {
    const segment: Segment = { start: roundMs(s.start), end: roundMs(s.end), speaker: s.speaker ?? null, text: s.text };
    if (s.words) segment.words = s.words.map((w) => ({ start: roundMs(w.start), end: roundMs(w.end), text: w.text }));
    return segment;
  };
  const parsed = transcriptJsonSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const at = locate(issue.path);
      issues.add(at.line, `${at.pointer || '/'}: ${issue.message}`, at.column);
    }
    // the segments that are well-formed still get the timing rules, so one upload shows all its problems
    const raw = (data as { segments?: unknown } | null)?.segments;
    if (Array.isArray(raw)) {
      const located: LocatedSegment[] = [];
      raw.forEach((item: unknown, i) => {
        const one = segmentSchema.safeParse(item);
        if (one.success) located.push({ segment: toSegment(one.data), line: locate(['segments', i]).line });
      });
      validateSegments(located, issues);
    }
    return { segments: [], index: [], speakers: [] };
  }
  const doc = parsed.data;
  const located = doc.segments.map((s, i) => ({ segment: toSegment(s), line: locate(['segments', i]).line }));
  const segments = validateSegments(located, issues);
  const index: IndexSegment[] = (doc.index ?? [])
    .map((p) => {
      const point: IndexSegment = {
        start: roundMs(p.start),
        title: p.title,
        synopsis: p.synopsis ?? null,
        keywords: p.keywords ?? [],
        subjects: p.subjects ?? [],
        place: p.place
          ? {
              name: p.place.name,
              ...(p.place.lat !== undefined ? { lat: p.place.lat } : {}),
              ...(p.place.lon !== undefined ? { lon: p.place.lon } : {}),
              ...(p.place.zoom !== undefined ? { zoom: p.place.zoom } : {}),
              ...(p.place.nameAlt !== undefined ? { nameAlt: p.place.nameAlt } : {}),
            }
          : null,
      };
      if (p.partialTranscript !== undefined) point.partialTranscript = p.partialTranscript;
      for (const key of ['titleAlt', 'synopsisAlt', 'partialTranscriptAlt'] as const)
        if (p[key] !== undefined) point[key] = p[key];
      if (p.keywordsAlt) point.keywordsAlt = p.keywordsAlt;
      if (p.subjectsAlt) point.subjectsAlt = p.subjectsAlt;
      if (p.morePlaces) point.morePlaces = p.morePlaces;
      if (p.hyperlinks) point.hyperlinks = p.hyperlinks;
      return point;
    })
    .sort((a, b) => a.start - b.start);
  return { segments, index, speakers: collectSpeakers(segments, doc.speakers ?? []) };
}

export function exportJson(input: {
  segments: readonly AnySegment[];
  index: readonly IndexSegment[];
  title?: string | null;
  speakers?: readonly string[];
}): string {
  // untimed (legacy OHMS) text is written with start/end null; the JSON import takes timed transcripts only
  const doc: Omit<TranscriptJson, 'segments'> & { segments: unknown[] } = {
    version: 1,
    ...(input.title ? { title: input.title } : {}),
    speakers: collectSpeakers(input.segments, input.speakers ?? []),
    segments: input.segments.map((s) => ({
      start: s.start === null ? null : roundMs(s.start),
      end: s.end === null ? null : roundMs(s.end),
      speaker: s.speaker,
      text: s.text,
      ...(s.words
        ? { words: s.words.map((w) => ({ start: roundMs(w.start), end: roundMs(w.end), text: w.text })) }
        : {}),
    })),
    index: input.index.map((p) => ({ ...p })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
