// Narrator review: invitations (link + printable letter with QR code + short code), the narrator's own view of the
// interview, passages marked "nicht veröffentlichen", proposed corrections, and the decision (approve / ask for
// changes / withdraw) with its receipt; and the curators' side: invitations, proposals, restrictions.
import { draftStates } from '../asr/draft.js';
import crypto from 'node:crypto';
import QRCode from 'qrcode';
import { staffInterview } from '../access/staff.js';
import type { Viewer } from '../access/viewer.js';
import type { AuditLog } from '../audit/service.js';
import { Problem } from '../http/problem.js';
import type { InterviewService } from '../interviews/service.js';
import type { Logger } from '../logger.js';
import type { MediaService } from '../media/service.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Store } from '../store/repositories.js';
import type {
  Correction, Interview, Restriction, ReviewDecision, ReviewInvitation, Visibility,
} from '../store/types.js';
import type { TranscriptService } from '../transcripts/service.js';
import type { z } from 'zod';
import type { correctionSchema, createInvitationSchema, decisionSchema, restrictionSchema } from './schemas.js';
import {
  hashReviewToken, hashShortCode, newReviewToken, newShortCode, reviewTokenFrom, shortCodeFrom,
} from './tokens.js';
import { actorOf } from '../access/viewer.js';
import { derivedId, digestOf, type UnitOfWork } from '../store/unit-of-work.js';
import type { StatusChange } from '../interviews/units.js';
import type { CorrectionPayload, DecidePayload, InvitationPayload, RestrictionPayload } from './units.js';
import { msg } from '../i18n/messages.js';
import {
  correctionDecided, decidableStates, invitationState, narratorCorrection, narratorRestriction, publicInvitation, receiptNumber,
  REPEAT_WINDOW_MS, scopeForApproval, SHORT_CODE_SHAPE, withdrawnProblem, type PublicInvitation,
} from './presenters.js';

export { invitationState, type PublicInvitation } from './presenters.js';

export interface ReviewServiceDeps {
  store: Store;
  queue: JobQueue;
  audit: AuditLog;
  interviews: InterviewService;
  media: MediaService;
  transcripts: TranscriptService;
  logger: Logger;
  invitationDays: number;
  /** Units of work (server/units.ts); each use case below that writes more than once runs as one. */
  units: UnitOfWork;
  /**
   * A secret derived for a label (MediaUrlSigner.derive): lets a retried invitation (same Idempotency-Key) hand out
   * the same link and code again although only their hashes are stored. Without it each invitation is random.
   */
  derive?: (label: string) => Buffer;
}

export class ReviewService {
  constructor(private readonly deps: ReviewServiceDeps) {}

  // ── credentials ────────────────────────────────────────────────────────────────────────────────────────────────

