// Narrator review: invitations (link + printable letter with QR code + short code), the narrator's own view of the
// interview, passages marked "nicht veröffentlichen", proposed corrections, and the decision (approve / ask for
// changes / withdraw) with its receipt; and the curators' side: invitations, proposals, restrictions.
// This class is the one entry point (routes call it); the larger use cases live beside it: invitations.ts,
// correction-decision.ts, narrator-decision.ts, with their dependencies in deps.ts.
import { draftStates } from '../asr/draft.js';
import crypto from 'node:crypto';
import { staffInterview } from '../access/staff.js';
import type { Viewer } from '../access/viewer.js';
import { Problem } from '../http/problem.js';
import type { Correction, Interview, Restriction, ReviewDecision, ReviewInvitation } from '../store/types.js';
import type { z } from 'zod';
import type { correctionSchema, createInvitationSchema, decisionSchema, restrictionSchema } from './schemas.js';
import { actorOf } from '../access/viewer.js';
import { derivedId } from '../store/unit-of-work.js';
import type { RestrictionPayload } from './units.js';
import { msg } from '../i18n/messages.js';
import {
  decidableStates,
  narratorCorrection,
  narratorRestriction,
  publicInvitation,
  withdrawnProblem,
  type PublicInvitation,
} from './presenters.js';

import { decideCorrection } from './correction-decision.js';
import type { ReviewServiceDeps } from './deps.js';
import { createInvitation, resolveCredential } from './invitations.js';
import { decide, receipt, type Receipt } from './narrator-decision.js';

export { invitationState, type PublicInvitation } from './presenters.js';
export type { ReviewServiceDeps } from './deps.js';

export class ReviewService {
  constructor(private readonly deps: ReviewServiceDeps) {}

  // ── credentials ────────────────────────────────────────────────────────────────────────────────────────────────

  /** For the authenticate middleware: a link token or a short code → the invitation, or why not. */
  resolveCredential(
    raw: string,
  ): Promise<{ ok: true; invitation: ReviewInvitation } | { ok: false; problem: Problem }> {
    return resolveCredential(this.deps, raw);
  }

  // ── curators ───────────────────────────────────────────────────────────────────────────────────────────────────

  private staffInterview(viewer: Viewer, interviewId: string): Promise<Interview> {
    return staffInterview(this.deps.store.interviews, viewer, interviewId, msg('review.byCurators'));
  }

  /** `origin` comes from PUBLIC_URL only (never the request's Host header); without it no link and no letter can be made. */
  async createInvitation(
    viewer: Viewer,
    interviewId: string,
    input: z.output<typeof createInvitationSchema>,
    origin: string | null,
    idempotencyKey?: string,
  ) {
    const interview = await this.staffInterview(viewer, interviewId);
    return createInvitation(this.deps, viewer, interview, input, origin, idempotencyKey);
  }

  async listInvitations(viewer: Viewer, interviewId: string): Promise<PublicInvitation[]> {
    await this.staffInterview(viewer, interviewId);
    return (await this.deps.store.review.listInvitations(interviewId)).map(publicInvitation);
  }

  async revokeInvitation(viewer: Viewer, interviewId: string, invitationId: string): Promise<PublicInvitation> {
    await this.staffInterview(viewer, interviewId);
    const invitation = await this.deps.store.review.findInvitation(invitationId);
    if (!invitation || invitation.interviewId !== interviewId) throw new Problem('not-found');
    // one conditional write; its log entry is keyed by the invitation, so a retry after a crash between the two
    // writes records it (once), whoever revoked
    await this.deps.store.review.revokeInvitation(invitationId, new Date().toISOString());
    if (!invitation.revokedAt) {
      await this.deps.audit.record(
        viewer,
        {
          interviewId,
          action: 'review.invitation-revoked',
          entity: 'review_invitation',
          entityId: invitationId,
          before: publicInvitation(invitation),
        },
        `review.invitation-revoked:${invitationId}`,
      );
    }
    return publicInvitation((await this.deps.store.review.findInvitation(invitationId))!);
  }

  async overview(viewer: Viewer, interviewId: string) {
    await this.staffInterview(viewer, interviewId);
    const review = this.deps.store.review;
    return {
      invitations: (await review.listInvitations(interviewId)).map(publicInvitation),
      restrictions: await review.listRestrictions({ interviewId, includeLifted: true }),
      corrections: await review.listCorrections(interviewId),
      decisions: await review.listDecisions(interviewId),
    };
  }

  async addRestrictionAsStaff(
    viewer: Viewer,
    interviewId: string,
    input: z.output<typeof restrictionSchema>,
    idempotencyKey?: string,
  ): Promise<Restriction> {
    const interview = await this.staffInterview(viewer, interviewId);
    return this.addRestriction(viewer, interview, input, idempotencyKey);
  }

