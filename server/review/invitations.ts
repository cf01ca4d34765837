// Review invitations: the credential a narrator signs in with (link token or short code), and a new invitation
// with its letter (link, short code, QR code), shown once.
import crypto from 'node:crypto';
import QRCode from 'qrcode';
import type { Viewer } from '../access/viewer.js';
import { Problem } from '../http/problem.js';
import type { Interview, ReviewInvitation } from '../store/types.js';
import type { z } from 'zod';
import type { createInvitationSchema } from './schemas.js';
import {
  hashReviewToken,
  hashShortCode,
  newReviewToken,
  newShortCode,
  reviewTokenFrom,
  shortCodeFrom,
} from './tokens.js';
import { actorOf } from '../access/viewer.js';
import { derivedId } from '../store/unit-of-work.js';
import type { InvitationPayload } from './units.js';
import { msg } from '../i18n/messages.js';
import { invitationState, publicInvitation, SHORT_CODE_SHAPE } from './presenters.js';
import type { ReviewServiceDeps } from './deps.js';

/** For the authenticate middleware: a link token or a short code → the invitation, or why not. */
export async function resolveCredential(
  deps: ReviewServiceDeps,
  raw: string,
): Promise<{ ok: true; invitation: ReviewInvitation } | { ok: false; problem: Problem }> {
  const review = deps.store.review;
  const invitation = SHORT_CODE_SHAPE.test(raw)
    ? await review.findInvitationByCodeHash(hashShortCode(raw))
    : await review.findInvitationByTokenHash(hashReviewToken(raw));
  const state = invitation ? invitationState(invitation) : 'unknown';
  if (!invitation || state !== 'active') {
    const detail = {
      unknown: msg('review.linkUnknown'),
      expired: msg('review.linkExpired'),
      revoked: msg('review.linkRevoked'),
    }[state as Exclude<typeof state, 'active'>];
    return { ok: false, problem: new Problem('review-link', { detail, extra: { reason: state } }) };
  }
  // last use, at most once a minute (reads must not turn into writes on every request)
  if (!invitation.lastUsedAt || Date.now() - Date.parse(invitation.lastUsedAt) > 60_000) {
    await review.touchInvitation(invitation.id, new Date().toISOString());
  }
  return { ok: true, invitation };
}

/** `origin` comes from PUBLIC_URL only (never the request's Host header); without it no link and no letter can be made. */
export async function createInvitation(
  deps: ReviewServiceDeps,
  viewer: Viewer,
  interview: Interview,
  input: z.output<typeof createInvitationSchema>,
  origin: string | null,
  idempotencyKey?: string,
) {
  const interviewId = interview.id;
  if (origin === null) {
    throw new Problem('public-url-required', {
      detail: msg('review.publicUrlRequired'),
    });
  }
  const key = `review.invitation:${interviewId}:${idempotencyKey ?? crypto.randomUUID()}`;
  // with an Idempotency-Key the credentials follow from the key: a retry prints the same letter
  const seed = idempotencyKey && deps.derive ? deps.derive(key) : null;
  const token = seed ? reviewTokenFrom(seed) : newReviewToken();
  const code = seed ? shortCodeFrom(seed) : newShortCode();
  const op = await deps.units.once<InvitationPayload>('review.invitation', key, async () => {
    if (interview.status === 'withdrawn') throw new Problem('conflict', { detail: msg('review.interviewWithdrawn') });
    const now = new Date();
    const invitation: ReviewInvitation = {
      id: derivedId(`${key}#invitation`),
      interviewId,
      narrator: input.narrator,
      tokenHash: hashReviewToken(token),
      codeHash: hashShortCode(code),
      createdBy: viewer.kind === 'user' ? viewer.user.id : null,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + (input.expiresInDays ?? deps.invitationDays) * 86_400_000).toISOString(),
      revokedAt: null,
      lastUsedAt: null,
    };
    return { actor: actorOf(viewer), invitation, publicInvitation: publicInvitation(invitation) };
  });
  const invitation = (await deps.store.review.findInvitation(op.payload.invitation.id)) ?? op.payload.invitation;
  const link = `${origin}/durchsicht/${token}`;
  const qrSvg = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  // token and code are shown this once (stored only hashed): the letter is printed from this answer
  return {
    invitation: publicInvitation(invitation),
    token,
    code,
    link,
    codeUrl: `${origin}/durchsicht`,
    qrSvg,
    interviewTitle: interview.title,
  };
}
