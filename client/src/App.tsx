import { Route, Routes } from 'react-router';
import { Layout } from './components/Layout.js';
import { Home } from './pages/Home.js';
import { Search } from './pages/Search.js';
import { Interview } from './pages/Interview.js';
import { Collection } from './pages/Collection.js';
import { Login } from './pages/Login.js';
import { NotFound } from './pages/NotFound.js';

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="search" element={<Search />} />
        <Route path="interviews/:id" element={<Interview />} />
        <Route path="collections/:id" element={<Collection />} />
        <Route path="login" element={<Login />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
