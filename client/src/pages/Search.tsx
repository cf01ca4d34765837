// Archive search: transcript hits grouped by interview, each landing on its second; facets as filter checkboxes;
// pages. Everything is in the URL (/search?q=…&narrator=…&page=…), so results can be linked and go back/forward.
import { useEffect, useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useApiGet } from '../useApi.js';
import { useDocumentTitle } from '../useDocumentTitle.js';
import { facetNames, type CollectionList, type FacetName, type SearchAnswer, type SearchGroup } from '../types.js';
import { SearchForm } from '../components/SearchForm.js';
import { Loading, Problem } from '../components/Problem.js';
import { formatTimecode, isoDuration } from '../lib/time.js';
import {
  apiSearchPath,
  clearFilters,
  currentPage,
  hasFilters,
  hitHref,
  pageCount,
  pageWindow,
  safeSnippet,
  searchPageSize,
  selectedValues,
  sortFacetValues,
  toggleFacet,
  withPage,
} from './searchQuery.js';

const facetPreview = 8;

export function Search() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  useDocumentTitle(q ? `${t('search.title')}: ${q}` : t('search.title'));
  const path = apiSearchPath(params);
  const result = useApiGet<SearchAnswer>(path);
  // keep the last answer on screen while the next one loads, so ticking a filter does not blank the page
  const [last, setLast] = useState<SearchAnswer | null>(null);
  useEffect(() => {
    if (result.status === 'success') setLast(result.data);
    if (result.status === 'idle') setLast(null);
  }, [result]);
  const data = result.status === 'success' ? result.data : result.status === 'loading' ? last : null;
  const collections = useApiGet<CollectionList>(data ? '/api/collections?pageSize=100' : null);
  const collectionTitles = new Map(
    collections.status === 'success' ? collections.data.items.map((c) => [c.id, c.title]) : [],
  );
  const page = currentPage(params);
  const filtered = hasFilters(params);

  return (
    <>
      <h1>{t('search.title')}</h1>
      <SearchForm key={q} initialQuery={q} />
      {!path && <p>{t('search.prompt')}</p>}
      {result.status === 'error' && <Problem problem={result.problem} />}
      {path && !data && result.status === 'loading' && <Loading />}
      {data && (
        <div className="search-layout" aria-busy={result.status === 'loading'}>
          <FacetPanel
            data={data}
            params={params}
            labelFor={(name, value) =>
              name === 'collection'
                ? (collectionTitles.get(value) ?? value)
                : name === 'language'
                  ? languageName(value, t('search.languageFallback'))
                  : value
            }
            onToggle={(name, value) => setParams(toggleFacet(params, name, value))}
            onClear={filtered ? () => setParams(clearFilters(params)) : undefined}
          />
          <div className="search-results">
            <p className="meta" role="status">
              {data.total === 0
                ? q
                  ? t('search.noResults', { query: q })
                  : t('search.noResultsFiltered')
                : q
                  ? t('search.results', { count: data.total, query: q })
                  : t('search.resultsFiltered', { count: data.total })}
            </p>
            {data.groups.map((group) => (
              <ResultGroup key={group.interviewId} group={group} />
            ))}
            <Pagination page={page} pages={pageCount(data.total, data.pageSize || searchPageSize)} params={params} />
          </div>
        </div>
      )}
    </>
  );
}

function languageName(code: string, fallback: string): string {
  try {
    const lang = document.documentElement.lang || 'de';
    return new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
  } catch {
    return code || fallback;
  }
}

