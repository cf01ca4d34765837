// Reading a Meilisearch search answer whose facet distribution is large: the per-interview hit counts of archive
// search (up to MAX_INTERVIEWS_COUNTED values). JSON.parse made an object of ~20,000 keys of it that the catalog then
// walked; scanning that one facet into two flat lists costs a quarter of the CPU (bench/search/api-ab.ts: ~16 → ~4 ms
// for 18,000 interviews). The rest of the answer is parsed and checked as usual; an answer that does not look the
// way the scanner expects is parsed whole, so the result never depends on the shortcut.
import { z } from 'zod';
import { moduleLogger } from '../logger.js';
import { keyCounts, type InterviewKeyCounts } from './interview-key.js';

/** One facet's distribution as parallel lists, in Meilisearch's order. */
export interface FacetValueCounts {
  values: string[];
  counts: number[];
}

const answerSchema = z.object({
  totalHits: z.number().int().min(0),
  processingTimeMs: z.number(),
  facetDistribution: z.record(z.string(), z.record(z.string(), z.number().int().min(0))).optional(),
});
export type FacetAnswer = z.infer<typeof answerSchema> & { counts: FacetValueCounts };

const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const CLOSE = 0x7d;
const BACKSLASH = '\\';

type Envelope = z.infer<typeof answerSchema>;

const fellBack = new Set<string>();

/** The answer's envelope and `facet`'s distribution (empty lists when the answer has none). */
export function parseFacetAnswer(text: string, facet: string): FacetAnswer {
  const read = readAnswer(text, facet, false);
  return read.scanned ? { ...read.envelope, counts: read.scanned.counts } : read.whole;
}

/** The answer's envelope and the distribution of a facet whose values are interview keys (interview-key.ts), read as
 * numbers straight from the text: no substring per value, and what the catalog looks keys up by. */
export function parseKeyFacetAnswer(text: string, facet: string): Envelope & { keys: InterviewKeyCounts } {
  const read = readAnswer(text, facet, true);
  if (read.scanned) return { ...read.envelope, keys: { keys: read.scanned.keys, counts: read.scanned.counts.counts } };
  const { counts, ...envelope } = read.whole;
  return { ...envelope, keys: keyCounts(counts.values, counts.counts) };
}

/** The facet's values scanned out and the small rest parsed and checked like any engine answer, or the whole answer
 * parsed where the scanner would have to guess. */
function readAnswer(
  text: string,
  facet: string,
  numeric: boolean,
): { scanned: NonNullable<ReturnType<typeof scan>>; envelope: Envelope } | { scanned: null; whole: FacetAnswer } {
  const marker = `"facetDistribution":{${JSON.stringify(facet)}:{`;
  const at = text.indexOf(marker);
  const scanned = at < 0 ? null : scan(text, at + marker.length, numeric);
  if (!scanned) {
    // correct either way, but several times slower for 20,000 values (a 16-digit key once fell through here unseen):
    // said once per process and facet, so a change of the answer's shape is seen in the log
    if (at >= 0 && !fellBack.has(facet)) {
      fellBack.add(facet);
      moduleLogger('search').warn({ facet }, 'facet distribution not in the expected shape: parsed whole (slower)');
    }
    return { scanned: null, whole: whole(text, facet) };
  }
  const envelope = answerSchema.parse(JSON.parse(text.slice(0, at + marker.length) + text.slice(scanned.end)));
  return { scanned, envelope };
}

/** A run of at most 16 decimal digits from `pos` (interview keys have up to 16) that is an exact integer (below
 * 2^53): its value and where it ends, or null. */
function digitsAt(text: string, pos: number): { n: number; end: number } | null {
  const start = pos;
  let n = 0;
  for (let c = text.charCodeAt(pos); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++pos)) n = n * 10 + (c - 0x30);
  return pos === start || pos - start > 16 || !Number.isSafeInteger(n) ? null : { n, end: pos };
}

/**
 * `"value":count` pairs from `pos` up to the closing brace, or null at anything unexpected (escapes, floats …).
 * `numeric`: the values are keys, `"<digits>"`, read into `keys` instead of `counts.values`.
 */
function scan(
  text: string,
  pos: number,
  numeric = false,
): { counts: FacetValueCounts; keys: number[]; end: number } | null {
  const counts: FacetValueCounts = { values: [], counts: [] };
  const keys: number[] = [];
  if (text.charCodeAt(pos) === CLOSE) return { counts, keys, end: pos };
  for (;;) {
    if (text.charCodeAt(pos) !== QUOTE) return null;
    if (numeric) {
      const key = digitsAt(text, pos + 1);
      if (!key || text.charCodeAt(key.end) !== QUOTE) return null;
      keys.push(key.n);
      pos = key.end + 1;
    } else {
      const close = text.indexOf('"', pos + 1);
      if (close < 0) return null;
      const value = text.slice(pos + 1, close);
      if (value.includes(BACKSLASH)) return null;
      counts.values.push(value);
      pos = close + 1;
    }
    if (text.charCodeAt(pos++) !== COLON) return null;
    const count = digitsAt(text, pos);
    if (!count) return null;
    pos = count.end;
    counts.counts.push(count.n);
    const next = text.charCodeAt(pos);
    if (next === CLOSE) return { counts, keys, end: pos };
    if (next !== COMMA) return null;
    pos++;
  }
}

function whole(text: string, facet: string): FacetAnswer {
  const answer = answerSchema.parse(JSON.parse(text));
  const distribution = answer.facetDistribution?.[facet] ?? {};
  return { ...answer, counts: { values: Object.keys(distribution), counts: Object.values(distribution) } };
}
