// Create or edit an interview's metadata; on an existing interview also its media (uploads, processing, transcripts).
// State and API calls are in useInterviewEditor.ts; this file is the form.
import { useEffect, useRef, type FormEvent, type KeyboardEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useDocumentTitle } from '../../useDocumentTitle.js';
import { interviewEtag } from '../../lib/http.js';
import { AreaBreadcrumbs } from '../components/AreaBreadcrumbs.js';
import { StatusBadge } from '../components/Badges.js';
import { ChoiceFieldset, Field } from '../components/Field.js';
import { Problem } from '../../components/Problem.js';
import { FORM_LEVEL } from '../lib/fieldErrors.js';
import { newPersonRow, type InterviewFormState, type PersonRow } from '../lib/interviewForm.js';
import { fieldRank, idForKey, inputIdFor, labelForKey } from '../lib/interviewFields.js';
import { addKeywords, splitKeywords } from '../lib/keywords.js';
import { contributorPaths } from '../paths.js';
import { useCt } from '../i18n/index.js';
import { visibilities, type PersonRole } from '../types.js';
import { MediaSection } from '../media/MediaSection.js';
import { CurationSection } from '../curation/CurationSection.js';
import { isStaff, useSession } from '../session.js';
import { useInterviewEditor } from './useInterviewEditor.js';
import { PeopleFieldset } from './PeopleFieldset.js';

const languageSuggestions = ['de', 'nds', 'hsb', 'dsb', 'en', 'pl', 'cs', 'ru'] as const;

export function InterviewEditorRoute() {
  const { id } = useParams();
  return <InterviewEditor key={id ?? 'new'} interviewId={id ?? null} />;
}

