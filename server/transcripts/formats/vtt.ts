// WebVTT and SRT import on top of the W3C WebVTT parser (webvtt-parser): it validates the file and parses
// timestamps and cue text; we only walk the blocks to keep each cue's line number, which it does not report.
import { createRequire } from 'node:module';
import webvtt, { type VttNode } from 'webvtt-parser';
import {
  type IssueList,
  WORDS_PER_SECOND,
  formatClock,
  matchSpeakerPrefix,
  normalizeText,
  roundMs,
  splitLines,
  validateSegments,
  wordsOf,
  type LocatedSegment,
} from './common.js';
import type { Segment, Word } from './types.js';

const { WebVTTParser, WebVTTCueTimingsAndSettingsParser, WebVTTCueTextParser } = webvtt;

// The parser's built-in entity table lacks the `;` forms (`&amp;` would decode to `&;`): use its full table.
const entities = createRequire(import.meta.url)('webvtt-parser/html-entities.json') as Record<string, string>;

const noop = (): void => undefined;

// Validator findings that do not matter for transcripts: cue settings are ignored, header text lines
// (`Kind:`/`Language:`) are tolerated, and time order / end-after-start are checked by validateSegments.
const IGNORED_VTT_ERRORS = [
  /setting/i,
  /^(Writing direction|Line position|Line alignment|Text position|Position alignment|Size|Alignment)\b/,
  /^No blank line after the signature\./,
  /^Start timestamp is not greater than or equal to start timestamp of previous cue\./,
  /^End timestamp is not greater than start timestamp\./,
  /separated from/,
];

interface Block {
  /** 1-based line of the timing line. */
  line: number;
  timing: string;
  text: string[];
}

interface Timing {
  start: number;
  end: number;
}

function parseTiming(timing: string, onError: (message: string, col?: number) => void): Timing | null {
  const cue: { startTime?: number; endTime?: number } = {};
  const ok = new WebVTTCueTimingsAndSettingsParser(timing, onError).parse(cue, 0);
  if (!ok || cue.startTime === undefined || cue.endTime === undefined) return null;
  return { start: roundMs(cue.startTime), end: roundMs(cue.endTime) };
}

/** Cue blocks in document order, following the same block rules as the W3C parser. */
function vttBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let i = 1;
  let collected = false;
  // header lines after the signature run up to the first blank line
  while (i < lines.length && lines[i] !== '') {
    if (lines[i]!.includes('-->')) {
      collected = true;
      break;
    }
    i++;
  }
  while (i < lines.length) {
    if (!collected) {
      while (i < lines.length && lines[i] === '') i++;
      if (i >= lines.length) break;
    }
    collected = false;
    const first = lines[i]!;
    if (!first.includes('-->')) {
      if (/^(NOTE|STYLE|REGION)($|[ \t])/.test(first)) {
        while (i < lines.length && lines[i] !== '') i++;
        continue;
      }
      i++; // cue identifier
      if (i >= lines.length || lines[i] === '' || !lines[i]!.includes('-->')) continue;
    }
    const block: Block = { line: i + 1, timing: lines[i]!, text: [] };
    i++;
    while (i < lines.length && lines[i] !== '') {
      if (lines[i]!.includes('-->')) {
        collected = true;
        break;
      }
      block.text.push(lines[i]!);
      i++;
    }
    blocks.push(block);
  }
  return blocks;
}

interface VoicePart {
  speaker: string | null;
  text: string;
  stamps: { at: number; time: number }[];
}

function decodeAnnotation(raw: string): string {
  const tree = new WebVTTCueTextParser(raw, noop, 'metadata', entities).parse(0, 0);
  return normalizeText(tree.children.map((n) => (n.type === 'text' ? n.value : '')).join(''));
}

