// Alignment: a transcript typed without (or with coarse) times gets segment and word times from the engine's word
// timings. A global sequence alignment (edit distance, banded for long recordings) over normalized words pairs each
// given word with a recognised one; the text itself is never changed. Words without a partner get times
// interpolated between their aligned neighbours and are marked `aligned: false`; a segment none of whose words
// aligned is marked `unaligned: true` and keeps its old times (or interpolated ones).
import type { TranscriptSegment } from '../store/types.js';
import type { AsrWord } from './types.js';

/** Lower case, umlauts and ß folded, punctuation dropped: "Förder-Brücke," → "forderbrucke". */
export function normalizeWord(word: string): string {
  return word
    .toLocaleLowerCase('de')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Words of a text as they stand (punctuation attached), with their normalized form; empty forms are dropped. */
export function tokenize(text: string): { raw: string; norm: string }[] {
  return text.split(/\s+/).map((raw) => ({ raw, norm: normalizeWord(raw) })).filter((t) => t.norm.length > 0);
}

function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** 0 for equal words, up to 1 for unrelated ones; near misses of the engine ("Kohle"/"Kohl") cost little. */
export function substitutionCost(a: string, b: string): number {
  if (a === b) return 0;
  const d = levenshtein(a, b) / Math.max(a.length, b.length);
  return d <= 0.34 ? 0.4 : 1.2;
}

const GAP = 1;

/**
 * Pairs of indices (given word i ↔ recognised word j) from a global alignment; only pairs that are equal or near
 * misses are returned. Banded around the diagonal so that hours of speech stay within memory.
 */
export function alignSequences(given: readonly string[], recognised: readonly string[], band?: number): Array<[number, number]> {
  const n = given.length;
  const m = recognised.length;
  if (n === 0 || m === 0) return [];
  const B = band ?? Math.max(200, Math.ceil(Math.abs(n - m) + 0.1 * Math.max(n, m)));
  const width = 2 * B + 1;
  // column j of row i lives at (j - centre(i) + B); centre follows the diagonal of the n × m rectangle
  const centre = (i: number) => Math.round((i * m) / n);
  const INF = 1e9;
  const cost = new Float64Array((n + 1) * width).fill(INF);
  const back = new Uint8Array((n + 1) * width); // 1 diag, 2 up (gap in recognised), 3 left (gap in given)
  const idx = (i: number, j: number) => {
    const k = j - centre(i) + B;
    return k >= 0 && k < width ? i * width + k : -1;
  };
  const get = (i: number, j: number) => {
    const k = idx(i, j);
    return k < 0 ? INF : cost[k]!;
  };
  for (let j = 0; j <= Math.min(m, B); j++) {
    const k = idx(0, j);
    if (k >= 0) {
      cost[k] = j * GAP;
      back[k] = 3;
    }
  }
  for (let i = 1; i <= n; i++) {
    const c = centre(i);
    for (let j = Math.max(0, c - B); j <= Math.min(m, c + B); j++) {
      const k = idx(i, j);
      let best = get(i - 1, j) + GAP;
      let dir = 2;
      if (j > 0) {
        const diag = get(i - 1, j - 1) + substitutionCost(given[i - 1]!, recognised[j - 1]!);
        if (diag <= best) {
          best = diag;
          dir = 1;
        }
        const left = get(i, j - 1) + GAP;
        if (left < best) {
          best = left;
          dir = 3;
        }
      }
      cost[k] = best;
      back[k] = dir;
    }
  }
  const pairs: Array<[number, number]> = [];
  let i = n;
  let j = m;
  if (idx(n, m) < 0) return [];
  while (i > 0 || j > 0) {
    const k = idx(i, j);
    const dir = k < 0 ? (i > 0 ? 2 : 3) : back[k]!;
    if (dir === 1) {
      if (substitutionCost(given[i - 1]!, recognised[j - 1]!) < 1) pairs.push([i - 1, j - 1]);
      i--;
      j--;
    } else if (dir === 2 && i > 0) {
      i--;
    } else {
      j--;
    }
  }
  return pairs.reverse();
}

export interface AlignmentResult {
  segments: TranscriptSegment[];
  /** Given words that found a partner, 0–1. */
  alignedShare: number;
  words: number;
  alignedWords: number;
  unalignedSegments: number;
}

const round = (t: number) => Math.round(t * 1000) / 1000;

/** Times for the given segments from the recognised words; the text of every segment stays exactly as it was. */
export function alignTranscript(segments: readonly TranscriptSegment[], recognised: readonly AsrWord[], durationSec: number): AlignmentResult {
  const tokens: { seg: number; raw: string; norm: string }[] = [];
  segments.forEach((s, seg) => {
    for (const t of tokenize(s.text)) tokens.push({ seg, ...t });
  });
  const rec = recognised.filter((w) => normalizeWord(w.word).length > 0);
  const pairs = alignSequences(tokens.map((t) => t.norm), rec.map((w) => normalizeWord(w.word)));
  const times: ({ start: number; end: number } | null)[] = tokens.map(() => null);
  for (const [i, j] of pairs) times[i] = { start: rec[j]!.start, end: rec[j]!.end };

  // interpolate the unaligned words between their aligned neighbours (by character share)
  const filled = times.map((t) => (t ? { ...t, aligned: true } : null));
  let k = 0;
  while (k < tokens.length) {
    if (filled[k]) {
      k++;
      continue;
    }
    let e = k;
    while (e < tokens.length && !filled[e]) e++;
    const from = k > 0 ? filled[k - 1]!.end : 0;
    const to = e < tokens.length ? filled[e]!.start : durationSec;
    const total = tokens.slice(k, e).reduce((a, t) => a + t.raw.length + 1, 0);
    let at = from;
    for (let x = k; x < e; x++) {
      const len = ((to - from) * (tokens[x]!.raw.length + 1)) / total;
      filled[x] = { start: at, end: at + len, aligned: false };
      at += len;
    }
    k = e;
  }

  let unalignedSegments = 0;
  const out: TranscriptSegment[] = segments.map((s, segIndex) => {
    const own = tokens.map((t, i) => ({ t, f: filled[i]! })).filter((x) => x.t.seg === segIndex);
    const { words: _old, ...rest } = s;
    if (own.length === 0 || own.every((x) => !x.f.aligned)) {
      unalignedSegments++;
      const start = own.length ? own[0]!.f.start : s.start;
      const end = own.length ? own[own.length - 1]!.f.end : s.end;
      // a segment without any aligned word keeps coarse times it had; otherwise the interpolation is all we know
      const keep = s.end > s.start && (s.start > 0 || s.end > 0) && !(s.start === 0 && s.end <= 0.001);
      return { ...rest, start: round(keep ? s.start : start), end: round(keep ? s.end : Math.max(end, start + 0.01)), unaligned: true };
    }
    const words = own.map((x) => ({ start: round(x.f.start), end: round(Math.max(x.f.end, x.f.start + 0.01)), text: x.t.raw, ...(x.f.aligned ? {} : { aligned: false as const }) }));
    return { ...rest, start: words[0]!.start, end: Math.max(words[words.length - 1]!.end, words[0]!.start + 0.01), words };
  });
  // segments must not overlap their successors after re-timing
  for (let i = 0; i + 1 < out.length; i++) {
    if (out[i]!.end > out[i + 1]!.start && out[i + 1]!.start > out[i]!.start) out[i]!.end = out[i + 1]!.start;
  }
  const alignedWords = pairs.length;
  return { segments: out, alignedShare: tokens.length ? alignedWords / tokens.length : 0, words: tokens.length, alignedWords, unalignedSegments };
}
