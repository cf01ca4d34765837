// Alignment: a transcript typed without (or with coarse) times gets segment and word times from the engine's word
// timings. A global sequence alignment (edit distance, banded for long recordings) over normalized words pairs each
// given word with a recognised one; the text itself is never changed. Words without a partner get times
// interpolated between their aligned neighbours and are marked `aligned: false`; a segment none of whose words
// aligned is marked `unaligned: true` and keeps its old times (or interpolated ones).
import type { TimedSegment, TranscriptSegment } from '../store/types.js';
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
  return text
    .split(/\s+/)
    .map((raw) => ({ raw, norm: normalizeWord(raw) }))
    .filter((t) => t.norm.length > 0);
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
 * misses are returned. Banded around the diagonal and with two rolling cost rows (the back-pointers take one byte a
 * cell), so that hours of speech stay within memory; words are interned so equality is an integer compare.
 */
export function alignSequences(
  given: readonly string[],
  recognised: readonly string[],
  band?: number,
): Array<[number, number]> {
  const n = given.length;
  const m = recognised.length;
  if (n === 0 || m === 0) return [];
  const ids = new Map<string, number>();
  const intern = (w: string) => {
    let id = ids.get(w);
    if (id === undefined) ids.set(w, (id = ids.size));
    return id;
  };
  const a = Int32Array.from(given, intern);
  const b = Int32Array.from(recognised, intern);
  const words = [...ids.keys()];
  const subCache = new Map<number, number>();
  const sub = (x: number, y: number): number => {
    if (x === y) return 0;
    const key = x < y ? x * ids.size + y : y * ids.size + x;
    let c = subCache.get(key);
    if (c === undefined) subCache.set(key, (c = substitutionCost(words[x]!, words[y]!)));
    return c;
  };
  const B = band ?? Math.max(150, Math.ceil(Math.abs(n - m) + 0.03 * Math.max(n, m)));
  const width = 2 * B + 1;
  // column j of row i lives at k = j - centre(i) + B; centre follows the diagonal of the n × m rectangle
  const centre = (i: number) => Math.round((i * m) / n);
  const INF = 1e9;
  let prev = new Float64Array(width).fill(INF);
  let curr = new Float64Array(width).fill(INF);
  const back = new Uint8Array((n + 1) * width); // 1 diag, 2 up (gap in recognised), 3 left (gap in given)
  for (let j = 0; j <= Math.min(m, B); j++) {
    prev[j + B] = j * GAP;
    back[j + B] = 3;
  }
  for (let i = 1; i <= n; i++) {
    curr.fill(INF);
    const c = centre(i);
    const shift = c - centre(i - 1); // prev row's k for column j is k + shift
    const lo = Math.max(0, c - B);
    const hi = Math.min(m, c + B);
    const ai = a[i - 1]!;
    for (let j = lo; j <= hi; j++) {
      const k = j - c + B;
      const kUp = k + shift;
      let best = kUp >= 0 && kUp < width ? prev[kUp]! + GAP : INF;
      let dir = 2;
      if (j > 0) {
        const kDiag = kUp - 1;
        if (kDiag >= 0 && kDiag < width) {
          const diag = prev[kDiag]! + sub(ai, b[j - 1]!);
          if (diag <= best) {
            best = diag;
            dir = 1;
          }
        }
        if (k > 0) {
          const left = curr[k - 1]! + GAP;
          if (left < best) {
            best = left;
            dir = 3;
          }
        }
      }
      curr[k] = best;
      back[i * width + k] = dir;
    }
    [prev, curr] = [curr, prev];
  }
  const pairs: Array<[number, number]> = [];
  let i = n;
  let j = m;
  if (Math.abs(m - centre(n)) > B) return [];
  while (i > 0 || j > 0) {
    const k = j - centre(i) + B;
    const dir = k >= 0 && k < width ? back[i * width + k]! : i > 0 ? 2 : 3;
    if (dir === 1 && i > 0 && j > 0) {
      if (sub(a[i - 1]!, b[j - 1]!) < 1) pairs.push([i - 1, j - 1]);
      i--;
      j--;
    } else if ((dir === 2 || j === 0) && i > 0) {
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
export function alignTranscript(
  segments: readonly TranscriptSegment[],
  recognised: readonly AsrWord[],
  durationSec: number,
): AlignmentResult {
  const tokens: { seg: number; raw: string; norm: string }[] = [];
  segments.forEach((s, seg) => {
    for (const t of tokenize(s.text)) tokens.push({ seg, ...t });
  });
  const rec = recognised.filter((w) => normalizeWord(w.word).length > 0);
  const pairs = alignSequences(
    tokens.map((t) => t.norm),
    rec.map((w) => normalizeWord(w.word)),
  );
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
  const out: TimedSegment[] = segments.map((s, segIndex) => {
    const own = tokens.map((t, i) => ({ t, f: filled[i]! })).filter((x) => x.t.seg === segIndex);
    const { words: _old, ...rest } = s;
    if (own.length === 0 || own.every((x) => !x.f.aligned)) {
      unalignedSegments++;
      const start = own.length ? own[0]!.f.start : (s.start ?? 0);
      const end = own.length ? own[own.length - 1]!.f.end : (s.end ?? start);
      // a segment without any aligned word keeps coarse times it had (untimed text has none); otherwise the
      // interpolation is all we know
      const had = s.start !== null && s.end !== null ? { start: s.start, end: s.end } : null;
      const keep =
        had !== null && had.end > had.start && (had.start > 0 || had.end > 0) && !(had.start === 0 && had.end <= 0.001);
      return {
        ...rest,
        start: round(keep ? had.start : start),
        end: round(keep ? had.end : Math.max(end, start + 0.01)),
        unaligned: true,
      };
    }
    const words = own.map((x) => ({
      start: round(x.f.start),
      end: round(Math.max(x.f.end, x.f.start + 0.01)),
      text: x.t.raw,
      ...(x.f.aligned ? {} : { aligned: false as const }),
    }));
    return {
      ...rest,
      start: words[0]!.start,
      end: Math.max(words[words.length - 1]!.end, words[0]!.start + 0.01),
      words,
    };
  });
  // segments must not overlap their successors after re-timing
  for (let i = 0; i + 1 < out.length; i++) {
    if (out[i]!.end > out[i + 1]!.start && out[i + 1]!.start > out[i]!.start) out[i]!.end = out[i + 1]!.start;
  }
  const alignedWords = pairs.length;
  return {
    segments: out,
    alignedShare: tokens.length ? alignedWords / tokens.length : 0,
    words: tokens.length,
    alignedWords,
    unalignedSegments,
  };
}
