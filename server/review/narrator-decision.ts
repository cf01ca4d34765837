// The narrator's decision on their interview and its printable receipt.
import type { Viewer } from '../access/viewer.js';
import { Problem } from '../http/problem.js';
import type { Interview, ReviewDecision, ReviewInvitation, Visibility } from '../store/types.js';
import type { z } from 'zod';
import type { decisionSchema } from './schemas.js';
import { actorOf } from '../access/viewer.js';
import { derivedId, digestOf } from '../store/unit-of-work.js';
import type { StatusChange } from '../interviews/units.js';
import type { DecidePayload } from './units.js';
import { msg } from '../i18n/messages.js';
import { decidableStates, receiptNumber, REPEAT_WINDOW_MS, scopeForApproval, withdrawnProblem } from './presenters.js';
import type { ReviewServiceDeps } from './deps.js';

/** The narrator's decision: approve (with their digital consent), ask for changes, or withdraw — one unit of work. */
export async function decide(
  deps: ReviewServiceDeps,
  viewer: Viewer,
  invitation: ReviewInvitation,
  interview: Interview,
  input: z.output<typeof decisionSchema>,
  idempotencyKey?: string,
): Promise<{ decision: ReviewDecision; receipt: Receipt }> {
  const answer = async (decision: ReviewDecision) => ({
    decision,
    receipt: await receipt(deps, invitation, interview),
  });
  const message = input.message ?? null;
  const visibility = input.decision === 'approve' ? (input.visibility as Visibility) : null;
  if (!idempotencyKey) {
    // no key from the client: the same decision again within a short while is its retry, never a second decision
    const [latest] = (await deps.store.review.listDecisions(interview.id)).filter(
      (d) => d.invitationId === invitation.id,
    );
    if (
      latest &&
      latest.decision === input.decision &&
      latest.visibility === visibility &&
      latest.message === message &&
      Date.now() - Date.parse(latest.createdAt) < REPEAT_WINDOW_MS
    )
      return answer(latest);
  }
  const key = idempotencyKey
    ? `review.decide:${invitation.id}:${idempotencyKey}`
    : `review.decide:${invitation.id}:${interview.version}:${digestOf(input)}`;
  const op = await deps.units.once<DecidePayload>('review.decide', key, async () => {
    // every precondition before the first write: a rejected decision leaves nothing behind
    if (interview.status === 'withdrawn') throw withdrawnProblem();
    if (input.decision !== 'withdraw' && !decidableStates.includes(interview.status)) {
      throw new Problem('conflict', {
        detail: msg('review.alreadyDecided'),
      });
    }
    const createdAt = new Date().toISOString();
    const decision: ReviewDecision = {
      id: derivedId(`${key}#decision`),
      interviewId: interview.id,
      invitationId: invitation.id,
      decision: input.decision,
      visibility,
      message,
      receiptNo: receiptNumber(),
      createdAt,
    };
    const changes: StatusChange[] =
      input.decision === 'withdraw'
        ? [{ to: 'withdrawn', reason: message ?? 'Widerruf durch den Zeitzeugen/die Zeitzeugin' }]
        : [
            ...(interview.status !== 'in_review' ? [{ to: 'in_review' as const, reason: null }] : []),
            input.decision === 'approve'
              ? { to: 'approved' as const, visibility: input.visibility!, reason: message }
              : { to: 'changes_requested' as const, reason: message },
          ];
    return {
      actor: actorOf(viewer),
      decision,
      status: {
        actor: actorOf(viewer),
        interviewId: interview.id,
        before: { status: interview.status, visibility: interview.visibility },
        changes,
      },
      consent:
        input.decision === 'approve'
          ? await digitalConsent(
              deps,
              interview.id,
              invitation.narrator,
              input.visibility!,
              derivedId(`${key}#consent`),
              createdAt,
            )
          : null,
    };
  });
  return answer(op.payload.decision);
}

/** The approval on the review page is the narrator's (digital) consent for what they chose. */
async function digitalConsent(
  deps: ReviewServiceDeps,
  interviewId: string,
  narrator: string,
  visibility: 'public' | 'registered' | 'private',
  newId: string,
  createdAt: string,
): Promise<DecidePayload['consent']> {
  const previous =
    (await deps.store.consents.currentForInterview(interviewId)).find((c) => c.narrator === narrator) ?? null;
  return {
    previous,
    record: {
      id: previous?.id ?? newId,
      interviewId,
      narrator,
      scope: scopeForApproval[visibility],
      givenOn: createdAt.slice(0, 10),
      method: 'digital',
      scan: previous?.scan ?? null,
      embargoUntil: previous?.embargoUntil ?? null,
      onWithdrawal: previous?.onWithdrawal ?? 'keep_archive',
      notes: 'Freigabe über die Durchsicht-Seite',
      authorId: null,
      createdAt,
    },
  };
}

/** A printable summary of the narrator's latest decision. */
export async function receipt(deps: ReviewServiceDeps, invitation: ReviewInvitation, interview: Interview) {
  const [decision] = await deps.store.review.listDecisions(interview.id);
  if (!decision) throw new Problem('not-found', { detail: msg('review.notDecided') });
  const media = await deps.store.media.listByInterview(interview.id);
  const partOf = new Map(media.map((m) => [m.id, m.part]));
  return {
    receiptNo: decision.receiptNo,
    narrator: invitation.narrator,
    interviewTitle: interview.title,
    decision: decision.decision,
    visibility: decision.visibility,
    message: decision.message,
    decidedAt: decision.createdAt,
    restrictions: (await deps.store.review.listRestrictions({ interviewId: interview.id })).map((r) => ({
      part: partOf.get(r.mediaId) ?? null,
      start: r.start,
      end: r.end,
      reason: r.reason,
    })),
    corrections: (await deps.store.review.listCorrections(interview.id))
      .filter((c) => c.invitationId === invitation.id)
      .map((c) => ({ original: c.original, proposed: c.proposed, status: c.status })),
  };
}

export type Receipt = Awaited<ReturnType<typeof receipt>>;
