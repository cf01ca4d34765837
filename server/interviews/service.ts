import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  canCreateInterview, canDeleteInterview, canEditInterview, canViewInterview, interviewListScope, isStaff,
} from '../access/policy.js';
import type { Viewer } from '../access/viewer.js';
import { unwrapUpdate } from '../collections/service.js';
import { Problem } from '../http/problem.js';
import type { Logger } from '../logger.js';
import type { InterviewFilter, InterviewPatch, Store } from '../store/repositories.js';
import type { Interview, PageRequest } from '../store/types.js';
import type { CreateInterviewInput, ListInterviewsQuery, PatchInterviewInput } from './schemas.js';
import { canTransition, contributorMayTransition } from './workflow.js';

export interface InterviewEvents {
  changed: [interview: Interview];
  deleted: [interviewId: string];
}

export class InterviewService extends EventEmitter<InterviewEvents> {
  // Media ingest: an interview's media are deleted (files included) before the row, whose cascade would orphan the files.
  private readonly beforeDeleteHooks: Array<(interviewId: string) => Promise<void>> = [];

  constructor(private readonly store: Store, private readonly logger: Logger) {
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
    return this.store.interviews.list(filter, page, query.sort);
  }

  /** 404 both for a missing interview and for one the viewer may not see: existence is not disclosed. */
  async get(viewer: Viewer, id: string): Promise<Interview> {
    const interview = await this.store.interviews.findById(id);
    if (!interview || !canViewInterview(viewer, interview)) throw new Problem('not-found');
    return interview;
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
    this.logger.info({ interviewId: interview.id, userId: viewer.user.id }, 'interview created');
    this.emit('changed', interview);
    return interview;
  }

  async update(viewer: Viewer, id: string, input: PatchInterviewInput, expectedVersion?: number): Promise<Interview> {
    const current = await this.get(viewer, id);
    if (!canEditInterview(viewer, current)) throw new Problem('forbidden');
    if (input.collectionId) await this.assertCollectionExists(input.collectionId);
    if (input.status !== undefined && input.status !== current.status) this.assertTransition(viewer, current, input.status);
    const patch: InterviewPatch = { ...input };
    const updated = unwrapUpdate(
      await this.store.interviews.update(id, patch, new Date().toISOString(), expectedVersion ?? current.version),
    );
    this.logger.info({ interviewId: id, fields: Object.keys(input) }, 'interview updated');
    this.emit('changed', updated);
    return updated;
  }

  async delete(viewer: Viewer, id: string): Promise<void> {
    const current = await this.get(viewer, id);
    if (!canDeleteInterview(viewer, current)) throw new Problem('forbidden');
    for (const hook of this.beforeDeleteHooks) await hook(id);
    await this.store.interviews.delete(id);
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