  async liftRestriction(
    viewer: Viewer,
    interviewId: string,
    restrictionId: string,
    reason: string,
  ): Promise<Restriction> {
    await this.staffInterview(viewer, interviewId);
    // a restriction is lifted once: the key is the restriction, and a retry gets the lifted restriction again
    await this.deps.units.once<RestrictionPayload>(
      'review.restriction',
      `restriction.lift:${restrictionId}`,
      async () => {
        const restriction = await this.deps.store.review.findRestriction(restrictionId);
        if (!restriction || restriction.interviewId !== interviewId) throw new Problem('not-found');
        if (restriction.status !== 'active') throw new Problem('conflict', { detail: msg('review.restrictionLifted') });
        return {
          actor: actorOf(viewer),
          restriction,
          change: {
            kind: 'lift',
            at: new Date().toISOString(),
            by: viewer.kind === 'user' ? viewer.user.id : null,
            reason,
          },
        };
      },
    );
    const lifted = await this.deps.store.review.findRestriction(restrictionId);
    if (!lifted || lifted.interviewId !== interviewId) throw new Problem('not-found');
    return lifted;
  }

  async decideCorrection(
    viewer: Viewer,
    interviewId: string,
    correctionId: string,
    accept: boolean,
    note: string | null,
  ) {
    await this.staffInterview(viewer, interviewId);
    return decideCorrection(this.deps, viewer, interviewId, correctionId, accept, note);
  }

  // ── narrators ──────────────────────────────────────────────────────────────────────────────────────────────────

  private narratorOf(viewer: Viewer): ReviewInvitation {
    if (viewer.kind !== 'narrator') throw new Problem('review-link', { extra: { reason: 'missing' } });
    return viewer.invitation;
  }

  private async narratorInterview(viewer: Viewer): Promise<Interview> {
    const invitation = this.narratorOf(viewer);
    const interview = await this.deps.store.interviews.findById(invitation.interviewId);
    if (!interview) throw new Problem('not-found');
    return interview;
  }

  /** Everything the narrator's page needs, in one answer. Opening it starts the review. */
  async narratorView(viewer: Viewer) {
    const invitation = this.narratorOf(viewer);
    let interview = await this.narratorInterview(viewer);
    if (interview.status === 'ready_for_review') {
      interview = await this.deps.interviews.transition(
        viewer,
        interview.id,
        'in_review',
        {},
        'Zeitzeuge/Zeitzeugin hat die Durchsicht begonnen',
      );
    }
    const review = this.deps.store.review;
    const decisions = await review.listDecisions(interview.id);
    const base = {
      invitation: { narrator: invitation.narrator, expiresAt: invitation.expiresAt },
      decision: decisions[0] ?? null,
      canDecide: decidableStates.includes(interview.status),
    };
    if (interview.status === 'withdrawn') {
      // nothing of the interview is served any more; the receipt is still theirs
      return {
        ...base,
        withdrawn: true,
        interview: { id: interview.id, title: interview.title, status: interview.status },
        media: [],
        restrictions: [],
        corrections: [],
      };
    }
    const media = await this.deps.media.listForInterview(viewer, interview);
    const parts = await Promise.all(
      media.map(async (m) => {
        const t = await this.deps.store.transcripts.current(m.id);
        // an automatic transcript nobody has checked yet is shown to the narrator as a draft
        const draft = t
          ? Boolean(draftStates(await this.deps.store.transcripts.listVersions(m.id)).get(t.version))
          : false;
        return {
          mediaId: m.id,
          draft,
          segments: t?.segments.map(({ start, end, speaker, text }) => ({ start, end, speaker, text })) ?? [],
        };
      }),
    );
    return {
      ...base,
      withdrawn: false,
      interview: {
        id: interview.id,
        title: interview.title,
        recordedAt: interview.recordedAt,
        place: interview.place,
        people: interview.people,
        summary: interview.summary,
        status: interview.status,
        visibility: interview.visibility,
      },
      media,
      transcripts: parts,
      restrictions: (await review.listRestrictions({ interviewId: interview.id })).map(narratorRestriction),
      corrections: (await review.listCorrections(interview.id)).map(narratorCorrection),
    };
  }

  async narratorAddRestriction(
    viewer: Viewer,
    input: z.output<typeof restrictionSchema>,
    idempotencyKey?: string,
  ): Promise<ReturnType<typeof narratorRestriction>> {
    const interview = await this.narratorInterview(viewer);
    if (interview.status === 'withdrawn') throw withdrawnProblem();
    return narratorRestriction(await this.addRestriction(viewer, interview, input, idempotencyKey));
  }

  /** The narrator takes back a passage they marked themselves (a curator's restriction stays). */
  async narratorRemoveRestriction(viewer: Viewer, restrictionId: string): Promise<void> {
    const interview = await this.narratorInterview(viewer);
    await this.deps.units.once<RestrictionPayload>(
      'review.restriction',
      `restriction.lift:${restrictionId}`,
      async () => {
        const restriction = await this.deps.store.review.findRestriction(restrictionId);
        if (!restriction || restriction.interviewId !== interview.id || restriction.status !== 'active')
          throw new Problem('not-found');
        if (restriction.createdByKind !== 'narrator') throw new Problem('forbidden');
        return {
          actor: actorOf(viewer),
          restriction,
          change: { kind: 'remove-by-narrator', at: new Date().toISOString() },
        };
      },
    );
  }

