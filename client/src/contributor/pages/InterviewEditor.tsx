// Create or edit an interview's metadata; on an existing interview also its media (uploads, processing, transcripts).
import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { type ApiProblem, asProblem, interviewEtag, isAbort, request } from '../../lib/http.js';
import { useDocumentTitle } from '../../useDocumentTitle.js';
import { StatusBadge } from '../components/Badges.js';
import { Field } from '../components/Field.js';
import { ProblemNotice } from '../components/ProblemNotice.js';
import { FORM_LEVEL, groupFieldErrors, hasErrors, interviewFieldKey, type FieldErrors } from '../lib/fieldErrors.js';
import {
  buildInterviewPayload, emptyForm, formFromInterview, newPersonRow, type InterviewFormState, type PersonRow,
} from '../lib/interviewForm.js';
import { addKeywords, splitKeywords } from '../lib/keywords.js';
import { contributorPaths } from '../paths.js';
import { useCt, type CKey } from '../texts.js';
import { visibilities, type Collection, type Interview, type InterviewWithMedia, type Medium, type Paged, type PersonRole } from '../types.js';
import { MediaSection } from '../media/MediaSection.js';
import { CurationSection } from '../curation/CurationSection.js';
import { isStaff, useSession } from '../session.js';

/** Form field key → input id (`people.2.name` → `sb-c-f-people-2-name`). */
export const inputIdFor = (key: string) => `sb-c-f-${key.replace(/\./g, '-')}`;

const languageSuggestions = ['de', 'nds', 'hsb', 'dsb', 'en', 'pl', 'cs', 'ru'] as const;

export function InterviewEditorRoute() {
  const { id } = useParams();
  return <InterviewEditor key={id ?? 'new'} interviewId={id ?? null} />;
}

type Load = { kind: 'loading' } | { kind: 'error'; problem: ApiProblem } | { kind: 'ready' };

