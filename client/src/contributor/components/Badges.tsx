import type { MediaStatus, WorkflowStatus } from '../types.js';
import { useCt } from '../i18n/index.js';

export function StatusBadge({ status }: { status: WorkflowStatus }) {
  const { ct } = useCt();
  return <span className={`sb-c-badge sb-c-status-${status}`}>{ct(`status.${status}`)}</span>;
}

export function MediaStatusBadge({ status }: { status: MediaStatus }) {
  const { ct } = useCt();
  return <span className={`sb-c-badge sb-c-media-${status}`}>{ct(`mediaStatus.${status}`)}</span>;
}

/** A determinate progress bar (role=progressbar) for uploads and processing. */
export function ProgressBar({
  value,
  label,
  valueText,
  testId,
}: {
  value: number;
  label: string;
  valueText?: string;
  testId?: string;
}) {
  const v = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div
      className="sb-c-progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={v}
      aria-valuetext={valueText}
      data-testid={testId}
    >
      <div className="sb-c-progress-bar" style={{ width: `${v}%` }} />
    </div>
  );
}
