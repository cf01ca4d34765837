import crypto from 'node:crypto';
import type { z } from 'zod';
import type { Viewer } from '../access/viewer.js';
import { canManageCollections } from '../access/policy.js';
import { Problem } from '../http/problem.js';
import type { Logger } from '../logger.js';
import type { Store, UpdateResult } from '../store/repositories.js';
import type { Collection, PageRequest } from '../store/types.js';
import type { createCollectionSchema, updateCollectionSchema } from './schemas.js';
import { msg } from '../i18n/messages.js';

export class CollectionService {
  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  list(page: PageRequest) {
    return this.store.collections.list(page);
  }

  async get(id: string): Promise<Collection> {
    const c = await this.store.collections.findById(id);
    if (!c) throw new Problem('not-found');
    return c;
  }

  async create(viewer: Viewer, input: z.output<typeof createCollectionSchema>): Promise<Collection> {
    assertManager(viewer);
    const now = new Date().toISOString();
    const collection: Collection = {
      id: crypto.randomUUID(),
      title: input.title,
      description: input.description ?? null,
      createdBy: viewer.kind === 'user' ? viewer.user.id : null,
      createdAt: now,
      updatedAt: now,
      version: 1,
      autoTranscribe: input.autoTranscribe ?? { enabled: false, language: null },
    };
    await this.store.collections.create(collection);
    this.logger.info({ collectionId: collection.id }, 'collection created');
    return collection;
  }

  async update(viewer: Viewer, id: string, input: z.output<typeof updateCollectionSchema>, expected?: number) {
    assertManager(viewer);
    return unwrapUpdate(await this.store.collections.update(id, input, new Date().toISOString(), expected));
  }

  async delete(viewer: Viewer, id: string): Promise<void> {
    assertManager(viewer);
    await this.get(id);
    const count = await this.store.interviews.countByCollection(id);
    if (count > 0) {
      throw new Problem('conflict', {
        detail: msg('collections.notEmpty', { count }),
      });
    }
    await this.store.collections.delete(id);
    this.logger.info({ collectionId: id }, 'collection deleted');
  }
}

function assertManager(viewer: Viewer): void {
  if (viewer.kind !== 'user') throw new Problem('unauthenticated');
  if (!canManageCollections(viewer)) throw new Problem('forbidden');
}

/** Turns a repository update result into the record, 404 or 412 (someone else changed it first). */
export function unwrapUpdate<T extends { version: number }>(result: UpdateResult<T>): T {
  if (result.ok) return result.record;
  if (result.reason === 'not-found') throw new Problem('not-found');
  throw new Problem('precondition-failed', {
    detail: msg('record.changedMeanwhile', { version: result.current.version }),
    extra: { currentVersion: result.current.version },
  });
}
