// Transcript segments in Meilisearch, one document per timed passage. Derived data like the interview index: built
// from the stored transcript, rebuilt whenever needed. Every document carries its interview's access fields (status,
// visibility, grants) and its own restriction flag, so one filter (segmentFilter) decides what a viewer finds; a change
// of status or visibility must therefore reach every segment.
//
// Segments carry nothing else of their interview. Title and the interview facets (collection, narrator, place, year,
// keywords, language) live once per interview in the store and are joined in by interview id (interview-catalog.ts):
// copied onto 200,000 segments they were most of the index's size and of Meilisearch's memory (bench/search).
//
// German: `text` is indexed without a locale (exact words, umlaut-insensitive, typo-tolerant); `spellings` and
// `parts` (german.ts) add ß→ss, ae/oe/ue and vocabulary compound parts. Ranking puts text matches above derived ones.
import type { EnqueuedTask, SearchParams } from 'meilisearch';
import type { Logger } from '../logger.js';
import type { SearchEngine } from './engine.js';
import { matchingWordRanges, normalizeQuery } from './german.js';
import { parseFacetAnswer, parseKeyFacetAnswer, type FacetValueCounts } from './facet-answer.js';
import type { InterviewKeyCounts } from './interview-key.js';
import { quote } from './interview-index.js';
import { MARK_CLOSE, MARK_OPEN, safeHighlight } from './highlight.js';
import {
  accessTags,
  INTERVIEW_KEY_FIELD,
  interviewAccessTags,
  RESTRICTED_TAG,
  toSegmentDocuments,
  type InterviewLike,
  type SegmentDocument,
  type SegmentFacet,
  type SegmentInput,
} from './segment-documents.js';
import { keyLiteral } from './segment-filter.js';
import { segmentIndexSettings } from './segment-settings.js';

export * from './segment-documents.js';
export * from './segment-filter.js';
export { MAX_INTERVIEWS_COUNTED, segmentIndexSettings } from './segment-settings.js';

export interface SegmentSearchParams {
  q: string;
  /** From segmentFilter() (or accessFilter plus facet clauses); undefined = everything. */
  filter?: string;
  page?: number;
  hitsPerPage?: number;
  facets?: readonly SegmentFacet[];
}

export interface SegmentHit {
  id: string;
  interviewId: string;
  mediaId: string;
  start: number;
  end: number;
  speaker: string | null;
  /** HTML-safe, about 30 words around the match, matches in <mark>. */
  snippet: string;
}

export interface SegmentSearchResult {
  q: string;
  /** What was sent to Meilisearch after normalizeQuery. */
  query: string;
  total: number;
  page: number;
  hitsPerPage: number;
  hits: SegmentHit[];
  /** Facet distributions asked for, but not interviewSortKey: that one is `perInterview`. */
  facets: Record<string, Record<string, number>>;
  /** Matching passages per interview key (the interviewSortKey facet), when asked for. */
  perInterview?: InterviewKeyCounts;
  processingTimeMs: number;
}

/** Page 1 of 0 hits: only the distribution of `facet` over every matching passage (read by facet-answer.ts). */
const distributionRequest = (q: string, filter: string | undefined, facet: string) => ({
  q,
  filter,
  page: 1,
  hitsPerPage: 0,
  facets: [facet],
});

const CROP_WORDS = 30;
/** Passages per group of replaceMedia (~550 bytes each in bench/search: ~55 MB). */
const BATCH_SEGMENTS = 100_000;
/** Largest request body of a document addition: Meilisearch refuses more than 100 MB by default (long passages). */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

/**
 * Snippet for a passage found through `spellings` or `parts`, where Meilisearch marked nothing: our own matches,
 * cropped to CROP_WORDS words around the first one. Null when the query does not explain the hit either.
 */
