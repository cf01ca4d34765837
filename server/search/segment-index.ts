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
import type { EnqueuedTask, SearchParams, Settings } from 'meilisearch';
import type { Logger } from '../logger.js';
import type { AccessScope } from '../store/repositories.js';
import type { Interview, Visibility, WorkflowStatus } from '../store/types.js';
import type { SearchEngine } from './engine.js';
import { expandForIndex, germanVocabulary, matchingWordRanges, normalizeQuery, prepareExpansion, protectedNameWords, TYPO_MIN_LENGTH } from './german.js';
import { accessFilter, quote } from './interview-index.js';
import { MARK_CLOSE, MARK_OPEN, safeHighlight } from './highlight.js';

/** One passage as the transcript holds it (TranscriptSegment fits); `restricted`: the narrator did not release it. */
export interface SegmentInput {
  start: number;
  end: number;
  speaker: string | null;
  text: string;
  restricted?: boolean;
}

/** What search needs to know about an interview: access fields for the segments, facets for the catalog. */
export interface SegmentInterviewMeta {
  id: string;
  title: string;
  collectionId: string | null;
  narrators: string[];
  place: string | null;
  recordedYear: number | null;
  keywords: string[];
  language: string;
  status: WorkflowStatus;
  visibility: Visibility;
  grants: string[];
  createdBy: string | null;
}

export interface SegmentDocument {
  id: string;
  interviewId: string;
  mediaId: string;
  segmentNo: number;
  start: number;
  end: number;
  speaker: string | null;
  text: string;
  /** Derived, searchable, never displayed. Absent when empty. */
  spellings?: string;
  parts?: string;
  status: WorkflowStatus;
  visibility: Visibility;
  grants: string[];
  restricted: boolean;
}

/** Facets Meilisearch counts itself: the segment's own speaker, and hits per interview (the catalog turns those into
 * the interview facets). */
export const segmentFacets = ['speaker', 'interviewId'] as const;
export type SegmentFacet = (typeof segmentFacets)[number];
/** Access fields copied from the interview onto each of its segments. */
type SegmentAccessFields = Pick<SegmentDocument, 'status' | 'visibility' | 'grants'>;

// Derived fields start with this stop word: otherwise a field consisting of (or starting with) the query word lands
// in the exactness rule's "equals / starts with the attribute" buckets and outranks passages with the real word.
const DERIVED_LEAD = 'und';

const displayed = ['id', 'interviewId', 'mediaId', 'segmentNo', 'start', 'end', 'speaker', 'text', 'status', 'visibility', 'restricted'];

export const MAX_INTERVIEWS_COUNTED = 20_000;

export const segmentIndexSettings: Settings = {
  // order = weight in the attribute rule: the words as spoken, then other spellings, then compound parts
  searchableAttributes: ['text', 'spellings', 'parts'],
  displayedAttributes: displayed,
  filterableAttributes: ['mediaId', 'status', 'visibility', 'grants', 'restricted', ...segmentFacets],
  // nothing sorts segments in Meilisearch (hits inside one interview are put in playback order by the API): a sortable
  // attribute would only add a number per document to the facet databases
  sortableAttributes: [],
  // exactness before attribute: the query word itself beats a synonym; compound parts are exact words too,
  // and lose to the spoken word in the attribute rule right after
  rankingRules: ['words', 'typo', 'proximity', 'exactness', 'attribute', 'sort'],
  stopWords: [DERIVED_LEAD],
  synonyms: germanVocabulary().synonyms,
  typoTolerance: {
    enabled: true,
    minWordSizeForTypos: { ...TYPO_MIN_LENGTH },
    // "Schicht" must not find "Schacht", "Kumpel" not "Kümmel"
    disableOnWords: [...germanVocabulary().strictWords],
    disableOnNumbers: true,
  },
  // no search-as-you-type here: prefixes made "Schacht" find "Schachtel" and "Gräfenhain" find "Gräfenhainichen";
  // compounds come from `parts` instead, and indexing is faster without prefix databases
  prefixSearch: 'disabled',
  // A passage is ~10 s of speech (~40 words): whether two query words stand 3 or 30 words apart inside it says little,
  // and word-pair proximity was the index's largest structure after the documents. byAttribute halves indexing time
  // and takes ~90 MiB off Meilisearch's peak at 200k passages (bench/search); phrases in quotes stay exact (positions).
  proximityPrecision: 'byAttribute',
  pagination: { maxTotalHits: 10_000 },
  // the interviewId distribution must be complete: it is what the interview facets and per-interview hit counts are
  // summed from. An archive with more matching interviews than this gets undercounted interview facets (never hits).
  faceting: { maxValuesPerFacet: MAX_INTERVIEWS_COUNTED, sortFacetValuesBy: { '*': 'count' } },
  // nobody searches inside facet values of passages; this skips building the facet-value search structures
  facetSearch: false,
};

