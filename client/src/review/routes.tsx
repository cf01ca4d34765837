// How App.tsx mounts the narrator review pages: outside the site layout (narrators see no archive navigation), at
//   /durchsicht               → the short code from the letter
//   /durchsicht/:credential   → the review itself (the link token from the letter's QR code, or the code)
// The pages' code, texts and styles load only when someone opens them.
import { lazy, Suspense } from 'react';
import { Route } from 'react-router';

const ReviewArea = lazy(() => import('./index.js'));

function Loading() {
  // the namespace is not loaded yet: both languages, plainly
  return (
    <p className="loading" role="status" style={{ fontSize: '1.375rem', padding: '2rem' }}>
      Einen Moment bitte … / One moment please …
    </p>
  );
}

const area = (
  <Suspense fallback={<Loading />}>
    <ReviewArea />
  </Suspense>
);

/** The route elements of the review pages (two paths, one lazily loaded area). */
export function reviewRoutes() {
  return (
    <>
      <Route path="durchsicht" element={area} />
      <Route path="durchsicht/:credential" element={area} />
    </>
  );
}
