// The interview list on the MongoDB adapter, served from memory and kept correct across processes by the interview
// change log.
//
// Why: FerretDB 1.24's SQLite backend pushes down nothing but a filter that is exactly one `_id` string. Every other
// find or count reads and decodes the whole collection in Go, and sorts, skips and limits there. A projection or a
// lean summary collection does not change that: measured on 4,000 interviews, a scan of small summary documents
// still takes 300–500 ms (2.4–3.3 s for the full documents). One `_id` lookup in a small collection takes ~1 ms.
//
// How: every interview write appends one entry `{_id: key(n), interviewId}` to `interview_changes` after the write. The
// numbers are contiguous (see InterviewChangeLog.append), so a reader that has applied everything up to n knows that
// nothing changed when entry n is still there and entry n + 1 is not: two `_id` lookups, sent together. Otherwise it
// re-reads exactly the interviews named by the entries after n. The filter is the adapter's own MongoDB query
// (archive.ts interviewQuery), evaluated in memory by sift, so the cached and the engine-side answer are one definition.
import siftModule from 'sift';
import { isDuplicateKeyError } from './support.js';
import type { Models } from './schemas.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
// sift is CommonJS: Node's default import is its module.exports, which carries the tester as `default` too — the one
// name that TypeScript and every loader agree on
const sift = siftModule.default;
type Doc = Record<string, any>;

/** Entries older than the newest minus this are pruned; a reader further behind loads everything again. */
const KEEP_ENTRIES = 200;
/** More changes than this since the last read: one full read is cheaper than re-reading them one by one. */
const MAX_INCREMENTAL = 200;
/**
 * A writer that dies between its interview write and its change entry leaves no trace in the log; a background full
 * read this often bounds how long such a (crash-only) change can stay unseen.
 */
const FULL_RELOAD_AFTER_MS = 10 * 60_000;

/**
 * The entry's `_id`: the number as fixed-width text, because FerretDB pushes down `_id` equality for strings (and
 * ObjectIds) only — a numeric `_id` lookup decodes the whole log — and fixed width keeps text order = number order.
 */
export const changeKey = (n: number) => String(n).padStart(12, '0');
/** Entries copied by migrate before the keys were text carry a numeric `_id`; both read as numbers. */
const numberOf = (id: unknown) => Number(id);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class InterviewChangeLog {
  #next?: number;
  #newest = 0;

  constructor(private readonly models: Models) {}

  private get c() {
    return this.models.interviewChanges.collection;
  }

  async get(n: number): Promise<Doc | null> {
    return this.c.findOne({ _id: changeKey(n) as never });
  }

  /** The newest entry's number, 0 for an empty log (sorts in the engine: only for the rare cases below). */
  async newest(): Promise<number> {
    const d = await this.c
      .find({}, { projection: { _id: 1 } })
      .sort({ _id: -1 })
      .limit(1)
      .next();
    return d ? numberOf(d._id) : 0;
  }

  /** The newest number, walked forward from the last one seen here by `_id` lookups. */
  async current(): Promise<number> {
    let n = this.#newest;
    if (n === 0 || !(await this.get(n))) n = await this.newest();
    while (n > 0 && (await this.get(n + 1))) n++;
    this.#newest = n;
    return n;
  }

  /**
   * Appends one entry. Entry n is only inserted once entry n − 1 exists (or right after reading the newest), and the
   * unique `_id` lets only one writer take a number: so the log never has a hole below its newest entry, whichever
   * process writes. A stale hint (pruned or dropped entries) falls back to reading the newest.
   */
  async append(interviewId: string): Promise<number> {
    let next = this.#next;
    let fresh = false;
    for (let attempt = 0; attempt < 200; attempt++) {
      if (next === undefined || (!fresh && (next <= 1 || !(await this.get(next - 1))))) {
        next = (await this.newest()) + 1;
        fresh = true;
      }
      try {
        await this.c.insertOne({ _id: changeKey(next) as never, interviewId, at: new Date().toISOString() });
        this.#next = next + 1;
        if (next % 500 === 0) await this.c.deleteMany({ _id: { $lt: changeKey(next - KEEP_ENTRIES) as never } });
        return next;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        // someone took it: the next number follows an entry that exists
        next += 1;
        fresh = false;
        if (attempt > 3) await sleep(Math.random() * 5);
      }
    }
    throw new Error('interview change log: no free number after 200 attempts');
  }
}

interface Snapshot {
  /** Every change up to this entry is in `docs`. */
  position: number;
  docs: Map<string, Doc>;
  loadedAt: number;
}

export type SortSpec = Record<string, 1 | -1>;

