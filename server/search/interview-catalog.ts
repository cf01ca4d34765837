// The interviews as archive search needs them, held in memory once per change of the interviews table: title and
// facet values (collection, narrator, place, year, decade, keyword, language) to join onto passage hits, and the
// fields of the access rule. Passages in Meilisearch carry only their interview's id and access fields; the interview
// facets are counted here from Meilisearch's per-interview hit counts, and interview facet choices become an
// `interviewId IN […]` filter. This keeps 200,000 passages from each holding a copy of their interview's metadata —
// the bulk of the index and of Meilisearch's memory (bench/search) — and means a metadata edit needs no reindexing.
import { interviewAccess, type AccessFields } from '../access/policy.js';
import type { Viewer } from '../access/viewer.js';
import type { Store } from '../store/repositories.js';
import type { FacetValueCounts } from './facet-answer.js';
import { interviewKey, isInterviewKey, type InterviewKeyCounts } from './interview-key.js';
import type { Interview } from '../store/types.js';
import { segmentMetaFromInterview, type SegmentInterviewMeta } from './segment-index.js';

export const interviewFacets = [
  'collectionId',
  'narrators',
  'place',
  'year',
  'decade',
  'keywords',
  'language',
] as const;
export type InterviewFacet = (typeof interviewFacets)[number];
/** Per facet, the values a searcher picked: an interview matches one of them in every facet picked. */
export type InterviewFacetChoices = Partial<Record<InterviewFacet, readonly (string | number)[]>>;
export type FacetCounts = Record<InterviewFacet, Record<string, number>>;

/** Values shown per facet; the rest are dropped, rarest first. */
export const MAX_FACET_VALUES = 500;

export interface CatalogEntry {
  id: string;
  title: string;
  /** Every facet's values as strings, the way Meilisearch keys a distribution (years too), each value once. */
  facets: Record<InterviewFacet, readonly string[]>;
  access: AccessFields;
  /** interviewKey(): what its passages are counted on. */
  key: number;
}

// Meilisearch compares facet values case-insensitively; choices made in its terms keep working here
const norm = (value: string | number) => String(value).trim().toLowerCase();

export function catalogEntry(
  meta: SegmentInterviewMeta,
  access: Pick<Interview, 'embargoUntil' | 'embargoListed'>,
): CatalogEntry {
  const year = meta.recordedYear;
  const one = (v: string | number | null) => (v === null ? [] : [String(v)]);
  const unique = (values: readonly string[]) => [...new Set(values)];
  return {
    id: meta.id,
    title: meta.title,
    facets: {
      collectionId: one(meta.collectionId),
      narrators: unique(meta.narrators),
      place: one(meta.place),
      year: one(year),
      decade: one(year === null ? null : year - (year % 10)),
      keywords: unique(meta.keywords),
      language: one(meta.language),
    },
    access: {
      id: meta.id,
      status: meta.status,
      visibility: meta.visibility,
      grants: meta.grants,
      createdBy: meta.createdBy,
      embargoUntil: access.embargoUntil,
      embargoListed: access.embargoListed,
    },
    key: interviewKey(meta),
  };
}

export const catalogEntryOf = (i: Interview): CatalogEntry => catalogEntry(segmentMetaFromInterview(i), i);

export class InterviewCatalog {
  // Tallying walks thousands of interviews per search, so the hot data is flat: interview id → slot number, and each
  // slot's facet value numbers in one array (`#valueNos` from `#valueStart[slot]`). Measured in bench/search.
  // A Map: ids looked up here (hitsIn, the split of shared keys) are substrings of an answer, not interned keys, and a
  // Map hashes those faster than a dictionary object looks them up (bench/search/api-ab.ts).
  readonly #slotOf = new Map<string, number>();
  /** interviewKey → slot (or SHARED for a key two or more interviews have). */
  readonly #slotOfKey: KeySlots;
  readonly #entries: CatalogEntry[] = [];
  readonly #valueStart: Uint32Array;
  readonly #valueNos: Uint32Array;
  // facet → normalized value → interview ids: a choice is a lookup, not a scan of every interview
  readonly #byValue = new Map<InterviewFacet, Map<string, string[]>>();
  /** Every distinct (facet, value) pair once; `#valueNos` point here. */
  readonly #values: Array<{ facet: InterviewFacet; value: string }> = [];
  /** Per kind of viewer, interviewAccess() for every slot (1 = full); valid until the next embargo ends. */
  readonly #access = new Map<string, { full: Uint8Array; validUntil: number }>();

