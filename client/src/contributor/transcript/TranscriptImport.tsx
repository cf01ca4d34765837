// Import a transcript file for one medium: the file's text goes as the raw request body; a 422 lists every problem
// with its line ("Zeile 7: …"), nothing is saved then (all or nothing).
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { type ApiProblem, asProblem, request } from '../../lib/http.js';
import { Problem } from '../../components/Problem.js';
import { issuePosition, segmentNumberOf, sortIssues } from '../lib/importErrors.js';
import { contributorPaths } from '../paths.js';
import { useCt } from '../i18n/index.js';
import type { ImportIssue, Transcript } from '../types.js';

export const importFormats = ['vtt', 'srt', 'ohms', 'txt', 'json'] as const;

interface Props {
  interviewId: string;
  mediaId: string;
  /** Called with the new transcript; without it a link to the editor is shown. */
  onImported?: (t: Transcript) => void;
}

export function TranscriptImport({ interviewId, mediaId, onImported }: Props) {
  const { ct } = useCt();
  const uid = useId();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const [issues, setIssues] = useState<{ summary: string; list: ImportIssue[]; format: string | null } | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<{ version: number; count: number } | null>(null);

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setIssues(null);
    setProblem(null);
    setDone(null);
    if (!file) {
      setFileError(ct('import.fileRequired'));
      document.getElementById(`${uid}-file`)?.focus();
      return;
    }
    setFileError(null);
    setBusy(true);
    try {
      const text = await file.text();
      const query = new URLSearchParams({ filename: file.name });
      if (format) query.set('format', format);
      if (reason.trim()) query.set('reason', reason.trim());
      const { data } = await request<Transcript & { segmentCount: number }>(
        'PUT',
        `/api/interviews/${encodeURIComponent(interviewId)}/media/${encodeURIComponent(mediaId)}/transcript?${query}`,
        { text },
      );
      setDone({ version: data.version, count: data.segmentCount ?? data.segments.length });
      onImported?.(data);
    } catch (err) {
      const p = asProblem(err);
      const list = (p.problem.errors ?? []) as ImportIssue[];
      if (p.status === 422 && list.length > 0) {
        const detected = typeof p.problem.format === 'string' ? p.problem.format : null;
        setIssues({
          summary: [p.problem.title, p.problem.detail].filter(Boolean).join(' '),
          list: sortIssues(list),
          format: detected,
        });
      } else {
        setProblem(p);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="sb-c-form sb-c-import"
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      aria-label={ct('import.title')}
    >
      <div className={`sb-c-field${fileError ? ' sb-c-field-invalid' : ''}`}>
        <label htmlFor={`${uid}-file`}>{ct('import.file')}</label>
        <p id={`${uid}-file-hint`} className="sb-c-hint">
          {ct('import.fileHint')}
        </p>
        <input
          id={`${uid}-file`}
          type="file"
          accept=".vtt,.srt,.txt,.xml,.json,text/vtt,text/plain,application/xml,application/json"
          aria-invalid={fileError ? true : undefined}
          aria-describedby={`${uid}-file-hint${fileError ? ` ${uid}-file-error` : ''}`}
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setFileError(null);
          }}
        />
        {fileError && (
          <p id={`${uid}-file-error`} className="sb-c-field-error">
            {fileError}
          </p>
        )}
      </div>
      <div className="sb-c-row">
        <div className="sb-c-field">
          <label htmlFor={`${uid}-format`}>{ct('import.format')}</label>
          <select id={`${uid}-format`} value={format} onChange={(e) => setFormat(e.target.value)}>
            <option value="">{ct('import.formatAuto')}</option>
            {importFormats.map((f) => (
              <option key={f} value={f}>
                {ct(`import.formats.${f}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="sb-c-field">
          <label htmlFor={`${uid}-reason`}>{ct('import.reason')}</label>
          <input
            id={`${uid}-reason`}
            type="text"
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={ct('import.reasonPlaceholder')}
          />
        </div>
      </div>
      <button type="submit" className="sb-c-button sb-c-primary" disabled={busy} aria-busy={busy}>
        {busy ? ct('import.submitting') : ct('import.submit')}
      </button>

      <div role="status" aria-live="polite" className="sb-c-live">
        {done && (
          <p className="sb-c-success">
            {ct('import.done', { version: done.version, count: done.count })}{' '}
            {!onImported && (
              <Link to={contributorPaths.transcript(interviewId, mediaId)}>{ct('import.openEditor')}</Link>
            )}
          </p>
        )}
      </div>
      {issues && (
        <div className="problem" role="alert" data-testid="import-errors">
          <p className="problem-title">{issues.summary || ct('import.failed')}</p>
          <ul>
            {issues.list.map((issue, i) => (
              <li key={i}>{describeIssue(issue, ct)}</li>
            ))}
          </ul>
        </div>
      )}
      {problem && <Problem signIn problem={problem} />}
    </form>
  );
}

function describeIssue(issue: ImportIssue, ct: ReturnType<typeof useCt>['ct']): string {
  const { line, column } = issuePosition(issue);
  if (line !== null) {
    return column !== null
      ? ct('import.lineColumn', { line, column, message: issue.message })
      : ct('import.line', { line, message: issue.message });
  }
  const segment = segmentNumberOf(issue.field);
  if (segment !== null) return ct('import.segment', { n: segment, message: issue.message });
  return issue.message;
}
