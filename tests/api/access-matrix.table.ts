// The access matrix's one literal table (ACCESS: endpoint × state × role → expected outcome), the facts per state
// and role, and how an actual answer is judged against it (verdicts). Written by hand from the archive's rule;
// used by access-matrix.test.ts and access-matrix-edit.test.ts.
import { type TestApp } from '../helpers/app.js';

// ── the table ─────────────────────────────────────────────────────────────────────────────────────────────────────

export const ROLES = [
  'anonymous',
  'owner',
  'other',
  'researcher',
  'grantee',
  'curator',
  'admin',
  'narrator-valid',
  'narrator-other',
  'narrator-expired',
  'narrator-revoked',
] as const;
export type Role = (typeof ROLES)[number];

export const STATES = [
  'public',
  'registered',
  'restricted',
  'private',
  'draft',
  'embargoed',
  'withdrawn',
  'passage',
] as const;
export type State = (typeof STATES)[number];

/*
 * What each role gets of each interview:
 *   F  the interview page and everything derived from it
 *   S  the sealed stub of a listed embargo (title and date), nothing derived from it
 *   -  nothing: 404 everywhere, existence not disclosed
 *   X  the credential itself is refused: 401 /problems/review-link on every request that carries it
 *
 * States (one interview each, created by `owner`): public/registered/restricted/private = published with that
 * visibility (restricted: granted to the grantee's group); draft = never published (visibility public, so only the
 * status hides it); embargoed = approved, public, embargo one year ahead, listed; withdrawn = published (registered),
 * then withdrawn by its narrator; passage = published public with one restricted passage.
 *
 * narrator-valid holds an invitation for this interview, narrator-other one for a different interview. A narrator
 * has no account: for other interviews they are an anonymous visitor (public content is no secret from someone
 * who could simply leave the header off), so narrator-other and narrator-valid-on-another-interview read like
 * `anonymous` — except on the one interview their invitation names.
 */
export const ACCESS: Record<State, string> = {
  //          anon owner other resea grant curat admin n-val n-oth n-exp n-rev
  public: 'F    F     F     F     F     F     F     F     F     X     X',
  registered: '-    F     F     F     F     F     F     F     -     X     X',
  restricted: '-    F     -     -     F     F     F     F     -     X     X',
  private: '-    F     -     -     -     F     F     F     -     X     X',
  draft: '-    F     -     -     -     F     F     F     -     X     X',
  embargoed: 'S    F     S     S     S     F     F     F     S     X     X',
  withdrawn: '-    -     -     -     -     F     F     -     -     X     X',
  passage: 'F    F     F     F     F     F     F     F     F     X     X',
};

/** Who hears a restricted passage (real text, search, renditions meanwhile). Everyone else with F gets the marker instead. */
export const HEARS_RESTRICTED: readonly Role[] = ['curator', 'admin', 'narrator-valid'];
/** Who gets the untouched original of a medium with a restricted passage: curators and admins only. */
export const GETS_ORIGINAL: readonly Role[] = ['curator', 'admin'];
export const getsOriginal = (c: Cell) => GETS_ORIGINAL.includes(c.role);
/** Who finds a restricted passage through search: whoever hears it (the narrator only in their own interview). */
export const FINDS_RESTRICTED: readonly Role[] = HEARS_RESTRICTED;
/** Logged-in accounts; of them, staff. Staff-only endpoints answer 403 to the others when they can see the interview. */
export const USERS: readonly Role[] = ['owner', 'other', 'researcher', 'grantee', 'curator', 'admin'];
export const STAFF: readonly Role[] = ['curator', 'admin'];
export const ADMINS: readonly Role[] = ['admin'];

/**
 * What a state has left: a withdrawal deletes the renditions (HLS, poster, waveform) and the search entries; the
 * original stays for the archive (the consent says keep_archive), the transcript too.
 */
export const STATE_FACTS: Record<State, { renditions: boolean; indexed: boolean; restrictedPassage: boolean }> = {
  public: { renditions: true, indexed: true, restrictedPassage: false },
  registered: { renditions: true, indexed: true, restrictedPassage: false },
  restricted: { renditions: true, indexed: true, restrictedPassage: false },
  private: { renditions: true, indexed: true, restrictedPassage: false },
  draft: { renditions: true, indexed: true, restrictedPassage: false },
  embargoed: { renditions: true, indexed: true, restrictedPassage: false },
  withdrawn: { renditions: false, indexed: false, restrictedPassage: false },
  passage: { renditions: true, indexed: true, restrictedPassage: true },
};

export const VISIBILITY: Record<State, 'public' | 'registered' | 'restricted' | 'private'> = {
  public: 'public',
  registered: 'registered',
  restricted: 'restricted',
  private: 'private',
  draft: 'public',
  embargoed: 'public',
  withdrawn: 'registered',
  passage: 'public',
};

