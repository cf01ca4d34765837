// Units of work of the interview workflow: a status change (with what it sets off: a withdrawal's effects, the
// embargo job), a metadata update, creation, deletion, and the publish/purge jobs. Each is written as an operation
// first, then applied in idempotent steps (server/store/unit-of-work.ts); the caller has checked everything before.
import type { AuditActor } from '../audit/service.js';
import { changedFields } from '../audit/service.js';
import { unwrapUpdate } from '../collections/service.js';
import { removeMediumWithFiles } from '../media/deletion.js';
import { ConflictError } from '../store/errors.js';
import type { InterviewPatch } from '../store/repositories.js';
import type { Interview, Visibility, WorkflowStatus } from '../store/types.js';
import { insertOnce, type Step, type UnitContext, type UnitOfWork } from '../store/unit-of-work.js';
import type { UnitDeps } from '../units.js';
import { canTransition } from './workflow.js';

export const auditedFields = [
  'collectionId',
  'title',
  'people',
  'recordedAt',
  'place',
  'language',
  'summary',
  'keywords',
  'visibility',
  'status',
  'grants',
  'embargoUntil',
  'embargoListed',
] as const satisfies readonly (keyof Interview)[];

/** One status change, as a unit of work carries it. */
export interface StatusChange {
  to: WorkflowStatus;
  visibility?: Visibility;
  reason: string | null;
}

export interface StatusPayload {
  actor: AuditActor;
  interviewId: string;
  /** Status and visibility before the first change (the audit's "before"). */
  before: Pick<Interview, 'status' | 'visibility'>;
  changes: StatusChange[];
}

/**
 * The steps of a sequence of status changes: per change the update (skipped once the interview is there, or once
 * withdrawn — a withdrawal is final), its audit event, and its effects (a withdrawal's removals, the embargo job).
 */
export function statusSteps(deps: UnitDeps, ctx: UnitContext<unknown>, p: StatusPayload, prefix = 'status'): Step[] {
  const { store, publication, audit, events } = deps;
  const steps: Step[] = [];
  let before = p.before;
  for (const [i, change] of p.changes.entries()) {
    const from = before;
    const after = { status: change.to, visibility: change.visibility ?? from.visibility };
    const name = `${prefix}.${i}`;
    steps.push({
      name,
      run: async () => {
        for (let attempt = 1; ; attempt++) {
          const current = await store.interviews.findById(p.interviewId);
          if (!current) throw new ConflictError('interview deleted meanwhile');
          if (
            current.status === change.to &&
            (change.visibility === undefined || current.visibility === change.visibility)
          )
            return;
          if (current.status === 'withdrawn') return;
          if (current.status !== change.to && !canTransition(current.status, change.to)) {
            throw new ConflictError(`status change ${current.status} → ${change.to} no longer possible`);
          }
          const patch: InterviewPatch = {
            status: change.to,
            ...(change.visibility ? { visibility: change.visibility } : {}),
          };
          const result = await store.interviews.update(p.interviewId, patch, new Date().toISOString(), current.version);
          if (result.ok) return;
          if (result.reason === 'not-found') throw new ConflictError('interview deleted meanwhile');
          if (attempt >= 5) throw new ConflictError('interview changed meanwhile, five times');
        }
      },
    });
    steps.push({
      name: `${name}.audit`,
      run: async () => {
        const diff = changedFields(from, after, ['status', 'visibility']);
        if (!diff) return;
        await audit.record(
          p.actor,
          {
            interviewId: p.interviewId,
            action: 'interview.status',
            entity: 'interview',
            entityId: p.interviewId,
            before: diff.before,
            after: { ...diff.after, ...(change.reason ? { reason: change.reason } : {}) },
          },
          ctx.key(`${name}.audit`),
        );
      },
    });
    steps.push({
      name: `${name}.effects`,
      run: async () => {
        const current = await store.interviews.findById(p.interviewId);
        if (!current) return;
        if (change.to === 'withdrawn' && from.status !== 'withdrawn') {
          const cancelled = await publication.applyWithdrawal(
            p.actor,
            current,
            change.reason,
            from,
            ctx.key(`${name}.withdrawal`),
          );
          if (cancelled.length > 0) events.emit('jobsCancelled', cancelled);
        } else if (current.status !== 'withdrawn') {
          await publication.syncEmbargoJob(current);
        }
        events.emit('changed', current);
      },
    });
    before = after;
  }
  return steps;
}

export interface UpdatePayload {
  actor: AuditActor;
  interviewId: string;
  patch: InterviewPatch;
  /** The version the patch was checked against (If-Match or the one read). */
  expectedVersion: number;
  before: Interview;
  reason: string | null;
}

export interface CreatePayload {
  actor: AuditActor;
  interview: Interview;
}

export interface DeletePayload {
  actor: AuditActor;
  before: Interview;
}

export interface PublishPayload {
  interviewId: string;
  version: number;
  embargoUntil: string | null;
}

