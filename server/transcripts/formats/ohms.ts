// OHMS XML (Oral History Metadata Synchronizer): `<ROOT><record>` with a classic `<transcript>` (timed by
// `[HH:MM:SS]` markers or the `<sync>` element) or a `<vtt_transcript>`, plus `<index>` points.
// XML is read with saxes: strict well-formedness checks with line/column, and positions for our own issues.
import { SaxesParser } from 'saxes';
import {
  type IssueList,
  WORDS_PER_SECOND,
  collectSpeakers,
  formatClock,
  interpolateStarts,
  matchSpeakerPrefix,
  normalizeText,
  parseClock,
  roundMs,
  stripBom,
  validateSegments,
} from './common.js';
import { scanMarkedText, type MarkedText } from './marked-text.js';
import { unitsToSegments } from './txt.js';
import type { IndexHyperlink, IndexPlace } from '../../store/types.js';
import type { AnySegment, IndexSegment, Segment } from './types.js';
import { parseVttLines } from './vtt.js';

export const OHMS_NAMESPACE = 'https://www.weareavp.com/nunncenter/ohms';

interface XmlNode {
  /** Local name, lower-cased (OHMS mixes `ROOT` and `record`; namespace prefixes vary). */
  name: string;
  /** Line where the start tag ends, i.e. where its text content begins. */
  line: number;
  text: string;
  children: XmlNode[];
}