/** MongoDB's order for the values the sort keys hold: null before numbers before strings; strings by code point. */
function compareValues(a: unknown, b: unknown): number {
  const rank = (v: unknown) => (v === null || v === undefined ? 0 : typeof v === 'number' ? 1 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return 0;
  if (ra === 1) return (a as number) - (b as number);
  return compareCodePoints(a as string, b as string);
}

/** UTF-8 byte order (MongoDB's and SQLite's BINARY), which UTF-16 `<` gets wrong only around surrogates. */
function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

type Matcher = (d: Doc) => boolean;
const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
/** MongoDB's rule for a field that holds an array: the condition holds when it holds for any element. */
const anyOf = (v: unknown, test: (x: unknown) => boolean) => (Array.isArray(v) ? v.some(test) : test(v));
const same = (x: unknown, y: unknown) => x === y || ((x === null || x === undefined) && y === null);
/** Range operators compare values of the same type only (MongoDB's type bracketing); the queries compare text. */
const ranged = (test: (a: string, b: string) => boolean) => (operand: unknown) => (x: unknown) =>
  typeof x === 'string' && typeof operand === 'string' && test(x, operand);
const operators: Record<string, (operand: unknown) => ((x: unknown) => boolean) | null> = {
  $in: (o) => (Array.isArray(o) && o.every(scalar) ? (x) => o.some((y) => same(x, y)) : null),
  $gt: ranged((a, b) => compareCodePoints(a, b) > 0),
  $gte: ranged((a, b) => compareCodePoints(a, b) >= 0),
  $lt: ranged((a, b) => compareCodePoints(a, b) < 0),
  $lte: ranged((a, b) => compareCodePoints(a, b) <= 0),
  $regex: (o) => {
    if (typeof o !== 'string') return null;
    const re = new RegExp(o);
    return (x) => typeof x === 'string' && re.test(x);
  },
};

/**
 * The subset of MongoDB's query language that archive.ts interviewQuery writes, compiled into plain functions (sift,
 * general, takes 10–100 ms for 4,000 documents; this takes well under 1 ms). Anything outside the subset — another
 * operator, a dotted path, a sub-document — returns null and the caller uses sift.
 */
export function compileQuery(query: Doc): Matcher | null {
  const parts: Matcher[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value)) return null;
      const subs = value.map((q: Doc) => compileQuery(q));
      if (subs.some((m) => m === null)) return null;
      const ms = subs as Matcher[];
      parts.push(key === '$and' ? (d) => ms.every((m) => m(d)) : (d) => ms.some((m) => m(d)));
    } else if (key.startsWith('$') || key.includes('.')) {
      return null;
    } else if (scalar(value)) {
      parts.push((d) => anyOf(d[key], (x) => same(x, value)));
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      const tests: Array<(v: unknown) => boolean> = [];
      for (const [op, operand] of Object.entries(value as Doc)) {
        if (op === '$ne') {
          if (!scalar(operand)) return null;
          tests.push((v) => !anyOf(v, (x) => same(x, operand)));
          continue;
        }
        const make = operators[op]?.(operand);
        if (!make) return null;
        tests.push((v) => anyOf(v, make));
      }
      parts.push((d) => tests.every((t) => t(d[key])));
    } else {
      return null;
    }
  }
  return (d) => parts.every((m) => m(d));
}

export class InterviewListCache {
  #snapshot?: Snapshot;
  #refreshing?: Promise<Snapshot>;
  #background?: Promise<void>;
  #reloaded?: Snapshot;

  constructor(
    private readonly models: Models,
    private readonly log: InterviewChangeLog,
  ) {}

  /** The interviews matching a MongoDB query, in the given order, as of now (all writes that have returned). */
  async find(query: Doc, sort: SortSpec): Promise<Doc[]> {
    const snapshot = await this.fresh();
    const matches = compileQuery(query) ?? sift(query);
    const found: Doc[] = [];
    for (const d of snapshot.docs.values()) if (matches(d)) found.push(d);
    const keys = Object.entries(sort);
    return found.sort((a, b) => {
      for (const [key, direction] of keys) {
        const c = compareValues(a[key], b[key]);
        if (c !== 0) return c * direction;
      }
      return 0;
    });
  }

  /** Concurrent callers share one refresh. */
  private fresh(): Promise<Snapshot> {
    this.#refreshing ??= this.refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  private async refresh(): Promise<Snapshot> {
    if (this.#reloaded) {
      this.#snapshot = this.#reloaded;
      this.#reloaded = undefined;
    }
    const snapshot = this.#snapshot;
    if (!snapshot) return (this.#snapshot = await this.loadAll());
    if (Date.now() - snapshot.loadedAt > FULL_RELOAD_AFTER_MS && !this.#background) {
      this.#background = this.loadAll()
        .then((s) => void (this.#reloaded = s))
        .catch(() => undefined)
        .finally(() => (this.#background = undefined));
    }
    if (snapshot.position === 0) {
      // loaded from an empty log: the first entries may already be pruned, so ask for the newest
      return (await this.log.newest()) === 0 ? snapshot : (this.#snapshot = await this.loadAll());
    }
    const [here, next] = await Promise.all([this.log.get(snapshot.position), this.log.get(snapshot.position + 1)]);
    if (!here) return (this.#snapshot = await this.loadAll()); // pruned past us (or the database was replaced)
    if (!next) return snapshot;
    const changed = new Set<string>();
    let position = snapshot.position;
    for (let entry: Doc | null = next; entry; entry = await this.log.get(position + 1)) {
      position = numberOf(entry._id);
      if (typeof entry.interviewId !== 'string' || changed.size >= MAX_INCREMENTAL) {
        return (this.#snapshot = await this.loadAll());
      }
      changed.add(entry.interviewId);
    }
    // each entry was written after its interview: these reads see at least that state
    const updates: Array<[string, Doc | null]> = [];
    for (const id of changed) updates.push([id, await this.models.interviews.collection.findOne({ _id: id as never })]);
    const docs = new Map(snapshot.docs);
    for (const [id, d] of updates) {
      if (d) docs.set(id, d);
      else docs.delete(id);
    }
    return (this.#snapshot = { position, docs, loadedAt: snapshot.loadedAt });
  }

  /** Everything: the log position first, so that a change racing the read is applied again afterwards. */
  private async loadAll(): Promise<Snapshot> {
    const loadedAt = Date.now();
    const position = await this.log.current();
    const all = await this.models.interviews.collection.find({}).toArray();
    return { position, docs: new Map(all.map((d) => [d._id as unknown as string, d as Doc])), loadedAt };
  }
}
