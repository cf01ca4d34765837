// The interview editor's state in one reducer, and the one place it reads the record from the API (first load,
// reload after a conflict, refresh after the review section changed it, the ETag before an overwrite).
import { useReducer, useRef } from 'react';
import { useNavigate } from 'react-router';
import { type ApiProblem, asProblem, interviewEtag, request } from '../../lib/http.js';
import { useApi } from '../../useApi.js';
import { FORM_LEVEL, groupFieldErrors, hasErrors, interviewFieldKey, type FieldErrors } from '../lib/fieldErrors.js';
import { buildInterviewPayload, emptyForm, formFromInterview, type InterviewFormState } from '../lib/interviewForm.js';
import { mapToVisibleKey } from '../lib/interviewFields.js';
import { contributorPaths } from '../paths.js';
import { useCt, type CKey } from '../i18n/index.js';
import type { Collection, Interview, InterviewWithMedia, Medium, Paged } from '../types.js';

export interface EditorState {
  load: { kind: 'loading' } | { kind: 'error'; problem: ApiProblem } | { kind: 'ready' };
  form: InterviewFormState;
  record: Interview | null;
  media: Medium[];
  etag: string | null;
  collections: Collection[];
  errors: FieldErrors;
  problem: ApiProblem | null;
  conflict: boolean;
  saving: boolean;
  notice: string;
  /** Where the keyboard focus goes after the next render (an input id, or 'summary'). */
  focusTarget: string | null;
}

export type EditorAction =
  | { type: 'loaded'; record: Interview; media: Medium[] | null; etag: string; form: InterviewFormState | null }
  | { type: 'loadFailed'; problem: ApiProblem }
  | { type: 'collections'; items: Collection[] }
  | { type: 'form'; update: (form: InterviewFormState) => InterviewFormState }
  | { type: 'media'; media: Medium[] }
  | { type: 'saving'; notice?: string }
  | { type: 'saved'; record: Interview; etag: string; form: InterviewFormState; notice: string }
  | {
      type: 'failed';
      errors?: FieldErrors;
      problem?: ApiProblem | null;
      conflict?: boolean;
      focusTarget?: string | null;
    }
  | { type: 'clearErrors'; prefix?: string }
  | { type: 'focus'; target: string | null };

export function initialEditorState(interviewId: string | null, notice: string): EditorState {
  return {
    load: interviewId ? { kind: 'loading' } : { kind: 'ready' },
    form: emptyForm(),
    record: null,
    media: [],
    etag: null,
    collections: [],
    errors: {},
    problem: null,
    conflict: false,
    saving: false,
    notice,
    focusTarget: null,
  };
}

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case 'loaded':
      return {
        ...state,
        load: { kind: 'ready' },
        record: action.record,
        media: action.media ?? state.media,
        etag: action.etag,
        form: action.form ?? state.form,
      };
    case 'loadFailed':
      return { ...state, load: { kind: 'error', problem: action.problem } };
    case 'collections':
      return { ...state, collections: action.items };
    case 'form':
      return { ...state, form: action.update(state.form) };
    case 'media':
      return { ...state, media: action.media };
    case 'saving':
      return { ...state, saving: true, problem: null, notice: action.notice ?? '' };
    case 'saved':
      return {
        ...state,
        saving: false,
        record: action.record,
        etag: action.etag,
        form: action.form,
        errors: {},
        conflict: false,
        notice: action.notice,
      };
    case 'failed':
      return {
        ...state,
        saving: false,
        errors: action.errors ?? state.errors,
        problem: action.problem === undefined ? state.problem : action.problem,
        conflict: action.conflict ?? state.conflict,
        focusTarget: action.focusTarget === undefined ? state.focusTarget : action.focusTarget,
      };
    case 'clearErrors': {
      const prefix = action.prefix;
      const errors = prefix
        ? Object.fromEntries(Object.entries(state.errors).filter(([k]) => !k.startsWith(prefix)))
        : {};
      return { ...state, errors, ...(prefix ? {} : { conflict: false }) };
    }
    case 'focus':
      return { ...state, focusTarget: action.target };
  }
}

const recordPath = (id: string) => `/api/interviews/${encodeURIComponent(id)}`;

