// Record a narrator's consent, or change one (a change is a new version; the old one stays). With a scan of the signed
// form the record goes as multipart/form-data (field `record` = JSON, field `file` = the scan), else as JSON.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { type ApiProblem, asProblem, interviewEtag, request } from '../../lib/http.js';
import { ChoiceFieldset, Field } from '../components/Field.js';
import { Problem } from '../../components/Problem.js';
import {
  buildConsentPayload,
  consentFieldKey,
  consentFields,
  consentFormData,
  emptyConsentForm,
  formFromConsent,
  SCAN_ACCEPT,
  toggleScope,
  type ConsentField,
  type ConsentFormState,
} from '../lib/consentForm.js';
import { FORM_LEVEL, groupFieldErrors, hasErrors, type FieldErrors } from '../lib/fieldErrors.js';
import { useCt, type CKey, type CT } from '../i18n/index.js';
import { consentMethods, consentScopes, withdrawalPolicies, type ConsentRecord } from '../types.js';

export const consentInputId = (field: ConsentField | string) => `sb-c-consent-${field}`;

interface Props {
  interviewId: string;
  /** The record to change; absent for a new one. */
  initial?: ConsentRecord;
  /** Names of the interview's narrators, offered in the name field. */
  narrators: string[];
  onSaved: (record: ConsentRecord) => void;
  onCancel: () => void;
  /** After a 412: load the current version again. */
  onStale: () => void;
}

