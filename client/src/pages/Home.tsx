import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useApiGet } from '../useApi.js';
import { useDocumentTitle } from '../useDocumentTitle.js';
import type { CollectionList, InterviewSummary, Page } from '../types.js';
import { SearchForm } from '../components/SearchForm.js';
import { InterviewList } from '../components/InterviewList.js';
import { Loading, Problem } from '../components/Problem.js';

export function Home() {
  const { t } = useTranslation();
  useDocumentTitle();
  const interviews = useApiGet<Page<InterviewSummary>>('/api/interviews?status=published&sort=-updatedAt&pageSize=8');
  const collections = useApiGet<CollectionList>('/api/collections?pageSize=100');

  return (
    <>
      <section className="intro" aria-labelledby="home-title">
        <h1 id="home-title">{t('app.name')}</h1>
        <p className="lead">{t('home.intro')}</p>
        <SearchForm />
        <p className="meta">
          <Link to="/places">{t('home.placesLink')}</Link>
        </p>
      </section>

      <section aria-labelledby="collections-title">
        <h2 id="collections-title">{t('home.collectionsHeading')}</h2>
        {collections.status === 'loading' && <Loading />}
        {collections.status === 'error' && <Problem problem={collections.problem} />}
        {collections.status === 'success' &&
          (collections.data.items.length === 0 ? (
            <p>{t('home.noCollections')}</p>
          ) : (
            <ul className="card-list card-grid">
              {collections.data.items.map((c) => (
                <li key={c.id} className="card">
                  <h3>
                    <Link to={`/collections/${encodeURIComponent(c.id)}`}>{c.title}</Link>
                  </h3>
                  {c.description && <p>{c.description}</p>}
                </li>
              ))}
            </ul>
          ))}
      </section>

      <section aria-labelledby="interviews-title">
        <h2 id="interviews-title">{t('home.interviewsHeading')}</h2>
        {interviews.status === 'loading' && <Loading />}
        {interviews.status === 'error' && <Problem problem={interviews.problem} />}
        {interviews.status === 'success' &&
          (interviews.data.items.length === 0 ? (
            <p>{t('home.noInterviews')}</p>
          ) : (
            <>
              <p className="meta">{t('home.interviewCount', { count: interviews.data.total })}</p>
              <InterviewList items={interviews.data.items} />
            </>
          ))}
      </section>
    </>
  );
}
