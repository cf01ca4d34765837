// Publication settings only curators set: embargo ("Sperrfrist"), whether a sealed interview is listed meanwhile, who
// may see a `restricted` interview (grants), and the workflow steps. Pure: the panel renders, this decides.
import type { Interview, WorkflowStatus } from '../types.js';

/**
 * Which state may follow which, so the buttons never offer what the server refuses. The client imports nothing but
 * types from the server; tests/unit/client-curator.test.tsx holds this table equal to server/interviews/workflow.ts.
 */
export const nextStatuses: Record<WorkflowStatus, readonly WorkflowStatus[]> = {
  draft: ['processing', 'ready_for_review', 'withdrawn'],
  processing: ['draft', 'ready_for_review', 'withdrawn'],
  ready_for_review: ['draft', 'in_review', 'withdrawn'],
  in_review: ['changes_requested', 'approved', 'withdrawn'],
  changes_requested: ['ready_for_review', 'in_review', 'withdrawn'],
  approved: ['in_review', 'published', 'withdrawn'],
  published: ['in_review', 'withdrawn'],
  withdrawn: [],
};

/** The steps offered as buttons; a withdrawal has its own, guarded action. */
export function statusSteps(from: WorkflowStatus): WorkflowStatus[] {
  return nextStatuses[from].filter((s) => s !== 'withdrawn');
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant as the value of <input type="datetime-local"> in the browser's time zone; '' for none. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (local time) as an ISO instant; null for empty, undefined when it is not a time. */
export function fromLocalInput(value: string): string | null | undefined {
  const v = value.trim();
  if (v === '') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(v);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(date.getTime()) || date.getMonth() !== Number(mo) - 1 || date.getDate() !== Number(d))
    return undefined;
  return date.toISOString();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `user:<uuid>` (also a bare uuid, any case) → `user:<uuid>`; null when it is not one. */
export function parseUserGrant(text: string): string | null {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/^user:\s*/, '');
  return UUID.test(t) ? `user:${t}` : null;
}

export const grantKind = (grant: string): 'user' | 'group' | 'other' =>
  grant.startsWith('user:') ? 'user' : grant.startsWith('group:') ? 'group' : 'other';
export const grantId = (grant: string) => grant.replace(/^(user|group):/, '');

export interface PublicationFormState {
  /** datetime-local value or '' */
  embargoUntil: string;
  embargoListed: boolean;
  grants: string[];
}

export function publicationForm(i: Pick<Interview, 'embargoUntil' | 'embargoListed' | 'grants'>): PublicationFormState {
  return { embargoUntil: toLocalInput(i.embargoUntil), embargoListed: i.embargoListed, grants: [...i.grants] };
}

export interface PublicationPatch {
  embargoUntil?: string | null;
  embargoListed?: boolean;
  grants?: string[];
}

/**
 * Only what changed against the saved interview (the server audits every field sent). `problem` is an i18n key
 * under `publication.errors` when the embargo is not a time.
 */
export function buildPublicationPatch(
  form: PublicationFormState,
  saved: Pick<Interview, 'embargoUntil' | 'embargoListed' | 'grants'>,
): { patch: PublicationPatch; problem: 'embargoFormat' | null } {
  const patch: PublicationPatch = {};
  const embargo = fromLocalInput(form.embargoUntil);
  if (embargo === undefined) return { patch, problem: 'embargoFormat' };
  const savedEmbargo = saved.embargoUntil ? new Date(saved.embargoUntil).toISOString() : null;
  // the input has minutes only: an unchanged input must not move a saved embargo by its seconds
  if (embargo !== savedEmbargo && form.embargoUntil !== toLocalInput(saved.embargoUntil)) patch.embargoUntil = embargo;
  if (form.embargoListed !== saved.embargoListed) patch.embargoListed = form.embargoListed;
  const grants = [...new Set(form.grants)];
  if (grants.length !== saved.grants.length || grants.some((g) => !saved.grants.includes(g))) patch.grants = grants;
  return { patch, problem: null };
}

export const hasChanges = (patch: PublicationPatch) => Object.keys(patch).length > 0;

/** The withdrawal is confirmed by typing this word (any case, surrounding spaces ignored). */
export function confirmsWord(typed: string, word: string): boolean {
  return typed.trim().toLocaleLowerCase('de') === word.trim().toLocaleLowerCase('de');
}
