import { useEffect, useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { SuggestAnswer } from '../types.js';
import { useApi } from '../useApi.js';

const debounceMs = 200;
const minLength = 2;

/**
 * A plain GET form to /search (works without JS); with JS it navigates client-side and offers suggestions from
 * /api/search/suggest as an ARIA 1.2 combobox (list autocomplete: ↓/↑ choose, Enter takes, Esc closes).
 */
export function SearchForm({ initialQuery = '', suggest = true }: { initialQuery?: string; suggest?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const id = useId();
  const listId = `${id}-list`;
  const [query, setQuery] = useState(initialQuery);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  /** Only typing asks for suggestions (not taking one, not the initial value). */
  const [typed, setTyped] = useState(false);
  // ask once the reader pauses: the typed text, settled for debounceMs
  const settled = useSettled(suggest && typed ? query.trim() : '', debounceMs);
  useApi<SuggestAnswer>(
    settled.length >= minLength ? `/api/search/suggest?${new URLSearchParams({ q: settled }).toString()}` : null,
    {
      onData: (answer) => {
        const list = answer.suggestions.filter((s) => s.toLowerCase() !== settled.toLowerCase());
        setSuggestions(list);
        setActive(-1);
        setOpen(list.length > 0);
      },
      // suggestions are a convenience: no answer, no list
      onError: () => setOpen(false),
    },
  );

  function onType(value: string) {
    setTyped(true);
    setQuery(value);
    if (value.trim().length < minLength) {
      setSuggestions([]);
      setOpen(false);
    }
  }

  function go(value: string) {
    const q = value.trim();
    setOpen(false);
    void navigate(q ? `/search?${new URLSearchParams({ q }).toString()}` : '/search');
  }

  function take(value: string) {
    setTyped(false);
    setQuery(value);
    go(value);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const chosen = open && active >= 0 ? suggestions[active] : undefined;
    if (chosen !== undefined) take(chosen);
    else go(query);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' && suggestions.length > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((i) => (i + 1) % suggestions.length);
    } else if (event.key === 'ArrowUp' && suggestions.length > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((i) => (i <= 0 ? suggestions.length - 1 : i - 1));
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  }

  const expanded = open && suggestions.length > 0;
  return (
    <form className="search-form" role="search" method="get" action="/search" onSubmit={onSubmit}>
      <label htmlFor={id}>{t('search.label')}</label>
      <div className="search-row">
        <div className="combobox">
          <input
            id={id}
            type="search"
            name="q"
            value={query}
            onChange={(e) => onType(e.target.value)}
            onKeyDown={onKeyDown}
            onBlur={() => setOpen(false)}
            placeholder={t('search.placeholder')}
            autoComplete="off"
            {...(suggest
              ? {
                  role: 'combobox',
                  'aria-autocomplete': 'list' as const,
                  'aria-expanded': expanded,
                  'aria-controls': listId,
                  'aria-activedescendant': expanded && active >= 0 ? `${listId}-${active}` : undefined,
                }
              : {})}
          />
          {suggest && (
            <ul
              id={listId}
              role="listbox"
              aria-label={t('search.suggestions')}
              className="suggestions"
              hidden={!expanded}
            >
              {suggestions.map((s, i) => (
                <li
                  key={s}
                  id={`${listId}-${i}`}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? 'is-active' : undefined}
                  // keep focus in the input (mousedown would blur it and close the list before the click)
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => take(s)}
                >
                  {s}
                </li>
              ))}
            </ul>
          )}
        </div>
        <button type="submit">{t('search.submit')}</button>
      </div>
      {suggest && (
        <p className="visually-hidden" aria-live="polite">
          {expanded ? t('search.suggestionCount', { count: suggestions.length }) : ''}
        </p>
      )}
    </form>
  );
}

/** `value` once it has not changed for `ms` (what to ask the API while someone types). */
function useSettled(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
