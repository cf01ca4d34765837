// Meilisearch settings of the segment index, each measured in bench/search (see the closing notes of issue 17).
import type { Settings } from 'meilisearch';
import { germanVocabulary, TYPO_MIN_LENGTH } from './german.js';
import { DERIVED_LEAD, segmentFacets } from './segment-documents.js';

const displayed = ['id', 'interviewId', 'mediaId', 'start', 'end', 'speaker', 'text'];

export const MAX_INTERVIEWS_COUNTED = 20_000;

export const segmentIndexSettings: Settings = {
  // order = weight in the attribute rule: the words as spoken, then other spellings, then compound parts
  searchableAttributes: ['text', 'spellings', 'parts'],
  displayedAttributes: displayed,
  // access as one list of tags (segment-documents.ts) instead of status, visibility, grants and restricted: every
  // filterable field is a facet entry per document; `mediaId` is what a medium's segments are replaced and removed by,
  // `interviewId` what access clauses, interview facet choices and withdrawals filter on (exact), and what the counts
  // of an interview key two interviews share are split by (interview-key.ts)
  filterableAttributes: ['mediaId', 'interviewId', 'access', ...segmentFacets],
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
    // typo tolerance stays on for `parts`: off (disableOnAttributes) it cut Meilisearch's p95 from 52 to 31 ms at 200k,
    // but a typo'd compound head ("Tagebua" in "Braunkohletagebau") was then found in 30 % of its passages, not 100 %
  },
  // no search-as-you-type here: prefixes made "Schacht" find "Schachtel" and "Gräfenhain" find "Gräfenhainichen";
  // compounds come from `parts` instead, and indexing is faster without prefix databases
  prefixSearch: 'disabled',
  // A passage is ~10 s of speech (~40 words): whether two query words stand 3 or 30 words apart inside it says little,
  // and word-pair proximity was the index's largest structure after the documents. byAttribute halves indexing time
  // and takes ~90 MiB off Meilisearch's peak at 200k passages (bench/search); phrases in quotes stay exact (positions).
  proximityPrecision: 'byAttribute',
  pagination: { maxTotalHits: 10_000 },
  // the interviewSortKey distribution must be complete: it is what the interview facets and per-interview hit counts are
  // summed from. An archive with more matching interviews than this gets undercounted interview facets (never hits).
  // Counts sorted by the API, not by Meilisearch: sorting by count made it rank every value of both facets on each
  // search, 85 % of its processingTimeMs at 200k passages (bench/search/levers.ts: p50 18 → 9 ms with 'alpha').
  faceting: { maxValuesPerFacet: MAX_INTERVIEWS_COUNTED, sortFacetValuesBy: { '*': 'alpha' } },
  // nobody searches inside facet values of passages; this skips building the facet-value search structures
  facetSearch: false,
};