/** The interview fields a segment carries. */
export function segmentMetaFromInterview(i: Interview): SegmentInterviewMeta {
  return {
    id: i.id,
    title: i.title,
    collectionId: i.collectionId,
    narrators: i.people.filter((p) => p.role === 'narrator').map((p) => p.name),
    place: i.place?.name ?? null,
    recordedYear: i.recordedAt ? Number(i.recordedAt.slice(0, 4)) : null,
    keywords: i.keywords,
    language: i.language,
    status: i.status,
    visibility: i.visibility,
    grants: i.grants,
    createdBy: i.createdBy,
  };
}

// Our highlight markers must not occur in stored text, or a snippet could open a <mark> it never closes.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const seconds = (s: number) => Math.round(s * 1000) / 1000;

/** Either the stored interview or the search meta made from it. */
export type InterviewLike = Interview | SegmentInterviewMeta;

const accessFields = (i: InterviewLike): SegmentAccessFields => ({ status: i.status, visibility: i.visibility, grants: i.grants });

/** People and the place of an interview: names the decompounder leaves whole in its transcripts. */
function interviewNames(i: InterviewLike): string[] {
  return 'people' in i ? [...i.people.map((p) => p.name), i.place?.name ?? null].filter((n): n is string => !!n) : [...i.narrators, i.place ?? ''];
}

export function toSegmentDocuments(interview: InterviewLike, mediaId: string, segments: readonly SegmentInput[]): SegmentDocument[] {
  const access = accessFields(interview);
  const names = protectedNameWords(interviewNames(interview));
  prepareExpansion(segments.map((s) => s.text));
  return segments.map((segment, segmentNo) => {
    const text = segment.text.replace(CONTROL, '');
    const { spellings, parts } = expandForIndex(text, germanVocabulary(), names);
    return {
      id: `${mediaId}_${segmentNo}`,
      interviewId: interview.id,
      mediaId,
      segmentNo,
      start: seconds(segment.start),
      end: seconds(segment.end),
      speaker: segment.speaker,
      text,
      ...(spellings.length > 0 ? { spellings: `${DERIVED_LEAD} ${spellings.join(' ')}` } : {}),
      ...(parts.length > 0 ? { parts: `${DERIVED_LEAD} ${parts.join(' ')}` } : {}),
      ...access,
      restricted: segment.restricted ?? false,
    };
  });
}

export interface SegmentFilterChoices {
  speaker?: readonly string[];
  /** Only these interviews (the catalog's answer to interview facet choices); an empty list finds nothing. */
  interviewIds?: readonly string[];
  /** Never these (interviews the store no longer shows this viewer while the index lags behind). */
  excludeInterviewIds?: readonly string[];
}

/**
 * The access rule plus facet choices as one filter. Passages a narrator did not release are for staff only
 * (not even the interview's owner finds them through search).
 *
 * Segments carry no owner: `ownedInterviewIds` (the store's answer for scope.ownerId) stands in for the interview
 * index's `createdBy` clause, so a scope with an owner needs it.
 */
export function segmentFilter(scope: AccessScope, choices: SegmentFilterChoices = {}, ownedInterviewIds: readonly string[] = []): string | undefined {
  const clauses: string[] = [];
  if (scope.kind === 'scoped') {
    const ids = [...(scope.interviewIds ?? []), ...ownedInterviewIds];
    const access = accessFilter({ ...scope, ownerId: undefined, interviewIds: ids }, 'interviewId');
    // the narrator finds their own restricted passages; nobody else but staff does
    const own = scope.interviewIds ?? [];
    clauses.push(access!, own.length > 0 ? `(restricted = false OR interviewId IN [${own.map(quote).join(', ')}])` : 'restricted = false');
  }
  if (choices.speaker && choices.speaker.length > 0) clauses.push(`speaker IN [${choices.speaker.map(quote).join(', ')}]`);
  if (choices.interviewIds) clauses.push(`interviewId IN [${choices.interviewIds.map(quote).join(', ')}]`);
  if (choices.excludeInterviewIds && choices.excludeInterviewIds.length > 0) {
    clauses.push(`interviewId NOT IN [${choices.excludeInterviewIds.map(quote).join(', ')}]`);
  }
  return clauses.length > 0 ? clauses.join(' AND ') : undefined;
}

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
  facets: Record<string, Record<string, number>>;
  processingTimeMs: number;
}

