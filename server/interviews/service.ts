import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  canCreateInterview, canDeleteInterview, canEditInterview, interviewAccess, interviewListScope, isStaff,
} from '../access/policy.js';
import { changedFields } from '../audit/service.js';
import type { Viewer } from '../access/viewer.js';
import { unwrapUpdate } from '../collections/service.js';
import { Problem } from '../http/problem.js';
import type { Logger } from '../logger.js';
import type { InterviewFilter, InterviewPatch, Store } from '../store/repositories.js';
import type { Interview, PageRequest } from '../store/types.js';
import { consentEmbargo, consentGap, type Publication } from './publication.js';
import type { CreateInterviewInput, ListInterviewsQuery, PatchInterviewInput } from './schemas.js';
import { canTransition, contributorMayTransition } from './workflow.js';

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
  return { id: i.id, title: i.title, collectionId: i.collectionId, recordedAt: i.recordedAt, sealed: true, embargoUntil: i.embargoUntil };
}

const auditedFields = [
  'collectionId', 'title', 'people', 'recordedAt', 'place', 'language', 'summary', 'keywords', 'visibility', 'status',
  'grants', 'embargoUntil', 'embargoListed',
] as const satisfies readonly (keyof Interview)[];

const staffOnlyFields = ['grants', 'embargoUntil', 'embargoListed'] as const;

export class InterviewService extends EventEmitter<InterviewEvents> {
  // Media ingest: an interview's media are deleted (files included) before the row, whose cascade would orphan the files.
  private readonly beforeDeleteHooks: Array<(interviewId: string) => Promise<void>> = [];

  constructor(private readonly store: Store, private readonly logger: Logger, private readonly publication: Publication) {
    super();
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
    return { ...result, items: result.items.map((i) => (interviewAccess(viewer, i, now) === 'sealed' ? sealedView(i) : i)) };
  }

  /** 404 both for a missing interview and for one the viewer may not see: existence is not disclosed. */
  async get(viewer: Viewer, id: string): Promise<Interview> {
    const interview = await this.store.interviews.findById(id);
    if (!interview || interviewAccess(viewer, interview) !== 'full') throw new Problem('not-found');
    return interview;
  }

  /** The interview page: everything, or only the sealed notice during a listed embargo. */
  async getPage(viewer: Viewer, id: string): Promise<{ kind: 'full'; interview: Interview } | { kind: 'sealed'; interview: SealedInterview }> {
    const interview = await this.store.interviews.findById(id);
    const access = interview ? interviewAccess(viewer, interview) : 'none';
    if (!interview || access === 'none') throw new Problem('not-found');
    return access === 'sealed' ? { kind: 'sealed', interview: sealedView(interview) } : { kind: 'full', interview };
  }

  async create(viewer: Viewer, input: CreateInterviewInput): Promise<Interview> {
    if (viewer.kind !== 'user') throw new Problem('unauthenticated');
    if (!canCreateInterview(viewer)) throw new Problem('forbidden');
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
    await this.store.interviews.create(interview);
    await this.publication.audit.record(viewer, { interviewId: interview.id, action: 'interview.create', entity: 'interview', entityId: interview.id, after: interview });
    this.logger.info({ interviewId: interview.id, userId: viewer.user.id }, 'interview created');
    this.emit('changed', interview);
    return interview;
  }

