// A curator's decision on a narrator's proposed correction, as one unit of work.
import type { Viewer } from '../access/viewer.js';
import { Problem } from '../http/problem.js';
import { actorOf } from '../access/viewer.js';
import type { CorrectionPayload } from './units.js';
import { msg } from '../i18n/messages.js';
import { correctionDecided } from './presenters.js';
import type { ReviewServiceDeps } from './deps.js';

/** A curator accepts (a new transcript version) or rejects a narrator's proposed correction; the caller checked access. */
export async function decideCorrection(
  deps: ReviewServiceDeps,
  viewer: Viewer,
  interviewId: string,
  correctionId: string,
  accept: boolean,
  note: string | null,
) {
  // a correction is decided once: its id is the key; a retry (the same verb) completes and answers the first decision
  const op = await deps.units.once<CorrectionPayload>(
    'review.correction',
    `correction.decide:${correctionId}`,
    async () => {
      const correction = await deps.store.review.findCorrection(correctionId);
      if (!correction || correction.interviewId !== interviewId) throw new Problem('not-found');
      if (correction.status !== 'open') throw correctionDecided();
      let transcript: CorrectionPayload['transcript'] = null;
      if (accept) {
        const current = await deps.store.transcripts.current(correction.mediaId);
        // the segment may have moved (split/merge since): find it by its start, then by its number
        const n =
          current?.segments.findIndex((s) => s.start !== null && Math.abs(s.start - correction.segmentStart) < 0.001) ??
          -1;
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
            mediaId: correction.mediaId,
            segments,
            authorId: viewer.kind === 'user' ? viewer.user.id : null,
            source: 'edit:segment',
            reason: `Korrektur der Zeitzeugin/des Zeitzeugen übernommen${note ? `: ${note}` : ''}`,
            createdAt: new Date().toISOString(),
          },
        };
      }
      const decided = {
        status: accept ? ('accepted' as const) : ('rejected' as const),
        decidedBy: viewer.kind === 'user' ? viewer.user.id : null,
        decidedAt: new Date().toISOString(),
        decisionNote: note,
        transcriptVersion: transcript ? transcript.expectedCurrent + 1 : null,
      };
      return { actor: actorOf(viewer), before: correction, decided, transcript };
    },
  );
  // the same key with the other verb is a different decision: this one was taken already
  if (op.payload.decided.status !== (accept ? 'accepted' : 'rejected')) throw correctionDecided();
  return (await deps.store.review.findCorrection(correctionId))!;
}