  async narratorAddCorrection(viewer: Viewer, input: z.output<typeof correctionSchema>) {
    const invitation = this.narratorOf(viewer);
    const interview = await this.narratorInterview(viewer);
    if (interview.status === 'withdrawn') throw withdrawnProblem();
    const medium = await this.deps.store.media.findById(input.mediaId);
    if (!medium || medium.interviewId !== interview.id)
      throw new Problem('validation', {
        errors: [{ field: 'body.mediaId', message: msg('field.notOfThisInterview') }],
      });
    const segment = (await this.deps.store.transcripts.current(medium.id))?.segments[input.segmentNo];
    if (!segment)
      throw new Problem('validation', { errors: [{ field: 'body.segmentNo', message: msg('field.noSuchSegment') }] });
    if (segment.text === input.proposed)
      throw new Problem('validation', { errors: [{ field: 'body.proposed', message: msg('field.unchanged') }] });
    // the proposal and its log entry: the entry is keyed by the proposal (written once, also when retried); the same
    // proposal for the same segment from the same invitation while it is open is the retry of the first
    const open = (await this.deps.store.review.listCorrections(interview.id)).find(
      (c) =>
        c.status === 'open' &&
        c.invitationId === invitation.id &&
        c.mediaId === medium.id &&
        c.segmentNo === input.segmentNo &&
        c.proposed === input.proposed,
    );
    const correction: Correction = open ?? {
      id: crypto.randomUUID(),
      interviewId: interview.id,
      mediaId: medium.id,
      segmentNo: input.segmentNo,
      segmentStart: segment.start ?? 0,
      original: segment.text,
      proposed: input.proposed,
      note: input.note ?? null,
      status: 'open',
      invitationId: invitation.id,
      createdAt: new Date().toISOString(),
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
      transcriptVersion: null,
    };
    if (!open) await this.deps.store.review.addCorrection(correction);
    await this.deps.audit.record(
      viewer,
      {
        interviewId: interview.id,
        action: 'correction.proposed',
        entity: 'correction',
        entityId: correction.id,
        after: correction,
      },
      `correction.proposed:${correction.id}`,
    );
    return narratorCorrection(correction);
  }

  async decide(
    viewer: Viewer,
    input: z.output<typeof decisionSchema>,
    idempotencyKey?: string,
  ): Promise<{ decision: ReviewDecision; receipt: Receipt }> {
    const invitation = this.narratorOf(viewer);
    return decide(this.deps, viewer, invitation, await this.narratorInterview(viewer), input, idempotencyKey);
  }

  /** A printable summary of the narrator's latest decision. */
  async receipt(viewer: Viewer): Promise<Receipt> {
    const invitation = this.narratorOf(viewer);
    return receipt(this.deps, invitation, await this.narratorInterview(viewer));
  }

  // ── shared ─────────────────────────────────────────────────────────────────────────────────────────────────────

  private async addRestriction(
    viewer: Viewer,
    interview: Interview,
    input: z.output<typeof restrictionSchema>,
    idempotencyKey?: string,
  ): Promise<Restriction> {
    const actor = actorOf(viewer);
    const key = `restriction.add:${interview.id}:${actor.actorId ?? actor.actorKind}:${idempotencyKey ?? crypto.randomUUID()}`;
    const op = await this.deps.units.once<RestrictionPayload>('review.restriction', key, async () => {
      const medium = await this.deps.store.media.findById(input.mediaId);
      if (!medium || medium.interviewId !== interview.id) {
        throw new Problem('validation', {
          errors: [{ field: 'body.mediaId', message: msg('field.notOfThisInterview') }],
        });
      }
      const duration = medium.technical.durationSec;
      if (input.start >= duration) {
        throw new Problem('validation', {
          errors: [
            { field: 'body.start', message: `nach dem Ende der Aufnahme (${Math.round(duration)} s) (after the end)` },
          ],
        });
      }
      const restriction: Restriction = {
        id: derivedId(`${key}#restriction`),
        interviewId: interview.id,
        mediaId: medium.id,
        start: input.start,
        end: Math.min(input.end, duration),
        reason: input.reason ?? null,
        quote: input.quote ?? null,
        status: 'active',
        createdByKind: viewer.kind === 'narrator' ? 'narrator' : 'user',
        createdById: viewer.kind === 'narrator' ? viewer.invitation.id : viewer.kind === 'user' ? viewer.user.id : null,
        createdAt: new Date().toISOString(),
        liftedAt: null,
        liftedBy: null,
      };
      return { actor, restriction, change: { kind: 'add' } };
    });
    return (await this.deps.store.review.findRestriction(op.payload.restriction.id)) ?? op.payload.restriction;
  }
}