  /** For the authenticate middleware: a link token or a short code → the invitation, or why not. */
  async resolveCredential(raw: string): Promise<{ ok: true; invitation: ReviewInvitation } | { ok: false; problem: Problem }> {
    const review = this.deps.store.review;
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

  // ── curators ───────────────────────────────────────────────────────────────────────────────────────────────────

  private staffInterview(viewer: Viewer, interviewId: string): Promise<Interview> {
    return staffInterview(this.deps.store.interviews, viewer, interviewId, msg('review.byCurators'));
  }


  /** `origin` comes from PUBLIC_URL only (never the request's Host header); without it no link and no letter can be made. */
  async createInvitation(viewer: Viewer, interviewId: string, input: z.output<typeof createInvitationSchema>, origin: string | null, idempotencyKey?: string) {
    const interview = await this.staffInterview(viewer, interviewId);
    if (origin === null) {
      throw new Problem('public-url-required', {
        detail: msg('review.publicUrlRequired'),
      });
    }
    const key = `review.invitation:${interviewId}:${idempotencyKey ?? crypto.randomUUID()}`;
    // with an Idempotency-Key the credentials follow from the key: a retry prints the same letter
    const seed = idempotencyKey && this.deps.derive ? this.deps.derive(key) : null;
    const token = seed ? reviewTokenFrom(seed) : newReviewToken();
    const code = seed ? shortCodeFrom(seed) : newShortCode();
    const op = await this.deps.units.once<InvitationPayload>('review.invitation', key, async () => {
      if (interview.status === 'withdrawn') throw new Problem('conflict', { detail: msg('review.interviewWithdrawn') });
      const now = new Date();
      const invitation: ReviewInvitation = {
        id: derivedId(`${key}#invitation`), interviewId, narrator: input.narrator, tokenHash: hashReviewToken(token), codeHash: hashShortCode(code),
        createdBy: viewer.kind === 'user' ? viewer.user.id : null, createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + (input.expiresInDays ?? this.deps.invitationDays) * 86_400_000).toISOString(),
        revokedAt: null, lastUsedAt: null,
      };
      return { actor: actorOf(viewer), invitation, publicInvitation: publicInvitation(invitation) };
    });
    const invitation = (await this.deps.store.review.findInvitation(op.payload.invitation.id)) ?? op.payload.invitation;
    const link = `${origin}/durchsicht/${token}`;
    const qrSvg = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    // token and code are shown this once (stored only hashed): the letter is printed from this answer
    return { invitation: publicInvitation(invitation), token, code, link, codeUrl: `${origin}/durchsicht`, qrSvg, interviewTitle: interview.title };
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
      await this.deps.audit.record(viewer, { interviewId, action: 'review.invitation-revoked', entity: 'review_invitation', entityId: invitationId, before: publicInvitation(invitation) }, `review.invitation-revoked:${invitationId}`);
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

  async addRestrictionAsStaff(viewer: Viewer, interviewId: string, input: z.output<typeof restrictionSchema>, idempotencyKey?: string): Promise<Restriction> {
    const interview = await this.staffInterview(viewer, interviewId);
    return this.addRestriction(viewer, interview, input, idempotencyKey);
  }

  async liftRestriction(viewer: Viewer, interviewId: string, restrictionId: string, reason: string): Promise<Restriction> {
    await this.staffInterview(viewer, interviewId);
    // a restriction is lifted once: the key is the restriction, and a retry gets the lifted restriction again
    await this.deps.units.once<RestrictionPayload>('review.restriction', `restriction.lift:${restrictionId}`, async () => {
      const restriction = await this.deps.store.review.findRestriction(restrictionId);
      if (!restriction || restriction.interviewId !== interviewId) throw new Problem('not-found');
      if (restriction.status !== 'active') throw new Problem('conflict', { detail: msg('review.restrictionLifted') });
      return { actor: actorOf(viewer), restriction, change: { kind: 'lift', at: new Date().toISOString(), by: viewer.kind === 'user' ? viewer.user.id : null, reason } };
    });
    const lifted = await this.deps.store.review.findRestriction(restrictionId);
    if (!lifted || lifted.interviewId !== interviewId) throw new Problem('not-found');
    return lifted;
  }

  async decideCorrection(viewer: Viewer, interviewId: string, correctionId: string, accept: boolean, note: string | null) {
    await this.staffInterview(viewer, interviewId);
    // a correction is decided once: its id is the key; a retry (the same verb) completes and answers the first decision
    const op = await this.deps.units.once<CorrectionPayload>('review.correction', `correction.decide:${correctionId}`, async () => {
      const correction = await this.deps.store.review.findCorrection(correctionId);
      if (!correction || correction.interviewId !== interviewId) throw new Problem('not-found');
      if (correction.status !== 'open') throw correctionDecided();
      let transcript: CorrectionPayload['transcript'] = null;
      if (accept) {
        const current = await this.deps.store.transcripts.current(correction.mediaId);
        // the segment may have moved (split/merge since): find it by its start, then by its number
        const n = current?.segments.findIndex((s) => s.start !== null && Math.abs(s.start - correction.segmentStart) < 0.001) ?? -1;
        const segmentNo = n >= 0 ? n : correction.segmentNo;
        const segment = current?.segments[segmentNo];
        if (!current || !segment || segment.text !== correction.original) {
          throw new Problem('conflict', {
            detail: msg('review.segmentChanged'),
          });
        }
        const segments = structuredClone(current.segments);
        const edited = { ...segment, text: correction.proposed };
        delete edited.words; // word timings belong to the old text
        segments[segmentNo] = edited;
        transcript = {
          expectedCurrent: current.version,
          version: {
            mediaId: correction.mediaId, segments, authorId: viewer.kind === 'user' ? viewer.user.id : null, source: 'edit:segment',
            reason: `Korrektur der Zeitzeugin/des Zeitzeugen übernommen${note ? `: ${note}` : ''}`, createdAt: new Date().toISOString(),
          },
        };
      }
      const decided = {
        status: accept ? 'accepted' as const : 'rejected' as const, decidedBy: viewer.kind === 'user' ? viewer.user.id : null,
        decidedAt: new Date().toISOString(), decisionNote: note, transcriptVersion: transcript ? transcript.expectedCurrent + 1 : null,
      };
      return { actor: actorOf(viewer), before: correction, decided, transcript };
    });
    // the same key with the other verb is a different decision: this one was taken already
    if (op.payload.decided.status !== (accept ? 'accepted' : 'rejected')) throw correctionDecided();
    return (await this.deps.store.review.findCorrection(correctionId))!;
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
      interview = await this.deps.interviews.transition(viewer, interview.id, 'in_review', {}, 'Zeitzeuge/Zeitzeugin hat die Durchsicht begonnen');
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
      return { ...base, withdrawn: true, interview: { id: interview.id, title: interview.title, status: interview.status }, media: [], restrictions: [], corrections: [] };
    }
    const media = await this.deps.media.listForInterview(viewer, interview);
    const parts = await Promise.all(media.map(async (m) => {
      const t = await this.deps.store.transcripts.current(m.id);
      // an automatic transcript nobody has checked yet is shown to the narrator as a draft
      const draft = t ? Boolean(draftStates(await this.deps.store.transcripts.listVersions(m.id)).get(t.version)) : false;
      return { mediaId: m.id, draft, segments: t?.segments.map(({ start, end, speaker, text }) => ({ start, end, speaker, text })) ?? [] };
    }));
    return {
      ...base,
      withdrawn: false,
      interview: {
        id: interview.id, title: interview.title, recordedAt: interview.recordedAt, place: interview.place, people: interview.people,
        summary: interview.summary, status: interview.status, visibility: interview.visibility,
      },
      media,
      transcripts: parts,
      restrictions: (await review.listRestrictions({ interviewId: interview.id })).map(narratorRestriction),
      corrections: (await review.listCorrections(interview.id)).map(narratorCorrection),
    };
  }

