// Step 4: the confirmation — receipt number, date, decision, passages not to be published (mm:ss–mm:ss), proposed
// corrections — with "Drucken" (only the receipt prints, see review.css) and the way back to listening.
import { archiveContact } from '../../contact.js';
import { useEffect, useState } from 'react';
import { loadReceipt } from '../api.js';
import { FailureNotice } from '../components/FailureNotice.js';
import { StepHeading } from '../components/StepHeading.js';
import { spanText } from '../lib/time.js';
import { useRt } from '../i18n/index.js';
import type { Receipt, ReviewView } from '../types.js';

export interface ReceiptStepProps {
  view: ReviewView;
  credential: string;
  receipt: Receipt | null;
  onReceipt: (r: Receipt) => void;
  onListen: () => void;
  onDecide: () => void;
}

export function ReceiptStep({ view, credential, receipt, onReceipt, onListen, onDecide }: ReceiptStepProps) {
  const { rt, lang } = useRt();
  const [error, setError] = useState<unknown>(null);
  const decisionId = view.decision?.id;

  useEffect(() => {
    // the receipt of the latest decision: fetched unless the decision's own answer brought it
    if (receipt && receipt.receiptNo === view.decision?.receiptNo) return;
    let live = true;
    loadReceipt(credential).then(
      (r) => live && onReceipt(r),
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [credential, decisionId]);

  const locale = lang === 'en' ? 'en-GB' : 'de-DE';
  const parts = new Set(receipt?.restrictions.map((r) => r.part));
  const showParts = view.media.length > 1 || parts.size > 1;

  return (
    <section className="sb-r-panel" aria-labelledby="review-step-title">
      <div className="sb-r-no-print">
        <StepHeading id="review-step-title">{rt('steps.receipt')}</StepHeading>
        <p className="sb-r-lead">{rt('receipt.intro')}</p>
      </div>
      {error !== null && <FailureNotice error={error} />}
      {!receipt && error === null && (
        <p className="sb-r-muted" role="status">
          {rt('common.loading')}
        </p>
      )}
      {receipt && (
        <article className="sb-r-receipt" aria-labelledby="review-receipt-title" data-testid="receipt">
          <h2 id="review-receipt-title">{rt('receipt.heading')}</h2>
          <dl className="sb-r-receipt-facts">
            <div>
              <dt>{rt('receipt.number')}</dt>
              <dd data-testid="receipt-number">{receipt.receiptNo}</dd>
            </div>
            <div>
              <dt>{rt('receipt.date')}</dt>
              <dd>
                {new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(
                  new Date(receipt.decidedAt),
                )}
              </dd>
            </div>
            <div>
              <dt>{rt('receipt.narrator')}</dt>
              <dd>{receipt.narrator}</dd>
            </div>
            <div>
              <dt>{rt('receipt.interview')}</dt>
              <dd>{receipt.interviewTitle}</dd>
            </div>
            <div>
              <dt>{rt('receipt.decision')}</dt>
              <dd data-testid="receipt-decision">
                <strong>{rt(`decision.${receipt.decision}`)}</strong>
                {receipt.decision === 'approve' && receipt.visibility && receipt.visibility !== 'restricted' && (
                  <> – {rt(`decide.visibility.${receipt.visibility}`)}</>
                )}
              </dd>
            </div>
            {receipt.message && (
              <div>
                <dt>{rt('receipt.message')}</dt>
                <dd>{receipt.message}</dd>
              </div>
            )}
            <div>
              <dt>{rt('receipt.restrictions')}</dt>
              <dd>
                {receipt.restrictions.length === 0 ? (
                  rt('receipt.noRestrictions')
                ) : (
                  <ul data-testid="receipt-restrictions">
                    {receipt.restrictions.map((r, i) => {
                      const span = spanText(r.start, r.end);
                      return (
                        <li key={i}>
                          {showParts && r.part !== null && `${rt('common.part', { n: r.part })}: `}
                          {span.start}–{span.end}
                          {r.reason && ` (${r.reason})`}
                        </li>
                      );
                    })}
                  </ul>
                )}
              </dd>
            </div>
            <div>
              <dt>{rt('receipt.corrections')}</dt>
              <dd>
                {receipt.corrections.length === 0 ? (
                  rt('receipt.noCorrections')
                ) : (
                  <ul data-testid="receipt-corrections">
                    {receipt.corrections.map((c, i) => (
                      <li key={i}>
                        {rt('receipt.correction', { original: c.original, proposed: c.proposed })} (
                        {rt(`correction.status.${c.status}`)})
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
            </div>
          </dl>
          {receipt.decision === 'withdraw' && <p className="sb-r-receipt-note">{rt('receipt.withdrawn')}</p>}
          <p className="sb-r-receipt-footer">{rt('receipt.footer')}</p>
          {archiveContact() && (
            <p className="sb-r-receipt-footer">{rt('app.contact', { contact: archiveContact() })}</p>
          )}
        </article>
      )}
      <p className="sb-r-actions sb-r-no-print">
        {receipt && (
          <button type="button" className="sb-r-button sb-r-primary" onClick={() => window.print()}>
            {rt('receipt.print')}
          </button>
        )}
        {!view.withdrawn && (
          <button type="button" className="sb-r-button sb-r-secondary" onClick={onListen}>
            <span aria-hidden="true">← </span>
            {rt('receipt.backToListening')}
          </button>
        )}
        {view.canDecide && (
          <button type="button" className="sb-r-button sb-r-secondary" onClick={onDecide}>
            {rt('receipt.changeDecision')}
          </button>
        )}
      </p>
    </section>
  );
}