function ResultGroup({ group }: { group: SearchGroup }) {
  const { t } = useTranslation();
  const first = group.hits[0];
  const headingId = useId();
  return (
    <section className="result-group card" aria-labelledby={headingId}>
      <h2 className="h3" id={headingId}>
        {first ? <Link to={hitHref(first)}>{group.interviewTitle}</Link> : group.interviewTitle}
      </h2>
      <p className="meta">{t('search.hitsInInterview', { count: group.hitCount || group.hits.length })}</p>
      <ul className="hits">
        {group.hits.map((hit) => {
          const time = formatTimecode(hit.start);
          return (
            <li key={hit.id ?? `${hit.mediaId}:${hit.start}`} data-testid="search-hit">
              <Link to={hitHref(hit)} className="hit-link">
                <time className="timecode" dateTime={isoDuration(hit.start)}>
                  {time}
                </time>
                <span className="hit-text">
                  {hit.speaker && <span className="speaker">{hit.speaker}: </span>}
                  {/* server-escaped, matches in <mark>; safeSnippet escapes anything else once more */}
                  <span className="snippet" dangerouslySetInnerHTML={{ __html: safeSnippet(hit.snippet) }} />
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

interface FacetPanelProps {
  data: SearchAnswer;
  params: URLSearchParams;
  labelFor: (name: FacetName, value: string) => string;
  onToggle: (name: FacetName, value: string) => void;
  onClear: (() => void) | undefined;
}

function FacetPanel({ data, params, labelFor, onToggle, onClear }: FacetPanelProps) {
  const { t } = useTranslation();
  const [wide] = useState(
    () => typeof window === 'undefined' || !window.matchMedia || window.matchMedia('(min-width: 48rem)').matches,
  );
  return (
    <details className="facet-panel" open={wide || undefined}>
      <summary>{t('facets.title')}</summary>
      <div className="facet-groups">
        {onClear && (
          <button type="button" className="button-secondary" onClick={onClear}>
            {t('facets.clear')}
          </button>
        )}
        {facetNames.map((name) => (
          <FacetGroup
            key={name}
            name={name}
            counts={data.facets[name] ?? {}}
            selected={selectedValues(params, name)}
            labelFor={(v) => labelFor(name, v)}
            onToggle={(v) => onToggle(name, v)}
          />
        ))}
      </div>
    </details>
  );
}

function FacetGroup({
  name,
  counts,
  selected,
  labelFor,
  onToggle,
}: {
  name: FacetName;
  counts: Record<string, number>;
  selected: string[];
  labelFor: (value: string) => string;
  onToggle: (value: string) => void;
}) {
  const { t } = useTranslation();
  const idBase = useId();
  const [all, setAll] = useState(false);
  const entries = sortFacetValues(name, counts);
  // a ticked value stays visible even when the current answer no longer counts it
  for (const value of selected) if (!(value in counts)) entries.unshift([value, 0]);
  if (entries.length === 0) return null;
  const shown = all ? entries : entries.slice(0, Math.max(facetPreview, selected.length));
  return (
    <fieldset className="facet" data-testid={`facet-${name}`}>
      <legend>{t(`facets.${name}`)}</legend>
      <ul>
        {shown.map(([value, count], i) => {
          const id = `${idBase}-${i}`;
          return (
            <li key={value}>
              <input
                id={id}
                type="checkbox"
                checked={selected.includes(value)}
                onChange={() => onToggle(value)}
                value={value}
              />
              <label htmlFor={id}>
                {labelFor(value)} <span className="count">({count})</span>
              </label>
            </li>
          );
        })}
      </ul>
      {entries.length > shown.length || all
        ? entries.length > facetPreview && (
            <button type="button" className="link-button" aria-expanded={all} onClick={() => setAll((v) => !v)}>
              {all ? t('facets.fewer') : t('facets.more', { count: entries.length })}
            </button>
          )
        : null}
    </fieldset>
  );
}

function Pagination({ page, pages, params }: { page: number; pages: number; params: URLSearchParams }) {
  const { t } = useTranslation();
  if (pages <= 1) return null;
  const href = (n: number) => `?${withPage(params, n).toString()}`;
  return (
    <nav className="pagination" aria-label={t('pagination.label')}>
      <ul>
        <li>
          {page > 1 ? (
            <Link to={href(page - 1)} rel="prev">
              {t('pagination.previous')}
            </Link>
          ) : (
            <span className="disabled" aria-disabled="true">
              {t('pagination.previous')}
            </span>
          )}
        </li>
        {pageWindow(page, pages).map((n, i) =>
          n === null ? (
            <li key={`gap-${i}`} aria-hidden="true">
              …
            </li>
          ) : (
            <li key={n}>
              <Link
                to={href(n)}
                aria-current={n === page ? 'page' : undefined}
                aria-label={t('pagination.page', { page: n })}
              >
                {n}
              </Link>
            </li>
          ),
        )}
        <li>
          {page < pages ? (
            <Link to={href(page + 1)} rel="next">
              {t('pagination.next')}
            </Link>
          ) : (
            <span className="disabled" aria-disabled="true">
              {t('pagination.next')}
            </span>
          )}
        </li>
      </ul>
    </nav>
  );
}
