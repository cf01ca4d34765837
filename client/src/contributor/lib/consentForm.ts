// A narrator's consent record: what the form edits, what the form can already tell is wrong, the JSON the API takes
// (POST/PUT /api/interviews/:id/consents, also as the `record` field of a multipart form with the scan), and where
// the API's field errors belong.
import {
  consentMethods,
  consentScopes,
  withdrawalPolicies,
  type ConsentMethod,
  type ConsentRecord,
  type ConsentScope,
  type WithdrawalPolicy,
} from '../types.js';
import { FORM_LEVEL } from './fieldErrors.js';

export interface ConsentFormState {
  narrator: string;
  scope: ConsentScope[];
  /** YYYY-MM-DD (input type=date). */
  givenOn: string;
  method: ConsentMethod | '';
  /** YYYY-MM-DD or '' for none. */
  embargoUntil: string;
  onWithdrawal: WithdrawalPolicy;
  notes: string;
  /** On an update without a new file: keep the previous version's scan. */
  keepScan: boolean;
}

export interface ConsentPayload {
  narrator: string;
  scope: ConsentScope[];
  givenOn: string;
  method: ConsentMethod;
  embargoUntil: string | null;
  onWithdrawal: WithdrawalPolicy;
  notes: string | null;
  keepScan?: boolean;
}

/** The form's own findings, as i18n keys under `consent.errors`, per form field. */
export type ConsentProblem =
  | 'narratorRequired'
  | 'scopeRequired'
  | 'dateRequired'
  | 'dateFormat'
  | 'dateFuture'
  | 'methodRequired'
  | 'embargoFormat'
  | 'scanType'
  | 'scanSize';
export type ConsentProblems = Partial<Record<ConsentField, ConsentProblem>>;

export const consentFields = [
  'narrator',
  'scope',
  'givenOn',
  'method',
  'embargoUntil',
  'onWithdrawal',
  'notes',
  'scan',
] as const;
export type ConsentField = (typeof consentFields)[number];

/** What the server accepts as a scan (it checks the bytes again); 20 MB like SCAN_MAX_BYTES. */
export const SCAN_MAX_BYTES = 20 * 1024 * 1024;
export const SCAN_ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';

export function emptyConsentForm(narrator = ''): ConsentFormState {
  return {
    narrator,
    scope: [],
    givenOn: '',
    method: '',
    embargoUntil: '',
    onWithdrawal: 'keep_archive',
    notes: '',
    keepScan: true,
  };
}

/** An ISO instant or day as the YYYY-MM-DD a date input shows (UTC day: the server stores day embargoes at 00:00Z). */
export function isoDay(value: string | null): string {
  if (!value) return '';
  return /^\d{4}-\d{2}-\d{2}/.exec(value)?.[0] ?? '';
}

export function formFromConsent(record: ConsentRecord): ConsentFormState {
  return {
    narrator: record.narrator,
    scope: consentScopes.filter((s) => record.scope.includes(s)),
    givenOn: isoDay(record.givenOn),
    method: record.method,
    embargoUntil: isoDay(record.embargoUntil),
    onWithdrawal: record.onWithdrawal,
    notes: record.notes ?? '',
    keepScan: true,
  };
}

export function toggleScope(scope: readonly ConsentScope[], value: ConsentScope, on: boolean): ConsentScope[] {
  const set = new Set(scope);
  if (on) set.add(value);
  else set.delete(value);
  // always in the order of the form
  return consentScopes.filter((s) => set.has(s));
}

function realDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/** The scan's own problem (type by MIME or name, size), or null. */
export function checkScan(file: { name: string; type: string; size: number } | null): ConsentProblem | null {
  if (!file) return null;
  const okType =
    ['application/pdf', 'image/jpeg', 'image/png'].includes(file.type) || /\.(pdf|jpe?g|png)$/i.test(file.name);
  if (!okType) return 'scanType';
  if (file.size > SCAN_MAX_BYTES) return 'scanSize';
  return null;
}

export interface BuiltConsent {
  payload: ConsentPayload;
  problems: ConsentProblems;
}

/**
 * The JSON to send plus what is already wrong. `update`: an edit of an existing record (sends keepScan).
 * `today` decides what counts as the future (one day of slack, as the server allows for time zones).
 */
export function buildConsentPayload(
  form: ConsentFormState,
  options: { update?: boolean; scan?: { name: string; type: string; size: number } | null; today?: Date } = {},
): BuiltConsent {
  const problems: ConsentProblems = {};
  const narrator = form.narrator.trim();
  if (narrator === '') problems.narrator = 'narratorRequired';
  const scope = consentScopes.filter((s) => form.scope.includes(s));
  if (scope.length === 0) problems.scope = 'scopeRequired';
  const givenOn = form.givenOn.trim();
  const tomorrow = new Date((options.today ?? new Date()).getTime() + 86_400_000).toISOString().slice(0, 10);
  if (givenOn === '') problems.givenOn = 'dateRequired';
  else if (!realDay(givenOn)) problems.givenOn = 'dateFormat';
  else if (givenOn > tomorrow) problems.givenOn = 'dateFuture';
  if (form.method === '' || !consentMethods.includes(form.method)) problems.method = 'methodRequired';
  const embargoUntil = form.embargoUntil.trim();
  if (embargoUntil !== '' && !realDay(embargoUntil)) problems.embargoUntil = 'embargoFormat';
  const scanProblem = checkScan(options.scan ?? null);
  if (scanProblem) problems.scan = scanProblem;
  const notes = form.notes.trim();
  const payload: ConsentPayload = {
    narrator,
    scope,
    givenOn,
    method: (form.method || 'signed_form') as ConsentMethod,
    embargoUntil: embargoUntil === '' ? null : embargoUntil,
    onWithdrawal: withdrawalPolicies.includes(form.onWithdrawal) ? form.onWithdrawal : 'keep_archive',
    notes: notes === '' ? null : notes,
  };
  if (options.update) payload.keepScan = form.keepScan;
  return { payload, problems };
}

/**
 * The form field an API error path belongs to: `body.scope.0`, or for multipart `body.record.narrator`; the scan is
 * `body.scan` or `body.file`.
 */
export function consentFieldKey(apiField: string): string {
  const path = apiField.replace(/^body\.?/, '').replace(/^record\.?/, '');
  const head = path.split('.')[0] ?? '';
  if (head === 'scan' || head === 'file') return 'scan';
  return (consentFields as readonly string[]).includes(head) ? head : FORM_LEVEL;
}

/** The multipart body: the record as JSON first, then the file (field names as the server expects). */
export function consentFormData(payload: ConsentPayload, file: File | Blob, filename?: string): FormData {
  const data = new FormData();
  data.append('record', JSON.stringify(payload));
  if (filename !== undefined) data.append('file', file, filename);
  else data.append('file', file);
  return data;
}

/** Which scopes a visibility needs (server/interviews/publication.ts scopeForVisibility), for hints. */
export const scopeForVisibility = {
  public: 'public_web',
  registered: 'research',
  restricted: 'research',
  private: 'archive',
} as const satisfies Record<string, ConsentScope>;
