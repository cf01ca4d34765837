// The number a passage carries for its interview, so that Meilisearch counts hits per interview on a numeric facet:
// for a string facet it reads, per value, the original string of a document carrying it, and that was half of its
// time for a search at 1,000,000 passages (bench/search/numeric-facet.ts: p50/p95 50/123 → 27/71 ms).
//
// Derived from the id (no store column, no migration, the same in every process): 48 bits of its SHA-256, exact as a
// Meilisearch f64 and at most 15 digits in an answer. Two interviews may share a key (about 1 in 1.4 million for
// 20,000 interviews); the catalog knows which keys are shared and the API splits their counts by interviewId, and
// nothing that decides access or deletes passages uses the key — those keep filtering on the id.
import { createHash } from 'node:crypto';

export const INTERVIEW_KEY_BITS = 48;

export function interviewKey(interviewId: string): number {
  return createHash('sha256')
    .update(interviewId)
    .digest()
    .readUIntBE(0, INTERVIEW_KEY_BITS / 8);
}

/** Hits per interview key, in Meilisearch's order (segment search's distribution). */
export interface InterviewKeyCounts {
  keys: readonly number[];
  counts: readonly number[];
}

/** A distribution scanned from an answer (its values are the keys as decimal strings) as keys; a value that is not a
 * key becomes NaN, which no interview has. */
export const keyCounts = (values: readonly string[], counts: readonly number[]): InterviewKeyCounts => ({
  keys: values.map((v) => (/^\d{1,15}$/.test(v) ? Number(v) : NaN)),
  counts,
});