  async narratorAddRestriction(viewer: Viewer, input: z.output<typeof restrictionSchema>, idempotencyKey?: string): Promise<ReturnType<typeof narratorRestriction>> {
    const interview = await this.narratorInterview(viewer);
    if (interview.status === 'withdrawn') throw withdrawnProblem();
    return narratorRestriction(await this.addRestriction(viewer, interview, input, idempotencyKey));
  }

  /** The narrator takes back a passage they marked themselves (a curator's restriction stays). */
  async narratorRemoveRestriction(viewer: Viewer, restrictionId: string): Promise<void> {
    const interview = await this.narratorInterview(viewer);
    await this.deps.units.once<RestrictionPayload>('review.restriction', `restriction.lift:${restrictionId}`, async () => {
      const restriction = await this.deps.store.review.findRestriction(restrictionId);
      if (!restriction || restriction.interviewId !== interview.id || restriction.status !== 'active') throw new Problem('not-found');
      if (restriction.createdByKind !== 'narrator') throw new Problem('forbidden');
      return { actor: actorOf(viewer), restriction, change: { kind: 'remove-by-narrator', at: new Date().toISOString() } };
    });
  }

  async narratorAddCorrection(viewer: Viewer, input: z.output<typeof correctionSchema>) {
    const invitation = this.narratorOf(viewer);
    const interview = await this.narratorInterview(viewer);
    if (interview.status === 'withdrawn') throw withdrawnProblem();
    const medium = await this.deps.store.media.findById(input.mediaId);
    if (!medium || medium.interviewId !== interview.id) throw new Problem('validation', { errors: [{ field: 'body.mediaId', message: msg('field.notOfThisInterview') }] });
    const segment = (await this.deps.store.transcripts.current(medium.id))?.segments[input.segmentNo];
    if (!segment) throw new Problem('validation', { errors: [{ field: 'body.segmentNo', message: msg('field.noSuchSegment') }] });
    if (segment.text === input.proposed) throw new Problem('validation', { errors: [{ field: 'body.proposed', message: msg('field.unchanged') }] });
    // the proposal and its log entry: the entry is keyed by the proposal (written once, also when retried); the same
    // proposal for the same segment from the same invitation while it is open is the retry of the first
    const open = (await this.deps.store.review.listCorrections(interview.id))
      .find((c) => c.status === 'open' && c.invitationId === invitation.id && c.mediaId === medium.id && c.segmentNo === input.segmentNo && c.proposed === input.proposed);
    const correction: Correction = open ?? {
      id: crypto.randomUUID(), interviewId: interview.id, mediaId: medium.id, segmentNo: input.segmentNo, segmentStart: segment.start ?? 0,
      original: segment.text, proposed: input.proposed, note: input.note ?? null, status: 'open', invitationId: invitation.id,
      createdAt: new Date().toISOString(), decidedBy: null, decidedAt: null, decisionNote: null, transcriptVersion: null,
    };
    if (!open) await this.deps.store.review.addCorrection(correction);
    await this.deps.audit.record(viewer, { interviewId: interview.id, action: 'correction.proposed', entity: 'correction', entityId: correction.id, after: correction }, `correction.proposed:${correction.id}`);
    return narratorCorrection(correction);
  }

