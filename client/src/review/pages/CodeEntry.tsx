// /durchsicht: the short code from the paper letter, in one big field. Checked with the server before moving on, so a
// mistyped code is answered right here, next to the field, with the typed text kept.
import { useId, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useDocumentTitle } from '../../useDocumentTitle.js';
import { loadView } from '../api.js';
import { FailureNotice } from '../components/FailureNotice.js';
import { StepHeading } from '../components/StepHeading.js';
import { codeCharacters, normalizeCode } from '../lib/code.js';
import { useRt } from '../i18n/index.js';

type Issue = { kind: 'empty' | 'length' } | { kind: 'server'; error: unknown } | null;

export function CodeEntry() {
  const { rt } = useRt();
  useDocumentTitle(rt('code.title'));
  const navigate = useNavigate();
  const [value, setValue] = useState('');
  const [issue, setIssue] = useState<Issue>(null);
  const [checking, setChecking] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (checking) return;
    const code = normalizeCode(value);
    if (!code) {
      setIssue({ kind: codeCharacters(value) === '' ? 'empty' : 'length' });
      inputRef.current?.focus();
      return;
    }
    setChecking(true);
    setIssue(null);
    try {
      await loadView(code);
      navigate(`/durchsicht/${encodeURIComponent(code)}`);
    } catch (err) {
      setIssue({ kind: 'server', error: err });
      setChecking(false);
      inputRef.current?.focus();
    }
  };

  return (
    <section className="sb-r-panel sb-r-code" data-testid="code-entry">
      <StepHeading>{rt('code.title')}</StepHeading>
      <p className="sb-r-lead">{rt('code.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor={inputId} className="sb-r-label">
          {rt('code.label')}
        </label>
        <p id={hintId} className="sb-r-hint">
          {rt('code.hint')}
        </p>
        <input
          ref={inputRef}
          id={inputId}
          className="sb-r-input sb-r-code-input"
          type="text"
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setIssue(null);
          }}
          autoComplete="off"
          autoCapitalize="characters"
          autoCorrect="off"
          spellCheck={false}
          maxLength={40}
          aria-invalid={issue ? true : undefined}
          aria-describedby={issue ? `${hintId} ${errorId}` : hintId}
        />
        {issue && issue.kind !== 'server' && (
          <p className="sb-r-alert" role="alert" id={errorId}>
            <span aria-hidden="true">⚠ </span>
            {rt(issue.kind === 'empty' ? 'code.empty' : 'code.length')}
          </p>
        )}
        {issue?.kind === 'server' && <FailureNotice error={issue.error} id={errorId} />}
        <p className="sb-r-actions">
          <button type="submit" className="sb-r-button sb-r-primary" aria-disabled={checking || undefined}>
            {checking ? rt('code.checking') : rt('code.submit')}
          </button>
        </p>
      </form>
    </section>
  );
}