function InterviewEditor({ interviewId }: { interviewId: string | null }) {
  const { ct, lang } = useCt();
  const me = useSession();
  // the language only decides how coordinates are written when a record is loaded; switching it must not reload
  const langRef = useRef(lang);
  langRef.current = lang;
  const navigate = useNavigate();
  const location = useLocation();
  const justCreated = (location.state as { created?: boolean } | null)?.created === true;
  const [load, setLoad] = useState<Load>(interviewId ? { kind: 'loading' } : { kind: 'ready' });
  const [form, setForm] = useState<InterviewFormState>(emptyForm);
  const [record, setRecord] = useState<Interview | null>(null);
  const [media, setMedia] = useState<Medium[]>([]);
  const [etag, setEtag] = useState<string | null>(null);
  const [collections, setCollections] = useState<Collection[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<string>(justCreated ? ct('form.created') : '');
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);

  // the "created" note is for this visit only, not for a later reload of the page
  useEffect(() => {
    if (justCreated) void navigate(location.pathname, { replace: true, state: null });
  }, [justCreated, navigate, location.pathname]);

  useDocumentTitle(interviewId ? (record ? ct('form.titleEdit', { title: record.title }) : ct('form.titleEditPlain')) : ct('form.titleNew'));

  const loadInterview = useCallback(
    (signal?: AbortSignal) => {
      if (!interviewId) return Promise.resolve();
      return request<InterviewWithMedia>('GET', `/api/interviews/${encodeURIComponent(interviewId)}`, signal ? { signal } : {}).then(
        ({ data, etag: tag }) => {
          const { media: list, ...interview } = data;
          setRecord(interview);
          setMedia(list);
          setForm(formFromInterview(interview, langRef.current));
          // the server's ETag; the record's version says the same should a proxy drop the header
          setEtag(tag ?? interviewEtag(interview.version));
          setLoad({ kind: 'ready' });
        },
        (err: unknown) => {
          if (!isAbort(err)) setLoad({ kind: 'error', problem: asProblem(err) });
        },
      );
    },
    [interviewId],
  );

  /** The record and its ETag again, the form left as it is (for changes made by the review section). */
  const refreshRecord = useCallback(() => {
    if (!interviewId) return;
    request<InterviewWithMedia>('GET', `/api/interviews/${encodeURIComponent(interviewId)}`).then(
      ({ data, etag: tag }) => {
        const { media: _media, ...interview } = data;
        setRecord(interview);
        setEtag(tag ?? interviewEtag(interview.version));
      },
      () => undefined, // the next save reports what is wrong
    );
  }, [interviewId]);

  useEffect(() => {
    const controller = new AbortController();
    void loadInterview(controller.signal);
    request<Paged<Collection>>('GET', '/api/collections?pageSize=100', { signal: controller.signal }).then(
      ({ data }) => setCollections(data.items),
      () => setCollections([]), // the select then offers "none" only
    );
    return () => controller.abort();
  }, [loadInterview]);

  // after an error or a new row, put the keyboard focus where the person has to act
  useEffect(() => {
    if (!focusTarget) return;
    const el = focusTarget === 'summary' ? summaryRef.current : document.getElementById(focusTarget);
    el?.focus();
    setFocusTarget(null);
  }, [focusTarget]);

  const update = <K extends keyof InterviewFormState>(key: K, value: InterviewFormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const updatePerson = (key: string, name: string) => setForm((f) => ({ ...f, people: f.people.map((p) => (p.key === key ? { ...p, name } : p)) }));
  const addPerson = (role: PersonRole) => {
    const row = newPersonRow(role);
    setForm((f) => ({ ...f, people: [...f.people, row] }));
    setFocusTarget(inputIdFor(`people.${form.people.length}.name`));
  };
  const removePerson = (row: PersonRow) => {
    setForm((f) => ({ ...f, people: f.people.filter((p) => p.key !== row.key) }));
    // indices of the rows after it change: their old messages no longer fit
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !k.startsWith('people.'))));
    setFocusTarget(`sb-c-add-${row.role}`);
  };

  const save = async (overwrite = false) => {
    const built = buildInterviewPayload(form);
    const own: FieldErrors = {};
    for (const [key, problemKey] of Object.entries(built.problems)) own[key] = [ct(`form.errors.${problemKey}` as CKey)];
    setProblem(null);
    setNotice('');
    if (hasErrors(own)) {
      setErrors(own);
      setFocusTarget('summary');
      return;
    }
    setSaving(true);
    try {
      if (!interviewId) {
        const { data } = await request<InterviewWithMedia>('POST', '/api/interviews', { json: built.payload });
        void navigate(contributorPaths.interview(data.id), { replace: true, state: { created: true } });
        return;
      }
      let ifMatch = etag;
      if (overwrite) {
        const fresh = await request<InterviewWithMedia>('GET', `/api/interviews/${encodeURIComponent(interviewId)}`);
        ifMatch = fresh.etag ?? interviewEtag(fresh.data.version);
      }
      const { data, etag: tag } = await request<Interview>('PATCH', `/api/interviews/${encodeURIComponent(interviewId)}`, { json: built.payload, ifMatch });
      setRecord(data);
      setEtag(tag ?? interviewEtag(data.version));
      setForm(formFromInterview(data, langRef.current));
      setErrors({});
      setConflict(false);
      setNotice(ct('form.saved', { time: new Date().toLocaleTimeString() }));
    } catch (err) {
      const p = asProblem(err);
      if (p.status === 412) {
        setConflict(true);
        setFocusTarget('sb-c-conflict');
      } else if (p.problem.errors && p.problem.errors.length > 0) {
        const grouped = groupFieldErrors(p.problem.errors, (f) => mapToVisibleKey(interviewFieldKey(f, built.peopleIndexMap), form));
        const onFields = Object.keys(grouped).some((k) => k !== FORM_LEVEL);
        setErrors(onFields ? grouped : {});
        if (onFields) setFocusTarget('summary');
        else setProblem(p);
      } else {
        setProblem(p);
      }
    } finally {
      setSaving(false);
    }
  };

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    void save();
  };

  const onKeywordChange = (value: string) => {
    if (/[,;\n]/.test(value)) {
      const parts = value.split(/[,;\n]/);
      const rest = parts.pop() ?? '';
      setForm((f) => ({ ...f, keywords: addKeywords(f.keywords, splitKeywords(parts.join(','))), keywordDraft: rest.trimStart() }));
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
        <Breadcrumbs current={ct('form.titleEditPlain')} />
        <h1>{load.problem.status === 404 ? ct('form.notFound') : ct('form.titleEditPlain')}</h1>
        <ProblemNotice problem={load.problem} />
      </section>
    );
  }

  const fieldErrorList = Object.entries(errors)
    .filter(([k, list]) => k !== FORM_LEVEL && list.length > 0)
    .sort(([a], [b]) => fieldRank(a) - fieldRank(b));
  const err = (key: string) => errors[key];
  const peopleOf = (role: PersonRole) => form.people.map((row, index) => ({ row, index })).filter(({ row }) => row.role === role);

  return (
    <section aria-labelledby="sb-c-form-title">
      <Breadcrumbs current={record?.title ?? ct('form.titleNew')} />
      <div className="sb-c-page-head">
        <h1 id="sb-c-form-title">{record ? record.title : ct('form.titleNew')}</h1>
        {record && <StatusBadge status={record.status} />}
      </div>

      <p className="sb-c-live" role="status" aria-live="polite">
        {notice}
      </p>

      {conflict && (
        <div className="sb-c-problem" role="alert" id="sb-c-conflict" tabIndex={-1}>
          <p className="sb-c-problem-title">{ct('form.conflictTitle')}</p>
          <p>{ct('form.conflictText')}</p>
          <div className="sb-c-actions">
            <button
              type="button"
              className="sb-c-button"
              onClick={() => {
                setConflict(false);
                setErrors({});
                void loadInterview();
              }}
            >
              {ct('form.conflictReload')}
            </button>
            <button type="button" className="sb-c-button" onClick={() => void save(true)}>
              {ct('form.conflictOverwrite')}
            </button>
          </div>
        </div>
      )}

      {fieldErrorList.length > 0 && (
        <div className="sb-c-problem" role="alert" ref={summaryRef} tabIndex={-1}>
          <p className="sb-c-problem-title">{ct('form.errorSummary', { count: fieldErrorList.length })}</p>
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
      {problem && <ProblemNotice problem={problem} showFieldErrors={false} />}
      {errors[FORM_LEVEL] && errors[FORM_LEVEL].length > 0 && !problem && (
        <div className="sb-c-problem" role="alert">
          <ul>
            {errors[FORM_LEVEL].map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}

      <form onSubmit={onSubmit} noValidate className="sb-c-form" aria-labelledby="sb-c-form-title">
        <Field id={inputIdFor('title')} label={ct('form.title')} errors={err('title')}>
          {(a) => <input {...a} type="text" required value={form.title} onChange={(e) => update('title', e.target.value)} maxLength={300} />}
        </Field>

        <Field id={inputIdFor('collectionId')} label={ct('form.collection')} errors={err('collectionId')}>
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
          <fieldset key={role} className="sb-c-fieldset" aria-describedby={err('people') ? 'sb-c-f-people-error' : undefined}>
            <legend>{ct(role === 'narrator' ? 'form.narrators' : 'form.interviewers')}</legend>
            {role === 'narrator' && err('people') && (
              <p id="sb-c-f-people-error" className="sb-c-field-error">
                {err('people')!.join(' ')}
              </p>
            )}
            {peopleOf(role).length === 0 && <p className="sb-c-hint">{ct('form.noPeople')}</p>}
            {peopleOf(role).map(({ row, index }, n) => (
              <div key={row.key} className="sb-c-person-row">
                <Field
                  id={inputIdFor(`people.${index}.name`)}
                  label={ct(role === 'narrator' ? 'form.narratorName' : 'form.interviewerName', { n: n + 1 })}
                  errors={err(`people.${index}.name`)}
                >
                  {(a) => (
                    <input
                      {...a}
                      type="text"
                      autoComplete="off"
                      value={row.name}
                      onChange={(e) => updatePerson(row.key, e.target.value)}
                    />
                  )}
                </Field>
                <button
                  type="button"
                  className="sb-c-button sb-c-quiet"
                  onClick={() => removePerson(row)}
                  aria-label={ct('form.removePerson', { name: row.name.trim() || ct('form.emptyRow', { n: n + 1 }) })}
                >
                  {ct('form.remove')}
                </button>
              </div>
            ))}
            <button type="button" id={`sb-c-add-${role}`} className="sb-c-button" onClick={() => addPerson(role)}>
              {ct(role === 'narrator' ? 'form.addNarrator' : 'form.addInterviewer')}
            </button>
          </fieldset>
        ))}

        <Field id={inputIdFor('recordedAt')} label={ct('form.recordedAt')} hint={ct('form.recordedAtHint')} errors={err('recordedAt')}>
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
          <Field id={inputIdFor('place.name')} label={ct('form.placeName')} errors={err('place.name')}>
            {(a) => <input {...a} type="text" value={form.placeName} onChange={(e) => update('placeName', e.target.value)} />}
          </Field>
          <div className="sb-c-row">
            <Field id={inputIdFor('place.lat')} label={ct('form.lat')} hint={ct('form.latHint')} errors={err('place.lat')}>
              {(a) => <input {...a} type="text" inputMode="decimal" value={form.placeLat} onChange={(e) => update('placeLat', e.target.value)} />}
            </Field>
            <Field id={inputIdFor('place.lon')} label={ct('form.lon')} hint={ct('form.lonHint')} errors={err('place.lon')}>
              {(a) => <input {...a} type="text" inputMode="decimal" value={form.placeLon} onChange={(e) => update('placeLon', e.target.value)} />}
            </Field>
          </div>
        </fieldset>

        <Field id={inputIdFor('language')} label={ct('form.language')} hint={ct('form.languageHint')} errors={err('language')}>
          {(a) => (
            <>
              <input {...a} type="text" list="sb-c-languages" value={form.language} onChange={(e) => update('language', e.target.value)} className="sb-c-short" />
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

        <Field id={inputIdFor('summary')} label={ct('form.summary')} errors={err('summary')}>
          {(a) => <textarea {...a} rows={5} value={form.summary} onChange={(e) => update('summary', e.target.value)} />}
        </Field>

        <Field id={inputIdFor('keywords')} label={ct('form.keywords')} hint={ct('form.keywordsHint')} errors={err('keywords')}>
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
              <input {...a} type="text" value={form.keywordDraft} onChange={(e) => onKeywordChange(e.target.value)} onKeyDown={onKeywordKey} />
            </div>
          )}
        </Field>

        <fieldset className="sb-c-fieldset" aria-describedby={err('visibility') ? 'sb-c-f-visibility-error' : undefined}>
          <legend>{ct('form.visibility')}</legend>
          {err('visibility') && (
            <p id="sb-c-f-visibility-error" className="sb-c-field-error">
              {err('visibility')!.join(' ')}
            </p>
          )}
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
        </fieldset>

        <div className="sb-c-actions">
          <button type="submit" className="sb-c-button sb-c-primary" disabled={saving} aria-busy={saving}>
            {saving ? ct('form.saving') : interviewId ? ct('form.save') : ct('form.create')}
          </button>
          <Link to={contributorPaths.home}>{ct('form.backToList')}</Link>
        </div>
      </form>

      {interviewId && record && <MediaSection interviewId={interviewId} media={media} onMediaChange={setMedia} />}
      {interviewId && record && isStaff(me) && (
        <CurationSection
          interviewId={interviewId}
          record={record}
          media={media}
          etag={etag}
          formVisibility={form.visibility}
          onInterviewSaved={(saved, tag) => {
            setRecord(saved);
            setEtag(tag ?? interviewEtag(saved.version));
          }}
          onReload={() => {
            setErrors({});
            setConflict(false);
            void loadInterview();
          }}
          onRefresh={refreshRecord}
        />
      )}
    </section>
  );
}

