// The OHMS-style index (table of contents) of one medium: points with start time, title, synopsis and keywords.
import { useEffect, useRef, useState } from 'react';
import { type ApiProblem, asProblem, indexEtag, request } from '../../lib/http.js';
import { useApi } from '../../useApi.js';
import { Problem } from '../../components/Problem.js';
import { FORM_LEVEL, groupFieldErrors, indexPointFieldKey, type FieldErrors } from '../lib/fieldErrors.js';
import { splitKeywords } from '../lib/keywords.js';
import { formatTimecodeTenths, parseTimecode } from '../../lib/time.js';
import { roundTime } from '../lib/segments.js';
import { useCt } from '../i18n/index.js';
import type { IndexPoint, MediaIndex } from '../types.js';

interface PointRow {
  key: string;
  start: string;
  title: string;
  synopsis: string;
  keywords: string;
  /** Fields this editor does not show (subjects, place, partial transcript) go back unchanged. */
  rest: Pick<IndexPoint, 'subjects' | 'place' | 'partialTranscript'>;
}

let counter = 0;
const rowOf = (p: IndexPoint): PointRow => ({
  key: `ip${++counter}`,
  start: formatTimecodeTenths(p.start),
  title: p.title,
  synopsis: p.synopsis ?? '',
  keywords: p.keywords.join(', '),
  rest: {
    subjects: p.subjects,
    place: p.place,
    ...(p.partialTranscript !== undefined ? { partialTranscript: p.partialTranscript } : {}),
  },
});

interface Props {
  basePath: string;
  getTime: () => number;
  onSeek: (seconds: number) => void;
}

