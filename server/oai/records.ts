// What OAI-PMH harvesters get: exactly the interviews an anonymous visitor may open (the one access rule,
// server/access/policy.ts), and — as deleted records, kept for good (deletedRecord = persistent) — every interview
// that anonymous visitors could open once and no longer can: withdrawn, taken back to review, its visibility
// narrowed, or deleted. When that happened is read from the audit log, which records every change of an interview's
// status, visibility and embargo (interview.create / interview.update / interview.status / interview.delete): the
// interview's history is replayed through the same access rule. A replay is kept per interview version, so the log
// is read again only for interviews that changed.
import { interviewAccess } from '../access/policy.js';
import { anonymous } from '../access/viewer.js';
import type { Store } from '../store/repositories.js';
import type { AuditEvent, Collection, Interview } from '../store/types.js';

export interface HarvestItem {
  id: string;
  /** Full ISO timestamp: the interview's last change, or when it left public view for a deleted record. With id, the order. */
  stamp: string;
  deleted: boolean;
  collectionId: string | null;
  interview: Interview;
}

const LIST_BATCH = 500;
const HISTORY_ACTIONS = ['interview.create', 'interview.update', 'interview.status'] as const;
/** Interview fields an audit event's `after` may change that the access rule reads (and the set a record is in). */
const ACCESS_FIELDS = [
  'status',
  'visibility',
  'grants',
  'embargoUntil',
  'embargoListed',
  'createdBy',
  'collectionId',
] as const;

export class HarvestSource {
  /** interview id → (version it was computed for, when it last left public view or null if it never was public) */
  readonly #publicEnd = new Map<string, { version: number; end: string | null }>();

  constructor(private readonly store: Store) {}

  /** Every harvestable item, ordered by (stamp, id). */
  async items(): Promise<HarvestItem[]> {
    const all: Interview[] = [];
    for (let offset = 0; ; offset += LIST_BATCH) {
      const page = await this.store.interviews.list(
        { access: { kind: 'all' } },
        { limit: LIST_BATCH, offset },
        'updatedAt',
      );
      all.push(...page.items);
      if (page.items.length < LIST_BATCH || all.length >= page.total) break;
    }
    const items: HarvestItem[] = [];
    for (const interview of all) {
      const item = await this.classify(interview);
      if (item) items.push(item);
    }
    items.push(...(await this.deletedRows(all.map((i) => i.id))));
    return items.sort(compareItems);
  }

  async item(id: string): Promise<HarvestItem | null> {
    const interview = await this.store.interviews.findById(id);
    if (interview) return this.classify(interview);
    const deletion = (
      await this.store.audit.list({ interviewId: id, action: 'interview.delete' }, { limit: 1, offset: 0 })
    ).items[0];
    return deletion ? this.deletedRow(deletion) : null;
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
    if (interviewAccess(anonymous, interview) === 'full')
      return { ...base, stamp: interview.updatedAt, deleted: false };
    // never public and still a draft: nothing to look up
    if (interview.status === 'draft' && interview.version <= 1) return null;
    const cached = this.#publicEnd.get(interview.id);
    const end = cached && cached.version === interview.version ? cached.end : await this.publicEndOf(interview);
    this.#publicEnd.set(interview.id, { version: interview.version, end });
    return end ? { ...base, stamp: end, deleted: true } : null;
  }

  /** Interviews deleted from the store after they had been public: deleted records from their audit trail. */
  private async deletedRows(existing: readonly string[]): Promise<HarvestItem[]> {
    const present = new Set(existing);
    const rows: HarvestItem[] = [];
    for (let offset = 0; ; offset += LIST_BATCH) {
      const page = await this.store.audit.list({ action: 'interview.delete' }, { limit: LIST_BATCH, offset });
      for (const event of page.items) {
        if (!event.interviewId || present.has(event.interviewId)) continue;
        const row = await this.deletedRow(event);
        if (row) rows.push(row);
      }
      if (page.items.length < LIST_BATCH) break;
    }
    return rows;
  }

  private async deletedRow(deletion: AuditEvent): Promise<HarvestItem | null> {
    const snapshot = deletion.before as Interview | null;
    if (!snapshot?.id) return null;
    const end = await this.publicEndOf(snapshot, deletion);
    return end
      ? { id: snapshot.id, stamp: end, deleted: true, collectionId: snapshot.collectionId ?? null, interview: snapshot }
      : null;
  }

  /**
   * Replays an interview's audited changes through the access rule: when it last stopped being visible to anonymous
   * visitors, or null if it never was. `deletion` ends the history (the row is gone from then on).
   */
  private async publicEndOf(interview: Interview, deletion?: AuditEvent): Promise<string | null> {
    const events: AuditEvent[] = [];
    for (const action of HISTORY_ACTIONS) {
      for (let offset = 0; ; offset += 200) {
        const page = await this.store.audit.list({ interviewId: interview.id, action }, { limit: 200, offset });
        events.push(...page.items);
        if (page.items.length < 200) break;
      }
    }
    events.sort((a, b) => a.id - b.id);
    const created = events.find((e) => e.action === 'interview.create');
    let state: Interview = { ...interview, ...(created?.after as Partial<Interview> | undefined) };
    const visibleAt = (s: Interview, at: string) => interviewAccess(anonymous, s, new Date(at)) === 'full';
    let wasVisible = false;
    let end: string | null = null;
    for (const event of events) {
      if (event.action === 'interview.create') {
        wasVisible = visibleAt(state, event.at);
        continue;
      }
      // time alone can make it visible (an embargo ends): look just before the change, then just after
      const before = visibleAt(state, event.at);
      state = applyChange(state, event.after);
      const after = visibleAt(state, event.at);
      if (before && !after) end = event.at;
      wasVisible ||= before || after;
    }
    if (deletion) {
      if (visibleAt(state, deletion.at)) end = deletion.at;
      wasVisible ||= end !== null;
    } else if (visibleAt(state, new Date().toISOString()) && wasVisible) {
      // the log and the row disagree (a change that was not audited): the row's last change is the best time known
      end = interview.updatedAt;
    }
    return wasVisible ? (end ?? interview.updatedAt) : null;
  }
}

function applyChange(state: Interview, after: unknown): Interview {
  if (!after || typeof after !== 'object') return state;
  const next: Record<string, unknown> = { ...state };
  for (const key of ACCESS_FIELDS) if (key in after) next[key] = (after as Record<string, unknown>)[key];
  return next as unknown as Interview;
}

export function compareItems(a: Pick<HarvestItem, 'stamp' | 'id'>, b: Pick<HarvestItem, 'stamp' | 'id'>): number {
  return a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
