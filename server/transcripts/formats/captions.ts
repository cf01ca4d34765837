// WebVTT/SRT export: transcript segments are often far longer than a caption, so each is split into cues of
// at most ~7 s and two lines of ~42 characters, at word boundaries.
import { formatClock, normalizeText, roundMs, wordsOf } from './common.js';
import type { Segment } from './types.js';

export const MAX_CUE_SECONDS = 7;
export const MAX_LINE_CHARS = 42;
export const MAX_LINES = 2;

interface TimedToken {
  text: string;
  start: number;
  end: number;
}

export interface CaptionCue {
  start: number;
  end: number;
  speaker: string | null;
  /** First cue of its segment (SRT puts the speaker prefix there). */
  first: boolean;
  /** Display lines, including the prefix given to splitSegment. */
  lines: string[];
  /** Tokens with their own timing, when the segment had word timings (VTT writes inline timestamps). */
  tokens: TimedToken[];
  timed: boolean;
}

/** Word timings when they match the text token for token; else time shared out by character count. */
function timeTokens(seg: Segment, tokens: string[]): { timed: boolean; items: TimedToken[] } {
  const words = seg.words ?? [];
  if (words.length === tokens.length && words.every((w, i) => normalizeText(w.text) === tokens[i])) {
    return {
      timed: true,
      items: tokens.map((text, i) => ({
        text,
        start: Math.min(Math.max(words[i]!.start, seg.start), seg.end),
        end: Math.min(Math.max(words[i]!.end, seg.start), seg.end),
      })),
    };
  }
  const weights = tokens.map((t) => t.length + 1);
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  return {
    timed: false,
    items: tokens.map((text, i) => {
      const start = seg.start + ((seg.end - seg.start) * acc) / total;
      acc += weights[i]!;
      return { text, start, end: seg.start + ((seg.end - seg.start) * acc) / total };
    }),
  };
}

/** Most balanced break into at most two lines within the limit; null when the words do not fit. */
export function wrapLines(words: string[], maxChars = MAX_LINE_CHARS): string[] | null {
  const one = words.join(' ');
  if (one.length <= maxChars) return [one];
  let best: string[] | null = null;
  for (let k = 1; k < words.length; k++) {
    const a = words.slice(0, k).join(' ');
    const b = words.slice(k).join(' ');
    if (a.length > maxChars || b.length > maxChars) continue;
    if (!best || Math.max(a.length, b.length) < Math.max(best[0]!.length, best[1]!.length)) best = [a, b];
  }
  return best;
}

/** Splits one segment into caption cues; `prefix` (SRT speaker label) counts toward the first cue's length. */
export function splitSegment(seg: Segment, prefix = ''): CaptionCue[] {
  const tokens = wordsOf(normalizeText(seg.text));
  if (tokens.length === 0) return [];
  const { timed, items } = timeTokens(seg, tokens);
  const groups: TimedToken[][] = [];
  let cur: TimedToken[] = [];
  for (const item of items) {
    if (cur.length > 0) {
      const lead = groups.length === 0 && prefix ? [prefix.trimEnd()] : [];
      const fits = wrapLines([...lead, ...cur.map((t) => t.text), item.text]) !== null;
      const tooLong = item.end - cur[0]!.start > MAX_CUE_SECONDS;
      if (!fits || tooLong) {
        groups.push(cur);
        cur = [];
      }
    }
    cur.push(item);
  }
  groups.push(cur);
  // cue boundaries at word starts; a boundary that would not move time forward merges the cues
  const merged: TimedToken[][] = [];
  for (const g of groups) {
    const prev = merged[merged.length - 1];
    const boundary = roundMs(g[0]!.start);
    const prevStart = prev ? (merged.length === 1 ? seg.start : roundMs(prev[0]!.start)) : seg.start;
    if (prev && (boundary <= prevStart || boundary >= roundMs(seg.end))) prev.push(...g);
    else merged.push([...g]);
  }
  return merged.map((g, i) => {
    const start = i === 0 ? roundMs(seg.start) : roundMs(g[0]!.start);
    const next = merged[i + 1];
    let end = next ? roundMs(next[0]!.start) : roundMs(seg.end);
    // a pause after the last word (known from word timings) becomes a gap rather than an overlong cue
    if (end - start > MAX_CUE_SECONDS)
      end = Math.min(end, Math.max(roundMs(g[g.length - 1]!.end), roundMs(start + MAX_CUE_SECONDS)));
    const words = g.map((t) => t.text);
    const lead = i === 0 && prefix ? [prefix.trimEnd()] : [];
    const lines = wrapLines([...lead, ...words]) ?? [[...lead, ...words].join(' ')];
    return { start, end, speaker: seg.speaker, first: i === 0, lines, tokens: g, timed };
  });
}

const escapeVtt = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function vttCueText(cue: CaptionCue): string {
  // inline timestamps must lie strictly inside the cue
  const stamp = (t: TimedToken, idx: number): string =>
    cue.timed && idx > 0 && roundMs(t.start) > cue.start && roundMs(t.start) < cue.end
      ? `<${formatClock(t.start)}>`
      : '';
  let idx = 0;
  const lines = cue.lines.map((line) =>
    wordsOf(line)
      .map((w) => {
        const t = cue.tokens[idx];
        const out = t ? `${stamp(t, idx)}${escapeVtt(w)}` : escapeVtt(w);
        idx++;
        return out;
      })
      .join(' '),
  );
  const voice = cue.speaker ? `<v ${escapeVtt(normalizeText(cue.speaker))}>` : '';
  return `${voice}${lines.join('\n')}`;
}

export function exportVtt(segments: readonly Segment[], title?: string | null, untimedSkipped = 0): string {
  const header = title ? `WEBVTT - ${normalizeText(title).replace(/-->/g, '→')}` : 'WEBVTT';
  const blocks = [header];
  if (untimedSkipped > 0) {
    blocks.push(
      `NOTE ${untimedSkipped} untimed passage(s) without timecodes are not captions; the text export (format=txt) holds them.\nOhne Zeitangaben: ${untimedSkipped} Abschnitt(e) sind keine Untertitel; der Textexport (format=txt) enthält sie.`,
    );
  }
  for (const seg of segments) {
    for (const cue of splitSegment(seg)) {
      blocks.push(`${formatClock(cue.start)} --> ${formatClock(cue.end)}\n${vttCueText(cue)}`);
    }
  }
  return `${blocks.join('\n\n')}\n`;
}

export function exportSrt(segments: readonly Segment[]): string {
  const blocks: string[] = [];
  let n = 0;
  for (const seg of segments) {
    const prefix = seg.speaker ? `${normalizeText(seg.speaker)}: ` : '';
    for (const cue of splitSegment(seg, prefix)) {
      n++;
      blocks.push(`${n}\n${formatClock(cue.start, ',')} --> ${formatClock(cue.end, ',')}\n${cue.lines.join('\n')}`);
    }
  }
  return blocks.length > 0 ? `${blocks.join('\n\n')}\n` : '';
}