/** One unique, made-up word per interview (no compound parts, far apart for typo tolerance), and one in the passage. */
export const WORD: Record<State, string> = {
  public: 'Zaffirolum',
  registered: 'Keprastin',
  restricted: 'Muldorvex',
  private: 'Tarnequil',
  draft: 'Solvimbra',
  embargoed: 'Quorvanel',
  withdrawn: 'Brexindal',
  passage: 'Fennumirk',
};
export const RESTRICTED_WORD = 'Gollatrusk';
export const MARKER = 'Diese Passage ist nicht freigegeben.';
/** The sealed stub: these fields and nothing else. */
export const STUB_KEYS = ['id', 'title', 'collectionId', 'recordedAt', 'sealed', 'embargoUntil'];

export type Access = 'F' | 'S' | '-' | 'X';
export const ACCESS_CELLS: Record<State, Record<Role, Access>> = Object.fromEntries(
  STATES.map((state) => {
    const cells = ACCESS[state].trim().split(/\s+/) as Access[];
    if (cells.length !== ROLES.length || cells.some((c) => !['F', 'S', '-', 'X'].includes(c)))
      throw new Error(`ACCESS.${state} is malformed`);
    return [state, Object.fromEntries(ROLES.map((role, n) => [role, cells[n]!]))];
  }),
) as Record<State, Record<Role, Access>>;

export interface Cell {
  role: Role;
  state: State;
  access: Access;
}

export const REFUSED = '401:review-link';

/** F → what the endpoint gives, S/- → 404 (a sealed stub has nothing derived), X → 401. */
export function gate(c: Cell, full: () => string): string {
  if (c.access === 'X') return REFUSED;
  return c.access === 'F' ? full() : '404';
}
export const hears = (c: Cell) => HEARS_RESTRICTED.includes(c.role);
export const textFor = (c: Cell) => (STATE_FACTS[c.state].restrictedPassage && !hears(c) ? '200:marker' : '200:text');
export const hitsFor = (c: Cell) => {
  const words = [
    ...(STATE_FACTS[c.state].indexed ? ['w1'] : []),
    ...(STATE_FACTS[c.state].restrictedPassage && FINDS_RESTRICTED.includes(c.role) ? ['w2'] : []),
  ];
  return `200:hits=${words.join('+') || '-'}`;
};
export const rendition = (c: Cell) => gate(c, () => (STATE_FACTS[c.state].renditions ? '200' : '404'));
export const staffOnly = (c: Cell) => {
  if (c.access === 'X') return REFUSED;
  if (STAFF.includes(c.role)) return '200';
  return USERS.includes(c.role) && (c.access === 'F' || c.access === 'S') ? '403' : '404';
};

export type Login = Awaited<ReturnType<TestApp['loginAs']>>;
// ── verdicts ──────────────────────────────────────────────────────────────────────────────────────────────────────

export type Verdict = 'ok' | 'leak' | 'disclosure' | 'mismatch';
export interface Result {
  endpoint: string;
  state: string;
  role: string;
  expected: string;
  actual: string;
  verdict: Verdict;
}
export const results: Result[] = [];

export const granted = (o: string) => o.startsWith('200') || o.startsWith('listed');
/** Outcomes that give more than the expected one (same status, more content). */
export const MORE_THAN: Record<string, string[]> = {
  '200:sealed': ['200:full', '200:full:original', '200:full:no-original', '200:sealed+extra'],
  '200:full:no-original': ['200:full:original'],
  'listed:sealed': ['listed', 'listed:sealed+extra'],
  '200:marker': ['200:text'],
  '200:no-original': ['200:original'],
};

/** A leak is content (a 200, a listing, a hit, the real text) where the table says 404/401/403, marker or stub. */
export function verdict(expected: string, actual: string): Verdict {
  if (expected === actual) return 'ok';
  if (!granted(expected) && granted(actual)) return 'leak';
  if (MORE_THAN[expected]?.includes(actual)) return 'leak';
  const hits = (o: string) =>
    o.startsWith('200:hits=')
      ? o
          .slice(9)
          .split('+')
          .filter((w) => w !== '-')
      : null;
  const [e, a] = [hits(expected), hits(actual)];
  if (e && a && a.some((w) => !e.includes(w))) return 'leak';
  // 403 instead of 404 tells that the interview exists
  if (expected === '404' && actual === '403') return 'disclosure';
  return 'mismatch';
}

export const describeResult = (r: Result) =>
  `${r.endpoint} | state=${r.state} | role=${r.role}: expected ${r.expected}, got ${r.actual}${r.verdict === 'ok' ? '' : ` [${r.verdict.toUpperCase()}]`}`;

/** A state-changing request as this login (session cookie and CSRF token). */
export const send = (who: Login, method: 'post' | 'patch' | 'put' | 'delete', url: string) =>
  who.agent[method](url).set('X-CSRF-Token', who.csrf);
