// Veröffentlichung (curators and admins): the workflow steps up to publishing (which needs a consent covering the
// visibility), the embargo, whether a sealed interview is listed meanwhile, who may see a `restricted` interview, and
// the withdrawal on the narrator's behalf.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { type ApiProblem, asProblem, problemSlug, request } from '../../lib/http.js';
import { useGroups } from './useGroups.js';
import { StatusBadge } from '../components/Badges.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Field } from '../components/Field.js';
import { Problem } from '../../components/Problem.js';
import { formatDateTime } from '../lib/dates.js';
import { FORM_LEVEL, groupFieldErrors, type FieldErrors } from '../lib/fieldErrors.js';
import {
  buildPublicationPatch,
  confirmsWord,
  grantId,
  grantKind,
  hasChanges,
  parseUserGrant,
  publicationForm,
  statusSteps,
  type PublicationFormState,
  type PublicationPatch,
} from '../lib/publication.js';
import { useCt, type CKey } from '../i18n/index.js';
import type { ConsentScope, Interview, Visibility, WorkflowStatus } from '../types.js';

interface Props {
  interviewId: string;
  record: Interview;
  etag: string | null;
  /** The visibility chosen in the form above (maybe not saved yet). */
  formVisibility: Visibility;
  onSaved: (interview: Interview, etag: string | null) => void;
  /** After a 412: load the interview again. */
  onReload: () => void;
}

/** API field → where the panel shows it. */
export function publicationFieldKey(apiField: string): string {
  const head = apiField.replace(/^body\.?/, '').split('.')[0] ?? '';
  if (
    head === 'grants' ||
    head === 'embargoUntil' ||
    head === 'embargoListed' ||
    head === 'reason' ||
    head === 'status'
  )
    return head;
  return FORM_LEVEL;
}

