// What the narrator marked in the text, with one button to keep it from publication (and an optional reason).
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { MarkFormEnd } from './MarkFormEnd.js';
import type { SelectedPassage } from '../lib/segments.js';
import { spanText } from '../lib/time.js';
import { useRt } from '../i18n/index.js';

const QUOTE_SHOWN = 400;

// whether a mouse button / finger is down: the panel comes into view only once the narrator has let go
let pointerDown = false;
if (typeof document !== 'undefined') {
  document.addEventListener('pointerdown', () => (pointerDown = true), true);
  for (const e of ['pointerup', 'pointercancel']) document.addEventListener(e, () => (pointerDown = false), true);
}

export function SelectionPanel(props: {
  passage: SelectedPassage;
  onSubmit: (reason: string) => Promise<void>;
  onCancel: () => void;
}) {
  const { rt } = useRt();
  const { passage } = props;
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();
  const reasonId = useId();
  const formRef = useRef<HTMLFormElement>(null);

  // the panel appears below the transcript: bring it into view (without taking the focus from the text)
  useEffect(() => {
    const reveal = () => {
      const smooth = !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
      formRef.current?.scrollIntoView({ block: 'nearest', behavior: smooth ? 'smooth' : 'auto' });
    };
    if (!pointerDown) {
      reveal();
      return;
    }
    document.addEventListener('pointerup', reveal, { once: true });
    return () => document.removeEventListener('pointerup', reveal);
  }, []);
  const span = spanText(passage.start, passage.end);
  const quote = passage.quote.length > QUOTE_SHOWN ? `${passage.quote.slice(0, QUOTE_SHOWN)} …` : passage.quote;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(reason.trim());
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form
      ref={formRef}
      className="sb-r-selection"
      aria-labelledby={titleId}
      onSubmit={(e) => void submit(e)}
      data-testid="selection-panel"
    >
      <h3 id={titleId}>{rt('selection.title')}</h3>
      <blockquote className="sb-r-quote">„{quote}“</blockquote>
      <p>{rt('selection.range', span)}</p>
      <MarkFormEnd
        reasonId={reasonId}
        reasonLabel={rt('selection.reason')}
        reason={reason}
        onReason={setReason}
        error={error}
        busy={busy}
        submitLabel={rt('selection.submit')}
        cancelLabel={rt('selection.cancel')}
        onCancel={props.onCancel}
      />
    </form>
  );
}
