// Running text with `[hh:mm:ss]` timecodes and `NAME:` speaker prefixes: plain-text transcripts and the
// classic OHMS `<transcript>` element share these rules.
import { type IssueList, matchSpeakerPrefix, normalizeText, parseClock, wordsOf } from './common.js';

export interface TextUnit {
  /** 1-based line within the scanned text. */
  line: number;
  /** Time from a timecode opening this unit; null when a speaker prefix opened it. */
  anchor: number | null;
  speaker: string | null;
  text: string;
  words: number;
  /** Index of the unit's first word among all words of the text (OHMS `<sync>` counts words). */
  wordPos: number;
}

export interface MarkedText {
  units: TextUnit[];
  timecodes: number;
  /** Word index at which each line starts. */
  lineWordStart: number[];
  totalWords: number;
}

// Anything bracketed that starts like a clock is taken as a timecode, so malformed ones are reported, not kept as text.
const TIMECODE_LIKE = /\[(\d{1,3}:[0-9:.,]*)\]/g;
// A line ending like this closes a paragraph: a speaker prefix may open the next line.
const PARAGRAPH_END = /[.!?…:;"“”»«)\]]$/;

export function scanMarkedText(lines: string[], issues: IssueList): MarkedText {
  const lineWordStart: number[] = [];
  let totalWords = 0;
  for (const line of lines) {
    lineWordStart.push(totalWords);
    totalWords += wordsOf(line.replace(TIMECODE_LIKE, ' ')).length;
  }

  interface Open extends Omit<TextUnit, 'text' | 'words'> {
    parts: string[];
  }
  const units: Open[] = [];
  let current: Open | null = null;
  let speaker: string | null = null;
  let timecodes = 0;
  let paragraphStart = true;

  const wordPosAt = (li: number, raw: string, index: number): number =>
    lineWordStart[li]! + wordsOf(raw.slice(0, index).replace(TIMECODE_LIKE, ' ')).length;

  const open = (unit: Omit<Open, 'parts'>): Open => {
    const u: Open = { ...unit, parts: [] };
    units.push(u);
    return u;
  };

  lines.forEach((raw, li) => {
    if (raw.trim() === '') {
      paragraphStart = true;
      return;
    }
    let pos = 0;
    let lineStart = true; // nothing but timecodes so far on this line
    const text = (piece: string, at: number): void => {
      if (piece.trim() === '') return;
      let body = piece;
      if (lineStart && paragraphStart) {
        const lead = piece.length - piece.trimStart().length;
        const prefix = matchSpeakerPrefix(piece.trimStart());
        if (prefix) {
          speaker = prefix.speaker;
          body = prefix.rest;
          if (current && current.parts.length === 0) current.speaker = speaker;
          else current = open({ line: li + 1, anchor: null, speaker, wordPos: wordPosAt(li, raw, at + lead) });
        }
      }
      lineStart = false;
      if (body.trim() === '') return;
      current ??= open({ line: li + 1, anchor: null, speaker, wordPos: wordPosAt(li, raw, at) });
      current.parts.push(body);
    };
    for (const m of raw.matchAll(TIMECODE_LIKE)) {
      text(raw.slice(pos, m.index), pos);
      pos = m.index + m[0].length;
      const time = parseClock(m[1]!);
      if (time === null) {
        issues.add(li + 1, `Invalid timecode "${m[0]}" (expected [hh:mm:ss], [mm:ss] or [hh:mm:ss.mmm]).`, m.index + 1);
        continue;
      }
      timecodes++;
      // a speaker line waiting for its first words takes the time instead of leaving an empty unit behind
      if (current && current.parts.length === 0 && current.anchor === null) current.anchor = time;
      else current = open({ line: li + 1, anchor: time, speaker, wordPos: wordPosAt(li, raw, m.index) });
    }
    text(raw.slice(pos), pos);
    paragraphStart = PARAGRAPH_END.test(raw.trim());
  });

  return {
    units: units.map(({ parts, ...u }) => {
      const t = normalizeText(parts.join(' '));
      return { ...u, text: t, words: wordsOf(t).length };
    }),
    timecodes,
    lineWordStart,
    totalWords,
  };
}
