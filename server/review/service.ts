// Narrator review: invitations (link + printable letter with QR code + short code), the narrator's own view of the
// interview, passages marked "nicht veröffentlichen", proposed corrections, and the decision (approve / ask for
// changes / withdraw) with its receipt; and the curators' side: invitations, proposals, restrictions.
import crypto from 'node:crypto';
import QRCode from 'qrcode';
import { staffInterview } from '../access/staff.js';
import type { Viewer } from '../access/viewer.js';
import type { AuditLog } from '../audit/service.js';
import { Problem } from '../http/problem.js';
import type { InterviewService } from '../interviews/service.js';
import type { Logger } from '../logger.js';
import { remakeRenditions } from '../media/restrictions.js';
import type { MediaService } from '../media/service.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Store } from '../store/repositories.js';
import type {
  ConsentScope, Correction, Interview, Restriction, ReviewDecision, ReviewInvitation, Visibility, WorkflowStatus,
} from '../store/types.js';
import type { TranscriptService } from '../transcripts/service.js';
import type { z } from 'zod';
import type { correctionSchema, createInvitationSchema, decisionSchema, restrictionSchema } from './schemas.js';
import { hashReviewToken, hashShortCode, newReviewToken, newShortCode } from './tokens.js';

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

const publicInvitation = (i: ReviewInvitation): PublicInvitation => ({
  id: i.id, interviewId: i.interviewId, narrator: i.narrator, createdAt: i.createdAt, expiresAt: i.expiresAt,
  revokedAt: i.revokedAt, lastUsedAt: i.lastUsedAt, state: invitationState(i),
});

/** States in which the narrator's decision is asked for. */
const decidableStates: readonly WorkflowStatus[] = ['ready_for_review', 'in_review', 'changes_requested'];

/** What the narrator's approval releases, as a consent scope (recorded as a digital consent). */
const scopeForApproval: Record<'public' | 'registered' | 'private', ConsentScope[]> = {
  public: ['archive', 'research', 'education', 'public_web'],
  registered: ['archive', 'research', 'education'],
  private: ['archive'],
};

// A credential that looks like a short code is looked up as one; everything else as a link token.
const SHORT_CODE_SHAPE = /^[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}-?[A-Za-z0-9]{2}$/;

