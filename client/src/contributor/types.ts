// Answer shapes of the API as the contributor area uses them (see README "API").

export type Role = 'admin' | 'curator' | 'contributor';
export type PersonRole = 'narrator' | 'interviewer';
export const visibilities = ['private', 'restricted', 'registered', 'public'] as const;
export type Visibility = (typeof visibilities)[number];
export const workflowStatuses = [
  'draft', 'processing', 'ready_for_review', 'in_review', 'changes_requested', 'approved', 'published', 'withdrawn',
] as const;
export type WorkflowStatus = (typeof workflowStatuses)[number];
export type MediaStatus = 'stored' | 'processing' | 'ready' | 'failed';

export interface Me {
  user: { id: string; email: string; displayName: string; role: Role };
  csrfToken: string | null;
  via: string;
}

export interface Interview {
  id: string;
  collectionId: string | null;
  title: string;
  people: { name: string; role: PersonRole }[];
  recordedAt: string | null;
  place: { name: string; lat?: number; lon?: number } | null;
  language: string;
  summary: string | null;
  keywords: string[];
  visibility: Visibility;
  status: WorkflowStatus;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface InterviewWithMedia extends Interview {
  media: Medium[];
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Collection {
  id: string;
  title: string;
}

export interface MediumJob {
  id: string;
  name: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  attempts: number;
  maxAttempts: number;
  progress: number;
  error: string | null;
}

export interface Medium {
  id: string;
  interviewId: string;
  part: number;
  kind: 'audio' | 'video';
  status: MediaStatus;
  progress: number;
  sizeBytes: number;
  durationSec: number;
  originalFilename: string;
  original: string;
  originalPlayable: boolean;
  originalMime: string;
  hls: string | null;
  download: string | null;
  poster: string | null;
  error: string | null;
  jobs: MediumJob[];
}

export interface Segment {
  start: number;
  end: number;
  speaker: string | null;
  text: string;
}

export interface Transcript {
  mediaId: string;
  interviewId: string;
  version: number;
  currentVersion: number;
  reason: string;
  source: string;
  authorId: string | null;
  createdAt: string;
  speakers: { label: string; person: { name: string; role: PersonRole } | null }[];
  segments: Segment[];
}

export interface IndexPoint {
  start: number;
  title: string;
  synopsis: string | null;
  keywords: string[];
  subjects: string[];
  place: { name: string; lat?: number; lon?: number } | null;
  partialTranscript?: string | null;
}

export interface MediaIndex {
  mediaId: string;
  version: number;
  points: IndexPoint[];
  updatedAt: string | null;
}

export interface VersionSummary {
  mediaId: string;
  version: number;
  authorId: string | null;
  reason: string;
  source: string;
  createdAt: string;
  segmentCount: number;
}

/** One problem of a refused transcript import (422). */
export interface ImportIssue {
  field?: string;
  line?: number;
  column?: number;
  message: string;
}
