// Transcript passages as Meilisearch documents: what each carries (its interview's access and its own restriction as
// one list of access tags, the derived `spellings` and `parts` words) and how they are made from a stored transcript.
// See segment-index.ts.
import type { Interview, Visibility, WorkflowStatus } from '../store/types.js';
import { expandForIndex, germanVocabulary, prepareExpansion, protectedNameWords } from './german.js';
import { interviewKey } from './interview-key.js';

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
  /** When the interview was created (ISO): with the id, its key (interview-key.ts). */
  createdAt: string;
}

export interface SegmentDocument {
  /** `${mediaId}_${segmentNo}` */
  id: string;
  interviewId: string;
  /** interviewKey(interview): what hits per interview are counted on (interview-key.ts). */
  interviewSortKey: number;
  mediaId: string;
  start: number;
  end: number;
  speaker: string | null;
  text: string;
  /** Derived, searchable, never displayed. Absent when empty. */
  spellings?: string;
  parts?: string;
  /** Access tags (accessTags): who may find the passage. The one access field, filterable, never displayed. */
  access: string[];
}

/** Facets Meilisearch counts itself: the segment's own speaker, and hits per interview by interview key (the catalog
 * turns those into the interview facets). */
export const segmentFacets = ['speaker', 'interviewSortKey'] as const;
/** The field passages carry their interview key in (interview-key.ts): filtered and counted by name. */
export const INTERVIEW_KEY_FIELD = segmentFacets[1];
export type SegmentFacet = (typeof segmentFacets)[number];

// Derived fields start with this stop word: otherwise a field consisting of (or starting with) the query word lands
// in the exactness rule's "equals / starts with the attribute" buckets and outranks passages with the real word.
export const DERIVED_LEAD = 'und';

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
    createdAt: i.createdAt,
  };
}

// Our highlight markers must not occur in stored text, or a snippet could open a <mark> it never closes.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const seconds = (s: number) => Math.round(s * 1000) / 1000;

/** Either the stored interview or the search meta made from it. */
export type InterviewLike = Interview | SegmentInterviewMeta;

// Access as tags, one filterable field instead of status, visibility, grants and the restriction flag: each filterable
// field costs a facet entry per document (field-id-docid-facet-strings was the index's second-largest database at
// 200k passages, bench/search). segmentFilter reads them; the rule stays the interview index's (accessFilter).
/** A published interview, open to viewers of this visibility. */
export const openTag = (visibility: Visibility): string => `open:${visibility}`;
/** A published `restricted` interview granted to this principal. */
export const grantTag = (principal: string): string => `grant:${principal}`;
/** The interview is withdrawn (its passages are being removed). */
export const WITHDRAWN_TAG = 'withdrawn';
/** The narrator did not release this passage: staff, and the narrator themself, only. */
export const RESTRICTED_TAG = 'restricted';

/** The access tags an interview puts on each of its segments. */
export function interviewAccessTags(i: { status: WorkflowStatus; visibility: Visibility; grants: string[] }): string[] {
  if (i.status === 'withdrawn') return [WITHDRAWN_TAG];
  if (i.status !== 'published') return [];
  return [openTag(i.visibility), ...(i.visibility === 'restricted' ? i.grants.map(grantTag) : [])];
}

/** A segment's tags: its interview's, and RESTRICTED_TAG when the narrator did not release it. */
export const accessTags = (interviewTags: readonly string[], restricted: boolean): string[] =>
  restricted ? [...interviewTags, RESTRICTED_TAG] : [...interviewTags];

/** People and the place of an interview: names the decompounder leaves whole in its transcripts. */
function interviewNames(i: InterviewLike): string[] {
  return 'people' in i
    ? [...i.people.map((p) => p.name), i.place?.name ?? null].filter((n): n is string => !!n)
    : [...i.narrators, i.place ?? ''];
}

// How Meilisearch normalizes a word of `text` for matching: lower case, without diacritics, ß kept.
const spokenForm = (word: string) => word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');

/** The words of a passage as Meilisearch matches them in `text`. */
export function spokenWords(text: string): Set<string> {
  return new Set([...text.matchAll(/[\p{L}\p{M}]+/gu)].map(([w]) => spokenForm(w)));
}

export function toSegmentDocuments(
  interview: InterviewLike,
  mediaId: string,
  segments: readonly SegmentInput[],
): SegmentDocument[] {
  const interviewTags = interviewAccessTags(interview);
  const names = protectedNameWords(interviewNames(interview));
  prepareExpansion(segments.map((s) => s.text));
  const key = interviewKey(interview);
  return segments.map((segment, segmentNo) => {
    const text = segment.text.replace(CONTROL, '');
    const { spellings, parts: allParts } = expandForIndex(text, germanVocabulary(), names);
    // a part that is also spoken in this passage is found in `text` already (and ranks there): not indexed twice
    const spoken = spokenWords(text);
    const parts = allParts.filter((p) => !spoken.has(p));
    return {
      id: `${mediaId}_${segmentNo}`,
      interviewId: interview.id,
      interviewSortKey: key,
      mediaId,
      start: seconds(segment.start),
      end: seconds(segment.end),
      speaker: segment.speaker,
      text,
      ...(spellings.length > 0 ? { spellings: `${DERIVED_LEAD} ${spellings.join(' ')}` } : {}),
      ...(parts.length > 0 ? { parts: `${DERIVED_LEAD} ${parts.join(' ')}` } : {}),
      access: accessTags(interviewTags, segment.restricted ?? false),
    };
  });
}
