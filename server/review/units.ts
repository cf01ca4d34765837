// Units of work of the narrator review: the decision (decision + receipt, its audit event, one or two status changes
// with their effects, the digital consent), a curator's decision on a proposed correction (transcript version first,
// then the correction marked decided), restrictions (added or lifted, then the renditions re-made) and invitations.
import type { AuditActor } from '../audit/service.js';
import { Problem } from '../http/problem.js';
import { statusSteps, type StatusPayload } from '../interviews/units.js';
import { remakeRenditions } from '../media/restrictions.js';
import { ConflictError } from '../store/errors.js';
import type {
  ConsentRecord,
  Correction,
  Restriction,
  ReviewDecision,
  ReviewInvitation,
  TranscriptVersion,
} from '../store/types.js';
import { insertOnce, type Step, type UnitContext, type UnitOfWork } from '../store/unit-of-work.js';
import { appendTranscriptOnce, transcriptAuditSteps } from '../transcripts/units.js';
import type { UnitDeps } from '../units.js';
import { appendConsentOnce } from '../consent/units.js';
import { msg } from '../i18n/messages.js';

export interface DecidePayload {
  actor: AuditActor;
  decision: ReviewDecision;
  status: StatusPayload;
  /** The digital consent an approval records (its id continues the narrator's record when there is one). */
  consent: { record: Omit<ConsentRecord, 'version'>; previous: ConsentRecord | null } | null;
}

export interface CorrectionPayload {
  actor: AuditActor;
  before: Correction;
  decided: Pick<Correction, 'status' | 'decidedBy' | 'decidedAt' | 'decisionNote' | 'transcriptVersion'>;
  /** For an accepted correction: the transcript version it makes, on top of `expectedCurrent`. */
  transcript: { version: Omit<TranscriptVersion, 'version'>; expectedCurrent: number } | null;
}

export interface RestrictionPayload {
  actor: AuditActor;
  restriction: Restriction;
  change:
    | { kind: 'add' }
    | { kind: 'lift'; at: string; by: string | null; reason: string }
    | { kind: 'remove-by-narrator'; at: string };
}

export interface InvitationPayload {
  actor: AuditActor;
  /** Hashes only; the token and code are derived again from the operation's key (server/review/service.ts). */
  invitation: ReviewInvitation;
  publicInvitation: unknown;
}

export function registerReviewUnits(uow: UnitOfWork, deps: UnitDeps): void {
  const { store, audit, queue, logger } = deps;

  uow.register<DecidePayload>('review.decide', (ctx) => {
    const p = ctx.payload;
    const d = p.decision;
    const steps: Step[] = [
      { name: 'decision', run: () => insertOnce(() => store.review.addDecision(d)) },
      {
        name: 'decision.audit',
        run: async () =>
          void (await audit.record(
            p.actor,
            {
              interviewId: d.interviewId,
              action: `review.${d.decision}`,
              entity: 'review_decision',
              entityId: d.id,
              after: d,
            },
            ctx.key('decision.audit'),
          )),
      },
      ...statusSteps(deps, ctx as UnitContext<unknown>, p.status),
    ];
    if (p.consent) {
      const { record, previous } = p.consent;
      let stored: ConsentRecord | null = null;
      steps.push(
        { name: 'consent', run: async () => void (stored = await appendConsentOnce(store, record, undefined)) },
        {
          name: 'consent.audit',
          run: async () => {
            stored ??= await appendConsentOnce(store, record, undefined);
            await audit.record(
              p.actor,
              {
                interviewId: d.interviewId,
                action: 'consent.version',
                entity: 'consent',
                entityId: record.id,
                before: previous,
                after: stored,
              },
              ctx.key('consent.audit'),
            );
          },
        },
      );
    }
    return steps;
  });

  uow.register<CorrectionPayload>('review.correction', (ctx) => {
    const p = ctx.payload;
    const steps: Step[] = [];
    if (p.transcript) {
      const t = p.transcript;
      steps.push(
        {
          name: 'transcript',
          run: async () => {
            const result = await appendTranscriptOnce(store, t.version, t.expectedCurrent);
            if (!result) {
              throw new Problem('conflict', {
                detail: msg('review.segmentChanged'),
              });
            }
          },
        },
        ...transcriptAuditSteps(
          deps,
          ctx as UnitContext<unknown>,
          p.actor,
          p.before.interviewId,
          t.version,
          t.expectedCurrent + 1,
        ),
      );
    }
    steps.push(
      {
        name: 'decide',
        run: async () => {
          if (await store.review.decideCorrection(p.before.id, p.decided)) return;
          const now = await store.review.findCorrection(p.before.id);
          if (now?.status === p.decided.status && now.decidedAt === p.decided.decidedAt) return; // applied before
          throw new ConflictError('correction decided meanwhile');
        },
      },
      {
        name: 'decide.audit',
        run: async () =>
          void (await audit.record(
            p.actor,
            {
              interviewId: p.before.interviewId,
              action: p.decided.status === 'accepted' ? 'correction.accepted' : 'correction.rejected',
              entity: 'correction',
              entityId: p.before.id,
              before: p.before,
              after: p.decided,
            },
            ctx.key('decide.audit'),
          )),
      },
    );
    return steps;
  });

  uow.register<RestrictionPayload>('review.restriction', (ctx) => {
    const { actor, restriction: r, change } = ctx.payload;
    return [
      {
        name: 'write',
        run: async () => {
          if (change.kind === 'add') return insertOnce(() => store.review.addRestriction(r));
          await store.review.liftRestriction(r.id, change.at, change.kind === 'lift' ? change.by : null);
          // false: lifted already (by this operation before a crash, or concurrently): the state wanted holds either way
        },
      },
      {
        name: 'audit',
        run: async () => {
          const entry =
            change.kind === 'add'
              ? { action: 'restriction.added', after: r }
              : change.kind === 'lift'
                ? { action: 'restriction.lifted', before: r, after: { status: 'lifted', reason: change.reason } }
                : { action: 'restriction.removed-by-narrator', before: r };
          await audit.record(
            actor,
            { interviewId: r.interviewId, entity: 'restriction', entityId: r.id, ...entry },
            ctx.key('audit'),
          );
        },
      },
      {
        // public renditions and search follow the new restriction set
        name: 'renditions',
        run: async () => {
          const medium = await store.media.findById(r.mediaId);
          if (medium) await remakeRenditions(store, queue, medium, logger);
        },
      },
    ];
  });

  uow.register<InvitationPayload>('review.invitation', (ctx) => {
    const { actor, invitation, publicInvitation } = ctx.payload;
    return [
      { name: 'insert', run: () => insertOnce(() => store.review.createInvitation(invitation)) },
      {
        name: 'audit',
        run: async () =>
          void (await audit.record(
            actor,
            {
              interviewId: invitation.interviewId,
              action: 'review.invitation-created',
              entity: 'review_invitation',
              entityId: invitation.id,
              after: publicInvitation,
            },
            ctx.key('audit'),
          )),
      },
    ];
  });
}
