// Units of work of consent records: a new record or version, its audit event, and what it means for a published
// interview (back to review at once when the consent no longer covers its visibility).
import type { AuditActor } from '../audit/service.js';
import { Problem } from '../http/problem.js';
import { statusSteps, type StatusPayload } from '../interviews/units.js';
import type { Store } from '../store/repositories.js';
import type { ConsentRecord } from '../store/types.js';
import type { UnitOfWork } from '../store/unit-of-work.js';
import type { UnitDeps } from '../units.js';

const sameRecord = (a: Omit<ConsentRecord, 'version'>, b: Omit<ConsentRecord, 'version'>) =>
  a.createdAt === b.createdAt &&
  a.authorId === b.authorId &&
  a.narrator === b.narrator &&
  a.method === b.method &&
  JSON.stringify(a.scope) === JSON.stringify(b.scope);

/**
 * Appends the version unless this record's history holds it already (written by the same operation before a crash).
 * With `expectedVersion` a version someone else added first is a 412.
 */
export async function appendConsentOnce(
  store: Store,
  record: Omit<ConsentRecord, 'version'>,
  expectedVersion: number | null | undefined,
): Promise<ConsentRecord> {
  const mine = (await store.consents.history(record.id)).find((v) => sameRecord(v, record));
  if (mine) return mine;
  const result = await store.consents.append(record, expectedVersion);
  if (!result.ok) throw new Problem('precondition-failed', { extra: { currentVersion: result.current } });
  return result.record;
}

export interface ConsentPayload {
  actor: AuditActor;
  record: Omit<ConsentRecord, 'version'>;
  expectedVersion: number | null;
  previous: ConsentRecord | null;
  /** Decided before the operation was written (the gap the new version leaves): the interview goes back to review. */
  enforce: StatusPayload | null;
}

export function registerConsentUnits(uow: UnitOfWork, deps: UnitDeps): void {
  const { store, audit } = deps;
  uow.register<ConsentPayload>('consent.save', (ctx) => {
    const p = ctx.payload;
    const interviewId = p.record.interviewId;
    return [
      { name: 'append', run: async () => void (await appendConsentOnce(store, p.record, p.expectedVersion)) },
      {
        name: 'audit',
        run: async () => {
          const stored = await appendConsentOnce(store, p.record, p.expectedVersion);
          await audit.record(
            p.actor,
            {
              interviewId,
              action: 'consent.version',
              entity: 'consent',
              entityId: p.record.id,
              before: p.previous,
              after: stored,
            },
            ctx.key('audit'),
          );
        },
      },
      // a published interview whose consent no longer covers its visibility goes back to review at once
      ...(p.enforce ? statusSteps(deps, ctx, p.enforce, 'enforce') : []),
    ];
  });
}
