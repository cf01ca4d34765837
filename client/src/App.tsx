import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { Layout } from './components/Layout.js';
import { Loading } from './components/Problem.js';
import { Home } from './pages/Home.js';
import { Search } from './pages/Search.js';
import { Collection } from './pages/Collection.js';
import { Login } from './pages/Login.js';
import { NotFound } from './pages/NotFound.js';
import { contributorRoutes } from './contributor/routes.js';
import { reviewRoutes } from './review/routes.js';

// Pages with heavy parts get their own chunks: the interview page (which in turn loads the video.js player
// chunk) and the places page (which loads Leaflet only when a tile server is configured).
const Interview = lazy(() => import('./pages/Interview.js').then((m) => ({ default: m.Interview })));
const Places = lazy(() => import('./pages/Places.js').then((m) => ({ default: m.Places })));

export function App() {
  return (
    <Routes>
      {reviewRoutes()}
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="search" element={<Search />} />
        <Route
          path="interviews/:id"
          element={
            <Suspense fallback={<Loading />}>
              <Interview />
            </Suspense>
          }
        />
        <Route path="collections/:id" element={<Collection />} />
        <Route
          path="places"
          element={
            <Suspense fallback={<Loading />}>
              <Places />
            </Suspense>
          }
        />
        <Route path="login" element={<Login />} />
        {contributorRoutes()}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