/** The record with its media and ETag (the record's version says the same should a proxy drop the header). */
async function fetchRecord(interviewId: string): Promise<{ record: Interview; media: Medium[]; etag: string }> {
  const { data, etag } = await request<InterviewWithMedia>('GET', recordPath(interviewId));
  const { media, ...record } = data;
  return { record, media, etag: etag ?? interviewEtag(record.version) };
}

export function useInterviewEditor(interviewId: string | null, notice: string) {
  const { ct, lang } = useCt();
  const navigate = useNavigate();
  const [state, dispatch] = useReducer(editorReducer, initialEditorState(interviewId, notice));
  // the language only decides how coordinates are written when a record is loaded; switching it must not reload
  const langRef = useRef(lang);
  langRef.current = lang;

  // the record: the first answer (and a reload after a conflict) goes into the form too; a refresh after the review
  // section changed the record only updates record and ETag
  const withForm = useRef(true);
  const recordAnswer = useApi<InterviewWithMedia>(interviewId ? recordPath(interviewId) : null, {
    keepPrevious: true,
    onData: (data, etag) => {
      const { media, ...record } = data;
      const tag = etag ?? interviewEtag(record.version);
      dispatch(
        withForm.current
          ? { type: 'loaded', record, media, etag: tag, form: formFromInterview(record, langRef.current) }
          : { type: 'loaded', record, media: null, etag: tag, form: null },
      );
    },
    // a failed refresh leaves the page as it is: the next save reports what is wrong
    onError: (problem) => {
      if (withForm.current) dispatch({ type: 'loadFailed', problem });
    },
  });
  const loadRecord = (form: boolean) => {
    withForm.current = form;
    recordAnswer.reload();
  };
  useApi<Paged<Collection>>('/api/collections?pageSize=100', {
    onData: (data) => dispatch({ type: 'collections', items: data.items }),
    onError: () => dispatch({ type: 'collections', items: [] }), // the select then offers "none" only
  });

  const save = async (overwrite = false) => {
    const { form } = state;
    const built = buildInterviewPayload(form);
    const own: FieldErrors = {};
    for (const [key, problemKey] of Object.entries(built.problems))
      own[key] = [ct(`form.errors.${problemKey}` as CKey)];
    if (hasErrors(own)) {
      dispatch({ type: 'saving' });
      dispatch({ type: 'failed', errors: own, focusTarget: 'summary' });
      return;
    }
    dispatch({ type: 'saving' });
    try {
      if (!interviewId) {
        const { data } = await request<InterviewWithMedia>('POST', '/api/interviews', { json: built.payload });
        void navigate(contributorPaths.interview(data.id), { replace: true, state: { created: true } });
        return;
      }
      const ifMatch = overwrite ? (await fetchRecord(interviewId)).etag : state.etag;
      const { data, etag } = await request<Interview>('PATCH', recordPath(interviewId), {
        json: built.payload,
        ifMatch,
      });
      dispatch({
        type: 'saved',
        record: data,
        etag: etag ?? interviewEtag(data.version),
        form: formFromInterview(data, langRef.current),
        notice: ct('form.saved', { time: new Date().toLocaleTimeString() }),
      });
    } catch (err) {
      const p = asProblem(err);
      if (p.status === 412) {
        dispatch({ type: 'failed', conflict: true, focusTarget: 'sb-c-conflict' });
      } else if (p.problem.errors && p.problem.errors.length > 0) {
        const grouped = groupFieldErrors(p.problem.errors, (f) =>
          mapToVisibleKey(interviewFieldKey(f, built.peopleIndexMap), form),
        );
        const onFields = Object.keys(grouped).some((k) => k !== FORM_LEVEL);
        dispatch(
          onFields
            ? { type: 'failed', errors: grouped, focusTarget: 'summary' }
            : { type: 'failed', errors: {}, problem: p },
        );
      } else {
        dispatch({ type: 'failed', problem: p });
      }
    }
  };

  const reload = () => {
    dispatch({ type: 'clearErrors' });
    loadRecord(true);
  };

  return { state, dispatch, save, reload, refresh: () => loadRecord(false) };
}
