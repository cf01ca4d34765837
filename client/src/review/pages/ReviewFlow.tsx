// /durchsicht/:credential — the narrator's review, one step at a time: welcome, listen and read (mark passages,
// suggest corrections), decide, confirmation. Everything comes from GET /api/review with the credential from the URL;
// the step is in the URL (?schritt=2), so the browser's back button goes back a step.
import { useCallback, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useDocumentTitle } from '../../useDocumentTitle.js';
import { normaliseView, reviewHeaders, reviewViewPath, type ReviewViewAnswer } from '../api.js';
import { useApi } from '../../useApi.js';
import { failureOf, FailureNotice } from '../components/FailureNotice.js';
import { StepHeading } from '../components/StepHeading.js';
import { StepIndicator } from '../components/StepIndicator.js';
import { credentialFromPath } from '../lib/code.js';
import { DecideStep } from '../steps/DecideStep.js';
import { ListenStep } from '../steps/ListenStep.js';
import { ReceiptStep } from '../steps/ReceiptStep.js';
import { resolveStep, stepFromParam, stepLabel, stepNumber, type StepName } from '../steps/steps.js';
import { WelcomeStep } from '../steps/WelcomeStep.js';
import { useRt, type RKey } from '../i18n/index.js';
import type { Receipt, ReviewView } from '../types.js';

type Load = { state: 'loading' } | { state: 'failed'; error: unknown } | { state: 'ready'; view: ReviewView };

export function ReviewFlow({ rawCredential }: { rawCredential: string }) {
  const credential = credentialFromPath(rawCredential);
  const { rt } = useRt();
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [params, setParams] = useSearchParams();

  // a refresh keeps the steps on screen; only the first load (or a retry after it failed) shows the loading text
  const answer = useApi<ReviewViewAnswer>(reviewViewPath, { headers: reviewHeaders(credential), keepPrevious: true });
  const load: Load = answer.data
    ? { state: 'ready', view: normaliseView(answer.data) }
    : answer.state.status === 'error'
      ? { state: 'failed', error: answer.problem }
      : { state: 'loading' };
  const { refetch, reload: retry, setData } = answer;
  const fetchView = useCallback(() => refetch().then(normaliseView), [refetch]);

  const view = load.state === 'ready' ? load.view : null;
  const step = view
    ? resolveStep(stepFromParam(params.get('schritt')), { decided: view.decision !== null, withdrawn: view.withdrawn })
    : null;
  useDocumentTitle(step ? `${rt(stepLabel(step))} – ${rt('app.documentTitle')}` : rt('app.documentTitle'));

  const goTo = useCallback(
    (next: StepName) => {
      setParams((p) => {
        const q = new URLSearchParams(p);
        q.set('schritt', String(stepNumber(next)));
        return q;
      });
      window.scrollTo({ top: 0 });
    },
    [setParams],
  );

  const update = useCallback(
    (change: (v: ReviewView) => ReviewView) => {
      setData((old) => (old ? change(normaliseView(old)) : old!));
    },
    [setData],
  );

  if (load.state === 'loading') {
    return (
      <p className="sb-r-loading" role="status">
        {rt('common.loading')}
      </p>
    );
  }
  if (load.state === 'failed') return <LoadFailure error={load.error} onRetry={retry} />;

  const v = load.view;
  const current = step!;
  return (
    <div className="sb-r-flow" data-step={current}>
      <StepIndicator current={current} />
      {current === 'welcome' && <WelcomeStep view={v} onStart={() => goTo('listen')} />}
      {current === 'listen' && (
        <ListenStep
          view={v}
          credential={credential}
          update={update}
          refresh={fetchView}
          onBack={() => goTo('welcome')}
          onNext={() => goTo('decide')}
        />
      )}
      {current === 'decide' && (
        <DecideStep
          view={v}
          credential={credential}
          onBack={() => goTo('listen')}
          onDecided={(answer) => {
            setReceipt(answer.receipt);
            update((old) => ({
              ...old,
              decision: answer.decision,
              canDecide: false,
              withdrawn: answer.decision.decision === 'withdraw',
            }));
            goTo('receipt');
            // the rest (status, whether a new decision is possible, what is left after a withdrawal) from the server
            fetchView().catch(() => undefined);
          }}
          onShowReceipt={() => goTo('receipt')}
        />
      )}
      {current === 'receipt' && (
        <ReceiptStep
          view={v}
          credential={credential}
          receipt={receipt}
          onReceipt={setReceipt}
          onListen={() => goTo('listen')}
          onDecide={() => goTo('decide')}
        />
      )}
    </div>
  );
}

function LoadFailure({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { rt } = useRt();
  const kind = failureOf(error);
  return (
    <section className="sb-r-panel" data-testid="review-failure" data-failure={kind}>
      <StepHeading>{rt(`errors.${kind}.title` as RKey)}</StepHeading>
      <FailureNotice error={error} showTitle={false} />
      <p className="sb-r-actions">
        {(kind === 'network' || kind === 'generic') && (
          <button type="button" className="sb-r-button sb-r-primary" onClick={onRetry}>
            {rt('common.retry')}
          </button>
        )}
        <Link to="/durchsicht" className="sb-r-button sb-r-secondary">
          {rt('code.enterAgain')}
        </Link>
      </p>
    </section>
  );
}
