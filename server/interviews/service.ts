import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  canCreateInterview,
  canDeleteInterview,
  canEditInterview,
  interviewAccess,
  interviewListScope,
  isStaff,
} from '../access/policy.js';
import { actorOf, type Viewer } from '../access/viewer.js';
import { unwrapUpdate } from '../collections/service.js';
import { Problem } from '../http/problem.js';
import type { Logger } from '../logger.js';
import type { InterviewFilter, InterviewPatch, Store } from '../store/repositories.js';
import type { Interview, PageRequest } from '../store/types.js';
import { consentEmbargo, consentGap, type Publication } from './publication.js';
import type { CreateInterviewInput, ListInterviewsQuery, PatchInterviewInput } from './schemas.js';
import { canTransition, contributorMayTransition } from './workflow.js';
import type { CreatePayload, DeletePayload, StatusPayload, UpdatePayload } from './units.js';
import { digestOf } from '../store/unit-of-work.js';
import { msg } from '../i18n/messages.js';

export interface InterviewEvents {
  changed: [interview: Interview];
  deleted: [interviewId: string];
  /** Running jobs a withdrawal cancelled: an in-process worker aborts them. */
  jobsCancelled: [jobIds: string[]];
}

/** What a sealed (embargoed, listed) interview shows: that it exists, and until when it is closed. */
export interface SealedInterview {
  id: string;
  title: string;
  collectionId: string | null;
  recordedAt: string | null;
  sealed: true;
  embargoUntil: string | null;
}

export function sealedView(i: Interview): SealedInterview {
  return {
    id: i.id,
    title: i.title,
    collectionId: i.collectionId,
    recordedAt: i.recordedAt,
    sealed: true,
    embargoUntil: i.embargoUntil,
  };
}

const staffOnlyFields = ['grants', 'embargoUntil', 'embargoListed'] as const;