export interface ReviewServiceDeps {
  store: Store;
  queue: JobQueue;
  audit: AuditLog;
  interviews: InterviewService;
  media: MediaService;
  transcripts: TranscriptService;
  logger: Logger;
  invitationDays: number;
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
        unknown: { de: 'Diesen Zugang kennen wir nicht. Bitte prüfen Sie den Code auf Ihrem Brief.', en: 'We do not know this access code. Please check the code in your letter.' },
        expired: { de: 'Dieser Zugang ist abgelaufen. Bitte rufen Sie uns an, dann schicken wir Ihnen einen neuen.', en: 'This access has expired. Please call us and we will send you a new one.' },
        revoked: { de: 'Dieser Zugang wurde zurückgezogen. Bitte rufen Sie uns an.', en: 'This access was withdrawn. Please call us.' },
        active: { de: '', en: '' },
      }[state];
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
    return staffInterview(this.deps.store.interviews, viewer, interviewId, { de: 'Die Durchsicht mit Zeitzeug/innen betreuen Kurator/innen.', en: 'Curators handle the review with narrators.' });
  }


  async createInvitation(viewer: Viewer, interviewId: string, input: z.output<typeof createInvitationSchema>, origin: string) {
    const interview = await this.staffInterview(viewer, interviewId);
    if (interview.status === 'withdrawn') throw new Problem('conflict', { detail: { de: 'Das Interview ist widerrufen.', en: 'The interview has been withdrawn.' } });
    const token = newReviewToken();
    const code = newShortCode();
    const now = new Date();
    const invitation: ReviewInvitation = {
      id: crypto.randomUUID(), interviewId, narrator: input.narrator, tokenHash: hashReviewToken(token), codeHash: hashShortCode(code),
      createdBy: viewer.kind === 'user' ? viewer.user.id : null, createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + (input.expiresInDays ?? this.deps.invitationDays) * 86_400_000).toISOString(),
      revokedAt: null, lastUsedAt: null,
    };
    await this.deps.store.review.createInvitation(invitation);
    await this.deps.audit.record(viewer, { interviewId, action: 'review.invitation-created', entity: 'review_invitation', entityId: invitation.id, after: publicInvitation(invitation) });
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
    if (await this.deps.store.review.revokeInvitation(invitationId, new Date().toISOString())) {
      await this.deps.audit.record(viewer, { interviewId, action: 'review.invitation-revoked', entity: 'review_invitation', entityId: invitationId, before: publicInvitation(invitation) });
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

  async addRestrictionAsStaff(viewer: Viewer, interviewId: string, input: z.output<typeof restrictionSchema>): Promise<Restriction> {
    const interview = await this.staffInterview(viewer, interviewId);
    return this.addRestriction(viewer, interview, input);
  }

  async liftRestriction(viewer: Viewer, interviewId: string, restrictionId: string, reason: string): Promise<Restriction> {
    await this.staffInterview(viewer, interviewId);
    const restriction = await this.deps.store.review.findRestriction(restrictionId);
    if (!restriction || restriction.interviewId !== interviewId) throw new Problem('not-found');
    if (!(await this.deps.store.review.liftRestriction(restrictionId, new Date().toISOString(), viewer.kind === 'user' ? viewer.user.id : null))) {
      throw new Problem('conflict', { detail: { de: 'Der Sperrvermerk ist bereits aufgehoben.', en: 'The restriction is already lifted.' } });
    }
    await this.deps.audit.record(viewer, { interviewId, action: 'restriction.lifted', entity: 'restriction', entityId: restrictionId, before: restriction, after: { status: 'lifted', reason } });
    await this.restrictionsChanged(restriction.mediaId);
    return (await this.deps.store.review.findRestriction(restrictionId))!;
  }

  async decideCorrection(viewer: Viewer, interviewId: string, correctionId: string, accept: boolean, note: string | null) {
    await this.staffInterview(viewer, interviewId);
    const correction = await this.deps.store.review.findCorrection(correctionId);
    if (!correction || correction.interviewId !== interviewId) throw new Problem('not-found');
    if (correction.status !== 'open') throw new Problem('conflict', { detail: { de: 'Über diesen Vorschlag wurde schon entschieden.', en: 'This proposal was already decided.' } });
    let transcriptVersion: number | null = null;
    if (accept) {
      const current = await this.deps.store.transcripts.current(correction.mediaId);
      // the segment may have moved (split/merge since): find it by its start, then by its number
      const n = current?.segments.findIndex((s) => s.start !== null && Math.abs(s.start - correction.segmentStart) < 0.001) ?? -1;
      const segmentNo = n >= 0 ? n : correction.segmentNo;
      const segment = current?.segments[segmentNo];
      if (!segment || segment.text !== correction.original) {
        throw new Problem('conflict', {
          detail: { de: 'Der Abschnitt wurde inzwischen geändert; bitte den Vorschlag von Hand übernehmen.', en: 'The segment changed meanwhile; apply the proposal by hand.' },
        });
      }
      const view = await this.deps.transcripts.editSegment(viewer, interviewId, correction.mediaId, segmentNo, { text: correction.proposed },
        `Korrektur der Zeitzeugin/des Zeitzeugen übernommen${note ? `: ${note}` : ''}`, current!.version);
      transcriptVersion = view.version;
    }
    const decided = {
      status: accept ? 'accepted' as const : 'rejected' as const, decidedBy: viewer.kind === 'user' ? viewer.user.id : null,
      decidedAt: new Date().toISOString(), decisionNote: note, transcriptVersion,
    };
    if (!(await this.deps.store.review.decideCorrection(correctionId, decided))) throw new Problem('conflict');
    await this.deps.audit.record(viewer, { interviewId, action: accept ? 'correction.accepted' : 'correction.rejected', entity: 'correction', entityId: correctionId, before: correction, after: decided });
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
      return { mediaId: m.id, segments: t?.segments.map(({ start, end, speaker, text }) => ({ start, end, speaker, text })) ?? [] };
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

  async narratorAddRestriction(viewer: Viewer, input: z.output<typeof restrictionSchema>): Promise<ReturnType<typeof narratorRestriction>> {
    const interview = await this.narratorInterview(viewer);
    if (interview.status === 'withdrawn') throw withdrawnProblem();
    return narratorRestriction(await this.addRestriction(viewer, interview, input));
  }

  /** The narrator takes back a passage they marked themselves (a curator's restriction stays). */
  async narratorRemoveRestriction(viewer: Viewer, restrictionId: string): Promise<void> {
    const interview = await this.narratorInterview(viewer);
    const restriction = await this.deps.store.review.findRestriction(restrictionId);
    if (!restriction || restriction.interviewId !== interview.id || restriction.status !== 'active') throw new Problem('not-found');
    if (restriction.createdByKind !== 'narrator') throw new Problem('forbidden');
    await this.deps.store.review.liftRestriction(restrictionId, new Date().toISOString(), null);
    await this.deps.audit.record(viewer, { interviewId: interview.id, action: 'restriction.removed-by-narrator', entity: 'restriction', entityId: restrictionId, before: restriction });
    await this.restrictionsChanged(restriction.mediaId);
  }

  async narratorAddCorrection(viewer: Viewer, input: z.output<typeof correctionSchema>) {
    const invitation = this.narratorOf(viewer);
    const interview = await this.narratorInterview(viewer);
    if (interview.status === 'withdrawn') throw withdrawnProblem();
    const medium = await this.deps.store.media.findById(input.mediaId);
    if (!medium || medium.interviewId !== interview.id) throw new Problem('validation', { errors: [{ field: 'body.mediaId', message: 'gehört nicht zu diesem Interview (not part of this interview)' }] });
    const segment = (await this.deps.store.transcripts.current(medium.id))?.segments[input.segmentNo];
    if (!segment) throw new Problem('validation', { errors: [{ field: 'body.segmentNo', message: 'diesen Abschnitt gibt es nicht (no such segment)' }] });
    if (segment.text === input.proposed) throw new Problem('validation', { errors: [{ field: 'body.proposed', message: 'unverändert (unchanged)' }] });
    const correction: Correction = {
      id: crypto.randomUUID(), interviewId: interview.id, mediaId: medium.id, segmentNo: input.segmentNo, segmentStart: segment.start ?? 0,
      original: segment.text, proposed: input.proposed, note: input.note ?? null, status: 'open', invitationId: invitation.id,
      createdAt: new Date().toISOString(), decidedBy: null, decidedAt: null, decisionNote: null, transcriptVersion: null,
    };
    await this.deps.store.review.addCorrection(correction);
    await this.deps.audit.record(viewer, { interviewId: interview.id, action: 'correction.proposed', entity: 'correction', entityId: correction.id, after: correction });
    return narratorCorrection(correction);
  }

  async decide(viewer: Viewer, input: z.output<typeof decisionSchema>): Promise<{ decision: ReviewDecision; receipt: Awaited<ReturnType<ReviewService['receipt']>> }> {
    const invitation = this.narratorOf(viewer);
    const interview = await this.narratorInterview(viewer);
    if (interview.status === 'withdrawn') throw withdrawnProblem();
    if (input.decision !== 'withdraw' && !decidableStates.includes(interview.status)) {
      throw new Problem('conflict', {
        detail: { de: 'Über dieses Interview haben Sie bereits entschieden. Für Änderungen rufen Sie uns bitte an.', en: 'You have already decided on this interview. Please call us for changes.' },
      });
    }
    const decision: ReviewDecision = {
      id: crypto.randomUUID(), interviewId: interview.id, invitationId: invitation.id, decision: input.decision,
      visibility: input.decision === 'approve' ? (input.visibility as Visibility) : null, message: input.message ?? null,
      receiptNo: receiptNumber(), createdAt: new Date().toISOString(),
    };
    await this.deps.store.review.addDecision(decision);
    await this.deps.audit.record(viewer, { interviewId: interview.id, action: `review.${input.decision}`, entity: 'review_decision', entityId: decision.id, after: decision });
    const interviews = this.deps.interviews;
    const note = input.message ?? null;
    if (input.decision === 'withdraw') {
      await interviews.transition(viewer, interview.id, 'withdrawn', {}, note ?? 'Widerruf durch den Zeitzeugen/die Zeitzeugin');
    } else {
      if (interview.status !== 'in_review') await interviews.transition(viewer, interview.id, 'in_review');
      if (input.decision === 'approve') {
        const visibility = input.visibility!;
        await interviews.transition(viewer, interview.id, 'approved', { visibility }, note);
        await this.recordDigitalConsent(viewer, interview.id, invitation.narrator, visibility);
      } else {
        await interviews.transition(viewer, interview.id, 'changes_requested', {}, note);
      }
    }
    return { decision, receipt: await this.receipt(viewer) };
  }

  /** The approval on the review page is the narrator's (digital) consent for what they chose. */
  private async recordDigitalConsent(viewer: Viewer, interviewId: string, narrator: string, visibility: 'public' | 'registered' | 'private') {
    const previous = (await this.deps.store.consents.currentForInterview(interviewId)).find((c) => c.narrator === narrator);
    const result = await this.deps.store.consents.append({
      id: previous?.id ?? crypto.randomUUID(), interviewId, narrator, scope: scopeForApproval[visibility], givenOn: new Date().toISOString().slice(0, 10),
      method: 'digital', scan: previous?.scan ?? null, embargoUntil: previous?.embargoUntil ?? null, onWithdrawal: previous?.onWithdrawal ?? 'keep_archive',
      notes: 'Freigabe über die Durchsicht-Seite', authorId: null, createdAt: new Date().toISOString(),
    });
    if (result.ok) {
      await this.deps.audit.record(viewer, { interviewId, action: 'consent.version', entity: 'consent', entityId: result.record.id, before: previous ?? null, after: result.record });
    }
  }

  /** A printable summary of the narrator's latest decision. */
  async receipt(viewer: Viewer) {
    const invitation = this.narratorOf(viewer);
    const interview = await this.narratorInterview(viewer);
    const [decision] = await this.deps.store.review.listDecisions(interview.id);
    if (!decision) throw new Problem('not-found', { detail: { de: 'Sie haben noch nicht entschieden.', en: 'You have not decided yet.' } });
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

  private async addRestriction(viewer: Viewer, interview: Interview, input: z.output<typeof restrictionSchema>): Promise<Restriction> {
    const medium = await this.deps.store.media.findById(input.mediaId);
    if (!medium || medium.interviewId !== interview.id) {
      throw new Problem('validation', { errors: [{ field: 'body.mediaId', message: 'gehört nicht zu diesem Interview (not part of this interview)' }] });
    }
    const duration = medium.technical.durationSec;
    if (input.start >= duration) {
      throw new Problem('validation', { errors: [{ field: 'body.start', message: `nach dem Ende der Aufnahme (${Math.round(duration)} s) (after the end)` }] });
    }
    const restriction: Restriction = {
      id: crypto.randomUUID(), interviewId: interview.id, mediaId: medium.id, start: input.start, end: Math.min(input.end, duration),
      reason: input.reason ?? null, quote: input.quote ?? null, status: 'active',
      createdByKind: viewer.kind === 'narrator' ? 'narrator' : 'user',
      createdById: viewer.kind === 'narrator' ? viewer.invitation.id : viewer.kind === 'user' ? viewer.user.id : null,
      createdAt: new Date().toISOString(), liftedAt: null, liftedBy: null,
    };
    await this.deps.store.review.addRestriction(restriction);
    await this.deps.audit.record(viewer, { interviewId: interview.id, action: 'restriction.added', entity: 'restriction', entityId: restriction.id, after: restriction });
    await this.restrictionsChanged(medium.id);
    return restriction;
  }

  /** Public renditions and search follow the new restriction set. */
  private async restrictionsChanged(mediaId: string): Promise<void> {
    const medium = await this.deps.store.media.findById(mediaId);
    if (medium) await remakeRenditions(this.deps.store, this.deps.queue, medium, this.deps.logger);
  }
}

function withdrawnProblem(): Problem {
  return new Problem('conflict', { detail: { de: 'Sie haben Ihr Einverständnis widerrufen; das Interview ist gesperrt.', en: 'You withdrew your consent; the interview is closed.' } });
}

function narratorRestriction(r: Restriction) {
  return { id: r.id, mediaId: r.mediaId, start: r.start, end: r.end, reason: r.reason, quote: r.quote, mine: r.createdByKind === 'narrator', createdAt: r.createdAt };
}

function narratorCorrection(c: Correction) {
  return { id: c.id, mediaId: c.mediaId, segmentNo: c.segmentNo, original: c.original, proposed: c.proposed, note: c.note, status: c.status, createdAt: c.createdAt };
}

/** Short and readable on the phone: date plus four characters. */
function receiptNumber(): string {
  return `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${newShortCode().slice(0, 4)}`;
}