export function registerInterviewUnits(uow: UnitOfWork, deps: UnitDeps): void {
  const { store, audit, publication, events, queue, logger } = deps;

  uow.register<StatusPayload>('interview.status', (ctx) => statusSteps(deps, ctx, ctx.payload));

  uow.register<UpdatePayload>('interview.update', (ctx) => {
    const p = ctx.payload;
    const expected = { ...p.before, ...p.patch };
    const diff = changedFields(p.before, expected, auditedFields);
    return [
      {
        name: 'update',
        run: async () => {
          const current = await store.interviews.findById(p.interviewId);
          if (!current) throw new ConflictError('interview deleted meanwhile');
          // applied already: a later version that carries the patch
          if (
            current.version > p.expectedVersion &&
            auditedFields.every((f) => JSON.stringify(current[f]) === JSON.stringify(expected[f]))
          )
            return;
          const result = await store.interviews.update(
            p.interviewId,
            p.patch,
            new Date().toISOString(),
            p.expectedVersion,
          );
          if (result.ok) return;
          unwrapUpdate(result); // 404 or 412, as the same request without a unit of work would answer
        },
      },
      {
        name: 'audit',
        run: async () => {
          if (!diff) return;
          const action = diff.after.status !== undefined ? 'interview.status' : 'interview.update';
          await audit.record(
            p.actor,
            {
              interviewId: p.interviewId,
              action,
              entity: 'interview',
              entityId: p.interviewId,
              ...diff,
              ...(p.reason ? { after: { ...diff.after, reason: p.reason } } : {}),
            },
            ctx.key('audit'),
          );
        },
      },
      {
        name: 'effects',
        run: async () => {
          const current = await store.interviews.findById(p.interviewId);
          if (!current) return;
          if (current.status === 'withdrawn' && p.before.status !== 'withdrawn') {
            const cancelled = await publication.applyWithdrawal(
              p.actor,
              current,
              p.reason,
              p.before,
              ctx.key('withdrawal'),
            );
            if (cancelled.length > 0) events.emit('jobsCancelled', cancelled);
          } else if (current.status !== 'withdrawn') {
            await publication.syncEmbargoJob(current);
          }
          events.emit('changed', current);
        },
      },
    ];
  });

  uow.register<CreatePayload>('interview.create', (ctx) => [
    { name: 'insert', run: () => insertOnce(() => store.interviews.create(ctx.payload.interview)) },
    {
      name: 'audit',
      run: async () => {
        const i = ctx.payload.interview;
        await audit.record(
          ctx.payload.actor,
          { interviewId: i.id, action: 'interview.create', entity: 'interview', entityId: i.id, after: i },
          ctx.key('audit'),
        );
        events.emit('changed', i);
      },
    },
  ]);

  // the media (files included) go before, through the service's hooks; this is the row and its log entry
  uow.register<DeletePayload>('interview.delete', (ctx) => [
    { name: 'delete', run: async () => void (await store.interviews.delete(ctx.payload.before.id)) },
    {
      name: 'audit',
      run: async () => {
        const id = ctx.payload.before.id;
        await audit.record(
          ctx.payload.actor,
          {
            interviewId: id,
            action: 'interview.delete',
            entity: 'interview',
            entityId: id,
            before: ctx.payload.before,
          },
          ctx.key('audit'),
        );
        events.emit('deleted', id);
      },
    },
  ]);

  // the interview.publish job once the embargo ended (its checks ran in Publication.publishWhenDue)
  uow.register<PublishPayload>('interview.publish', (ctx) => {
    const p = ctx.payload;
    return [
      {
        name: 'update',
        run: async () => {
          const current = await store.interviews.findById(p.interviewId);
          if (!current || current.status === 'published') return;
          const result = await store.interviews.update(
            p.interviewId,
            { status: 'published' },
            new Date().toISOString(),
            p.version,
          );
          if (!result.ok) throw new ConflictError('interview changed before it was published');
        },
      },
      {
        name: 'audit',
        run: async () => {
          await audit.record(
            null,
            {
              interviewId: p.interviewId,
              action: 'interview.status',
              entity: 'interview',
              entityId: p.interviewId,
              before: { status: 'approved', embargoUntil: p.embargoUntil },
              after: { status: 'published', reason: 'embargo ended' },
            },
            ctx.key('audit'),
          );
        },
      },
      {
        name: 'search',
        run: async () =>
          void (await queue.enqueue({ name: 'search.interview', payload: { v: 1, interviewId: p.interviewId } })),
      },
    ];
  });

  // the interview.purge job: the originals of a withdrawn interview after the grace period
  uow.register<{ interviewId: string; media: { id: string; sha256: string; sizeBytes: number; filename: string }[] }>(
    'interview.purge',
    (ctx) => {
      const p = ctx.payload;
      return [
        ...p.media.map((m): Step => ({
          name: `delete.${m.id}`,
          run: async () => {
            const medium = await store.media.findById(m.id);
            if (medium) await removeMediumWithFiles(store, deps.uploadsDir, medium, logger);
          },
        })),
        {
          name: 'audit',
          run: async () => {
            await audit.record(
              null,
              {
                interviewId: p.interviewId,
                action: 'interview.originals-deleted',
                entity: 'interview',
                entityId: p.interviewId,
                before: { media: p.media },
                after: { media: [] },
              },
              ctx.key('audit'),
            );
          },
        },
      ];
    },
  );
}