export function derivedSnippet(text: string, q: string): string | null {
  const ranges = matchingWordRanges(text, q);
  const first = ranges[0];
  if (!first) return null;
  const words = [...text.matchAll(/\S+/g)].map((m) => [m.index, m.index + m[0].length] as const);
  const hitWord = Math.max(
    0,
    words.findIndex(([, end]) => end >= first[1]),
  );
  let from = Math.max(0, hitWord - Math.floor(CROP_WORDS / 3));
  const to = Math.min(words.length, from + CROP_WORDS);
  from = Math.max(0, to - CROP_WORDS);
  const startChar = words[from]?.[0] ?? 0;
  const endChar = words[to - 1]?.[1] ?? text.length;
  let out = '';
  let pos = startChar;
  for (const [a, b] of ranges) {
    if (a < startChar || b > endChar) continue;
    out += text.slice(pos, a) + MARK_OPEN + text.slice(a, b) + MARK_CLOSE;
    pos = b;
  }
  out += text.slice(pos, endChar);
  return safeHighlight((from > 0 ? '…' : '') + out + (to < words.length ? '…' : ''));
}

/** Documents as JSON arrays of at most `maxBytes` each (a single larger document goes alone); none for no documents. */
export function jsonPayloads(docs: readonly object[], maxBytes: number): string[] {
  const payloads: string[] = [];
  let parts: string[] = [];
  let bytes = 2;
  for (const doc of docs) {
    const json = JSON.stringify(doc);
    const size = Buffer.byteLength(json) + 1;
    if (parts.length > 0 && bytes + size > maxBytes) {
      payloads.push(`[${parts.join(',')}]`);
      parts = [];
      bytes = 2;
    }
    parts.push(json);
    bytes += size;
  }
  if (parts.length > 0) payloads.push(`[${parts.join(',')}]`);
  return payloads;
}

export class SegmentIndex {
  // Delete-then-add pairs are enqueued strictly one after another, so two replacements of the same medium can never
  // interleave into a mix of both versions (Meilisearch applies tasks in the order it received them).
  #queue: Promise<unknown> = Promise.resolve();
  /** The tasks of the last replaceMedia: the next one waits for them before it reads which ids a medium holds. */
  #inFlight: readonly EnqueuedTask[] = [];
  #inFlightDocs = 0;

  constructor(
    private readonly engine: SearchEngine,
    private readonly logger: Logger,
  ) {}

  get uid(): string {
    return this.engine.indexName('segments');
  }

  private index() {
    return this.engine.client.index<SegmentDocument>(this.uid);
  }

