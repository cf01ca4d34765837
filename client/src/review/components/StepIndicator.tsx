// "Schritt 2 von 4" in words, and the four steps as a row: the current one framed, filled and named as such (never by
// colour alone), the earlier ones ticked.
import { useRt } from '../i18n/index.js';
import { STEP_COUNT, stepLabel, stepNames, stepNumber, type StepName } from '../steps/steps.js';

export function StepIndicator({ current }: { current: StepName }) {
  const { rt } = useRt();
  const n = stepNumber(current);
  return (
    <nav className="sb-r-steps sb-r-no-print" aria-label={rt('steps.label')}>
      <ol>
        {stepNames.map((name, i) => {
          const state = i + 1 < n ? 'done' : i + 1 === n ? 'current' : 'todo';
          return (
            <li
              key={name}
              className={`sb-r-step sb-r-step-${state}`}
              aria-current={state === 'current' ? 'step' : undefined}
            >
              <span className="sb-r-step-number" aria-hidden="true">
                {state === 'done' ? '✓' : i + 1}
              </span>
              <span className="sb-r-step-name">
                {rt(stepLabel(name))}
                {state === 'current' && <span className="visually-hidden">{` (${rt('steps.current')})`}</span>}
              </span>
            </li>
          );
        })}
      </ol>
      <p className="sb-r-step-count" data-testid="step-indicator">
        {rt('steps.indicator', { n, total: STEP_COUNT })}
      </p>
    </nav>
  );
}
