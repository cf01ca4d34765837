// Step 1: who we think we are talking to, which interview, what will happen, and one big button.
import { formatRecordedAt } from '../../format.js';
import { StepHeading } from '../components/StepHeading.js';
import { useRt } from '../i18n/index.js';
import type { ReviewView } from '../types.js';

export function WelcomeStep({ view, onStart }: { view: ReviewView; onStart: () => void }) {
  const { rt, lang } = useRt();
  const { interview, invitation } = view;
  const validUntil = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'de-DE', { dateStyle: 'long' }).format(
    new Date(invitation.expiresAt),
  );
  return (
    <section className="sb-r-panel" aria-labelledby="review-step-title">
      <StepHeading id="review-step-title">{rt('welcome.greeting', { name: invitation.narrator })}</StepHeading>
      <p className="sb-r-lead">{rt('welcome.about')}</p>
      <div className="sb-r-card" data-testid="welcome-interview">
        <h2>{rt('welcome.interview')}</h2>
        <p className="sb-r-interview-title">{interview.title}</p>
        {(interview.recordedAt || interview.place) && (
          <dl className="sb-r-facts">
            {interview.recordedAt && (
              <div>
                <dt>{rt('welcome.recorded')}</dt>
                <dd>{formatRecordedAt(interview.recordedAt, lang)}</dd>
              </div>
            )}
            {interview.place?.name && (
              <div>
                <dt>{rt('welcome.place')}</dt>
                <dd>{interview.place.name}</dd>
              </div>
            )}
          </dl>
        )}
      </div>
      <h2>{rt('welcome.whatHappens')}</h2>
      <ol className="sb-r-plan">
        <li>
          <strong>{rt('steps.listen')}:</strong> {rt('welcome.listen')}
        </li>
        <li>
          <strong>{rt('steps.decide')}:</strong> {rt('welcome.decide')}
        </li>
        <li>
          <strong>{rt('steps.receipt')}:</strong> {rt('welcome.receipt')}
        </li>
      </ol>
      <p>{rt('welcome.noRush')}</p>
      <p>{rt('welcome.validUntil', { date: validUntil })}</p>
      <p className="sb-r-actions">
        <button type="button" className="sb-r-button sb-r-primary sb-r-big" onClick={onStart}>
          {rt('welcome.start')} <span aria-hidden="true">→</span>
        </button>
      </p>
    </section>
  );
}