  constructor(entries: Iterable<CatalogEntry>) {
    const numbers = new Map<string, number>();
    const keys: number[] = [];
    const slots: number[] = [];
    const starts: number[] = [];
    const nos: number[] = [];
    for (const facet of interviewFacets) this.#byValue.set(facet, new Map());
    for (const entry of entries) {
      if (this.#slotOf.has(entry.id)) continue;
      const slot = this.#entries.push(entry) - 1;
      this.#slotOf.set(entry.id, slot);
      keys.push(entry.key);
      slots.push(slot);
      starts.push(nos.length);
      for (const facet of interviewFacets) {
        const index = this.#byValue.get(facet)!;
        for (const value of entry.facets[facet]) {
          const key = `${facet}\u0000${value}`;
          let no = numbers.get(key);
          if (no === undefined) {
            no = this.#values.push({ facet, value }) - 1;
            numbers.set(key, no);
          }
          nos.push(no);
        }
        for (const value of new Set(entry.facets[facet].map(norm))) {
          const ids = index.get(value);
          if (ids) ids.push(entry.id);
          else index.set(value, [entry.id]);
        }
      }
    }
    starts.push(nos.length);
    this.#slotOfKey = new KeySlots(keys, slots);
    this.#valueStart = Uint32Array.from(starts);
    this.#valueNos = Uint32Array.from(nos);
  }

  get size(): number {
    return this.#entries.length;
  }

  get(id: string): CatalogEntry | undefined {
    const slot = this.#slotOf.get(id);
    return slot === undefined ? undefined : this.#entries[slot];
  }

  // The access rule once per interview and kind of viewer, not once per search: over thousands of interviews it was
  // the larger half of tallying (bench/search). Decisions change with the store (a new catalog) and when an embargo
  // ends (validUntil).
  #fullAccess(viewer: Viewer, now: Date): Uint8Array {
    const key = viewerKey(viewer);
    const cached = this.#access.get(key);
    if (cached && now.getTime() < cached.validUntil) return cached.full;
    const full = new Uint8Array(this.#entries.length);
    let validUntil = Infinity;
    this.#entries.forEach((entry, slot) => {
      full[slot] = interviewAccess(viewer, entry.access, now) === 'full' ? 1 : 0;
      const ends = entry.access.embargoUntil === null ? NaN : Date.parse(entry.access.embargoUntil);
      if (ends > now.getTime()) validUntil = Math.min(validUntil, ends);
    });
    if (this.#access.size >= MAX_VIEWERS_REMEMBERED) this.#access.clear();
    this.#access.set(key, { full, validUntil });
    return full;
  }

