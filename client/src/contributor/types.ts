// Answer shapes of the API as the contributor area uses them (see README "API"). What the server defines is imported
// from it, type-only: nothing of the server reaches the bundle.
import type { IndexPoint, Interview as ServerInterview, TimedSegment } from '../../../server/store/types.js';
import type { PublicJob, PublicMedium } from '../../../server/media/service.js';
import type { TranscriptView } from '../../../server/transcripts/service.js';
import type {
  AuditEvent,
  ConsentMethod,
  ConsentRecord,
  ConsentScope,
  Correction,
  Group,
  Restriction,
  ReviewDecision,
  WithdrawalPolicy,
} from '../../../server/store/types.js';
import type { PublicInvitation } from '../../../server/review/service.js';
import type { Collection as ServerCollection } from '../../../server/store/types.js';
import type { AsrStatus } from '../../../server/asr/engines.js';

export type Role = 'admin' | 'curator' | 'contributor' | 'researcher';
export type PersonRole = 'narrator' | 'interviewer';
export const visibilities = ['private', 'restricted', 'registered', 'public'] as const;
export type Visibility = (typeof visibilities)[number];
export const workflowStatuses = [
  'draft',
  'processing',
  'ready_for_review',
  'in_review',
  'changes_requested',
  'approved',
  'published',
  'withdrawn',
] as const;
export type WorkflowStatus = (typeof workflowStatuses)[number];
export type MediaStatus = 'stored' | 'processing' | 'ready' | 'failed';

export interface Me {
  user: { id: string; email: string; displayName: string; role: Role };
  csrfToken: string | null;
  via: string;
}

export type Interview = ServerInterview;

export interface InterviewWithMedia extends Interview {
  media: Medium[];
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** A collection as the API answers it (server/store/types.ts). */
export type Collection = ServerCollection;

/** GET /api/asr: whether automatic transcription is configured, and how to turn it on when not. */
export type { AsrStatus };

export type MediumJob = PublicJob;
export type Medium = PublicMedium;
// the editor works on timed transcripts (an untimed legacy OHMS text is shown read-only on the interview page until aligned)
export type Segment = TimedSegment;

export type Transcript = TranscriptView;

export type { IndexPoint };

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

// ── review, consent, audit (curators and admins) ─────────────────────────────────────────────────────────────────

export const consentScopes = [
  'archive',
  'research',
  'education',
  'public_web',
  'exhibition',
] as const satisfies readonly ConsentScope[];
export const consentMethods = ['signed_form', 'spoken', 'digital'] as const satisfies readonly ConsentMethod[];
export const withdrawalPolicies = ['delete_original', 'keep_archive'] as const satisfies readonly WithdrawalPolicy[];
export type { ConsentMethod, ConsentRecord, ConsentScope, WithdrawalPolicy };

export type Invitation = PublicInvitation;
export type InvitationState = PublicInvitation['state'];

/** POST /api/interviews/:id/review-invitations: token and code are in this answer only (stored hashed). */
export interface CreatedInvitation {
  invitation: Invitation;
  token: string;
  code: string;
  link: string;
  /** Where the short code is typed (…/durchsicht); older servers may leave it out. */
  codeUrl?: string;
  qrSvg: string;
  interviewTitle?: string;
}

export type { Correction, Restriction, ReviewDecision };

/** GET /api/interviews/:id/review */
export interface ReviewOverview {
  invitations: Invitation[];
  restrictions: Restriction[];
  corrections: Correction[];
  decisions: ReviewDecision[];
}

export type { AuditEvent };

export interface GroupWithMembers extends Group {
  members: string[];
}
