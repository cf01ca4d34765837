// The number a passage carries for its interview, so that Meilisearch counts hits per interview on a numeric facet
// (for a string facet it reads, per value, the original string of a document carrying it).
//
// The key sorts interviews by creation: milliseconds since 2000 (42 bits, until 2139) above 11 bits of the SHA-256 of
// the id, at most 2^53 − 1, so exact as a Meilisearch f64. Meilisearch counts a facet by walking a tree over its
// values in order, each node holding the documents of neighbouring values; passages get their internal numbers as they
// are first indexed, roughly in the order interviews were created, so with keys in that order a node's documents lie
// together and the walk is cheaper (bench/search/numeric-facet.ts at 1,000,000 passages, Meilisearch p50/p95: this key
// 17/24 ms, dense numbers in indexing order 16–18/24–25, the same numbers shuffled 21–22/32–34, a pure hash 20/35).
//
// Derived from fields that never change (no store column, no migration, the same in every process). Two interviews
// share a key only when created in the same millisecond with the same 11 hash bits; the catalog knows which keys are
// shared and the API splits their counts by interviewId, and nothing that decides access or deletes passages uses the
// key — those keep filtering on the id. Passages carry it as `interviewSortKey`: the earlier pure-hash key was
// `interviewKey`, so passages indexed before are recognised (SegmentIndex.mediaToReindex) and indexed again.
import { createHash } from 'node:crypto';

const HASH_BITS = 11;
const TIME_BITS = 42;
const EPOCH_2000 = Date.UTC(2000, 0, 1);

export function interviewKey(interview: { id: string; createdAt: string }): number {
  const ms = Date.parse(interview.createdAt) - EPOCH_2000;
  // a record without a readable or plausible creation time still gets a key (sorted first), never NaN
  const time = Number.isFinite(ms) ? Math.min(Math.max(0, Math.trunc(ms)), 2 ** TIME_BITS - 1) : 0;
  const hash = createHash('sha256').update(interview.id).digest().readUInt16BE(0) >>> (16 - HASH_BITS);
  return time * 2 ** HASH_BITS + hash;
}

/** What can be a key (and so be put into a filter): a non-negative integer that a float holds exactly. */
export const isInterviewKey = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/** Hits per interview key, in Meilisearch's order (segment search's distribution). */
export interface InterviewKeyCounts {
  keys: readonly number[];
  counts: readonly number[];
}

/** A distribution scanned from an answer (its values are the keys as decimal strings) as keys; a value that is not a
 * key becomes NaN, which no interview has. */
export const keyCounts = (values: readonly string[], counts: readonly number[]): InterviewKeyCounts => ({
  keys: values.map((v) => {
    const key = /^\d{1,16}$/.test(v) ? Number(v) : NaN;
    return isInterviewKey(key) ? key : NaN;
  }),
  counts,
});
