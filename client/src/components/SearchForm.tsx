import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';

/** A plain GET form to /search (works without JS); with JS it navigates client-side. */
export function SearchForm({ initialQuery = '' }: { initialQuery?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const id = useId();
  const [query, setQuery] = useState(initialQuery);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const q = query.trim();
    void navigate(q ? `/search?${new URLSearchParams({ q }).toString()}` : '/search');
  }

  return (
    <form className="search-form" role="search" method="get" action="/search" onSubmit={onSubmit}>
      <label htmlFor={id}>{t('search.label')}</label>
      <div className="search-row">
        <input
          id={id}
          type="search"
          name="q"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={t('search.placeholder')}
          autoComplete="off"
        />
        <button type="submit">{t('search.submit')}</button>
      </div>
    </form>
  );
}
