// Step 3: the decision. Three big choices — release (then for whom), ask for changes, withdraw consent (with a clear
// confirmation, it cannot be undone) — and an optional message. After a decision that closes the review (approval),
// only the receipt and, still, the withdrawal remain.
import { useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { decide } from '../api.js';
import { FailureNotice } from '../components/FailureNotice.js';
import { StepHeading } from '../components/StepHeading.js';
import { useRt } from '../i18n/index.js';
import {
  releaseVisibilities,
  type DecisionAnswer,
  type DecisionKind,
  type ReviewView,
  type Visibility,
} from '../types.js';

export interface DecideStepProps {
  view: ReviewView;
  credential: string;
  onBack: () => void;
  onDecided: (answer: DecisionAnswer) => void;
  onShowReceipt: () => void;
}

export function DecideStep(props: DecideStepProps) {
  const { rt } = useRt();
  const { view } = props;
  const [choice, setChoice] = useState<DecisionKind | null>(view.canDecide ? null : 'withdraw');
  const [visibility, setVisibility] = useState<Visibility | null>(null);
  const [message, setMessage] = useState('');
  const [issue, setIssue] = useState<'choice' | 'audience' | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const messageId = useId();
  const issueId = useId();
  const firstChoice = useRef<HTMLInputElement>(null);
  const firstAudience = useRef<HTMLInputElement>(null);

  const send = async () => {
    if (busy || !choice) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await decide(props.credential, {
        decision: choice,
        ...(choice === 'approve' && visibility ? { visibility } : {}),
        message: message.trim() || null,
      });
      props.onDecided(answer);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!choice) {
      setIssue('choice');
      firstChoice.current?.focus();
      return;
    }
    if (choice === 'approve' && !visibility) {
      setIssue('audience');
      firstAudience.current?.focus();
      return;
    }
    setIssue(null);
    if (choice === 'withdraw') {
      setConfirming(true);
      return;
    }
    void send();
  };

  if (confirming) {
    return (
      <section key="confirm" className="sb-r-panel" aria-labelledby="review-step-title">
        <StepHeading id="review-step-title">{rt('decide.confirmTitle')}</StepHeading>
        <div className="sb-r-warning" data-testid="withdraw-confirm">
          <p>
            <span aria-hidden="true">⚠ </span>
            {rt('decide.confirmText')}
          </p>
        </div>
        {error !== null && <FailureNotice error={error} />}
        <p className="sb-r-actions sb-r-stack">
          <button
            type="button"
            className="sb-r-button sb-r-danger"
            aria-disabled={busy || undefined}
            onClick={() => void send()}
          >
            {busy ? rt('common.saving') : rt('decide.confirmYes')}
          </button>
          <button
            type="button"
            className="sb-r-button sb-r-secondary"
            onClick={() => (view.canDecide || !view.decision ? setConfirming(false) : props.onShowReceipt())}
          >
            {rt('decide.confirmNo')}
          </button>
        </p>
      </section>
    );
  }

  if (!view.canDecide) {
    return (
      <section key="decided" className="sb-r-panel" aria-labelledby="review-step-title">
        <StepHeading id="review-step-title">{rt('steps.decide')}</StepHeading>
        <p className="sb-r-lead">{view.decision ? rt('decide.already') : rt('decide.notNow')}</p>
        <p className="sb-r-actions">
          {view.decision && (
            <button type="button" className="sb-r-button sb-r-primary" onClick={props.onShowReceipt}>
              {rt('decide.showReceipt')}
            </button>
          )}
          <button type="button" className="sb-r-button sb-r-secondary" onClick={props.onBack}>
            {rt('decide.back')}
          </button>
        </p>
        <h2>{rt('decide.withdraw')}</h2>
        <p>{rt('decide.withdrawLater')}</p>
        <p className="sb-r-actions">
          <button type="button" className="sb-r-button sb-r-secondary" onClick={() => setConfirming(true)}>
            {rt('decide.withdraw')}
          </button>
        </p>
      </section>
    );
  }

  const choices: { kind: DecisionKind; title: string; hint: string }[] = [
    { kind: 'approve', title: rt('decide.approve'), hint: rt('decide.approveHint') },
    { kind: 'request_changes', title: rt('decide.changes'), hint: rt('decide.changesHint') },
    { kind: 'withdraw', title: rt('decide.withdraw'), hint: rt('decide.withdrawHint') },
  ];

  return (
    <section key="choose" className="sb-r-panel" aria-labelledby="review-step-title">
      <StepHeading id="review-step-title">{rt('steps.decide')}</StepHeading>
      <p className="sb-r-lead">{rt('decide.intro')}</p>
      <form onSubmit={submit} noValidate data-testid="decision-form">
        <fieldset className="sb-r-fieldset" aria-describedby={issue === 'choice' ? issueId : undefined}>
          <legend>{rt('decide.choice')}</legend>
          {choices.map((c, i) => (
            <div key={c.kind}>
              <ChoiceTile
                name="decision"
                value={c.kind}
                title={c.title}
                hint={c.hint}
                checked={choice === c.kind}
                inputRef={i === 0 ? firstChoice : undefined}
                onChange={() => {
                  setChoice(c.kind);
                  setIssue(null);
                }}
              />
              {c.kind === 'approve' && choice === 'approve' && (
                <fieldset
                  className="sb-r-fieldset sb-r-nested"
                  aria-describedby={issue === 'audience' ? issueId : undefined}
                >
                  <legend>{rt('decide.audience')}</legend>
                  {releaseVisibilities.map((v, j) => (
                    <ChoiceTile
                      key={v}
                      name="visibility"
                      value={v}
                      title={rt(`decide.visibility.${v}`)}
                      hint={rt(`decide.visibilityHint.${v}`)}
                      checked={visibility === v}
                      inputRef={j === 0 ? firstAudience : undefined}
                      onChange={() => {
                        setVisibility(v);
                        setIssue(null);
                      }}
                    />
                  ))}
                </fieldset>
              )}
            </div>
          ))}
        </fieldset>
        {issue && (
          <p className="sb-r-alert" role="alert" id={issueId}>
            <span aria-hidden="true">⚠ </span>
            {rt(issue === 'choice' ? 'decide.choiceMissing' : 'decide.audienceMissing')}
          </p>
        )}
        <label htmlFor={messageId} className="sb-r-label">
          {choice === 'request_changes' ? rt('decide.messageChanges') : rt('decide.message')}
        </label>
        <textarea
          id={messageId}
          className="sb-r-input"
          rows={4}
          value={message}
          onChange={(e) => setMessage(e.target.value)}
        />
        {error !== null && <FailureNotice error={error} />}
        <p className="sb-r-actions sb-r-nav">
          <button type="button" className="sb-r-button sb-r-secondary" onClick={props.onBack}>
            <span aria-hidden="true">← </span>
            {rt('common.back')}
          </button>
          <button type="submit" className="sb-r-button sb-r-primary sb-r-big" aria-disabled={busy || undefined}>
            {busy ? rt('common.saving') : rt('decide.submit')}
          </button>
        </p>
      </form>
    </section>
  );
}

function ChoiceTile(props: {
  name: string;
  value: string;
  title: string;
  hint: string;
  checked: boolean;
  inputRef?: RefObject<HTMLInputElement | null> | undefined;
  onChange: () => void;
}) {
  const id = useId();
  const hintId = useId();
  return (
    <div className={`sb-r-choice${props.checked ? ' is-checked' : ''}`}>
      <input
        ref={props.inputRef}
        id={id}
        type="radio"
        name={props.name}
        value={props.value}
        checked={props.checked}
        onChange={props.onChange}
        aria-describedby={hintId}
      />
      <label htmlFor={id}>{props.title}</label>
      <p id={hintId} className="sb-r-choice-hint">
        {props.hint}
      </p>
    </div>
  );
}
