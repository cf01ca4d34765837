import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useApiGet } from '../useApi.js';
import { useDocumentTitle } from '../useDocumentTitle.js';
import type { InterviewDetail } from '../types.js';
import { formatRecordedAt } from '../format.js';
import { Loading, ProblemMessage } from '../components/ProblemMessage.js';
import { NotFound } from './NotFound.js';

export function Interview() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const state = useApiGet<InterviewDetail>(`/api/interviews/${encodeURIComponent(id)}`);
  useDocumentTitle(state.status === 'success' ? state.data.title : undefined);

  if (state.status === 'error') {
    if (state.problem.status === 404) {
      return <NotFound title={t('interview.notFoundTitle')} text={t('interview.notFoundText')} />;
    }
    return <ProblemMessage problem={state.problem} />;
  }
  if (state.status !== 'success') return <Loading />;

  const interview = state.data;
  const narrators = interview.people.filter((p) => p.role === 'narrator');
  const interviewers = interview.people.filter((p) => p.role === 'interviewer');
  const keywords = interview.keywords ?? [];

  return (
    <article className="interview">
      <h1>{interview.title}</h1>
      <dl className="facts">
        {narrators.length > 0 && (
          <div>
            <dt>{t('interview.narrators')}</dt>
            <dd>{narrators.map((p) => p.name).join(', ')}</dd>
          </div>
        )}
        {interviewers.length > 0 && (
          <div>
            <dt>{t('interview.interviewers')}</dt>
            <dd>{interviewers.map((p) => p.name).join(', ')}</dd>
          </div>
        )}
        {interview.recordedAt && (
          <div>
            <dt>{t('interview.recordedAt')}</dt>
            <dd>
              <time dateTime={interview.recordedAt}>{formatRecordedAt(interview.recordedAt, i18n.language)}</time>
            </dd>
          </div>
        )}
        {interview.place && (
          <div>
            <dt>{t('interview.place')}</dt>
            <dd>{interview.place.name}</dd>
          </div>
        )}
      </dl>
      {interview.summary && (
        <section aria-labelledby="summary-title">
          <h2 id="summary-title">{t('interview.summary')}</h2>
          <p>{interview.summary}</p>
        </section>
      )}
      {keywords.length > 0 && (
        <section aria-labelledby="keywords-title">
          <h2 id="keywords-title">{t('interview.keywords')}</h2>
          <ul className="tags">
            {keywords.map((k) => (
              <li key={k}>{k}</li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}