export function IndexEditor({ basePath, getTime, onSeek }: Props) {
  const { ct } = useCt();
  const [rows, setRows] = useState<PointRow[] | null>(null);
  const [version, setVersion] = useState(0);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [dirty, setDirty] = useState(false);
  const focusKey = useRef<string | null>(null);

  // the saved index, copied into the editable rows on each answer (once per medium, and on "load again")
  const saved = useApi<MediaIndex>(`${basePath}/index`, {
    onData: (data) => {
      setRows(data.points.map(rowOf));
      setVersion(data.version);
      setDirty(false);
      setConflict(false);
      setErrors({});
    },
  });
  const load = saved.reload;
  const shownProblem = problem ?? saved.problem;

  useEffect(() => {
    if (focusKey.current) {
      document.getElementById(`sb-c-ip-${focusKey.current}-title`)?.focus();
      focusKey.current = null;
    }
  });

  const change = (key: string, field: 'start' | 'title' | 'synopsis' | 'keywords', value: string) => {
    setRows((list) => list?.map((r) => (r.key === key ? { ...r, [field]: value } : r)) ?? list);
    setDirty(true);
  };

  const addAtCurrentTime = () => {
    const t = roundTime(getTime());
    const row = rowOf({ start: t, title: '', synopsis: null, keywords: [], subjects: [], place: null });
    setRows((list) => {
      const next = [...(list ?? [])];
      const at = next.findIndex((r) => (parseTimecode(r.start) ?? 0) > t);
      next.splice(at < 0 ? next.length : at, 0, row);
      return next;
    });
    focusKey.current = row.key;
    setDirty(true);
  };

  const remove = (key: string) => {
    setRows((list) => list?.filter((r) => r.key !== key) ?? list);
    setErrors({});
    setDirty(true);
  };

  const save = async () => {
    if (!rows) return;
    setMessage('');
    setProblem(null);
    const own: FieldErrors = {};
    const points: IndexPoint[] = rows.map((r, i) => {
      const start = parseTimecode(r.start);
      if (start === null) own[`${i}.start`] = [ct('index.errors.time')];
      if (r.title.trim() === '') own[`${i}.title`] = [ct('index.errors.title')];
      return {
        start: start === null ? 0 : roundTime(start),
        title: r.title.trim(),
        synopsis: r.synopsis.trim() === '' ? null : r.synopsis.trim(),
        keywords: splitKeywords(r.keywords),
        ...r.rest,
      };
    });
    setErrors(own);
    if (Object.keys(own).length > 0) {
      const first = Object.keys(own)[0]!;
      const [i, field] = first.split('.');
      document.getElementById(`sb-c-ip-${rows[Number(i)]!.key}-${field}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const { data } = await request<MediaIndex>('PUT', `${basePath}/index`, {
        json: { points },
        ifMatch: indexEtag(version),
      });
      setRows(data.points.map(rowOf));
      setVersion(data.version);
      setDirty(false);
      setMessage(ct('index.saved', { count: data.points.length }));
    } catch (err) {
      const p = asProblem(err);
      if (p.status === 412) setConflict(true);
      else if (p.problem.errors?.length) {
        const grouped = groupFieldErrors(p.problem.errors, indexPointFieldKey);
        setErrors(grouped);
        if (grouped[FORM_LEVEL]) setProblem(p);
      } else setProblem(p);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="sb-c-section" aria-labelledby="sb-c-index-title">
      <h2 id="sb-c-index-title">{ct('index.title')}</h2>
      <p className="sb-c-hint">{ct('index.hint')}</p>
      {conflict && (
        <div className="problem" role="alert">
          <p className="problem-title">{ct('index.conflict')}</p>
          <button type="button" className="sb-c-button" onClick={load}>
            {ct('index.reload')}
          </button>
        </div>
      )}
      {shownProblem && <Problem signIn problem={shownProblem} showFieldErrors={false} />}
      {rows === null && !shownProblem && <p className="sb-c-loading">{ct('common.loading')}</p>}
      {rows && rows.length === 0 && <p>{ct('index.empty')}</p>}
      {rows && rows.length > 0 && (
        <ol className="sb-c-index-list">
          {rows.map((r, i) => {
            const id = (f: string) => `sb-c-ip-${r.key}-${f}`;
            const errorsOf = (f: string) => errors[`${i}.${f}`];
            const described = (f: string) => (errorsOf(f) ? `${id(f)}-error` : undefined);
            const errorLine = (f: string) =>
              errorsOf(f) && (
                <p id={`${id(f)}-error`} className="sb-c-field-error">
                  {errorsOf(f)!.join(' ')}
                </p>
              );
            return (
              <li key={r.key} className="sb-c-card sb-c-index-point">
                <div className="sb-c-row">
                  <div className={`sb-c-field sb-c-time-field${errorsOf('start') ? ' sb-c-field-invalid' : ''}`}>
                    <label htmlFor={id('start')}>{ct('index.start')}</label>
                    <input
                      id={id('start')}
                      type="text"
                      inputMode="decimal"
                      value={r.start}
                      onChange={(e) => change(r.key, 'start', e.target.value)}
                      aria-invalid={errorsOf('start') ? true : undefined}
                      aria-describedby={described('start')}
                    />
                    {errorLine('start')}
                  </div>
                  <div className={`sb-c-field sb-c-grow${errorsOf('title') ? ' sb-c-field-invalid' : ''}`}>
                    <label htmlFor={id('title')}>{ct('index.pointTitle')}</label>
                    <input
                      id={id('title')}
                      type="text"
                      value={r.title}
                      onChange={(e) => change(r.key, 'title', e.target.value)}
                      aria-invalid={errorsOf('title') ? true : undefined}
                      aria-describedby={described('title')}
                    />
                    {errorLine('title')}
                  </div>
                </div>
                <div className={`sb-c-field${errorsOf('synopsis') ? ' sb-c-field-invalid' : ''}`}>
                  <label htmlFor={id('synopsis')}>{ct('index.synopsis')}</label>
                  <textarea
                    id={id('synopsis')}
                    rows={2}
                    value={r.synopsis}
                    onChange={(e) => change(r.key, 'synopsis', e.target.value)}
                    aria-invalid={errorsOf('synopsis') ? true : undefined}
                    aria-describedby={described('synopsis')}
                  />
                  {errorLine('synopsis')}
                </div>
                <div className={`sb-c-field${errorsOf('keywords') ? ' sb-c-field-invalid' : ''}`}>
                  <label htmlFor={id('keywords')}>{ct('index.keywords')}</label>
                  <input
                    id={id('keywords')}
                    type="text"
                    value={r.keywords}
                    onChange={(e) => change(r.key, 'keywords', e.target.value)}
                    aria-invalid={errorsOf('keywords') ? true : undefined}
                    aria-describedby={described('keywords')}
                  />
                  {errorLine('keywords')}
                </div>
                <div className="sb-c-actions">
                  <button
                    type="button"
                    className="sb-c-button"
                    onClick={() => {
                      const t = parseTimecode(r.start);
                      if (t !== null) onSeek(t);
                    }}
                    aria-label={ct('index.playFromNamed', { title: r.title || ct('index.untitled') })}
                  >
                    {ct('index.playFrom')}
                  </button>
                  <button
                    type="button"
                    className="sb-c-button sb-c-quiet"
                    onClick={() => remove(r.key)}
                    aria-label={ct('index.removeNamed', { title: r.title || ct('index.untitled') })}
                  >
                    {ct('index.remove')}
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
      )}
      <div className="sb-c-actions">
        <button type="button" className="sb-c-button" onClick={addAtCurrentTime} disabled={rows === null}>
          {ct('index.addAtTime')}
        </button>
        <button
          type="button"
          className="sb-c-button sb-c-primary"
          onClick={() => void save()}
          disabled={!dirty || busy}
          aria-busy={busy}
        >
          {ct('index.save')}
        </button>
      </div>
      <p className="sb-c-live" role="status" aria-live="polite">
        {message}
      </p>
    </section>
  );
}
