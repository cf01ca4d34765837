// Answer shapes of the narrator review API (server/review/service.ts), imported type-only from the server: nothing of
// the server reaches the bundle.
import type { ReviewService } from '../../../server/review/service.js';
import type { Place, TimedSegment } from '../../../server/store/types.js';
import type { Medium } from '../types.js';

type View = Awaited<ReturnType<ReviewService['narratorView']>>;

export type Visibility = 'public' | 'registered' | 'private';
export type DecisionKind = 'approve' | 'request_changes' | 'withdraw';
export const decisionKinds: readonly DecisionKind[] = ['approve', 'request_changes', 'withdraw'];
export const releaseVisibilities: readonly Visibility[] = ['public', 'registered', 'private'];

/** A passage not to be published (server: narratorRestriction). */
export interface ReviewRestriction {
  id: string;
  mediaId: string;
  start: number;
  end: number;
  reason: string | null;
  quote: string | null;
  /** Marked by the narrator (they may take it back); otherwise by the archive. */
  mine: boolean;
  createdAt: string;
}

/** A proposed correction (server: narratorCorrection). */
export interface ReviewCorrection {
  id: string;
  mediaId: string;
  segmentNo: number;
  original: string;
  proposed: string;
  note: string | null;
  status: 'open' | 'accepted' | 'rejected';
  createdAt: string;
}

export type ReviewDecisionRecord = NonNullable<View['decision']>;
// the narrator listens along a timed transcript
export type ReviewSegment = Pick<TimedSegment, 'start' | 'end' | 'speaker' | 'text'>;
export interface ReviewTranscript {
  mediaId: string;
  /** An automatic transcript nobody has checked yet (server/asr/draft.ts). */
  draft?: boolean;
  segments: ReviewSegment[];
}

/** GET /api/review, with the withdrawn answer's missing parts filled in as empty. */
export interface ReviewView {
  invitation: View['invitation'];
  decision: ReviewDecisionRecord | null;
  canDecide: boolean;
  withdrawn: boolean;
  interview: {
    id: string;
    title: string;
    status: string;
    recordedAt?: string | null;
    place?: Place | null;
    summary?: string | null;
  };
  media: Medium[];
  transcripts: ReviewTranscript[];
  restrictions: ReviewRestriction[];
  corrections: ReviewCorrection[];
}

export type Receipt = Awaited<ReturnType<ReviewService['receipt']>>;
export type DecisionAnswer = Awaited<ReturnType<ReviewService['decide']>>;
