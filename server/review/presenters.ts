// What the review service shows and the small rules it shares: invitation state and its public form, the narrator's
// view of restrictions and corrections, receipt numbers, and the problems several use cases answer with.
import { Problem } from '../http/problem.js';
import { msg } from '../i18n/messages.js';
import type { ConsentScope, Correction, Restriction, ReviewInvitation, WorkflowStatus } from '../store/types.js';
import { newShortCode } from './tokens.js';

export interface PublicInvitation {
  id: string;
  interviewId: string;
  narrator: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  state: 'active' | 'expired' | 'revoked';
}

export function invitationState(i: ReviewInvitation, now = new Date()): PublicInvitation['state'] {
  if (i.revokedAt) return 'revoked';
  return Date.parse(i.expiresAt) <= now.getTime() ? 'expired' : 'active';
}

export const publicInvitation = (i: ReviewInvitation): PublicInvitation => ({
  id: i.id,
  interviewId: i.interviewId,
  narrator: i.narrator,
  createdAt: i.createdAt,
  expiresAt: i.expiresAt,
  revokedAt: i.revokedAt,
  lastUsedAt: i.lastUsedAt,
  state: invitationState(i),
});

/** States in which the narrator's decision is asked for. */
export const decidableStates: readonly WorkflowStatus[] = ['ready_for_review', 'in_review', 'changes_requested'];

/** What the narrator's approval releases, as a consent scope (recorded as a digital consent). */
export const scopeForApproval: Record<'public' | 'registered' | 'private', ConsentScope[]> = {
  public: ['archive', 'research', 'education', 'public_web'],
  registered: ['archive', 'research', 'education'],
  private: ['archive'],
};

// A credential that looks like a short code is looked up as one; everything else as a link token.
export const SHORT_CODE_SHAPE = /^[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}-?[A-Za-z0-9]{2}$/;

/** Within this time the same decision again, without an Idempotency-Key, is taken as the retry of the first. */
export const REPEAT_WINDOW_MS = 10 * 60_000;

export function correctionDecided(): Problem {
  return new Problem('conflict', { detail: msg('review.proposalDecided') });
}

export function withdrawnProblem(): Problem {
  return new Problem('conflict', { detail: msg('review.consentWithdrawn') });
}

export function narratorRestriction(r: Restriction) {
  return {
    id: r.id,
    mediaId: r.mediaId,
    start: r.start,
    end: r.end,
    reason: r.reason,
    quote: r.quote,
    mine: r.createdByKind === 'narrator',
    createdAt: r.createdAt,
  };
}

export function narratorCorrection(c: Correction) {
  return {
    id: c.id,
    mediaId: c.mediaId,
    segmentNo: c.segmentNo,
    original: c.original,
    proposed: c.proposed,
    note: c.note,
    status: c.status,
    createdAt: c.createdAt,
  };
}

/** Short and readable on the phone: date plus four characters. */
export function receiptNumber(): string {
  return `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${newShortCode().slice(0, 4)}`;
}
