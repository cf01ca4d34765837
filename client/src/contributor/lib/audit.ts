// The audit log as a reader wants it: per event only what changed, as short "field: before → after" lines.

/** The actions the server records (server/**: audit.record), for the filter. */
export const auditActions = [
  'interview.create',
  'interview.update',
  'interview.status',
  'interview.delete',
  'interview.withdrawal',
  'interview.publish-blocked',
  'interview.originals-deleted',
  'transcript.version',
  'consent.version',
  'review.invitation-created',
  'review.invitation-revoked',
  'review.approve',
  'review.request_changes',
  'review.withdraw',
  'restriction.added',
  'restriction.lifted',
  'restriction.removed-by-narrator',
  'correction.proposed',
  'correction.accepted',
  'correction.rejected',
] as const;

/** What the server accepts as an action filter. */
export const isAuditAction = (value: string) => /^[a-z_.-]{1,60}$/.test(value);

export interface DiffRow {
  /** Dotted path, e.g. `status` or `place.name`. */
  path: string;
  /** Display text; undefined = not present on that side. */
  before?: string;
  after?: string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** A value in one line: strings as they are, everything else as JSON, cut at `max` characters. */
export function auditValue(value: unknown, max = 120): string {
  let text: string;
  if (value === null) text = '–';
  else if (typeof value === 'string') text = value;
  else text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function flatten(value: unknown, prefix: string, depth: number, out: Map<string, unknown>): void {
  if (isPlainObject(value) && depth > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, depth - 1, out);
    return;
  }
  out.set(prefix, value);
}

/** Bookkeeping fields every record has; the event row says who and when already. */
export const auditNoise: ReadonlySet<string> = new Set([
  'id',
  'interviewId',
  'createdAt',
  'updatedAt',
  'createdBy',
  'authorId',
  'tokenHash',
  'codeHash',
]);

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * The changed fields between an event's `before` and `after` (objects are compared two levels deep). A side that is
 * not an object (null on creation, say) counts as empty. Keys that look the same on both sides are left out, and so
 * are bookkeeping fields (`omit`) and, on one side only (a record created or deleted), empty values.
 */
export function compactDiff(
  before: unknown,
  after: unknown,
  options: { max?: number; depth?: number; omit?: ReadonlySet<string> } = {},
): DiffRow[] {
  const depth = options.depth ?? 2;
  const omit = options.omit ?? auditNoise;
  const b = new Map<string, unknown>();
  const a = new Map<string, unknown>();
  if (isPlainObject(before)) flatten(before, '', depth, b);
  else if (before !== null && before !== undefined) b.set('', before);
  if (isPlainObject(after)) flatten(after, '', depth, a);
  else if (after !== null && after !== undefined) a.set('', after);
  const rows: DiffRow[] = [];
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  for (const key of keys) {
    const hasB = b.has(key);
    const hasA = a.has(key);
    if (hasA && hasB && JSON.stringify(a.get(key)) === JSON.stringify(b.get(key))) continue;
    if (omit.has(key.split('.').at(-1) ?? key)) continue;
    if (hasA !== hasB && isEmpty(hasA ? a.get(key) : b.get(key))) continue;
    const row: DiffRow = { path: key };
    if (hasB) row.before = auditValue(b.get(key), options.max);
    if (hasA) row.after = auditValue(a.get(key), options.max);
    rows.push(row);
  }
  return rows;
}
