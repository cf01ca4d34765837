// Units of work of transcripts: a new version (import, edit, restore, an accepted correction) with its search job,
// its audit event and, for an import that brings one, the index points.
import type { AuditActor } from '../audit/service.js';
import { Problem } from '../http/problem.js';
import type { Store } from '../store/repositories.js';
import type { IndexPoint, TranscriptVersion } from '../store/types.js';
import type { Step, UnitContext, UnitOfWork } from '../store/unit-of-work.js';
import type { UnitDeps } from '../units.js';
import { msg } from '../i18n/messages.js';

/**
 * Appends the version on top of `expectedCurrent` unless it is there already (same author, source and instant: this
 * operation wrote it before a crash). Returns the stored version, or null when the transcript moved on without it.
 */
export async function appendTranscriptOnce(
  store: Store,
  version: Omit<TranscriptVersion, 'version'>,
  expectedCurrent: number | null,
): Promise<TranscriptVersion | null> {
  const next = (expectedCurrent ?? 0) + 1;
  const there = await store.transcripts.getVersion(version.mediaId, next);
  if (
    there &&
    there.createdAt === version.createdAt &&
    there.source === version.source &&
    there.authorId === version.authorId
  )
    return there;
  const result = await store.transcripts.append(version, expectedCurrent);
  return result.ok ? result.version : null;
}

/** The search job and the audit event of a new transcript version (the log points at the version, never copies it). */
export function transcriptAuditSteps(
  deps: UnitDeps,
  ctx: UnitContext<unknown>,
  actor: AuditActor,
  interviewId: string,
  version: Omit<TranscriptVersion, 'version'>,
  number: number,
): Step[] {
  return [
    {
      name: 'transcript.search',
      run: async () =>
        void (await deps.queue.enqueue({ name: 'search.transcript', payload: { v: 1, mediaId: version.mediaId } })),
    },
    {
      name: 'transcript.audit',
      run: async () =>
        void (await deps.audit.record(
          actor,
          {
            interviewId,
            action: 'transcript.version',
            entity: 'transcript',
            entityId: version.mediaId,
            before: { version: number - 1 || null },
            after: {
              version: number,
              source: version.source,
              reason: version.reason,
              segments: version.segments.length,
            },
          },
          ctx.key('transcript.audit'),
        )),
    },
  ];
}

export interface TranscriptPayload {
  actor: AuditActor;
  interviewId: string;
  version: Omit<TranscriptVersion, 'version'>;
  expectedCurrent: number | null;
  /** Index points an import brought along. */
  index: { points: IndexPoint[]; updatedBy: string | null; at: string } | null;
}

export function registerTranscriptUnits(uow: UnitOfWork, deps: UnitDeps): void {
  uow.register<TranscriptPayload>('transcript.version', (ctx) => {
    const p = ctx.payload;
    const number = (p.expectedCurrent ?? 0) + 1;
    const steps: Step[] = [
      {
        name: 'transcript',
        run: async () => {
          if (!(await appendTranscriptOnce(deps.store, p.version, p.expectedCurrent))) {
            const current = (await deps.store.transcripts.head(p.version.mediaId))?.currentVersion ?? null;
            throw transcriptVersionConflict(current);
          }
        },
      },
      ...transcriptAuditSteps(deps, ctx, p.actor, p.interviewId, p.version, number),
    ];
    if (p.index) {
      const index = p.index;
      steps.push({
        name: 'index',
        run: async () => {
          const current = await deps.store.transcripts.getIndex(p.version.mediaId);
          // written already by this operation (same points, same instant): nothing to do
          if (
            current &&
            current.updatedAt === index.at &&
            JSON.stringify(current.points) === JSON.stringify(index.points)
          )
            return;
          await deps.store.transcripts.putIndex(p.version.mediaId, index.points, index.updatedBy, index.at);
        },
      });
    }
    return steps;
  });
}

/** 412 for a transcript that moved on since the author read it. */
export function transcriptVersionConflict(current: number | null): Problem {
  return new Problem('precondition-failed', {
    detail: msg('transcripts.changedMeanwhile', { current: current ?? msg('transcripts.noVersion') }),
    extra: { currentVersion: current },
  });
}