function InterviewEditor({ interviewId }: { interviewId: string | null }) {
  const { ct } = useCt();
  const me = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const justCreated = (location.state as { created?: boolean } | null)?.created === true;
  const { state, dispatch, save, reload, refresh } = useInterviewEditor(
    interviewId,
    justCreated ? ct('form.created') : '',
  );
  const { load, form, record, media, etag, collections, errors, problem, conflict, saving, notice, focusTarget } =
    state;
  const summaryRef = useRef<HTMLDivElement>(null);

  // the "created" note is for this visit only, not for a later reload of the page
  useEffect(() => {
    if (justCreated) void navigate(location.pathname, { replace: true, state: null });
  }, [justCreated, navigate, location.pathname]);

  useDocumentTitle(
    interviewId
      ? record
        ? ct('form.titleEdit', { title: record.title })
        : ct('form.titleEditPlain')
      : ct('form.titleNew'),
  );

  // after an error or a new row, put the keyboard focus where the person has to act
  useEffect(() => {
    if (!focusTarget) return;
    const el = focusTarget === 'summary' ? summaryRef.current : document.getElementById(focusTarget);
    el?.focus();
    dispatch({ type: 'focus', target: null });
  }, [focusTarget, dispatch]);

  const setForm = (fn: (f: InterviewFormState) => InterviewFormState) => dispatch({ type: 'form', update: fn });
  const update = <K extends keyof InterviewFormState>(key: K, value: InterviewFormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const updatePerson = (key: string, name: string) =>
    setForm((f) => ({ ...f, people: f.people.map((p) => (p.key === key ? { ...p, name } : p)) }));
  const addPerson = (role: PersonRole) => {
    const row = newPersonRow(role);
    setForm((f) => ({ ...f, people: [...f.people, row] }));
    dispatch({ type: 'focus', target: inputIdFor(`people.${form.people.length}.name`) });
  };
  const removePerson = (row: PersonRow) => {
    setForm((f) => ({ ...f, people: f.people.filter((p) => p.key !== row.key) }));
    // indices of the rows after it change: their old messages no longer fit
    dispatch({ type: 'clearErrors', prefix: 'people.' });
    dispatch({ type: 'focus', target: `sb-c-add-${row.role}` });
  };

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    void save();
  };

  const onKeywordChange = (value: string) => {
    if (/[,;\n]/.test(value)) {
      const parts = value.split(/[,;\n]/);
      const rest = parts.pop() ?? '';
      setForm((f) => ({
        ...f,
        keywords: addKeywords(f.keywords, splitKeywords(parts.join(','))),
        keywordDraft: rest.trimStart(),
      }));
    } else {
      update('keywordDraft', value);
    }
  };
  const onKeywordKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      setForm((f) => ({ ...f, keywords: addKeywords(f.keywords, splitKeywords(f.keywordDraft)), keywordDraft: '' }));
    } else if (e.key === 'Backspace' && form.keywordDraft === '' && form.keywords.length > 0) {
      setForm((f) => ({ ...f, keywords: f.keywords.slice(0, -1) }));
    }
  };

  if (load.kind === 'loading') {
    return (
      <p className="sb-c-loading" role="status">
        {ct('common.loading')}
      </p>
    );
  }
  if (load.kind === 'error') {
    return (
      <section>
        <AreaBreadcrumbs current={ct('form.titleEditPlain')} />
        <h1>{load.problem.status === 404 ? ct('form.notFound') : ct('form.titleEditPlain')}</h1>
        <Problem signIn problem={load.problem} />
      </section>
    );
  }

  const fieldErrorList = Object.entries(errors)
    .filter(([k, list]) => k !== FORM_LEVEL && list.length > 0)
    .sort(([a], [b]) => fieldRank(a) - fieldRank(b));
  const err = (key: string) => errors[key];

  return (
    <section aria-labelledby="sb-c-form-title">
      <AreaBreadcrumbs current={record?.title ?? ct('form.titleNew')} />
      <div className="sb-c-page-head">
        <h1 id="sb-c-form-title">{record ? record.title : ct('form.titleNew')}</h1>
        {record && <StatusBadge status={record.status} />}
      </div>

      <p className="sb-c-live" role="status" aria-live="polite">
        {notice}
      </p>

      {conflict && (
        <div className="problem" role="alert" id="sb-c-conflict" tabIndex={-1}>
          <p className="problem-title">{ct('form.conflictTitle')}</p>
          <p>{ct('form.conflictText')}</p>
          <div className="sb-c-actions">
            <button type="button" className="sb-c-button" onClick={reload}>
              {ct('form.conflictReload')}
            </button>
            <button type="button" className="sb-c-button" onClick={() => void save(true)}>
              {ct('form.conflictOverwrite')}
            </button>
          </div>
        </div>
      )}

      {fieldErrorList.length > 0 && (
        <div className="problem" role="alert" ref={summaryRef} tabIndex={-1}>
          <p className="problem-title">{ct('form.errorSummary', { count: fieldErrorList.length })}</p>
          <ul>
            {fieldErrorList.map(([key, list]) => (
              <li key={key}>
                <a href={`#${idForKey(key, form)}`}>
                  {labelForKey(key, form, ct)}: {list.join(' ')}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {problem && <Problem signIn problem={problem} showFieldErrors={false} />}
      {errors[FORM_LEVEL] && errors[FORM_LEVEL].length > 0 && !problem && (
        <div className="problem" role="alert">
          <ul>
            {errors[FORM_LEVEL].map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}

      <form onSubmit={onSubmit} noValidate className="sb-c-form" aria-labelledby="sb-c-form-title">
        <Field id={inputIdFor('title')} label={ct('form.fields.title')} errors={err('title')}>
          {(a) => (
            <input
              {...a}
              type="text"
              required
              value={form.title}
              onChange={(e) => update('title', e.target.value)}
              maxLength={300}
            />
          )}
        </Field>

        <Field id={inputIdFor('collectionId')} label={ct('form.fields.collectionId')} errors={err('collectionId')}>
          {(a) => (
            <select {...a} value={form.collectionId} onChange={(e) => update('collectionId', e.target.value)}>
              <option value="">{ct('form.noCollection')}</option>
              {collections.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title}
                </option>
              ))}
              {form.collectionId !== '' && !collections.some((c) => c.id === form.collectionId) && (
                <option value={form.collectionId}>{ct('form.unknownCollection')}</option>
              )}
            </select>
          )}
        </Field>

        {(['narrator', 'interviewer'] as const).map((role) => (
          <PeopleFieldset
            key={role}
            role={role}
            people={form.people}
            errors={errors}
            onName={updatePerson}
            onAdd={addPerson}
            onRemove={removePerson}
          />
        ))}

        <Field
          id={inputIdFor('recordedAt')}
          label={ct('form.fields.recordedAt')}
          hint={ct('form.recordedAtHint')}
          errors={err('recordedAt')}
        >
          {(a) => (
            <input
              {...a}
              type="text"
              inputMode="numeric"
              placeholder={ct('form.recordedAtPlaceholder')}
              value={form.recordedAt}
              onChange={(e) => update('recordedAt', e.target.value)}
              className="sb-c-short"
            />
          )}
        </Field>

        <fieldset className="sb-c-fieldset">
          <legend>{ct('form.place')}</legend>
          <Field id={inputIdFor('place.name')} label={ct('form.fields.place.name')} errors={err('place.name')}>
            {(a) => (
              <input {...a} type="text" value={form.placeName} onChange={(e) => update('placeName', e.target.value)} />
            )}
          </Field>
          <div className="sb-c-row">
            <Field
              id={inputIdFor('place.lat')}
              label={ct('form.fields.place.lat')}
              hint={ct('form.latHint')}
              errors={err('place.lat')}
            >
              {(a) => (
                <input
                  {...a}
                  type="text"
                  inputMode="decimal"
                  value={form.placeLat}
                  onChange={(e) => update('placeLat', e.target.value)}
                />
              )}
            </Field>
            <Field
              id={inputIdFor('place.lon')}
              label={ct('form.fields.place.lon')}
              hint={ct('form.lonHint')}
              errors={err('place.lon')}
            >
              {(a) => (
                <input
                  {...a}
                  type="text"
                  inputMode="decimal"
                  value={form.placeLon}
                  onChange={(e) => update('placeLon', e.target.value)}
                />
              )}
            </Field>
          </div>
        </fieldset>

        <Field
          id={inputIdFor('language')}
          label={ct('form.fields.language')}
          hint={ct('form.languageHint')}
          errors={err('language')}
        >
          {(a) => (
            <>
              <input
                {...a}
                type="text"
                list="sb-c-languages"
                value={form.language}
                onChange={(e) => update('language', e.target.value)}
                className="sb-c-short"
              />
              <datalist id="sb-c-languages">
                {languageSuggestions.map((l) => (
                  <option key={l} value={l}>
                    {ct(`languages.${l}`)}
                  </option>
                ))}
              </datalist>
            </>
          )}
        </Field>

        <Field id={inputIdFor('summary')} label={ct('form.fields.summary')} errors={err('summary')}>
          {(a) => <textarea {...a} rows={5} value={form.summary} onChange={(e) => update('summary', e.target.value)} />}
        </Field>

        <Field
          id={inputIdFor('keywords')}
          label={ct('form.fields.keywords')}
          hint={ct('form.keywordsHint')}
          errors={err('keywords')}
        >
          {(a) => (
            <div className="sb-c-tag-input">
              {form.keywords.length > 0 && (
                <ul className="sb-c-tags" aria-label={ct('form.keywordList')}>
                  {form.keywords.map((k) => (
                    <li key={k}>
                      <span>{k}</span>
                      <button
                        type="button"
                        className="sb-c-tag-remove"
                        aria-label={ct('form.removeKeyword', { keyword: k })}
                        onClick={() => setForm((f) => ({ ...f, keywords: f.keywords.filter((x) => x !== k) }))}
                      >
                        ×
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              <input
                {...a}
                type="text"
                value={form.keywordDraft}
                onChange={(e) => onKeywordChange(e.target.value)}
                onKeyDown={onKeywordKey}
              />
            </div>
          )}
        </Field>

        <ChoiceFieldset id={inputIdFor('visibility')} legend={ct('form.fields.visibility')} errors={err('visibility')}>
          {visibilities.map((v) => (
            <div key={v} className="sb-c-radio">
              <input
                type="radio"
                id={`sb-c-f-visibility-${v}`}
                name="visibility"
                value={v}
                checked={form.visibility === v}
                onChange={() => update('visibility', v)}
                aria-describedby={`sb-c-vis-${v}-hint`}
              />
              <label htmlFor={`sb-c-f-visibility-${v}`}>{ct(`visibility.${v}.label`)}</label>
              <p id={`sb-c-vis-${v}-hint`} className="sb-c-hint">
                {ct(`visibility.${v}.hint`)}
              </p>
            </div>
          ))}
        </ChoiceFieldset>

        <div className="sb-c-actions">
          <button type="submit" className="sb-c-button sb-c-primary" disabled={saving} aria-busy={saving}>
            {saving ? ct('form.saving') : interviewId ? ct('form.save') : ct('form.create')}
          </button>
          <Link to={contributorPaths.home}>{ct('form.backToList')}</Link>
        </div>
      </form>

      {interviewId && record && (
        <MediaSection
          interviewId={interviewId}
          media={media}
          onMediaChange={(list) => dispatch({ type: 'media', media: list })}
        />
      )}
      {interviewId && record && isStaff(me) && (
        <CurationSection
          interviewId={interviewId}
          record={record}
          media={media}
          etag={etag}
          formVisibility={form.visibility}
          onInterviewSaved={(saved, tag) =>
            dispatch({
              type: 'loaded',
              record: saved,
              media: null,
              etag: tag ?? interviewEtag(saved.version),
              form: null,
            })
          }
          onReload={reload}
          onRefresh={refresh}
        />
      )}
    </section>
  );
}
