import { useTranslation } from 'react-i18next';
import type { ApiProblem } from '../lib/http.js';

/** Shows an API problem: its (server-localised) title and detail, plus field errors if any. */
export function ProblemMessage({ problem }: { problem: ApiProblem }) {
  const { t } = useTranslation();
  if (problem.isNetworkError) {
    return (
      <div className="problem" role="alert">
        <p className="problem-title">{t('common.networkError')}</p>
      </div>
    );
  }
  const { title, detail, errors } = problem.problem;
  return (
    <div className="problem" role="alert">
      <p className="problem-title">{title || t('common.genericError')}</p>
      {detail && <p>{detail}</p>}
      {errors && errors.length > 0 && (
        <ul>
          {errors.map((e) => (
            <li key={`${e.field}:${e.message}`}>{e.message}</li>
          ))}
        </ul>
      )}
    </div>
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
