// Answer shapes of the Schichtbuch API, as far as the client uses them.

export type PersonRole = 'narrator' | 'interviewer';

export interface InterviewPerson {
  name: string;
  role: PersonRole;
}

export interface InterviewSummary {
  id: string;
  title: string;
  summary: string | null;
  /** ISO date; oral-history dates may be partial (`1987`, `1987-05`). */
  recordedAt: string | null;
  place: { name: string } | null;
  people: InterviewPerson[];
}

export interface InterviewDetail extends InterviewSummary {
  keywords?: string[];
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
  interviews?: InterviewSummary[];
}

export interface CollectionList {
  items: CollectionSummary[];
  total: number;
}

export interface SearchHit {
  id?: string;
  title?: string;
  summary?: string | null;
  [field: string]: unknown;
}

export interface SearchAnswer {
  hits: SearchHit[];
  total: number;
}

export interface LoginAnswer {
  csrfToken: string;
  [field: string]: unknown;
}