  async decide(viewer: Viewer, input: z.output<typeof decisionSchema>, idempotencyKey?: string): Promise<{ decision: ReviewDecision; receipt: Awaited<ReturnType<ReviewService['receipt']>> }> {
    const invitation = this.narratorOf(viewer);
    const interview = await this.narratorInterview(viewer);
    const answer = async (decision: ReviewDecision) => ({ decision, receipt: await this.receipt(viewer) });
    const message = input.message ?? null;
    const visibility = input.decision === 'approve' ? (input.visibility as Visibility) : null;
    if (!idempotencyKey) {
      // no key from the client: the same decision again within a short while is its retry, never a second decision
      const [latest] = (await this.deps.store.review.listDecisions(interview.id)).filter((d) => d.invitationId === invitation.id);
      if (latest && latest.decision === input.decision && latest.visibility === visibility && latest.message === message &&
        Date.now() - Date.parse(latest.createdAt) < REPEAT_WINDOW_MS) return answer(latest);
    }
    const key = idempotencyKey
      ? `review.decide:${invitation.id}:${idempotencyKey}`
      : `review.decide:${invitation.id}:${interview.version}:${digestOf(input)}`;
    const op = await this.deps.units.once<DecidePayload>('review.decide', key, async () => {
      // every precondition before the first write: a rejected decision leaves nothing behind
      if (interview.status === 'withdrawn') throw withdrawnProblem();
      if (input.decision !== 'withdraw' && !decidableStates.includes(interview.status)) {
        throw new Problem('conflict', {
          detail: msg('review.alreadyDecided'),
        });
      }
      const createdAt = new Date().toISOString();
      const decision: ReviewDecision = {
        id: derivedId(`${key}#decision`), interviewId: interview.id, invitationId: invitation.id, decision: input.decision,
        visibility, message, receiptNo: receiptNumber(), createdAt,
      };
      const changes: StatusChange[] = input.decision === 'withdraw'
        ? [{ to: 'withdrawn', reason: message ?? 'Widerruf durch den Zeitzeugen/die Zeitzeugin' }]
        : [
            ...(interview.status !== 'in_review' ? [{ to: 'in_review' as const, reason: null }] : []),
            input.decision === 'approve' ? { to: 'approved' as const, visibility: input.visibility!, reason: message } : { to: 'changes_requested' as const, reason: message },
          ];
      return {
        actor: actorOf(viewer),
        decision,
        status: { actor: actorOf(viewer), interviewId: interview.id, before: { status: interview.status, visibility: interview.visibility }, changes },
        consent: input.decision === 'approve'
          ? await this.digitalConsent(interview.id, invitation.narrator, input.visibility!, derivedId(`${key}#consent`), createdAt)
          : null,
      };
    });
    return answer(op.payload.decision);
  }

