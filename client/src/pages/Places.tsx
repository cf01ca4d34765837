// Places of the interviews: a list (always) and a Leaflet map when a tile server is configured. Leaflet is
// loaded only here, and only with tiles: window.__SCHICHTBUCH__.tileUrl or <meta name="schichtbuch-tiles" content="…">.
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ApiProblem } from '../lib/http.js';
import { useApi } from '../useApi.js';
import { useDocumentTitle } from '../useDocumentTitle.js';
import type { InterviewSummary, Page } from '../types.js';
import { Loading, Problem } from '../components/Problem.js';
import { groupByPlace } from '../lib/places.js';

const PlacesMap = lazy(() => import('../components/PlacesMap.js'));

declare global {
  interface Window {
    __SCHICHTBUCH__?: { tileUrl?: string; tileAttribution?: string };
  }
}

function tileConfig(): { url: string; attribution: string } | null {
  const fromWindow = typeof window !== 'undefined' ? window.__SCHICHTBUCH__ : undefined;
  const meta =
    typeof document !== 'undefined' ? document.querySelector<HTMLMetaElement>('meta[name="schichtbuch-tiles"]') : null;
  const url = fromWindow?.tileUrl || meta?.content || '';
  if (!url) return null;
  const attribution = fromWindow?.tileAttribution || meta?.dataset.attribution || '© OpenStreetMap';
  return { url, attribution };
}

type State =
  { status: 'loading' } | { status: 'error'; problem: ApiProblem } | { status: 'success'; items: InterviewSummary[] };

/** All interviews the visitor may see, page by page (at most 1 000): the next page's path once the last one is in. */
function useAllInterviews(): State {
  const [pages, setPages] = useState<{ next: number; items: InterviewSummary[]; done: boolean }>({
    next: 1,
    items: [],
    done: false,
  });
  const { problem } = useApi<Page<InterviewSummary>>(
    pages.done ? null : `/api/interviews?pageSize=100&page=${pages.next}&sort=title`,
    {
      onData: (answer) =>
        setPages((p) => {
          const items = [...p.items, ...answer.items];
          const done = items.length >= answer.total || answer.items.length === 0 || p.next >= 10;
          return { next: done ? p.next : p.next + 1, items, done };
        }),
    },
  );
  if (problem) return { status: 'error', problem };
  return pages.done ? { status: 'success', items: pages.items } : { status: 'loading' };
}

export function Places() {
  const { t } = useTranslation();
  useDocumentTitle(t('places.title'));
  const state = useAllInterviews();
  const { hash } = useLocation();
  const [tiles] = useState(tileConfig);
  const groups = useMemo(() => (state.status === 'success' ? groupByPlace(state.items) : []), [state]);
  const located = useMemo(() => groups.filter((g) => g.lat !== null), [groups]);

  // /places#ort-… from an interview: bring that place into view once the list is there
  useEffect(() => {
    if (!hash || groups.length === 0) return;
    const target = document.getElementById(decodeURIComponent(hash.slice(1)));
    target?.scrollIntoView();
    target?.focus();
  }, [hash, groups.length]);

  return (
    <>
      <h1>{t('places.title')}</h1>
      <p className="lead">{t('places.intro')}</p>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <Problem problem={state.problem} />}
      {state.status === 'success' && (
        <>
          {tiles && located.length > 0 && (
            <Suspense fallback={<Loading />}>
              <PlacesMap groups={located} tiles={tiles} />
            </Suspense>
          )}
          {!tiles && <p className="meta">{t('places.noMap')}</p>}
          {groups.length === 0 ? (
            <p>{t('places.none')}</p>
          ) : (
            <ul className="place-list">
              {groups.map((g) => (
                <li key={g.name} className="card" id={g.slug} tabIndex={-1}>
                  <h2 className="h3">{g.name}</h2>
                  <p className="meta">{t('home.interviewCount', { count: g.interviews.length })}</p>
                  <ul>
                    {g.interviews.map((i) => (
                      <li key={i.id}>
                        <Link to={`/interviews/${encodeURIComponent(i.id)}`}>{i.title}</Link>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}