  /** A search request through fetch, as the client sends it (same host, key, timeout), answered as text. */
  async #searchRaw(body: Record<string, unknown>): Promise<string> {
    const { host, apiKey, timeout } = this.engine.client.config;
    const url = `${host.replace(/\/$/, '')}/indexes/${encodeURIComponent(this.uid)}/search`;
    const res = await fetch(url, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: {
        'Content-Type': 'application/json',
        // Node's fetch negotiates compression by default and Meilisearch then answers ~45 ms later (engine.ts)
        'Accept-Encoding': 'identity',
        ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}),
      },
      signal: AbortSignal.timeout(timeout ?? 10_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`segment search: Meilisearch answered ${res.status}: ${text.slice(0, 300)}`);
    return text;
  }

  async ensureSettings(): Promise<void> {
    const task = await this.index().updateSettings(segmentIndexSettings).waitTask({ timeout: 120_000 });
    if (task.status !== 'succeeded') throw new Error(`segment index settings: ${task.error?.message ?? task.status}`);
  }

  /**
   * Media whose passages were indexed by an older version: before segments carried access tags (they match no
   * viewer's filter) or interview keys (found, but not counted per interview) until indexed again, so the runtime
   * re-queues their `search.transcript` jobs.
   */
  async mediaToReindex(): Promise<string[]> {
    const media = new Set<string>();
    for await (const docs of this.#pages(`access NOT EXISTS OR ${INTERVIEW_KEY_FIELD} NOT EXISTS`, ['mediaId'], 1000))
      for (const d of docs) media.add(d.mediaId);
    return [...media];
  }

  /** Every document matching `filter`, page by page (only `fields` of each). */
  async *#pages<K extends keyof SegmentDocument | 'restricted'>(
    filter: string,
    fields: K[],
    limit: number,
  ): AsyncGenerator<Array<Pick<SegmentDocument & { restricted?: boolean }, K>>> {
    for (let offset = 0; ; offset += limit) {
      const page = await this.index().getDocuments<SegmentDocument & { restricted?: boolean }>({
        filter,
        fields,
        limit,
        offset,
      });
      if (page.results.length > 0) yield page.results;
      if (page.results.length < limit) return;
    }
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Replaces every segment of a medium (delete by filter, then add). Resolves once Meilisearch has applied both. */
  replaceMedium(interview: InterviewLike, mediaId: string, segments: readonly SegmentInput[]): Promise<number> {
    return this.replaceMedia([{ interview, mediaId, segments }]);
  }

  /**
   * Bulk form of replaceMedium for rebuilds and benchmarks. Sent in groups of about BATCH_SEGMENTS segments, each in
   * requests of at most MAX_PAYLOAD_BYTES (Meilisearch batches them back together). A group's new documents replace those with the same ids, and only
   * ids the medium no longer has are deleted, by id: unlike a deletion by filter, that lets Meilisearch batch the
   * deletions and additions of several groups into one indexing run (bench/search at 200k passages: 20 → 8 batches,
   * Meilisearch CPU 38.0 → 37.2 s, peak RSS 734 → 710 MiB). Few large groups rather than many small ones: every
   * batch merges its words into the posting lists the index already holds, so part of its cost follows the index's
   * vocabulary, not the batch's size, and the decompounder's parts add many words to it (bench/search --decompounder
   * compare at 200k passages, with ÷ without Meilisearch CPU: 50k groups 4 batches 1.26, 100k groups 2 batches 1.05–1.17;
   * peak RSS 1.14, 1.12).
   */
  async replaceMedia(
    media: ReadonlyArray<{ interview: InterviewLike; mediaId: string; segments: readonly SegmentInput[] }>,
    opts: { timeoutMs?: number } = {},
  ): Promise<number> {
    const groups: Array<typeof media> = [];
    let group: Array<(typeof media)[number]> = [];
    let size = 0;
    for (const medium of media) {
      if (size > 0 && size + medium.segments.length > BATCH_SEGMENTS) {
        groups.push(group);
        group = [];
        size = 0;
      }
      group.push(medium);
      size += medium.segments.length;
    }
    if (group.length > 0) groups.push(group);

    let count = 0;
    const tasks = await this.#serial(async () => {
      // the ids a medium holds are read from what Meilisearch has applied: earlier replacements must be in first
      // (their failure is their caller's error, not this one's)
      await this.#wait(this.#inFlight, 60_000 + this.#inFlightDocs * 5).catch(() => undefined);
      const enqueued: EnqueuedTask[] = [];
      for (const g of groups) {
        const docs = g.flatMap((m) => toSegmentDocuments(m.interview, m.mediaId, m.segments));
        count += docs.length;
        const fresh = new Set(docs.map((d) => d.id));
        const held = await this.#idsWhere(`mediaId IN [${g.map((m) => quote(m.mediaId)).join(', ')}]`);
        const stale = held.filter((id) => !fresh.has(id));
        if (stale.length > 0) enqueued.push(await this.index().deleteDocuments(stale));
        for (const body of jsonPayloads(docs, MAX_PAYLOAD_BYTES)) {
          enqueued.push(await this.index().addDocumentsFromString(body, 'application/json', { primaryKey: 'id' }));
        }
      }
      this.#inFlight = enqueued;
      this.#inFlightDocs = count;
      return enqueued;
    });
    await this.#wait(tasks, opts.timeoutMs ?? 60_000 + count * 5);
    this.logger.debug({ media: media.length, segments: count }, 'segments indexed');
    return count;
  }

  async #idsWhere(filter: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const docs of this.#pages(filter, ['id'], 10_000)) ids.push(...docs.map((d) => d.id));
    return ids;
  }

  removeMedium(mediaId: string): Promise<void> {
    return this.#removeWhere(`mediaId = ${quote(mediaId)}`);
  }

  removeInterview(interviewId: string): Promise<void> {
    return this.#removeWhere(`interviewId = ${quote(interviewId)}`);
  }

  async #removeWhere(filter: string): Promise<void> {
    await this.#wait(await this.#serial(async () => [await this.index().deleteDocuments({ filter })]));
  }

  async #wait(tasks: readonly EnqueuedTask[], timeout = 60_000): Promise<void> {
    for (const enqueued of tasks) {
      const task = await this.engine.client.tasks.waitForTask(enqueued.taskUid, { timeout, interval: 50 });
      if (task.status !== 'succeeded')
        throw new Error(`segment index ${task.type}: ${task.error?.message ?? task.status}`);
    }
  }

  /**
   * Puts the interview's access tags on all its segments (keeping each segment's own restriction); must follow every
   * change of status, visibility or grants, or segments would stay findable under the old rule.
   */
  async updateInterviewAccess(interview: InterviewLike): Promise<number> {
    const tags = interviewAccessTags(interview);
    let count = 0;
    // `restricted`: a segment indexed before the access tags (until it is indexed again)
    for await (const docs of this.#pages(
      `interviewId = ${quote(interview.id)}`,
      ['id', 'access', 'restricted'],
      1000,
    )) {
      const updates = docs.map((d) => ({
        id: d.id,
        access: accessTags(tags, d.access?.includes(RESTRICTED_TAG) === true || d.restricted === true),
      }));
      await this.#wait(
        await this.#serial(async () => [await this.index().updateDocuments(updates, { primaryKey: 'id' })]),
      );
      count += docs.length;
    }
    return count;
  }

  /**
   * Matching passages per interview id among passages with one of `keys`: the split of keys two interviews share
   * (InterviewCatalog.tally). Same query and filter as the search it completes.
   */
  async perInterviewWithKeys(
    q: string,
    filter: string | undefined,
    keys: readonly number[],
  ): Promise<FacetValueCounts> {
    const only = `${INTERVIEW_KEY_FIELD} IN [${keys.map(keyLiteral).join(', ')}]`;
    const body = distributionRequest(normalizeQuery(q), filter ? `(${filter}) AND ${only}` : only, 'interviewId');
    return parseFacetAnswer(await this.#searchRaw(body), 'interviewId').counts;
  }

  async search(params: SegmentSearchParams): Promise<SegmentSearchResult> {
    const page = params.page ?? 1;
    const hitsPerPage = params.hitsPerPage ?? 20;
    const query = normalizeQuery(params.q);
    const facets = params.facets ?? [];
    const withHits = facets.filter((f) => f !== INTERVIEW_KEY_FIELD);
    // Counting the per-interview facet is most of Meilisearch's time for a search (bench/search/levers.ts). Asked for in
    // a request of its own, sent together with the hits request, it is worked on beside it (Meilisearch runs one
    // search per core) instead of after it; both requests find the same passages (same query and filter).
    const [result, perInterview] = await Promise.all([
      this.index().search<SegmentDocument, SearchParams & { page: number; hitsPerPage: number }>(query, {
        filter: params.filter,
        page,
        hitsPerPage,
        facets: withHits.length > 0 ? withHits : undefined,
        attributesToRetrieve: ['id', 'interviewId', 'mediaId', 'start', 'end', 'speaker', 'text'],
        attributesToCrop: ['text'],
        cropLength: CROP_WORDS,
        cropMarker: '…',
        attributesToHighlight: ['text'],
        // Meilisearch escapes nothing: mark with control characters, escape, then turn them into <mark>
        highlightPreTag: MARK_OPEN,
        highlightPostTag: MARK_CLOSE,
      }),
      facets.includes(INTERVIEW_KEY_FIELD)
        ? // keys read as numbers from the text (facet-answer.ts)
          this.#searchRaw(distributionRequest(query, params.filter, INTERVIEW_KEY_FIELD)).then((text) =>
            parseKeyFacetAnswer(text, INTERVIEW_KEY_FIELD),
          )
        : undefined,
    ]);
    return {
      q: params.q,
      query,
      total: result.totalHits,
      page,
      hitsPerPage,
      hits: result.hits.map((hit) => {
        const formatted = String((hit._formatted as Partial<SegmentDocument> | undefined)?.text ?? '');
        const snippet = formatted.includes(MARK_OPEN)
          ? safeHighlight(formatted)
          : (derivedSnippet(hit.text, query) ?? safeHighlight(formatted));
        return {
          id: hit.id,
          interviewId: hit.interviewId,
          mediaId: hit.mediaId,
          start: hit.start,
          end: hit.end,
          speaker: hit.speaker,
          snippet,
        };
      }),
      facets: (result.facetDistribution ?? {}) as Record<string, Record<string, number>>,
      perInterview: perInterview?.keys,
      // the requests ran side by side: the slower one is what the search waited for
      processingTimeMs: Math.max(result.processingTimeMs, perInterview?.processingTimeMs ?? 0),
    };
  }
}
