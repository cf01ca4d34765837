// The end of both ways to mark a passage (by selection, by time): the optional reason, what went wrong, save/cancel.
import { FailureNotice } from '../components/FailureNotice.js';
import { useRt } from '../i18n/index.js';

export function MarkFormEnd(props: {
  reasonId: string;
  reasonLabel: string;
  reason: string;
  onReason: (value: string) => void;
  error: unknown;
  busy: boolean;
  submitLabel: string;
  cancelLabel: string;
  onCancel: () => void;
}) {
  const { rt } = useRt();
  return (
    <>
      <label htmlFor={props.reasonId} className="sb-r-label">
        {props.reasonLabel}
      </label>
      <textarea
        id={props.reasonId}
        className="sb-r-input"
        rows={2}
        value={props.reason}
        onChange={(e) => props.onReason(e.target.value)}
      />
      {props.error !== null && <FailureNotice error={props.error} />}
      <p className="sb-r-actions">
        <button type="submit" className="sb-r-button sb-r-primary" aria-disabled={props.busy || undefined}>
          <span aria-hidden="true">⊘ </span>
          {props.busy ? rt('common.saving') : props.submitLabel}
        </button>
        <button type="button" className="sb-r-button sb-r-secondary" onClick={props.onCancel}>
          {props.cancelLabel}
        </button>
      </p>
    </>
  );
}