const fieldOrder = ['title', 'collectionId', 'people', 'recordedAt', 'place.name', 'place.lat', 'place.lon', 'language', 'summary', 'keywords', 'visibility', 'status'];

/** Position of a field in the form, so the error summary reads top to bottom. */
function fieldRank(key: string): number {
  const person = /^people\.(\d+)\./.exec(key);
  if (person) return fieldOrder.indexOf('people') + 0.001 * (Number(person[1]) + 1);
  const i = fieldOrder.indexOf(key);
  return i < 0 ? fieldOrder.length : i;
}

/** Person rows are focused by their stable key after adding; the input's id depends on its index. */
function idForKey(key: string, form: InterviewFormState): string {
  if (key === 'people') return form.people[0] ? inputIdFor('people.0.name') : 'sb-c-add-narrator';
  if (key === 'visibility') return `sb-c-f-visibility-${form.visibility}`;
  return inputIdFor(key);
}

/** Errors for rows that are not on screen any more go to the group. */
function mapToVisibleKey(key: string, form: InterviewFormState): string {
  const m = /^people\.(\d+)\.name$/.exec(key);
  if (m && !form.people[Number(m[1])]) return 'people';
  return key;
}

function labelForKey(key: string, form: InterviewFormState, ct: (k: CKey, o?: Record<string, unknown>) => string): string {
  const m = /^people\.(\d+)\.name$/.exec(key);
  if (m) {
    const row = form.people[Number(m[1])];
    return row?.name.trim() || ct(row?.role === 'interviewer' ? 'form.interviewers' : 'form.narrators');
  }
  const labels: Record<string, CKey> = {
    title: 'form.title',
    collectionId: 'form.collection',
    people: 'form.narrators',
    recordedAt: 'form.recordedAt',
    'place.name': 'form.placeName',
    'place.lat': 'form.lat',
    'place.lon': 'form.lon',
    language: 'form.language',
    summary: 'form.summary',
    keywords: 'form.keywords',
    visibility: 'form.visibility',
    status: 'form.status',
  };
  return ct(labels[key] ?? 'form.title');
}

export function Breadcrumbs({ current, trail = [] }: { current: string; trail?: { to: string; label: string }[] }) {
  const { ct } = useCt();
  return (
    <nav aria-label={ct('nav.breadcrumbs')} className="sb-c-breadcrumbs">
      <ol>
        <li>
          <Link to={contributorPaths.home}>{ct('nav.myInterviews')}</Link>
        </li>
        {trail.map((t) => (
          <li key={t.to}>
            <Link to={t.to}>{t.label}</Link>
          </li>
        ))}
        <li aria-current="page">{current}</li>
      </ol>
    </nav>
  );
}