/** Splits a cue tree into voice parts: text with tags removed, `<v>` speakers, inline timestamps. */
function voiceParts(children: VttNode[]): VoicePart[] {
  const parts: VoicePart[] = [{ speaker: null, text: '', stamps: [] }];
  const walk = (nodes: VttNode[]): void => {
    for (const node of nodes) {
      const cur = parts[parts.length - 1]!;
      if (node.type === 'text') cur.text += node.value;
      else if (node.type === 'timestamp') cur.stamps.push({ at: cur.text.length, time: node.value });
      else if (node.name === 'v') {
        const speaker = node.value ? decodeAnnotation(node.value) || null : null;
        if (cur.text.trim() === '' && cur.stamps.length === 0) cur.speaker = speaker;
        else parts.push({ speaker, text: '', stamps: [] });
        walk(node.children);
      } else if (node.name !== 'rt') walk(node.children); // ruby text is an annotation, not spoken words
    }
  };
  walk(children);
  return parts.filter((p) => p.text.trim() !== '');
}

/** Word timings from inline timestamps: each timestamp starts the words after it; chunks share their span by length. */
function wordsFromStamps(part: VoicePart, start: number, end: number): Word[] | undefined {
  if (part.stamps.length === 0) return undefined;
  const cuts = [{ at: 0, time: start }, ...part.stamps];
  const words: Word[] = [];
  for (let c = 0; c < cuts.length; c++) {
    const from = cuts[c]!;
    const to = cuts[c + 1];
    const chunk = part.text.slice(from.at, to ? to.at : undefined);
    const tokens = chunk.split(/\s+/).filter(Boolean);
    const t0 = from.time;
    const t1 = to ? to.time : end;
    const total = tokens.reduce((n, w) => n + w.length, 0) || 1;
    let acc = 0;
    for (const token of tokens) {
      const ws = roundMs(t0 + ((t1 - t0) * acc) / total);
      acc += token.length;
      words.push({ start: ws, end: roundMs(t0 + ((t1 - t0) * acc) / total), text: token });
    }
  }
  return words.length > 0 ? words : undefined;
}

/**
 * OHMS writes cues whose end is not after their start (zero-length, or an end of 00:00:00 after a later start) and
 * OHMS Viewer shows them anyway. Repair: end = the next later cue's start, or start + a duration from the text length
 * (2.5 words per second, at least one second); every repair is a warning with its line, never silent.
 */
function repairCueEnds(located: LocatedSegment[], issues: IssueList): void {
  for (let i = 0; i < located.length; i++) {
    const { segment: s, line } = located[i]!;
    if (!Number.isFinite(s.start) || !Number.isFinite(s.end) || s.end > s.start || s.start < 0) continue;
    const next = located.slice(i + 1).find((l) => l.segment.start > s.start)?.segment.start;
    const byText = roundMs(s.start + Math.max(1, wordsOf(s.text).length / WORDS_PER_SECOND));
    const end = next ?? byText;
    const what =
      s.end === s.start
        ? 'zero-length cue (start = end)'
        : `reversed cue (end ${formatClock(s.end)} before start ${formatClock(s.start)})`;
    issues.warn(
      line,
      `Repaired ${what}: end set to ${formatClock(end)} (${next !== undefined ? "the next cue's start" : 'estimated from the text length'}).`,
    );
    s.end = end;
    delete s.words; // inline timestamps of a cue without a valid span cannot be trusted
  }
}

/**
 * Parses WebVTT lines; `issues` may be shifted when the VTT is embedded (OHMS `<vtt_transcript>`).
 * `repairEnds` (OHMS) repairs cues whose end is not after their start instead of refusing them.
 */
