// The passages that will not be published, with "Zurücknehmen" for the narrator's own (the archive's stay), and the
// status line that confirms each change (also for screen readers).
import { forwardRef, useState } from 'react';
import { FailureNotice } from '../components/FailureNotice.js';
import { spanText } from '../lib/time.js';
import { useRt } from '../i18n/index.js';
import type { ReviewRestriction } from '../types.js';

export interface RestrictionListProps {
  restrictions: readonly ReviewRestriction[];
  /** Part numbers by medium id; shown when the interview has more than one part. */
  partOf: ReadonlyMap<string, number> | null;
  notice: string;
  onRemove: (restriction: ReviewRestriction) => Promise<void>;
}

export const RestrictionList = forwardRef<HTMLHeadingElement, RestrictionListProps>(
  function RestrictionList(props, headingRef) {
    const { rt } = useRt();
    const [busy, setBusy] = useState<string | null>(null);
    const [error, setError] = useState<unknown>(null);
    const sorted = [...props.restrictions].sort(
      (a, b) => (props.partOf?.get(a.mediaId) ?? 0) - (props.partOf?.get(b.mediaId) ?? 0) || a.start - b.start,
    );

    const label = (r: ReviewRestriction) => {
      const span = spanText(r.start, r.end);
      const part = props.partOf?.get(r.mediaId);
      return part !== undefined ? rt('restrictions.itemPart', { ...span, part }) : rt('restrictions.item', span);
    };

    return (
      <section className="sb-r-restrictions" aria-labelledby="review-restrictions-title" data-testid="restriction-list">
        <h2 id="review-restrictions-title" ref={headingRef} tabIndex={-1}>
          {rt('restrictions.title')}
        </h2>
        <div role="status">
          {props.notice && (
            <p className="sb-r-success">
              <span aria-hidden="true">✓ </span>
              {props.notice}
            </p>
          )}
        </div>
        {error !== null && <FailureNotice error={error} />}
        {sorted.length === 0 ? (
          <p className="sb-r-muted">{rt('restrictions.none')}</p>
        ) : (
          <ul className="sb-r-restriction-items">
            {sorted.map((r) => (
              <li key={r.id} data-testid="restriction-item">
                <p className="sb-r-restriction-span">
                  <span aria-hidden="true">⊘ </span>
                  {label(r)}
                </p>
                {r.quote && <blockquote className="sb-r-quote">„{r.quote}“</blockquote>}
                {r.reason && <p>{rt('restrictions.reason', { reason: r.reason })}</p>}
                {r.mine ? (
                  <button
                    type="button"
                    className="sb-r-button sb-r-secondary sb-r-small"
                    aria-disabled={busy === r.id || undefined}
                    aria-label={rt('restrictions.undoLabel', spanText(r.start, r.end))}
                    onClick={() => {
                      if (busy) return;
                      setBusy(r.id);
                      setError(null);
                      props
                        .onRemove(r)
                        .catch(setError)
                        .finally(() => setBusy(null));
                    }}
                  >
                    <span aria-hidden="true">↶ </span>
                    {busy === r.id ? rt('common.saving') : rt('restrictions.undo')}
                  </button>
                ) : (
                  <p className="sb-r-muted">{rt('restrictions.byArchive')}</p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    );
  },
);
