import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useApiGet } from '../useApi.js';
import { useDocumentTitle } from '../useDocumentTitle.js';
import type { CollectionDetail, InterviewSummary, Page } from '../types.js';
import { InterviewList } from '../components/InterviewList.js';
import { Loading, Problem } from '../components/Problem.js';
import { NotFound } from './NotFound.js';

export function Collection() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const state = useApiGet<CollectionDetail>(`/api/collections/${encodeURIComponent(id)}`);
  const interviews = useApiGet<Page<InterviewSummary>>(
    state.status === 'success'
      ? `/api/interviews?${new URLSearchParams({ collectionId: state.data.id, pageSize: '100', sort: 'title' }).toString()}`
      : null,
  );
  useDocumentTitle(state.status === 'success' ? state.data.title : undefined);

  if (state.status === 'error') {
    if (state.problem.status === 404) {
      return <NotFound title={t('collection.notFoundTitle')} text={t('collection.notFoundText')} />;
    }
    return <Problem problem={state.problem} />;
  }
  if (state.status !== 'success') return <Loading />;

  const collection = state.data;
  return (
    <article>
      <h1>{collection.title}</h1>
      {collection.description && <p className="lead">{collection.description}</p>}
      <section aria-labelledby="collection-interviews">
        <h2 id="collection-interviews">{t('collection.interviews')}</h2>
        {interviews.status === 'loading' && <Loading />}
        {interviews.status === 'error' && <Problem problem={interviews.problem} />}
        {interviews.status === 'success' &&
          (interviews.data.items.length === 0 ? (
            <p>{t('collection.empty')}</p>
          ) : (
            <InterviewList items={interviews.data.items} />
          ))}
      </section>
    </article>
  );
}