  /** The approval on the review page is the narrator's (digital) consent for what they chose. */
  private async digitalConsent(interviewId: string, narrator: string, visibility: 'public' | 'registered' | 'private', newId: string, createdAt: string): Promise<DecidePayload['consent']> {
    const previous = (await this.deps.store.consents.currentForInterview(interviewId)).find((c) => c.narrator === narrator) ?? null;
    return {
      previous,
      record: {
        id: previous?.id ?? newId, interviewId, narrator, scope: scopeForApproval[visibility], givenOn: createdAt.slice(0, 10),
        method: 'digital', scan: previous?.scan ?? null, embargoUntil: previous?.embargoUntil ?? null, onWithdrawal: previous?.onWithdrawal ?? 'keep_archive',
        notes: 'Freigabe über die Durchsicht-Seite', authorId: null, createdAt,
      },
    };
  }

  /** A printable summary of the narrator's latest decision. */
  async receipt(viewer: Viewer) {
    const invitation = this.narratorOf(viewer);
    const interview = await this.narratorInterview(viewer);
    const [decision] = await this.deps.store.review.listDecisions(interview.id);
    if (!decision) throw new Problem('not-found', { detail: msg('review.notDecided') });
    const media = await this.deps.store.media.listByInterview(interview.id);
    const partOf = new Map(media.map((m) => [m.id, m.part]));
    return {
      receiptNo: decision.receiptNo,
      narrator: invitation.narrator,
      interviewTitle: interview.title,
      decision: decision.decision,
      visibility: decision.visibility,
      message: decision.message,
      decidedAt: decision.createdAt,
      restrictions: (await this.deps.store.review.listRestrictions({ interviewId: interview.id }))
        .map((r) => ({ part: partOf.get(r.mediaId) ?? null, start: r.start, end: r.end, reason: r.reason })),
      corrections: (await this.deps.store.review.listCorrections(interview.id))
        .filter((c) => c.invitationId === invitation.id).map((c) => ({ original: c.original, proposed: c.proposed, status: c.status })),
    };
  }

  // ── shared ─────────────────────────────────────────────────────────────────────────────────────────────────────

  private async addRestriction(viewer: Viewer, interview: Interview, input: z.output<typeof restrictionSchema>, idempotencyKey?: string): Promise<Restriction> {
    const actor = actorOf(viewer);
    const key = `restriction.add:${interview.id}:${actor.actorId ?? actor.actorKind}:${idempotencyKey ?? crypto.randomUUID()}`;
    const op = await this.deps.units.once<RestrictionPayload>('review.restriction', key, async () => {
      const medium = await this.deps.store.media.findById(input.mediaId);
      if (!medium || medium.interviewId !== interview.id) {
        throw new Problem('validation', { errors: [{ field: 'body.mediaId', message: msg('field.notOfThisInterview') }] });
      }
      const duration = medium.technical.durationSec;
      if (input.start >= duration) {
        throw new Problem('validation', { errors: [{ field: 'body.start', message: `nach dem Ende der Aufnahme (${Math.round(duration)} s) (after the end)` }] });
      }
      const restriction: Restriction = {
        id: derivedId(`${key}#restriction`), interviewId: interview.id, mediaId: medium.id, start: input.start, end: Math.min(input.end, duration),
        reason: input.reason ?? null, quote: input.quote ?? null, status: 'active',
        createdByKind: viewer.kind === 'narrator' ? 'narrator' : 'user',
        createdById: viewer.kind === 'narrator' ? viewer.invitation.id : viewer.kind === 'user' ? viewer.user.id : null,
        createdAt: new Date().toISOString(), liftedAt: null, liftedBy: null,
      };
      return { actor, restriction, change: { kind: 'add' } };
    });
    return (await this.deps.store.review.findRestriction(op.payload.restriction.id)) ?? op.payload.restriction;
  }
}
