import { Link, useLocation } from 'react-router';
import type { ApiProblem } from '../../lib/http.js';
import { contributorPaths } from '../paths.js';
import { useCt } from '../texts.js';

/** An API problem as a message: server-localised title and detail, field messages, and a login link on 401. */
export function ProblemNotice({ problem, showFieldErrors = true }: { problem: ApiProblem; showFieldErrors?: boolean }) {
  const { ct } = useCt();
  const location = useLocation();
  if (problem.isNetworkError) {
    return (
      <div className="sb-c-problem" role="alert">
        <p className="sb-c-problem-title">{ct('problems.network')}</p>
      </div>
    );
  }
  if (problem.status === 401) {
    return (
      <div className="sb-c-problem" role="alert">
        <p className="sb-c-problem-title">{ct('problems.sessionExpired')}</p>
        <p>
          <Link to={contributorPaths.login(location.pathname + location.search)}>{ct('problems.signInAgain')}</Link>
        </p>
      </div>
    );
  }
  const { title, detail, errors } = problem.problem;
  return (
    <div className="sb-c-problem" role="alert">
      <p className="sb-c-problem-title">{title || ct('problems.generic')}</p>
      {detail && <p>{detail}</p>}
      {showFieldErrors && errors && errors.length > 0 && (
        <ul>
          {errors.map((e, i) => (
            <li key={i}>{e.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
