// What OAI-PMH harvesters get: exactly the interviews an anonymous visitor may open (the one access rule,
// server/access/policy.ts), and — as deleted records, kept for good (deletedRecord = persistent) — interviews that were
// public and have been withdrawn. A withdrawal's time and previous state come from the audit log, which records every
// status change; withdrawals are final, so what was read once is kept in memory.
import { interviewAccess } from '../access/policy.js';
import { anonymous } from '../access/viewer.js';
import type { Store } from '../store/repositories.js';
import type { Collection, Interview } from '../store/types.js';

export interface HarvestItem {
  id: string;
  /** Full ISO timestamp: the interview's last change, or its withdrawal for a deleted record. Ordering key with id. */
  stamp: string;
  deleted: boolean;
  collectionId: string | null;
  interview: Interview;
}

interface Withdrawal {
  at: string;
  /** Anonymous visitors could open it just before it was withdrawn (published, public, no embargo then). */
  wasPublic: boolean;
}

const LIST_BATCH = 500;

export class HarvestSource {
  readonly #withdrawals = new Map<string, Withdrawal>();

  constructor(private readonly store: Store) {}

  /** Every harvestable item, ordered by (stamp, id). */
  async items(): Promise<HarvestItem[]> {
    const all: Interview[] = [];
    for (let offset = 0; ; offset += LIST_BATCH) {
      const page = await this.store.interviews.list({ access: { kind: 'all' } }, { limit: LIST_BATCH, offset }, 'updatedAt');
      all.push(...page.items);
      if (page.items.length < LIST_BATCH || all.length >= page.total) break;
    }
    const items: HarvestItem[] = [];
    for (const interview of all) {
      const item = await this.classify(interview);
      if (item) items.push(item);
    }
    return items.sort(compareItems);
  }

  async item(id: string): Promise<HarvestItem | null> {
    const interview = await this.store.interviews.findById(id);
    return interview ? this.classify(interview) : null;
  }

  async collections(): Promise<Collection[]> {
    const all: Collection[] = [];
    for (let offset = 0; ; offset += LIST_BATCH) {
      const page = await this.store.collections.list({ limit: LIST_BATCH, offset });
      all.push(...page.items);
      if (page.items.length < LIST_BATCH || all.length >= page.total) break;
    }
    return all;
  }

  private async classify(interview: Interview): Promise<HarvestItem | null> {
    const base = { id: interview.id, collectionId: interview.collectionId, interview };
    if (interviewAccess(anonymous, interview) === 'full') return { ...base, stamp: interview.updatedAt, deleted: false };
    if (interview.status !== 'withdrawn') return null;
    const withdrawal = await this.withdrawalOf(interview);
    return withdrawal?.wasPublic ? { ...base, stamp: withdrawal.at, deleted: true } : null;
  }

  private async withdrawalOf(interview: Interview): Promise<Withdrawal | null> {
    const known = this.#withdrawals.get(interview.id);
    if (known) return known;
    for (let offset = 0; ; offset += 100) {
      const page = await this.store.audit.list({ interviewId: interview.id, action: 'interview.status' }, { limit: 100, offset });
      // newest first: the first event that moved the interview to `withdrawn`
      const event = page.items.find((e) => (e.after as { status?: string } | null)?.status === 'withdrawn');
      if (event) {
        const before = (event.before ?? {}) as Partial<Interview>;
        const previous: Interview = { ...interview, ...pick(before), status: before.status ?? interview.status };
        const wasPublic = previous.status === 'published' && interviewAccess(anonymous, previous, new Date(event.at)) === 'full';
        const withdrawal = { at: event.at, wasPublic };
        this.#withdrawals.set(interview.id, withdrawal);
        return withdrawal;
      }
      if (page.items.length < 100) return null;
    }
  }
}

/** The fields of an audit `before` that decide visibility (only changed fields are recorded there). */
function pick(before: Partial<Interview>): Partial<Interview> {
  const out: Partial<Interview> = {};
  if (before.visibility !== undefined) out.visibility = before.visibility;
  if (before.embargoUntil !== undefined) out.embargoUntil = before.embargoUntil;
  if (before.grants !== undefined) out.grants = before.grants;
  return out;
}

export function compareItems(a: Pick<HarvestItem, 'stamp' | 'id'>, b: Pick<HarvestItem, 'stamp' | 'id'>): number {
  return a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