export function ConsentForm({ interviewId, initial, narrators, onSaved, onCancel, onStale }: Props) {
  const { ct } = useCt();
  const [form, setForm] = useState<ConsentFormState>(() =>
    initial ? formFromConsent(initial) : emptyConsentForm(narrators.length === 1 ? narrators[0] : ''),
  );
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [stale, setStale] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const staleRef = useRef<HTMLDivElement>(null);
  const [focus, setFocus] = useState<'summary' | 'stale' | null>(null);

  useEffect(() => {
    if (focus === 'summary') summaryRef.current?.focus();
    if (focus === 'stale') staleRef.current?.focus();
    if (focus) setFocus(null);
  }, [focus]);

  const update = <K extends keyof ConsentFormState>(key: K, value: ConsentFormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setProblem(null);
    setStale(null);
    const built = buildConsentPayload(form, { update: Boolean(initial), scan: file });
    const own: FieldErrors = {};
    for (const [field, key] of Object.entries(built.problems)) own[field] = [ct(`consent.errors.${key}` as CKey)];
    if (hasErrors(own)) {
      setErrors(own);
      setFocus('summary');
      return;
    }
    setSaving(true);
    const base = `/api/interviews/${encodeURIComponent(interviewId)}/consents`;
    const path = initial ? `${base}/${encodeURIComponent(initial.id)}` : base;
    const method = initial ? 'PUT' : 'POST';
    const ifMatch = initial ? interviewEtag(initial.version) : null;
    try {
      const { data } = file
        ? await request<ConsentRecord>(method, path, { form: consentFormData(built.payload, file, file.name), ifMatch })
        : await request<ConsentRecord>(method, path, { json: built.payload, ifMatch });
      setErrors({});
      onSaved(data);
    } catch (err) {
      const p = asProblem(err);
      if (p.status === 412) {
        const current = p.problem.currentVersion;
        setStale(typeof current === 'number' ? current : 0);
        setFocus('stale');
      } else if (p.problem.errors && p.problem.errors.length > 0) {
        const grouped = groupFieldErrors(p.problem.errors, consentFieldKey);
        const onFields = Object.keys(grouped).some((k) => k !== FORM_LEVEL);
        setErrors(grouped);
        if (onFields) setFocus('summary');
        // the detail (e.g. "the scan must be a complete PDF") belongs above the form too
        if (!onFields || p.problem.detail) setProblem(p);
      } else {
        setProblem(p);
      }
    } finally {
      setSaving(false);
    }
  };

  const err = (field: ConsentField) => errors[field];
  const fieldErrorList = consentFields.filter((f) => (errors[f]?.length ?? 0) > 0);
  const titleId = 'sb-c-consent-form-title';

  return (
    <form className="sb-c-form sb-c-card" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby={titleId}>
      <h4 id={titleId} className="sb-c-card-title">
        {initial
          ? ct('consent.editTitle', { narrator: initial.narrator, version: initial.version + 1 })
          : ct('consent.newTitle')}
      </h4>
      {stale !== null && (
        <div className="problem" role="alert" ref={staleRef} tabIndex={-1}>
          <p className="problem-title">{ct('consent.staleTitle')}</p>
          <p>{stale > 0 ? ct('consent.staleTextVersion', { version: stale }) : ct('consent.staleText')}</p>
          <button type="button" className="sb-c-button" onClick={onStale}>
            {ct('consent.staleReload')}
          </button>
        </div>
      )}
      {fieldErrorList.length > 0 && (
        <div className="problem" role="alert" ref={summaryRef} tabIndex={-1}>
          <p className="problem-title">{ct('form.errorSummary', { count: fieldErrorList.length })}</p>
          <ul>
            {fieldErrorList.map((f) => (
              <li key={f}>
                <a href={`#${firstInputOf(f, form)}`}>
                  {labelOf(f, ct)}: {errors[f]!.join(' ')}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {problem && <Problem signIn problem={problem} showFieldErrors={false} />}
      {errors[FORM_LEVEL] && errors[FORM_LEVEL].length > 0 && (
        <div className="problem" role="alert">
          <ul>
            {errors[FORM_LEVEL].map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}

      <Field id={consentInputId('narrator')} label={ct('consent.narrator')} errors={err('narrator')}>
        {(a) => (
          <>
            <input
              {...a}
              type="text"
              autoComplete="off"
              list="sb-c-consent-narrators"
              value={form.narrator}
              onChange={(e) => update('narrator', e.target.value)}
              maxLength={200}
            />
            <datalist id="sb-c-consent-narrators">
              {narrators.map((n) => (
                <option key={n} value={n} />
              ))}
            </datalist>
          </>
        )}
      </Field>

      <ChoiceFieldset
        id={consentInputId('scope')}
        legend={ct('consent.scope')}
        hint={ct('consent.scopeHint')}
        errors={err('scope')}
      >
        {consentScopes.map((s) => (
          <div key={s} className="sb-c-checkbox">
            <input
              type="checkbox"
              id={consentInputId(`scope-${s}`)}
              checked={form.scope.includes(s)}
              onChange={(e) => update('scope', toggleScope(form.scope, s, e.target.checked))}
            />
            <label htmlFor={consentInputId(`scope-${s}`)}>{ct(`consent.scopes.${s}`)}</label>
          </div>
        ))}
      </ChoiceFieldset>

      <div className="sb-c-row">
        <Field id={consentInputId('givenOn')} label={ct('consent.givenOn')} errors={err('givenOn')}>
          {(a) => (
            <input
              {...a}
              type="date"
              value={form.givenOn}
              onChange={(e) => update('givenOn', e.target.value)}
              className="sb-c-short"
            />
          )}
        </Field>
        <Field
          id={consentInputId('embargoUntil')}
          label={ct('consent.embargoUntil')}
          hint={ct('consent.embargoHint')}
          errors={err('embargoUntil')}
        >
          {(a) => (
            <input
              {...a}
              type="date"
              value={form.embargoUntil}
              onChange={(e) => update('embargoUntil', e.target.value)}
              className="sb-c-short"
            />
          )}
        </Field>
      </div>

      <ChoiceFieldset id={consentInputId('method')} legend={ct('consent.method')} errors={err('method')}>
        {consentMethods.map((m) => (
          <div key={m} className="sb-c-radio">
            <input
              type="radio"
              id={consentInputId(`method-${m}`)}
              name="sb-c-consent-method"
              value={m}
              checked={form.method === m}
              onChange={() => update('method', m)}
            />
            <label htmlFor={consentInputId(`method-${m}`)}>{ct(`consent.methods.${m}`)}</label>
          </div>
        ))}
      </ChoiceFieldset>

      <ChoiceFieldset
        id={consentInputId('onWithdrawal')}
        legend={ct('consent.onWithdrawal')}
        errors={err('onWithdrawal')}
      >
        {withdrawalPolicies.map((w) => (
          <div key={w} className="sb-c-radio">
            <input
              type="radio"
              id={consentInputId(`onWithdrawal-${w}`)}
              name="sb-c-consent-withdrawal"
              value={w}
              checked={form.onWithdrawal === w}
              onChange={() => update('onWithdrawal', w)}
            />
            <label htmlFor={consentInputId(`onWithdrawal-${w}`)}>{ct(`consent.withdrawal.${w}`)}</label>
          </div>
        ))}
      </ChoiceFieldset>

      <Field id={consentInputId('notes')} label={ct('consent.notes')} errors={err('notes')}>
        {(a) => (
          <textarea
            {...a}
            rows={3}
            value={form.notes}
            onChange={(e) => update('notes', e.target.value)}
            maxLength={5000}
          />
        )}
      </Field>

      <Field id={consentInputId('scan')} label={ct('consent.scan')} hint={ct('consent.scanHint')} errors={err('scan')}>
        {(a) => (
          <input {...a} type="file" accept={SCAN_ACCEPT} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        )}
      </Field>
      {initial?.scan && !file && (
        <div className="sb-c-checkbox">
          <input
            type="checkbox"
            id={consentInputId('keepScan')}
            checked={form.keepScan}
            onChange={(e) => update('keepScan', e.target.checked)}
          />
          <label htmlFor={consentInputId('keepScan')}>
            {ct('consent.keepScan', { name: initial.scan.filename || ct('consent.scanUnnamed') })}
          </label>
        </div>
      )}

      <div className="sb-c-actions">
        <button type="submit" className="sb-c-button sb-c-primary" disabled={saving} aria-busy={saving}>
          {saving ? ct('form.saving') : initial ? ct('consent.saveVersion') : ct('consent.save')}
        </button>
        <button type="button" className="sb-c-button sb-c-quiet" onClick={onCancel}>
          {ct('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Where a summary link jumps: the field's input, or the first box/radio of a group. */
function firstInputOf(field: ConsentField, form: ConsentFormState): string {
  if (field === 'scope') return consentInputId(`scope-${form.scope[0] ?? consentScopes[0]}`);
  if (field === 'method') return consentInputId(`method-${form.method || consentMethods[0]}`);
  if (field === 'onWithdrawal') return consentInputId(`onWithdrawal-${form.onWithdrawal}`);
  return consentInputId(field);
}

function labelOf(field: ConsentField, ct: CT): string {
  const labels: Record<ConsentField, CKey> = {
    narrator: 'consent.narrator',
    scope: 'consent.scope',
    givenOn: 'consent.givenOn',
    method: 'consent.method',
    embargoUntil: 'consent.embargoUntil',
    onWithdrawal: 'consent.onWithdrawal',
    notes: 'consent.notes',
    scan: 'consent.scan',
  };
  return ct(labels[field]);
}
