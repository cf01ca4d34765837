// How App.tsx mounts the contributor area. Either
//   <Routes><Route element={<Layout />}> … {contributorRoutes()} … </Route></Routes>
// or, equivalently, by hand:
//   const ContributorArea = lazy(() => import('./contributor/index.js'));
//   <Route path="mitarbeit/*" element={<Suspense fallback={…}><ContributorArea /></Suspense>} />
// The area's code, texts and styles load only when someone opens /mitarbeit.
import { lazy, Suspense } from 'react';
import { Route } from 'react-router';
import { useTranslation } from 'react-i18next';

const ContributorArea = lazy(() => import('./index.js'));

function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

/** The route element(s) of the contributor area, lazy-loaded, at /mitarbeit and below. */
export function contributorRoutes() {
  return (
    <Route
      path="mitarbeit/*"
      element={
        <Suspense fallback={<Loading />}>
          <ContributorArea />
        </Suspense>
      }
    />
  );
}
