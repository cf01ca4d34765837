// The audit log: who changed what, when, before and after. Services call record(); nothing else writes it.
import { actorOf, type Viewer } from '../access/viewer.js';
import type { Logger } from '../logger.js';
import type { AuditFilter, Store } from '../store/repositories.js';
import type { AuditEvent, PageRequest } from '../store/types.js';

export interface AuditEntry {
  interviewId: string | null;
  action: string;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

export const systemActor = { actorKind: 'system' as const, actorId: null, actorLabel: 'Schichtbuch' };

/** Who did it, as the log records it: what a unit of work carries instead of the viewer (server/store/unit-of-work.ts). */
export type AuditActor = ReturnType<typeof actorOf>;

export function auditActor(viewer: Viewer | AuditActor | null): AuditActor {
  if (!viewer) return systemActor;
  return 'actorKind' in viewer ? viewer : actorOf(viewer);
}

export class AuditLog {
  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  /**
   * Records an event by a viewer (user or narrator) or, with `null`, by the system (jobs). With a `key` (a step of a
   * unit of work) the event is recorded once however often the step runs.
   */
  async record(viewer: Viewer | AuditActor | null, entry: AuditEntry, key?: string): Promise<AuditEvent> {
    const actor = auditActor(viewer);
    const event = await this.store.audit.append(
      {
        at: new Date().toISOString(),
        ...actor,
        interviewId: entry.interviewId,
        action: entry.action,
        entity: entry.entity,
        entityId: entry.entityId ?? null,
        before: entry.before ?? null,
        after: entry.after ?? null,
      },
      key,
    );
    this.logger.info({ interviewId: entry.interviewId, action: entry.action, actor: actor.actorId }, 'audit');
    return event;
  }

  list(filter: AuditFilter, page: PageRequest) {
    return this.store.audit.list(filter, page);
  }
}

/** Only the fields that changed, as before/after pairs: the log stays readable and small. */
export function changedFields<T extends object>(
  before: T,
  after: T,
  keys: readonly (keyof T)[],
): { before: Partial<T>; after: Partial<T> } | null {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const k of keys) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      b[k] = before[k];
      a[k] = after[k];
    }
  }
  return Object.keys(a).length > 0 ? { before: b, after: a } : null;
}