  async update(viewer: Viewer, id: string, input: PatchInterviewInput, expectedVersion?: number): Promise<Interview> {
    const current = await this.get(viewer, id);
    if (!canEditInterview(viewer, current)) throw new Problem('forbidden');
    const { reason, ...fields } = input;
    const staffOnly = staffOnlyFields.filter((f) => fields[f] !== undefined);
    if (staffOnly.length > 0 && !isStaff(viewer)) {
      throw new Problem('forbidden', {
        detail: { de: 'Freigaben und Sperrfristen legen Kurator/innen fest.', en: 'Grants and embargoes are set by curators.' },
        errors: staffOnly.map((f) => ({ field: `body.${f}`, message: 'nur Kurator/innen (curators only)' })),
      });
    }
    if (fields.collectionId) await this.assertCollectionExists(fields.collectionId);
    if (fields.status !== undefined && fields.status !== current.status) this.assertTransition(viewer, current, fields.status);
    const patch: InterviewPatch = { ...fields };
    const next = { ...current, ...patch };
    const now = new Date();
    if (next.status === 'published' && (current.status !== 'published' || next.visibility !== current.visibility)) {
      // No publication without consent covering the visibility; the consent's own embargo applies too.
      const consents = await this.store.consents.currentForInterview(id);
      const gap = consentGap(consents, next.visibility);
      if (gap) throw gap;
      const fromConsent = consentEmbargo(consents);
      if (fromConsent && (!next.embargoUntil || fromConsent > next.embargoUntil)) patch.embargoUntil = next.embargoUntil = fromConsent;
    }
    // Embargoed means not yet published: it waits as `approved` until the interview.publish job runs at the date.
    if (next.status === 'published' && next.embargoUntil && Date.parse(next.embargoUntil) > now.getTime()) patch.status = next.status = 'approved';
    const updated = unwrapUpdate(await this.store.interviews.update(id, patch, now.toISOString(), expectedVersion ?? current.version));
    const diff = changedFields(current, updated, auditedFields);
    if (diff) {
      const action = diff.after.status !== undefined ? 'interview.status' : 'interview.update';
      await this.publication.audit.record(viewer, { interviewId: id, action, entity: 'interview', entityId: id, ...diff, ...(reason ? { after: { ...diff.after, reason } } : {}) });
    }
    await this.afterChange(viewer, current, updated, reason ?? null);
    this.logger.info({ interviewId: id, fields: Object.keys(fields) }, 'interview updated');
    return updated;
  }

  /**
   * A status change made elsewhere (the narrator's decision): same transition rules for staff, same audit, same
   * follow-ups. `viewer` is who decided; the narrator may move an interview under review.
   */
  async transition(viewer: Viewer, id: string, to: Interview['status'], extra: Pick<InterviewPatch, 'visibility'> = {}, reason: string | null = null): Promise<Interview> {
    const current = await this.store.interviews.findById(id);
    if (!current) throw new Problem('not-found');
    if (current.status !== to && !canTransition(current.status, to)) this.assertTransition(viewer, current, to);
    const updated = unwrapUpdate(await this.store.interviews.update(id, { status: to, ...extra }, new Date().toISOString(), current.version));
    const diff = changedFields(current, updated, auditedFields);
    if (diff) await this.publication.audit.record(viewer, { interviewId: id, action: 'interview.status', entity: 'interview', entityId: id, before: diff.before, after: { ...diff.after, ...(reason ? { reason } : {}) } });
    await this.afterChange(viewer, current, updated, reason);
    return updated;
  }

  private async afterChange(viewer: Viewer, before: Interview, after: Interview, reason: string | null): Promise<void> {
    if (after.status === 'withdrawn' && before.status !== 'withdrawn') {
      const cancelled = await this.publication.applyWithdrawal(viewer, after, reason, before);
      if (cancelled.length > 0) this.emit('jobsCancelled', cancelled);
    } else {
      await this.publication.syncEmbargoJob(after);
    }
    this.emit('changed', after);
  }

  async delete(viewer: Viewer, id: string): Promise<void> {
    const current = await this.get(viewer, id);
    if (!canDeleteInterview(viewer, current)) throw new Problem('forbidden');
    for (const hook of this.beforeDeleteHooks) await hook(id);
    await this.store.interviews.delete(id);
    await this.publication.audit.record(viewer, { interviewId: id, action: 'interview.delete', entity: 'interview', entityId: id, before: current });
    this.logger.info({ interviewId: id }, 'interview deleted');
    this.emit('deleted', id);
  }

  private assertTransition(viewer: Viewer, current: Interview, to: Interview['status']): void {
    const allowed = isStaff(viewer) ? canTransition(current.status, to) : contributorMayTransition(current.status, to);
    if (!allowed) {
      throw new Problem('conflict', {
        detail: {
          de: `Statuswechsel von „${current.status}“ nach „${to}“ ist nicht erlaubt.`,
          en: `Status change from "${current.status}" to "${to}" is not allowed.`,
        },
        errors: [{ field: 'body.status', message: `${current.status} → ${to}` }],
      });
    }
  }

  private async assertCollectionExists(collectionId: string): Promise<void> {
    if (!(await this.store.collections.findById(collectionId))) {
      throw new Problem('validation', {
        errors: [{ field: 'body.collectionId', message: 'Sammlung existiert nicht (no such collection)' }],
      });
    }
  }
}
