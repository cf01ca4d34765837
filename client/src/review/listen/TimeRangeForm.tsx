// "Eine Stelle nach der Zeit markieren": from … to … in minutes:seconds, prefilled with the passage playing now, plus an
// optional reason. For everyone who cannot (or would rather not) select text with the mouse.
import { useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { MarkFormEnd } from './MarkFormEnd.js';
import { lengthText, mmss, parseClock } from '../lib/time.js';
import { useRt } from '../i18n/index.js';

type Issue = 'from' | 'to' | 'order' | 'tooLate' | null;

export function TimeRangeForm(props: {
  /** What to prefill when the form opens. */
  suggest: () => { start: number; end: number };
  duration: number;
  onSubmit: (start: number, end: number, reason: string) => Promise<void>;
}) {
  const { rt } = useRt();
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [issue, setIssue] = useState<Issue>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fromRef = useRef<HTMLInputElement>(null);
  const toRef = useRef<HTMLInputElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const formId = useId();
  const fromId = useId();
  const toId = useId();
  const reasonId = useId();
  const issueId = useId();

  const openForm = () => {
    const { start, end } = props.suggest();
    setFrom(mmss(start));
    setTo(mmss(Math.round(end)));
    setReason('');
    setIssue(null);
    setError(null);
    setOpen(true);
    requestAnimationFrame(() => fromRef.current?.focus());
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const start = parseClock(from);
    const end = parseClock(to);
    const found: Issue =
      start === null
        ? 'from'
        : end === null
          ? 'to'
          : end <= start
            ? 'order'
            : start >= props.duration
              ? 'tooLate'
              : null;
    setIssue(found);
    if (found) {
      (found === 'from' || found === 'tooLate' ? fromRef : toRef).current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(start!, Math.min(end!, props.duration), reason.trim());
      setOpen(false);
      setBusy(false);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const issueText =
    issue === 'order'
      ? rt('range.order')
      : issue === 'tooLate'
        ? rt('range.tooLate', { total: lengthText(props.duration) })
        : rt('range.invalid');

  return (
    <section className="sb-r-range" data-testid="time-range">
      <h3>
        <button
          ref={toggleRef}
          type="button"
          className="sb-r-button sb-r-secondary sb-r-disclosure"
          aria-expanded={open}
          aria-controls={formId}
          onClick={() => (open ? setOpen(false) : openForm())}
        >
          <span aria-hidden="true">{open ? '▾ ' : '▸ '}</span>
          {rt('range.title')}
        </button>
      </h3>
      <form id={formId} hidden={!open} onSubmit={(e) => void submit(e)} noValidate>
        <p>{rt('range.intro')}</p>
        <div className="sb-r-range-fields">
          <TimeField
            id={fromId}
            inputRef={fromRef}
            label={rt('range.from')}
            value={from}
            onChange={setFrom}
            invalid={issue === 'from' || issue === 'tooLate'}
            issueId={issueId}
          />
          <TimeField
            id={toId}
            inputRef={toRef}
            label={rt('range.to')}
            value={to}
            onChange={setTo}
            invalid={issue === 'to' || issue === 'order'}
            issueId={issueId}
          />
        </div>
        {issue && (
          <p className="sb-r-alert" role="alert" id={issueId}>
            <span aria-hidden="true">⚠ </span>
            {issueText}
          </p>
        )}
        <MarkFormEnd
          reasonId={reasonId}
          reasonLabel={rt('range.reason')}
          reason={reason}
          onReason={setReason}
          error={error}
          busy={busy}
          submitLabel={rt('range.submit')}
          cancelLabel={rt('common.cancel')}
          onCancel={() => {
            setOpen(false);
            toggleRef.current?.focus();
          }}
        />
      </form>
    </section>
  );
}

/** One "mm:ss" field of the range; points at the form's message while it is the one in question. */
function TimeField(props: {
  id: string;
  inputRef: RefObject<HTMLInputElement | null>;
  label: string;
  value: string;
  onChange: (v: string) => void;
  invalid: boolean;
  issueId: string;
}) {
  return (
    <div>
      <label htmlFor={props.id} className="sb-r-label">
        {props.label}
      </label>
      <input
        ref={props.inputRef}
        id={props.id}
        className="sb-r-input sb-r-time-input"
        inputMode="numeric"
        autoComplete="off"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.invalid || undefined}
        aria-describedby={props.invalid ? props.issueId : undefined}
      />
    </div>
  );
}
