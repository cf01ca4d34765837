// The one way the client shows that something went wrong: a role=alert box with a title, the server's (localised)
// detail and field messages. Areas add their own words (the review pages' credential failures) through ProblemBox.
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ApiProblem } from '../lib/http.js';
import { loginPath } from '../lib/paths.js';

export function ProblemBox({
  title,
  children,
  id,
  failure,
  focusable = false,
}: {
  title?: ReactNode;
  children?: ReactNode;
  id?: string;
  /** A machine-readable kind for tests and styles (`data-failure`). */
  failure?: string;
  /** Focusable from script (an error summary the page moves the focus to). */
  focusable?: boolean;
}) {
  return (
    <div className="problem" role="alert" id={id} data-failure={failure} tabIndex={focusable ? -1 : undefined}>
      {title !== undefined && <p className="problem-title">{title}</p>}
      {children}
    </div>
  );
}

/**
 * An API problem: server-localised title and detail, the field messages unless the form shows them itself, and
 * with `signIn` a link to log in again on 401 (pages behind a session; the login form itself gets 401 for a wrong
 * password and shows the server's words).
 */
export function Problem({
  problem,
  showFieldErrors = true,
  signIn = false,
}: {
  problem: ApiProblem;
  showFieldErrors?: boolean;
  signIn?: boolean;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  if (problem.isNetworkError) return <ProblemBox title={t('common.networkError')} />;
  if (signIn && problem.status === 401) {
    return (
      <ProblemBox title={t('common.sessionExpired')}>
        <p>
          <Link to={loginPath(location.pathname + location.search)}>{t('common.signInAgain')}</Link>
        </p>
      </ProblemBox>
    );
  }
  const { title, detail, errors } = problem.problem;
  return (
    <ProblemBox title={title || t('common.genericError')}>
      {detail && <p>{detail}</p>}
      {showFieldErrors && errors && errors.length > 0 && (
        <ul>
          {errors.map((e, i) => (
            <li key={i}>{e.message}</li>
          ))}
        </ul>
      )}
    </ProblemBox>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}