function readXml(src: string, issues: IssueList): XmlNode | null {
  const parser = new SaxesParser({ position: true });
  const doc: XmlNode = { name: '#document', line: 1, text: '', children: [] };
  const stack: XmlNode[] = [doc];
  const before = issues.size;
  parser.on('error', (err) => {
    // saxes prefixes its messages with "line:column: "
    const m = /^(\d+):(\d+): ([\s\S]*)$/.exec(err.message);
    if (m) issues.add(Number(m[1]), `XML: ${m[3]}`, Number(m[2]));
    else issues.add(parser.line, `XML: ${err.message}`, parser.column);
  });
  parser.on('opentag', (tag) => {
    const name = (tag.name.includes(':') ? tag.name.slice(tag.name.indexOf(':') + 1) : tag.name).toLowerCase();
    const node: XmlNode = { name, line: parser.line, text: '', children: [] };
    stack[stack.length - 1]!.children.push(node);
    stack.push(node);
  });
  parser.on('closetag', () => {
    if (stack.length > 1) stack.pop();
  });
  const addText = (t: string): void => {
    stack[stack.length - 1]!.text += t;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  try {
    parser.write(src).close();
  } catch (err) {
    issues.add(parser.line, `XML: ${err instanceof Error ? err.message : String(err)}`, parser.column);
  }
  return issues.size > before ? null : doc;
}

const child = (node: XmlNode | undefined, name: string): XmlNode | undefined =>
  node?.children.find((c) => c.name === name);
const children = (node: XmlNode | undefined, name: string): XmlNode[] =>
  node?.children.filter((c) => c.name === name) ?? [];
const textOf = (node: XmlNode | undefined): string => node?.text.trim() ?? '';
const list = (raw: string): string[] =>
  raw
    .split(';')
    .map((s) => normalizeText(s))
    .filter((s) => s !== '');

/** One `<gpspoints>` block: coordinates, zoom, place name and its translation; null when empty. */
function readPlace(gpsPoints: XmlNode, issues: IssueList): IndexPlace | null {
  const gpsNode = child(gpsPoints, 'gps');
  const name = normalizeText(textOf(child(gpsPoints, 'gps_text')));
  const nameAlt = normalizeText(textOf(child(gpsPoints, 'gps_text_alt')));
  const zoomText = textOf(child(gpsPoints, 'gps_zoom'));
  const gps = textOf(gpsNode);
  const m = /^(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)$/.exec(gps);
  if (gps !== '' && (!m || Math.abs(Number(m[1])) > 90 || Math.abs(Number(m[2])) > 180)) {
    issues.add((gpsNode ?? gpsPoints).line, `Index point: invalid <gps> "${gps}" (expected "lat, lon").`);
    return null;
  }
  if (!m && name === '') return null;
  const place: IndexPlace = { name };
  if (m) {
    place.lat = Number(m[1]);
    place.lon = Number(m[2]);
  }
  if (/^\d{1,2}$/.test(zoomText) && Number(zoomText) <= 22) place.zoom = Number(zoomText);
  if (nameAlt !== '') place.nameAlt = nameAlt;
  return place;
}

function readIndex(indexNode: XmlNode | undefined, issues: IssueList): IndexSegment[] {
  const points: IndexSegment[] = [];
  for (const point of children(indexNode, 'point')) {
    const timeNode = child(point, 'time');
    const start = parseClock(textOf(timeNode));
    if (start === null)
      issues.add(
        (timeNode ?? point).line,
        `Index point: invalid or missing <time> "${textOf(timeNode)}" (seconds expected).`,
      );
    const title = normalizeText(textOf(child(point, 'title')));
    if (title === '') issues.add(point.line, 'Index point without <title>.');
    const places = children(point, 'gpspoints')
      .map((g) => readPlace(g, issues))
      .filter((p): p is IndexPlace => p !== null);
    const partial = textOf(child(point, 'partial_transcript'));
    const synopsis = textOf(child(point, 'synopsis'));
    const entry: IndexSegment = {
      start: start ?? 0,
      title,
      synopsis: synopsis === '' ? null : synopsis,
      keywords: list(textOf(child(point, 'keywords'))),
      subjects: list(textOf(child(point, 'subjects'))),
      place: places[0] ?? null,
      partialTranscript: partial === '' ? null : partial,
    };
    // OHMS's translation layer: an `_alt` twin of every text field
    const titleAlt = normalizeText(textOf(child(point, 'title_alt')));
    const synopsisAlt = textOf(child(point, 'synopsis_alt'));
    const partialAlt = textOf(child(point, 'partial_transcript_alt'));
    const keywordsAlt = list(textOf(child(point, 'keywords_alt')));
    const subjectsAlt = list(textOf(child(point, 'subjects_alt')));
    if (titleAlt !== '') entry.titleAlt = titleAlt;
    if (synopsisAlt !== '') entry.synopsisAlt = synopsisAlt;
    if (partialAlt !== '') entry.partialTranscriptAlt = partialAlt;
    if (keywordsAlt.length > 0) entry.keywordsAlt = keywordsAlt;
    if (subjectsAlt.length > 0) entry.subjectsAlt = subjectsAlt;
    if (places.length > 1) entry.morePlaces = places.slice(1);
    const links: IndexHyperlink[] = [];
    for (const block of children(point, 'hyperlinks')) {
      const urlNode = child(block, 'hyperlink');
      const url = textOf(urlNode);
      if (url === '') continue;
      if (!/^https?:\/\/\S+$/i.test(url)) {
        issues.add((urlNode ?? block).line, `Index point: <hyperlink> "${url.slice(0, 80)}" is not an http(s) URL.`);
        continue;
      }
      const link: IndexHyperlink = { url, text: normalizeText(textOf(child(block, 'hyperlink_text'))) };
      const textAlt = normalizeText(textOf(child(block, 'hyperlink_text_alt')));
      if (textAlt !== '') link.textAlt = textAlt;
      links.push(link);
    }
    if (links.length > 0) entry.hyperlinks = links;
    points.push(entry);
  }
  return points.sort((a, b) => a.start - b.start);
}

interface SyncPoint {
  word: number;
  time: number;
}

/**
 * OHMS `<sync>`: `N:|l(w)|l(w)|…` — chunk size N minutes, then entry k (0-based, the first is usually empty)
 * says minute k·N starts at transcript line l (1-based), word w (1-based). Entries written as `k:l(w)` name
 * their chunk index explicitly; a value made only of those (`1:3(5)|2:7(3)`) is read with one-minute chunks.
 */
function readSync(raw: string, scanned: MarkedText, lineCount: number, line: number, issues: IssueList): SyncPoint[] {
  const s = raw.replace(/\s+/g, '');
  const head = /^(\d+(?:\.\d+)?):(.*)$/.exec(s);
  if (!head) {
    issues.add(line, `Invalid <sync> "${raw.slice(0, 40)}" (expected "minutes:|line(word)|…").`);
    return [];
  }
  let chunk = 1;
  let entries: string[];
  if (head[2]!.includes(':'))
    entries = s.split('|'); // only explicit `k:l(w)` entries
  else {
    chunk = Number(head[1]);
    entries = head[2]!.split('|');
    if (!(chunk > 0)) {
      issues.add(line, `Invalid <sync> chunk size "${head[1]}".`);
      return [];
    }
  }
  const points: SyncPoint[] = [{ word: 0, time: 0 }];
  entries.forEach((entry, k) => {
    if (entry === '') return;
    const m = /^(?:(\d+):)?(\d+)\((\d+)\)$/.exec(entry);
    if (!m) {
      issues.add(line, `Invalid <sync> entry "${entry}" (expected line(word)).`);
      return;
    }
    const index = m[1] !== undefined ? Number(m[1]) : k;
    const lineNo = Number(m[2]);
    if (lineNo < 1 || lineNo > lineCount) {
      issues.add(line, `<sync> entry "${entry}" points to line ${lineNo}, the transcript has ${lineCount} lines.`);
      return;
    }
    const time = index * chunk * 60;
    if (time === 0) return; // minute 0 is the start of the text
    points.push({ word: scanned.lineWordStart[lineNo - 1]! + Math.max(0, Number(m[3]) - 1), time });
  });
  for (let i = 1; i < points.length; i++) {
    if (points[i]!.word <= points[i - 1]!.word || points[i]!.time <= points[i - 1]!.time) {
      issues.add(line, `<sync> entries are out of order at minute ${points[i]!.time / 60}.`);
      return [];
    }
  }
  return points;
}

/** Time at a word position, linear between sync points; past the last one towards the duration or at the last pace. */
function timeAtWord(points: SyncPoint[], word: number, totalWords: number, duration: number | null): number {
  let i = 0;
  while (i + 1 < points.length && points[i + 1]!.word <= word) i++;
  const p = points[i]!;
  const next = points[i + 1];
  if (next) return roundMs(p.time + ((next.time - p.time) * (word - p.word)) / (next.word - p.word));
  if (duration !== null && duration > p.time && totalWords > p.word) {
    return roundMs(p.time + ((duration - p.time) * (word - p.word)) / (totalWords - p.word));
  }
  const prev = points[i - 1];
  const perWord = prev ? (p.time - prev.time) / (p.word - prev.word) : 1 / WORDS_PER_SECOND;
  return roundMs(p.time + (word - p.word) * perWord);
}

/** Untimed text as passages: one per paragraph (blank-line separated), `NAME:` prefixes as speakers. */
function untimedParagraphs(text: string): AnySegment[] {
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .map((p) => normalizeText(p))
    .filter((p) => p !== '')
    .map((p) => {
      const prefix = matchSpeakerPrefix(p);
      return prefix && prefix.rest.trim() !== ''
        ? { start: null, end: null, speaker: prefix.speaker, text: prefix.rest.trim() }
        : { start: null, end: null, speaker: null, text: p };
    });
}

export interface ParsedOhms {
  segments: AnySegment[];
  index: IndexSegment[];
  speakers: string[];
}

export function parseOhms(text: string, issues: IssueList): ParsedOhms {
  const empty: ParsedOhms = { segments: [], index: [], speakers: [] };
  const doc = readXml(stripBom(text), issues);
  if (!doc) return empty;
  const top = doc.children[0];
  const record = top?.name === 'record' ? top : child(top, 'record');
  if (!record) {
    issues.add(top?.line ?? 1, 'Not an OHMS file: no <ROOT><record> element.');
    return empty;
  }
  const durationNode = child(record, 'duration');
  let duration: number | null = null;
  if (textOf(durationNode) !== '') {
    duration = parseClock(textOf(durationNode));
    if (duration === null)
      issues.add(durationNode!.line, `Invalid <duration> "${textOf(durationNode)}" (expected HH:MM:SS or seconds).`);
  }
  const index = readIndex(child(record, 'index'), issues);

  let segments: Segment[] = [];
  const vttNode = child(record, 'vtt_transcript');
  const transcriptNode = child(record, 'transcript');
  if (vttNode && textOf(vttNode) !== '') {
    // embedded WebVTT: XML indentation would break its blank-line structure, so lines are trimmed
    const raw = vttNode.text.split('\n');
    const lines = raw.map((l) => l.trim());
    let skip = 0;
    while (skip < lines.length && lines[skip] === '') skip++;
    // columns point into the XML: add back the indentation that was trimmed
    const indent = (line: number): number => {
      const r = raw[skip + line - 1] ?? '';
      return r.length - r.trimStart().length;
    };
    segments = parseVttLines(lines.slice(skip), issues.shifted(vttNode.line - 1 + skip, indent), { repairEnds: true });
  } else if (transcriptNode && textOf(transcriptNode) !== '') {
    const local = issues.shifted(transcriptNode.line - 1);
    const lines = transcriptNode.text.split('\n');
    const scanned = scanMarkedText(lines, local);
    let starts: number[];
    if (scanned.timecodes > 0) {
      // like the OHMS viewer, text before the first marker starts at 0
      const units = scanned.units.map((u, i) => (i === 0 && u.anchor === null ? { ...u, anchor: 0 } : u));
      starts = interpolateStarts(units, duration);
    } else {
      const syncNode = child(record, 'sync');
      if (textOf(syncNode) === '') {
        // a legacy record (OHMS Viewer shows it): the text is kept untimed, as reading text, ready for alignment
        const untimed = untimedParagraphs(transcriptNode.text);
        issues.warn(
          transcriptNode.line,
          `The <transcript> has neither [HH:MM:SS] markers nor <sync> data: kept as untimed reading text (${untimed.length} passage(s), no captions).`,
        );
        return { segments: untimed, index, speakers: collectSpeakers(untimed) };
      }
      const points = readSync(textOf(syncNode), scanned, lines.length, syncNode!.line, issues);
      if (points.length === 0) return empty;
      starts = scanned.units.map((u) => timeAtWord(points, u.wordPos, scanned.totalWords, duration));
    }
    segments = validateSegments(unitsToSegments(scanned.units, starts, duration), local);
  } else if (index.length === 0) {
    issues.add(record.line, 'The OHMS record has neither a transcript nor index points.');
  }
  return { segments, index, speakers: collectSpeakers(segments) };
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * OHMS markers are whole seconds: each segment's start is floored (and nudged up to keep markers strictly
 * increasing), so a re-import gives starts within about a second; ends become the next marker.
 */
export function exportOhms(input: {
  segments: readonly AnySegment[];
  index: readonly IndexSegment[];
  title?: string | null;
}): string {
  const paragraphs: string[] = [];
  let last = -1;
  let end = 0;
  for (const s of input.segments) {
    const text = normalizeText(s.text);
    if (text === '') continue;
    if (s.start === null || s.end === null) {
      // untimed (legacy) text stays untimed: a paragraph without marker, the <sync> stays empty
      paragraphs.push(`${s.speaker ? `${normalizeText(s.speaker)}: ` : ''}${text}`);
      continue;
    }
    const marker = Math.max(Math.floor(s.start), last + 1);
    last = marker;
    end = Math.max(end, s.end, marker + 1);
    paragraphs.push(`[${formatClock(marker, '.', false)}] ${s.speaker ? `${normalizeText(s.speaker)}: ` : ''}${text}`);
  }
  const el = (name: string, value: string | number | null | undefined, indent: string) =>
    value === null || value === undefined || value === ''
      ? `${indent}<${name}></${name}>`
      : `${indent}<${name}>${escapeXml(String(value))}</${name}>`;
  const points = input.index.map((p) => {
    const i = '        ';
    const places = [...(p.place ? [p.place] : []), ...(p.morePlaces ?? [])];
    const gps = (places.length > 0 ? places : [null]).map((pl) =>
      [
        `${i}<gpspoints>`,
        el('gps', pl && pl.lat !== undefined && pl.lon !== undefined ? `${pl.lat}, ${pl.lon}` : '', `${i}  `),
        el('gps_zoom', pl?.zoom, `${i}  `),
        el('gps_text', pl?.name, `${i}  `),
        el('gps_text_alt', pl?.nameAlt, `${i}  `),
        `${i}</gpspoints>`,
      ].join('\n'),
    );
    const links = (p.hyperlinks && p.hyperlinks.length > 0 ? p.hyperlinks : [null]).map((h) =>
      [
        `${i}<hyperlinks>`,
        el('hyperlink', h?.url, `${i}  `),
        el('hyperlink_text', h?.text, `${i}  `),
        el('hyperlink_text_alt', h?.textAlt, `${i}  `),
        `${i}</hyperlinks>`,
      ].join('\n'),
    );
    return [
      '      <point>',
      el('time', roundMs(p.start), i),
      el('title', p.title, i),
      el('title_alt', p.titleAlt, i),
      el('partial_transcript', p.partialTranscript, i),
      el('partial_transcript_alt', p.partialTranscriptAlt, i),
      el('synopsis', p.synopsis, i),
      el('synopsis_alt', p.synopsisAlt, i),
      el('keywords', p.keywords.join(';'), i),
      el('keywords_alt', (p.keywordsAlt ?? []).join(';'), i),
      el('subjects', p.subjects.join(';'), i),
      el('subjects_alt', (p.subjectsAlt ?? []).join(';'), i),
      ...gps,
      ...links,
      '      </point>',
    ].join('\n');
  });
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<ROOT xmlns="${OHMS_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${OHMS_NAMESPACE}/ohms.xsd">`,
    `  <record id="" dt="${new Date().toISOString().slice(0, 10)}">`,
    '    <version>5.4</version>',
    `    <title>${escapeXml(input.title ?? '')}</title>`,
    `    <duration>${paragraphs.length > 0 ? formatClock(Math.ceil(end), '.', false) : ''}</duration>`,
    '    <sync></sync>',
    `    <transcript>${escapeXml(paragraphs.join('\n\n'))}</transcript>`,
    points.length > 0 ? `    <index>\n${points.join('\n')}\n    </index>` : '    <index></index>',
    '  </record>',
    '</ROOT>',
  ];
  return `${lines.join('\n')}\n`;
}
