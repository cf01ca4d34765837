// Answer shapes of the Schichtbuch API, as far as the client uses them.

// Shapes the server defines are imported from it (type-only: nothing of the server reaches the bundle).
import type { IndexPoint, Person, PersonRole, Place } from '../../server/store/types.js';
import type { SearchHit as ApiSearchHit } from '../../server/search/routes.js';
import type { PublicMedium } from '../../server/media/service.js';

export type { PersonRole, Place };
export type InterviewPerson = Person;

export interface InterviewSummary {
  id: string;
  title: string;
  summary: string | null;
  /** ISO date; oral-history dates may be partial (`1987`, `1987-05`). */
  recordedAt: string | null;
  place: Place | null;
  people: InterviewPerson[];
  collectionId?: string | null;
  language?: string;
  keywords?: string[];
  updatedAt?: string;
  /** During a listed embargo only id, title, collection, date and the embargo's end come (server: sealedView). */
  sealed?: true;
  embargoUntil?: string | null;
}

export type MediaKind = PublicMedium['kind'];
export type MediaStatus = PublicMedium['status'];

/** One recording of an interview (tape 1, tape 2 …) as embedded in GET /api/interviews/:id. */
export type Medium = Omit<PublicMedium, 'jobs'>;

export interface InterviewDetail extends InterviewSummary {
  keywords?: string[];
  media?: Medium[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface CollectionSummary {
  id: string;
  title: string;
  description: string | null;
}

export interface CollectionDetail extends CollectionSummary {
  /** Not embedded by the API today; the collection page lists them through /api/interviews?collectionId=. */
  interviews?: InterviewSummary[];
}

export interface CollectionList {
  items: CollectionSummary[];
  total: number;
}

/** One transcript passage that matched (GET /api/search, GET /api/interviews/:id/search); `snippet` is HTML-safe. */
export type SearchHit = ApiSearchHit;

export interface SearchGroup {
  interviewId: string;
  interviewTitle: string;
  /** Hits in this interview over all pages (the group's `hits` are those of the current page). */
  hitCount: number;
  hits: SearchHit[];
}

export const facetNames = [
  'collection',
  'narrator',
  'place',
  'year',
  'decade',
  'keyword',
  'language',
  'speaker',
] as const;
export type FacetName = (typeof facetNames)[number];

export interface SearchAnswer {
  q: string;
  total: number;
  page: number;
  pageSize: number;
  hits: SearchHit[];
  groups: SearchGroup[];
  facets: Partial<Record<FacetName, Record<string, number>>>;
}

export interface SuggestAnswer {
  q: string;
  suggestions: string[];
}

export interface InterviewSearchAnswer {
  q: string;
  interviewId: string;
  total: number;
  hits: SearchHit[];
}

export interface TranscriptWord {
  start: number;
  end: number;
  text: string;
}

export interface TranscriptSegment {
  /** null for untimed text (a legacy OHMS transcript): shown as reading text, not synced to the player. */
  start: number | null;
  end: number | null;
  speaker: string | null;
  text: string;
  words?: TranscriptWord[];
}

export interface SpeakerMapping {
  label: string;
  person: InterviewPerson | null;
}

export interface Transcript {
  mediaId: string;
  version: number;
  segments: TranscriptSegment[];
  speakers: SpeakerMapping[];
}

/** OHMS-style table of contents entry: a chapter of the recording. */
export type { IndexPoint };

export interface MediaIndexAnswer {
  mediaId: string;
  version: number;
  points: IndexPoint[];
}

/** Peaks from `waveform.json`: interleaved int8 [min0, max0, min1, max1, …]. */
export interface WaveformPeaks {
  sampleRate: number;
  samplesPerPixel: number;
  length: number;
  data: number[];
}

export interface LoginAnswer {
  csrfToken: string;
  [field: string]: unknown;
}