const CROP_WORDS = 30;
/** ~700 bytes per document: about 14 MB per request. */
const BATCH_SEGMENTS = 20_000;

/**
 * Snippet for a passage found through `spellings` or `parts`, where Meilisearch marked nothing: our own matches,
 * cropped to CROP_WORDS words around the first one. Null when the query does not explain the hit either.
 */
export function derivedSnippet(text: string, q: string): string | null {
  const ranges = matchingWordRanges(text, q);
  const first = ranges[0];
  if (!first) return null;
  const words = [...text.matchAll(/\S+/g)].map((m) => [m.index, m.index + m[0].length] as const);
  const hitWord = Math.max(0, words.findIndex(([, end]) => end >= first[1]));
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

export class SegmentIndex {
  // Delete-then-add pairs are enqueued strictly one after another, so two replacements of the same medium can never
  // interleave into a mix of both versions (Meilisearch applies tasks in the order it received them).
  #queue: Promise<unknown> = Promise.resolve();

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

  async ensureSettings(): Promise<void> {
    const task = await this.index().updateSettings(segmentIndexSettings).waitTask({ timeout: 120_000 });
    if (task.status !== 'succeeded') throw new Error(`segment index settings: ${task.error?.message ?? task.status}`);
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
   * Bulk form of replaceMedium for rebuilds and benchmarks. Sent in groups of about BATCH_SEGMENTS segments (each a
   * deletion and an addition) to stay far below Meilisearch's 100 MB payload limit; Meilisearch batches them again.
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
      const enqueued: EnqueuedTask[] = [];
      for (const g of groups) {
        const docs = g.flatMap((m) => toSegmentDocuments(m.interview, m.mediaId, m.segments));
        count += docs.length;
        enqueued.push(await this.index().deleteDocuments({ filter: `mediaId IN [${g.map((m) => quote(m.mediaId)).join(', ')}]` }));
        if (docs.length > 0) enqueued.push(await this.index().addDocuments(docs, { primaryKey: 'id' }));
      }
      return enqueued;
    });
    await this.#wait(tasks, opts.timeoutMs ?? 60_000 + count * 5);
    this.logger.debug({ media: media.length, segments: count }, 'segments indexed');
    return count;
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
      if (task.status !== 'succeeded') throw new Error(`segment index ${task.type}: ${task.error?.message ?? task.status}`);
    }
  }

  /**
   * Copies the interview's access fields onto all its segments; must follow every change of status, visibility or
   * grants, or segments would stay findable under the old rule.
   */
  async updateInterviewAccess(interview: InterviewLike): Promise<number> {
    const { id } = interview;
    const patch = accessFields(interview);
    const limit = 1000;
    let count = 0;
    for (let offset = 0; ; offset += limit) {
      const page = await this.index().getDocuments({ filter: `interviewId = ${quote(id)}`, fields: ['id'], limit, offset });
      if (page.results.length > 0) {
        const updates = page.results.map((d) => ({ id: d.id, ...patch }));
        await this.#wait(await this.#serial(async () => [await this.index().updateDocuments(updates, { primaryKey: 'id' })]));
      }
      count += page.results.length;
      if (page.results.length < limit) return count;
    }
  }

  async search(params: SegmentSearchParams): Promise<SegmentSearchResult> {
    const page = params.page ?? 1;
    const hitsPerPage = params.hitsPerPage ?? 20;
    const query = normalizeQuery(params.q);
    const result = await this.index().search<SegmentDocument, SearchParams & { page: number; hitsPerPage: number }>(query, {
      filter: params.filter,
      page,
      hitsPerPage,
      facets: params.facets ? [...params.facets] : undefined,
      attributesToRetrieve: ['id', 'interviewId', 'mediaId', 'start', 'end', 'speaker', 'text'],
      attributesToCrop: ['text'],
      cropLength: CROP_WORDS,
      cropMarker: '…',
      attributesToHighlight: ['text'],
      // Meilisearch escapes nothing: mark with control characters, escape, then turn them into <mark>
      highlightPreTag: MARK_OPEN,
      highlightPostTag: MARK_CLOSE,
    });
    return {
      q: params.q,
      query,
      total: result.totalHits,
      page,
      hitsPerPage,
      hits: result.hits.map((hit) => {
        const formatted = String((hit._formatted as Partial<SegmentDocument> | undefined)?.text ?? '');
        const snippet = formatted.includes(MARK_OPEN) ? safeHighlight(formatted) : (derivedSnippet(hit.text, query) ?? safeHighlight(formatted));
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
      processingTimeMs: result.processingTimeMs,
    };
  }
}