export class InterviewService extends EventEmitter<InterviewEvents> {
  // Media ingest: an interview's media are deleted (files included) before the row, whose cascade would orphan the files.
  private readonly beforeDeleteHooks: Array<(interviewId: string) => Promise<void>> = [];

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly publication: Publication,
  ) {
    super();
    // what the units of work report (also for operations a retry or the sweep completes)
    const events = publication.units.events;
    events.on('changed', (i) => this.emit('changed', i));
    events.on('deleted', (id) => this.emit('deleted', id));
    events.on('jobsCancelled', (ids) => this.emit('jobsCancelled', ids));
  }

  private get uow() {
    return this.publication.units.uow;
  }

  /** Runs after the permission check and before the interview row is deleted; a failing hook stops the delete. */
  onBeforeDelete(hook: (interviewId: string) => Promise<void>): void {
    this.beforeDeleteHooks.push(hook);
  }

  async list(viewer: Viewer, query: ListInterviewsQuery, page: PageRequest) {
    const filter: InterviewFilter = {
      access: interviewListScope(viewer),
      collectionId: query.collectionId,
      status: query.status,
      visibility: query.visibility,
      language: query.language,
      keyword: query.keyword,
      person: query.person,
      text: query.q,
      recordedFrom: query.recordedFrom,
      recordedTo: query.recordedTo,
    };
    if (query.mine) {
      if (viewer.kind !== 'user') throw new Problem('unauthenticated');
      filter.createdBy = viewer.user.id;
    }
    const result = await this.store.interviews.list(filter, page, query.sort);
    const now = new Date();
    return {
      ...result,
      items: result.items.map((i) => (interviewAccess(viewer, i, now) === 'sealed' ? sealedView(i) : i)),
    };
  }

  /** 404 both for a missing interview and for one the viewer may not see: existence is not disclosed. */
  async get(viewer: Viewer, id: string): Promise<Interview> {
    const interview = await this.store.interviews.findById(id);
    if (!interview || interviewAccess(viewer, interview) !== 'full') throw new Problem('not-found');
    return interview;
  }

  /** The interview page: everything, or only the sealed notice during a listed embargo. */
  async getPage(
    viewer: Viewer,
    id: string,
  ): Promise<{ kind: 'full'; interview: Interview } | { kind: 'sealed'; interview: SealedInterview }> {
    const interview = await this.store.interviews.findById(id);
    const access = interview ? interviewAccess(viewer, interview) : 'none';
    if (!interview || access === 'none') throw new Problem('not-found');
    return access === 'sealed' ? { kind: 'sealed', interview: sealedView(interview) } : { kind: 'full', interview };
  }

  async create(viewer: Viewer, input: CreateInterviewInput, idempotencyKey?: string): Promise<Interview> {
    if (viewer.kind !== 'user') throw new Problem('unauthenticated');
    if (!canCreateInterview(viewer)) throw new Problem('forbidden');
    if (idempotencyKey) {
      const done = await this.uow.find(`interview.create:${viewer.user.id}:${idempotencyKey}`);
      if (done) {
        const op = await this.uow.run<CreatePayload>('interview.create', done.key, done.payload as CreatePayload);
        return (await this.store.interviews.findById(op.payload.interview.id)) ?? op.payload.interview;
      }
    }
    if (input.collectionId) await this.assertCollectionExists(input.collectionId);
    const now = new Date().toISOString();
    const interview: Interview = {
      id: crypto.randomUUID(),
      collectionId: input.collectionId ?? null,
      title: input.title,
      people: input.people,
      recordedAt: input.recordedAt ?? null,
      place: input.place ?? null,
      language: input.language,
      summary: input.summary ?? null,
      keywords: input.keywords,
      visibility: input.visibility,
      status: 'draft',
      grants: [],
      embargoUntil: null,
      embargoListed: false,
      createdBy: viewer.user.id,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    const key = idempotencyKey
      ? `interview.create:${viewer.user.id}:${idempotencyKey}`
      : `interview.create:${interview.id}`;
    const op = await this.uow.run<CreatePayload>('interview.create', key, { actor: actorOf(viewer), interview });
    this.logger.info({ interviewId: op.payload.interview.id, userId: viewer.user.id }, 'interview created');
    return (await this.store.interviews.findById(op.payload.interview.id)) ?? op.payload.interview;
  }

  async update(
    viewer: Viewer,
    id: string,
    input: PatchInterviewInput,
    expectedVersion?: number,
    idempotencyKey?: string,
  ): Promise<Interview> {
    if (idempotencyKey) {
      const done = await this.uow.find(`interview.update:${id}:${idempotencyKey}`);
      if (done) {
        await this.uow.run('interview.update', done.key, done.payload);
        return this.get(viewer, id);
      }
    }
    const current = await this.get(viewer, id);
    if (!canEditInterview(viewer, current)) throw new Problem('forbidden');
    const { reason, ...fields } = input;
    const staffOnly = staffOnlyFields.filter((f) => fields[f] !== undefined);
    if (staffOnly.length > 0 && !isStaff(viewer)) {
      throw new Problem('forbidden', {
        detail: msg('interviews.grantsByCurators'),
        errors: staffOnly.map((f) => ({ field: `body.${f}`, message: msg('field.curatorsOnly') })),
      });
    }
    if (fields.collectionId) await this.assertCollectionExists(fields.collectionId);
    if (fields.status !== undefined && fields.status !== current.status)
      this.assertTransition(viewer, current, fields.status);
    const patch: InterviewPatch = { ...fields };
    const next = { ...current, ...patch };
    const now = new Date();
    if (next.status === 'published' && (current.status !== 'published' || next.visibility !== current.visibility)) {
      // No publication without consent covering the visibility; the consent's own embargo applies too.
      const consents = await this.store.consents.currentForInterview(id);
      const gap = consentGap(consents, next.visibility);
      if (gap) throw gap;
      const fromConsent = consentEmbargo(consents);
      if (fromConsent && (!next.embargoUntil || fromConsent > next.embargoUntil))
        patch.embargoUntil = next.embargoUntil = fromConsent;
    }
    // Embargoed means not yet published: it waits as `approved` until the interview.publish job runs at the date.
    if (next.status === 'published' && next.embargoUntil && Date.parse(next.embargoUntil) > now.getTime())
      patch.status = next.status = 'approved';
    const expected = expectedVersion ?? current.version;
    // checked before anything is written: a stale If-Match writes nothing
    if (expected !== current.version) unwrapUpdate({ ok: false, reason: 'version-conflict', current });
    const key = idempotencyKey
      ? `interview.update:${id}:${idempotencyKey}`
      : `interview.update:${id}:${expected}:${digestOf({ patch, reason })}`;
    await this.uow.run<UpdatePayload>('interview.update', key, {
      actor: actorOf(viewer),
      interviewId: id,
      patch,
      expectedVersion: expected,
      before: current,
      reason: reason ?? null,
    });
    this.logger.info({ interviewId: id, fields: Object.keys(fields) }, 'interview updated');
    const updated = await this.store.interviews.findById(id);
    if (!updated) throw new Problem('not-found');
    return updated;
  }

  /**
   * A status change made elsewhere (the narrator's decision): same transition rules for staff, same audit, same
   * follow-ups. `viewer` is who decided; the narrator may move an interview under review.
   */
  async transition(
    viewer: Viewer,
    id: string,
    to: Interview['status'],
    extra: Pick<InterviewPatch, 'visibility'> = {},
    reason: string | null = null,
  ): Promise<Interview> {
    const current = await this.store.interviews.findById(id);
    if (!current) throw new Problem('not-found');
    if (current.status === to && (extra.visibility === undefined || extra.visibility === current.visibility))
      return current;
    if (!canTransition(current.status, to)) this.assertTransition(viewer, current, to);
    await this.uow.run<StatusPayload>('interview.status', `interview.status:${id}:${current.version}:${to}`, {
      actor: actorOf(viewer),
      interviewId: id,
      before: { status: current.status, visibility: current.visibility },
      changes: [{ to, ...(extra.visibility ? { visibility: extra.visibility } : {}), reason }],
    });
    const updated = await this.store.interviews.findById(id);
    if (!updated) throw new Problem('not-found');
    return updated;
  }

  async delete(viewer: Viewer, id: string): Promise<void> {
    const current = await this.get(viewer, id);
    if (!canDeleteInterview(viewer, current)) throw new Problem('forbidden');
    // the media go first (idempotent: a retry after a crash deletes what is left); then the row and its log entry
    for (const hook of this.beforeDeleteHooks) await hook(id);
    await this.uow.run<DeletePayload>('interview.delete', `interview.delete:${id}`, {
      actor: actorOf(viewer),
      before: current,
    });
    this.logger.info({ interviewId: id }, 'interview deleted');
  }

  private assertTransition(viewer: Viewer, current: Interview, to: Interview['status']): void {
    const allowed = isStaff(viewer) ? canTransition(current.status, to) : contributorMayTransition(current.status, to);
    if (!allowed) {
      throw new Problem('conflict', {
        detail: msg('interviews.statusChange', { from: current.status, to }),
        errors: [{ field: 'body.status', message: `${current.status} → ${to}` }],
      });
    }
  }

  private async assertCollectionExists(collectionId: string): Promise<void> {
    if (!(await this.store.collections.findById(collectionId))) {
      throw new Problem('validation', {
        errors: [{ field: 'body.collectionId', message: msg('field.noSuchCollection') }],
      });
    }
  }
}