export function PublicationPanel({ interviewId, record, etag, formVisibility, onSaved, onReload }: Props) {
  const { ct, lang } = useCt();
  const [form, setForm] = useState<PublicationFormState>(() => publicationForm(record));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [consentProblem, setConsentProblem] = useState<ApiProblem | null>(null);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const [userDraft, setUserDraft] = useState('');
  const [userDraftError, setUserDraftError] = useState<string | null>(null);
  const [withdrawing, setWithdrawing] = useState(false);
  const [withdrawReason, setWithdrawReason] = useState('');
  const [withdrawWord, setWithdrawWord] = useState('');
  const consentRef = useRef<HTMLDivElement>(null);
  const conflictRef = useRef<HTMLDivElement>(null);
  const reasonId = useId();
  const wordId = useId();

  // a new version of the record (saved here or above, or reloaded) resets the settings to what is saved
  useEffect(() => {
    setForm(publicationForm(record));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new version resets the form, not every render's record object
  }, [record.version, record.id]);

  const restricted = formVisibility === 'restricted' || record.visibility === 'restricted';
  const groups = useGroups(restricted);

  useEffect(() => {
    if (consentProblem) consentRef.current?.focus();
  }, [consentProblem]);
  useEffect(() => {
    if (conflict) conflictRef.current?.focus();
  }, [conflict]);

  const patch = async (
    body: PublicationPatch & { status?: WorkflowStatus; reason?: string },
    done: (saved: Interview) => string,
  ) => {
    setBusy(true);
    setProblem(null);
    setConsentProblem(null);
    setConflict(false);
    setNotice('');
    try {
      const { data, etag: tag } = await request<Interview>(
        'PATCH',
        `/api/interviews/${encodeURIComponent(interviewId)}`,
        { json: body, ifMatch: etag },
      );
      setErrors({});
      onSaved(data, tag);
      setNotice(done(data));
    } catch (err) {
      const p = asProblem(err);
      if (p.status === 412) setConflict(true);
      else if (problemSlug(p) === 'consent-required') setConsentProblem(p);
      else {
        if (p.problem.errors?.length) setErrors(groupFieldErrors(p.problem.errors, publicationFieldKey));
        setProblem(p);
      }
    } finally {
      setBusy(false);
    }
  };

  const step = (to: WorkflowStatus) =>
    void patch({ status: to }, (saved) => {
      if (to === 'published' && saved.status === 'approved' && saved.embargoUntil) {
        return ct('publication.waitsForEmbargo', { date: formatDateTime(saved.embargoUntil, lang) });
      }
      return ct('publication.statusChanged', { status: ct(`status.${saved.status}`) });
    });

  const saveSettings = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const built = buildPublicationPatch(form, record);
    if (built.problem) {
      setErrors({ embargoUntil: [ct(`publication.errors.${built.problem}`)] });
      document.getElementById('sb-c-pub-embargo')?.focus();
      return;
    }
    setErrors({});
    if (!hasChanges(built.patch)) {
      setNotice(ct('publication.nothingChanged'));
      return;
    }
    void patch(built.patch, () => ct('publication.saved'));
  };

  const addUser = () => {
    const grant = parseUserGrant(userDraft);
    if (!grant) {
      setUserDraftError(ct('publication.errors.userGrant'));
      document.getElementById('sb-c-pub-user')?.focus();
      return;
    }
    setUserDraftError(null);
    setUserDraft('');
    setForm((f) => (f.grants.includes(grant) ? f : { ...f, grants: [...f.grants, grant] }));
  };
  const removeGrant = (grant: string) => setForm((f) => ({ ...f, grants: f.grants.filter((g) => g !== grant) }));
  const toggleGroup = (id: string, on: boolean) =>
    setForm((f) => ({
      ...f,
      grants: on ? [...new Set([...f.grants, `group:${id}`])] : f.grants.filter((g) => g !== `group:${id}`),
    }));

  const knownGroups = groups.kind === 'ready' ? groups.groups : [];
  const otherGrants = form.grants.filter(
    (g) => grantKind(g) !== 'group' || !knownGroups.some((k) => k.id === grantId(g)),
  );
  const steps = statusSteps(record.status);
  const withdrawWordText = ct('publication.withdrawWord');
  const neededScope = consentProblem?.problem.neededScope;

  return (
    <section aria-labelledby="sb-c-publication-title" id="sb-c-publication" className="sb-c-subsection">
      <h3 id="sb-c-publication-title">{ct('publication.title')}</h3>
      <p>
        {ct('publication.current')} <StatusBadge status={record.status} /> ·{' '}
        {ct(`visibility.${record.visibility}.label`)}
        {record.embargoUntil && (
          <> · {ct('publication.embargoShort', { date: formatDateTime(record.embargoUntil, lang) })}</>
        )}
      </p>
      {formVisibility !== record.visibility && (
        <p className="sb-c-notice-warn">{ct('publication.unsavedVisibility')}</p>
      )}
      <p className="sb-c-live" role="status" aria-live="polite">
        {notice}
      </p>

      {conflict && (
        <div className="problem" role="alert" ref={conflictRef} tabIndex={-1}>
          <p className="problem-title">{ct('form.conflictTitle')}</p>
          <p>{ct('publication.conflictText')}</p>
          <button
            type="button"
            className="sb-c-button"
            onClick={() => {
              setConflict(false);
              onReload();
            }}
          >
            {ct('form.conflictReload')}
          </button>
        </div>
      )}
      {consentProblem && (
        <div className="problem" role="alert" ref={consentRef} tabIndex={-1} data-testid="consent-required">
          <p className="problem-title">{ct('publication.consentRequired')}</p>
          {consentProblem.problem.detail && <p>{consentProblem.problem.detail}</p>}
          {typeof neededScope === 'string' && (
            <p>
              {ct('publication.neededScope', { scope: ct(`consent.scopes.${neededScope as ConsentScope}` as CKey) })}
            </p>
          )}
          <p>
            <a href="#sb-c-consents">{ct('publication.toConsents')}</a>
          </p>
        </div>
      )}
      {problem && <Problem signIn problem={problem} />}

      {record.status === 'withdrawn' ? (
        <p>{ct('publication.isWithdrawn')}</p>
      ) : (
        <>
          <h4>{ct('publication.steps')}</h4>
          {steps.length === 0 ? (
            <p>{ct('publication.noSteps')}</p>
          ) : (
            <div className="sb-c-actions">
              {steps.map((s) => (
                <button
                  key={s}
                  type="button"
                  className={`sb-c-button${s === 'published' ? ' sb-c-primary' : ''}`}
                  disabled={busy}
                  onClick={() => step(s)}
                >
                  {ct(`publication.stepTo.${s}` as CKey)}
                </button>
              ))}
            </div>
          )}
          {steps.includes('published') && <p className="sb-c-hint">{ct('publication.publishHint')}</p>}

          <form className="sb-c-form" onSubmit={saveSettings} noValidate aria-labelledby="sb-c-pub-settings-title">
            <h4 id="sb-c-pub-settings-title">{ct('publication.settings')}</h4>
            <fieldset className="sb-c-fieldset">
              <legend>{ct('publication.embargo')}</legend>
              <Field
                id="sb-c-pub-embargo"
                label={ct('publication.embargoUntil')}
                hint={ct('publication.embargoHint')}
                errors={errors.embargoUntil}
              >
                {(a) => (
                  <input
                    {...a}
                    type="datetime-local"
                    value={form.embargoUntil}
                    onChange={(e) => setForm((f) => ({ ...f, embargoUntil: e.target.value }))}
                    className="sb-c-short"
                  />
                )}
              </Field>
              {form.embargoUntil !== '' && (
                <button
                  type="button"
                  className="sb-c-button sb-c-quiet"
                  onClick={() => setForm((f) => ({ ...f, embargoUntil: '' }))}
                >
                  {ct('publication.clearEmbargo')}
                </button>
              )}
              <div className="sb-c-checkbox">
                <input
                  type="checkbox"
                  id="sb-c-pub-listed"
                  checked={form.embargoListed}
                  onChange={(e) => setForm((f) => ({ ...f, embargoListed: e.target.checked }))}
                  aria-describedby="sb-c-pub-listed-hint"
                />
                <label htmlFor="sb-c-pub-listed">{ct('publication.listed')}</label>
              </div>
              <p id="sb-c-pub-listed-hint" className="sb-c-hint">
                {ct('publication.listedHint')}
              </p>
            </fieldset>

            {restricted && (
              <fieldset
                className="sb-c-fieldset"
                aria-describedby={errors.grants ? 'sb-c-pub-grants-error' : 'sb-c-pub-grants-hint'}
              >
                <legend>{ct('publication.grants')}</legend>
                <p id="sb-c-pub-grants-hint" className="sb-c-hint">
                  {ct('publication.grantsHint')}
                </p>
                {errors.grants && (
                  <p id="sb-c-pub-grants-error" className="sb-c-field-error">
                    {errors.grants.join(' ')}
                  </p>
                )}
                <h5>{ct('publication.groups')}</h5>
                {groups.kind === 'loading' && <p className="sb-c-loading">{ct('common.loading')}</p>}
                {groups.kind === 'forbidden' && <p className="sb-c-hint">{ct('publication.groupsForbidden')}</p>}
                {groups.kind === 'error' && <Problem signIn problem={groups.problem} />}
                {groups.kind === 'ready' && groups.groups.length === 0 && <p>{ct('publication.noGroups')}</p>}
                {knownGroups.map((g) => (
                  <div key={g.id} className="sb-c-checkbox">
                    <input
                      type="checkbox"
                      id={`sb-c-pub-group-${g.id}`}
                      checked={form.grants.includes(`group:${g.id}`)}
                      onChange={(e) => toggleGroup(g.id, e.target.checked)}
                    />
                    <label htmlFor={`sb-c-pub-group-${g.id}`}>
                      {ct('publication.groupLabel', { name: g.name, count: g.members.length })}
                    </label>
                  </div>
                ))}
                <h5>{ct('publication.otherGrants')}</h5>
                {otherGrants.length === 0 ? (
                  <p className="sb-c-hint">{ct('publication.noOtherGrants')}</p>
                ) : (
                  <ul className="sb-c-grant-list">
                    {otherGrants.map((g) => (
                      <li key={g}>
                        <code>{grantKind(g) === 'group' ? ct('publication.groupGrant', { id: grantId(g) }) : g}</code>
                        <button
                          type="button"
                          className="sb-c-button sb-c-quiet"
                          onClick={() => removeGrant(g)}
                          aria-label={ct('publication.removeGrant', { grant: g })}
                        >
                          {ct('form.remove')}
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
                <div className="sb-c-person-row">
                  <Field
                    id="sb-c-pub-user"
                    label={ct('publication.addUser')}
                    hint={ct('publication.addUserHint')}
                    errors={userDraftError ? [userDraftError] : undefined}
                  >
                    {(a) => (
                      <input
                        {...a}
                        type="text"
                        autoComplete="off"
                        spellCheck={false}
                        value={userDraft}
                        placeholder="user:00000000-0000-0000-0000-000000000000"
                        onChange={(e) => setUserDraft(e.target.value)}
                        onKeyDown={(e) => {
                          if (e.key === 'Enter') {
                            e.preventDefault();
                            addUser();
                          }
                        }}
                      />
                    )}
                  </Field>
                  <button type="button" className="sb-c-button" onClick={addUser}>
                    {ct('publication.add')}
                  </button>
                </div>
              </fieldset>
            )}
            <button type="submit" className="sb-c-button sb-c-primary" disabled={busy} aria-busy={busy}>
              {ct('publication.save')}
            </button>
          </form>

          <div className="sb-c-danger-zone">
            <h4>{ct('publication.withdrawTitle')}</h4>
            <p>{ct('publication.withdrawIntro')}</p>
            <button
              type="button"
              className="sb-c-button sb-c-danger"
              disabled={busy}
              onClick={() => {
                setWithdrawReason('');
                setWithdrawWord('');
                setWithdrawing(true);
              }}
            >
              {ct('publication.withdraw')}
            </button>
          </div>
          <ConfirmDialog
            open={withdrawing}
            title={ct('publication.withdrawConfirmTitle', { title: record.title })}
            confirmLabel={ct('publication.withdrawConfirm')}
            cancelLabel={ct('common.cancel')}
            danger
            confirmDisabled={withdrawReason.trim() === '' || !confirmsWord(withdrawWord, withdrawWordText)}
            onConfirm={() => {
              const reason = withdrawReason.trim();
              if (reason === '' || !confirmsWord(withdrawWord, withdrawWordText)) return;
              setWithdrawing(false);
              void patch({ status: 'withdrawn', reason }, () => ct('publication.withdrawn'));
            }}
            onCancel={() => setWithdrawing(false)}
          >
            <p>{ct('publication.withdrawText1')}</p>
            <p>{ct('publication.withdrawText2')}</p>
            <div className="sb-c-field">
              <label htmlFor={reasonId}>{ct('publication.withdrawReason')}</label>
              <textarea
                id={reasonId}
                rows={3}
                value={withdrawReason}
                onChange={(e) => setWithdrawReason(e.target.value)}
                maxLength={2000}
                required
              />
            </div>
            <div className="sb-c-field">
              <label htmlFor={wordId}>{ct('publication.withdrawType', { word: withdrawWordText })}</label>
              <input
                id={wordId}
                type="text"
                autoComplete="off"
                value={withdrawWord}
                onChange={(e) => setWithdrawWord(e.target.value)}
              />
            </div>
          </ConfirmDialog>
        </>
      )}
    </section>
  );
}
