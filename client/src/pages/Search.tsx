import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useApiGet } from '../useApi.js';
import { useDocumentTitle } from '../useDocumentTitle.js';
import type { SearchAnswer } from '../types.js';
import { SearchForm } from '../components/SearchForm.js';
import { Loading, ProblemMessage } from '../components/ProblemMessage.js';

/** Placeholder search page: GET /api/search?q=…; a 503 shows the problem title (e.g. "Suche nicht verfügbar"). */
export function Search() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  useDocumentTitle(q ? `${t('search.title')}: ${q}` : t('search.title'));
  const result = useApiGet<SearchAnswer>(q ? `/api/search?${new URLSearchParams({ q }).toString()}` : null);

  return (
    <>
      <h1>{t('search.title')}</h1>
      <SearchForm key={q} initialQuery={q} />
      <div aria-live="polite">
        {!q && <p>{t('search.prompt')}</p>}
        {result.status === 'loading' && <Loading />}
        {result.status === 'error' && <ProblemMessage problem={result.problem} />}
        {result.status === 'success' &&
          (result.data.total === 0 || result.data.hits.length === 0 ? (
            <p>{t('search.noResults', { query: q })}</p>
          ) : (
            <>
              <p className="meta">{t('search.results', { count: result.data.total, query: q })}</p>
              <ul className="card-list">
                {result.data.hits.map((hit, i) => (
                  <li key={hit.id ?? i} className="card">
                    <h2 className="h3">
                      {hit.id ? (
                        <Link to={`/interviews/${encodeURIComponent(hit.id)}`}>{hit.title ?? t('search.untitled')}</Link>
                      ) : (
                        (hit.title ?? t('search.untitled'))
                      )}
                    </h2>
                    {hit.summary && <p>{hit.summary}</p>}
                  </li>
                ))}
              </ul>
            </>
          ))}
      </div>
    </>
  );
}