  /** Ids of the interviews a user created (not withdrawn): stands in for the owner clause of the access filter. */
  ownedBy(userId: string): string[] {
    const owned: string[] = [];
    for (const entry of this.#entries)
      if (entry.access.createdBy === userId && entry.access.status !== 'withdrawn') owned.push(entry.id);
    return owned;
  }

  /**
   * The interviews matching every facet picked (any of the values within one facet), or undefined when nothing is
   * picked — which is not the same as an empty list: that finds nothing.
   */
  matching(choices: InterviewFacetChoices): string[] | undefined {
    let result: Set<string> | undefined;
    for (const facet of interviewFacets) {
      const values = choices[facet];
      if (!values || values.length === 0) continue;
      const index = this.#byValue.get(facet)!;
      const ids = new Set(values.flatMap((v) => index.get(norm(v)) ?? []));
      result = result === undefined ? ids : new Set([...result].filter((id) => ids.has(id)));
    }
    return result && [...result];
  }

  /**
   * Turns Meilisearch's hits per interview key into the interview facets. A key two interviews share cannot be
   * counted from its total: those keys come back as `sharedKeys` (only those the distribution holds), and the caller
   * tallies again with `split`, the same search's hits per interview id among passages with those keys. With a
   * viewer, interviews the store says they may not see (the index not caught up yet with a withdrawal or a narrowed
   * visibility) and keys of no interview the store has are left out and reported as `hidden` passages (by id, or by
   * key for a key of no interview), so totals and counts agree with the hits the API shows.
   */
  tally(
    perInterview: InterviewKeyCounts,
    viewer?: Viewer,
    now = new Date(),
    split?: FacetValueCounts,
  ): {
    facets: FacetCounts;
    hitsIn: (id: string) => number;
    hidden: number;
    hiddenIds: string[];
    hiddenKeys: number[];
    sharedKeys: number[];
  } {
    const full = viewer && this.#fullAccess(viewer, now);
    const counts = new Float64Array(this.#values.length);
    const hitsPerSlot = new Float64Array(this.#entries.length);
    const hiddenIds = new Set<string>();
    const hiddenKeys: number[] = [];
    const sharedKeys: number[] = [];
    let hidden = 0;
    const nos = this.#valueNos;
    const add = (slot: number, n: number) => {
      hitsPerSlot[slot] = n;
      for (let k = this.#valueStart[slot]!, end = this.#valueStart[slot + 1]!; k < end; k++) counts[nos[k]!]! += n;
    };
    const { keys, counts: hits } = perInterview;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const n = hits[i]!;
      const slot = this.#slotOfKey.get(key);
      if (slot === SHARED) sharedKeys.push(key);
      else if (slot === NONE) {
        hidden += n;
        // a value that is no key (NaN from an answer of another shape) cannot be filtered out, only not counted
        if (isInterviewKey(key)) hiddenKeys.push(key);
      } else if (full && full[slot] === 0) {
        hidden += n;
        hiddenIds.add(this.#entries[slot]!.id);
      } else add(slot, n);
    }
    if (split) {
      for (let i = 0; i < split.values.length; i++) {
        const id = split.values[i]!;
        const n = split.counts[i]!;
        const slot = this.#slotOf.get(id);
        if (slot === undefined || (full && full[slot] === 0)) {
          hidden += n;
          hiddenIds.add(id);
        } else add(slot, n);
      }
    }
    const byFacet = Object.fromEntries(interviewFacets.map((f) => [f, [] as Array<[string, number]>])) as Record<
      InterviewFacet,
      Array<[string, number]>
    >;
    counts.forEach((count, no) => {
      if (count === 0) return;
      const { facet, value } = this.#values[no]!;
      byFacet[facet].push([value, count]);
    });
    const facets = Object.fromEntries(interviewFacets.map((f) => [f, topValues(byFacet[f])])) as FacetCounts;
    // a hidden interview's slot was never counted
    const hitsIn = (id: string) => {
      const slot = this.#slotOf.get(id);
      return slot === undefined ? 0 : hitsPerSlot[slot]!;
    };
    return {
      facets,
      hitsIn,
      hidden,
      hiddenIds: [...hiddenIds],
      hiddenKeys,
      sharedKeys: split ? [] : sharedKeys,
    };
  }
}

const NONE = -1;
const SHARED = -2;

/**
 * Interview key → catalog slot, looked up ~20,000 times per search: an open-addressing table over typed arrays. A Map
 * of such keys (up to 53 bits: heap numbers, not small integers) was most of tally's time at 1,000,000 passages
 * (bench/search/api-ab.ts --profile). Keys are mostly a creation time (interview-key.ts), not an even spread of bits:
 * both halves are mixed (Fibonacci hashing) before the table's place is taken from the top bits. (Placed by the low
 * bits alone, 20,000 interviews created an hour apart piled up: one tally took ~380 ms instead of ~11 ms.)
 */
class KeySlots {
  readonly #keys: Float64Array;
  readonly #slots: Int32Array;
  readonly #mask: number;
  readonly #shift: number;

  constructor(keys: readonly number[], slots: readonly number[]) {
    let bits = 4;
    while (2 ** bits < keys.length * 2) bits++;
    const size = 2 ** bits;
    this.#mask = size - 1;
    this.#shift = 32 - bits;
    this.#keys = new Float64Array(size).fill(-1);
    this.#slots = new Int32Array(size).fill(NONE);
    keys.forEach((key, i) => {
      const at = this.#find(key);
      if (this.#keys[at] === key) this.#slots[at] = SHARED;
      else {
        this.#keys[at] = key;
        this.#slots[at] = slots[i]!;
      }
    });
  }

  /** Where `key` is, or the empty place it would go. */
  #find(key: number): number {
    // low and high 32 bits as ints (exact for integers below 2 ** 53)
    const mixed = (key >>> 0) ^ Math.imul((key / 2 ** 32) >>> 0, 0x85ebca6b);
    let at = Math.imul(mixed, 0x9e3779b1) >>> this.#shift;
    while (this.#keys[at] !== key && this.#keys[at] !== -1) at = (at + 1) & this.#mask;
    return at;
  }

  /** The slot of the one interview with this key, SHARED, or NONE (also for anything that is not a key). */
  get(key: number): number {
    if (!(key >= 0)) return NONE;
    return this.#slots[this.#find(key)]!;
  }
}

/**
 * What interviewAccess() looks at in a viewer, as a key: viewers with the same key get the same answers. (A narrator's
 * invitation was checked for expiry and revocation when the request was authenticated.)
 */
function viewerKey(viewer: Viewer): string {
  if (viewer.kind === 'anonymous') return 'anonymous';
  if (viewer.kind === 'narrator') return `narrator:${viewer.invitation.interviewId}`;
  return `user:${viewer.user.id}:${viewer.user.role}:${viewer.principals.join(',')}`;
}

const MAX_VIEWERS_REMEMBERED = 200;

const collator = new Intl.Collator('de');

/** Most frequent first, ties alphabetically, at most MAX_FACET_VALUES. */
/** The MAX_FACET_VALUES most frequent values, most frequent first (ties alphabetically). */
export function topValues(counts: Array<[string, number]>): Record<string, number> {
  const sorted = counts.sort(([a, x], [b, y]) => y - x || collator.compare(a, b));
  return Object.fromEntries(sorted.slice(0, MAX_FACET_VALUES));
}

/**
 * The catalog for the current state of the store. Each call asks the store for its interviews' change stamp (one
 * aggregate query) and rebuilds the catalog only when it moved, so every search sees interviews as they are now.
 */
export class InterviewCatalogSource {
  #cached?: { stamp: string; catalog: InterviewCatalog };
  #loading?: { stamp: string; promise: Promise<InterviewCatalog> };

  constructor(private readonly store: Store) {}

  async current(): Promise<InterviewCatalog> {
    const stamp = await this.store.interviews.changeStamp();
    if (this.#cached?.stamp === stamp) return this.#cached.catalog;
    // concurrent searches after a change share one load
    if (this.#loading?.stamp === stamp) return this.#loading.promise;
    const promise = this.#load().then((catalog) => {
      // a write between the stamp and the load only makes the next call load again
      this.#cached = { stamp, catalog };
      return catalog;
    });
    this.#loading = { stamp, promise };
    try {
      return await promise;
    } finally {
      if (this.#loading?.promise === promise) this.#loading = undefined;
    }
  }

  async #load(): Promise<InterviewCatalog> {
    const entries: CatalogEntry[] = [];
    const limit = 1000;
    for (let offset = 0; ; offset += limit) {
      const page = await this.store.interviews.list({ access: { kind: 'all' } }, { limit, offset }, 'createdAt');
      entries.push(...page.items.map(catalogEntryOf));
      if (page.items.length < limit) return new InterviewCatalog(entries);
    }
  }
}