export function parseVttLines(lines: string[], issues: IssueList, opts: { repairEnds?: boolean } = {}): Segment[] {
  // REGION blocks are unknown to the validator; as comments they keep their lines and are skipped
  const forValidator = lines.map((l) => (/^REGION($|[ \t])/.test(l) ? 'NOTE' : l));
  const result = new WebVTTParser(entities).parse(forValidator.join('\n'), 'metadata');
  let lastMissingTiming = -1;
  for (const err of result.errors) {
    if (IGNORED_VTT_ERRORS.some((re) => re.test(err.message))) continue;
    // a cue without timing line is reported twice (identifier, then the stray text as "standalone" identifier)
    if (err.message.startsWith('Cue identifier needs to be followed by timestamp')) lastMissingTiming = err.line;
    else if (err.message.startsWith('Cue identifier cannot be standalone') && err.line === lastMissingTiming + 1)
      continue;
    issues.add(err.line, err.message, err.col);
  }
  const located: LocatedSegment[] = [];
  for (const block of vttBlocks(lines)) {
    const timing = parseTiming(block.timing, noop);
    if (!timing) continue; // reported by the validator
    const tree = new WebVTTCueTextParser(block.text.join('\n'), noop, 'metadata', entities).parse(
      timing.start,
      timing.end,
    );
    const parts = voiceParts(tree.children);
    if (parts.length === 0) {
      located.push({ segment: { ...timing, speaker: null, text: '' }, line: block.line });
      continue;
    }
    for (const part of parts) {
      const segment: Segment = { ...timing, speaker: part.speaker, text: normalizeText(part.text) };
      const words = wordsFromStamps(part, timing.start, timing.end);
      if (words) segment.words = words;
      located.push({ segment, line: block.line });
    }
  }
  if (opts.repairEnds) repairCueEnds(located, issues);
  return validateSegments(located, issues);
}

export function parseVtt(text: string, issues: IssueList): Segment[] {
  return parseVttLines(splitLines(text), issues);
}

// SRT formatting tags and ASS-style overrides (`{\an8}`) that players accept in SRT text.
const SRT_TAGS = /<\/?(?:i|b|u|s|font)\b[^>]*>|\{\\[^}]*\}/gi;

/**
 * SRT: blocks of counter, `HH:MM:SS,mmm --> HH:MM:SS,mmm` and text. Timing lines go through the WebVTT
 * timestamp parser (after `,` → `.`) so both formats share one strict timestamp grammar and its messages.
 */
export function parseSrt(text: string, issues: IssueList): Segment[] {
  const lines = splitLines(text);
  const located: LocatedSegment[] = [];
  let speaker: string | null = null;
  let i = 0;
  while (i < lines.length) {
    while (i < lines.length && lines[i]!.trim() === '') i++;
    if (i >= lines.length) break;
    const blockStart = i;
    const block: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') block.push(lines[i++]!);
    let timingIdx: number;
    if (block[0]!.includes('-->')) timingIdx = 0;
    else if (block[1]?.includes('-->')) {
      timingIdx = 1;
      if (!/^\d+$/.test(block[0]!.trim()))
        issues.add(blockStart + 1, `Expected a cue number, found "${block[0]!.trim().slice(0, 40)}".`);
    } else {
      const where = block.length > 1 ? blockStart + 2 : blockStart + 1;
      issues.add(
        where,
        /^\d+$/.test(block[0]!.trim())
          ? `Cue ${block[0]!.trim()} has no time line ("HH:MM:SS,mmm --> HH:MM:SS,mmm").`
          : 'Expected a cue number and a time line ("HH:MM:SS,mmm --> HH:MM:SS,mmm").',
      );
      continue;
    }
    const line = blockStart + timingIdx + 1;
    const timingLine = block[timingIdx]!.replace(/(\d),(\d)/g, '$1.$2');
    const timing = parseTiming(timingLine, (message, col) => {
      if (!IGNORED_VTT_ERRORS.some((re) => re.test(message))) issues.add(line, message.replace('("."', '(","'), col);
    });
    if (!timing) continue;
    let body = normalizeText(
      block
        .slice(timingIdx + 1)
        .join('\n')
        .replace(SRT_TAGS, ''),
    );
    // a `NAME:` prefix names the speaker; subtitles only repeat it on a change, so it carries over
    const prefix = matchSpeakerPrefix(body);
    if (prefix) {
      speaker = prefix.speaker;
      body = prefix.rest.trim();
    }
    located.push({ segment: { ...timing, speaker, text: body }, line });
  }
  return validateSegments(located, issues);
}
