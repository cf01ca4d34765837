// The search page's URL ↔ API translation, kept pure for unit tests.
// URL: /search?q=…&narrator=A,B&decade=1980&page=2 — facet names as the API reports them.
import { facetNames, type FacetName } from '../types.js';

export const searchPageSize = 20;
/** The API refuses pages beyond 500. */
export const maxPage = 500;

/** Where the API's filter parameter is named differently from its facet. */
const apiParamOf: Partial<Record<FacetName, string>> = { collection: 'collectionId' };

/** Values of one facet filter in the URL (comma list). */
export function selectedValues(params: URLSearchParams, name: FacetName): string[] {
  return (params.get(name) ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

export function hasFilters(params: URLSearchParams): boolean {
  return facetNames.some((name) => selectedValues(params, name).length > 0);
}

export function currentPage(params: URLSearchParams): number {
  const n = Number(params.get('page'));
  return Number.isInteger(n) && n >= 1 ? Math.min(n, maxPage) : 1;
}

/** The /api/search path for a page URL, or null when there is nothing to ask (no query, no filter). */
export function apiSearchPath(params: URLSearchParams, pageSize = searchPageSize): string | null {
  const q = (params.get('q') ?? '').trim();
  if (!q && !hasFilters(params)) return null;
  const api = new URLSearchParams();
  if (q) api.set('q', q);
  for (const name of facetNames) {
    const values = selectedValues(params, name);
    if (values.length > 0) api.set(apiParamOf[name] ?? name, values.join(','));
  }
  api.set('page', String(currentPage(params)));
  api.set('pageSize', String(pageSize));
  return `/api/search?${api.toString()}`;
}

/** The page URL's parameters with one facet value switched on or off; back to page 1. */
export function toggleFacet(params: URLSearchParams, name: FacetName, value: string): URLSearchParams {
  const next = new URLSearchParams(params);
  const values = selectedValues(params, name);
  const updated = values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
  if (updated.length > 0) next.set(name, updated.join(','));
  else next.delete(name);
  next.delete('page');
  return next;
}

export function withPage(params: URLSearchParams, page: number): URLSearchParams {
  const next = new URLSearchParams(params);
  if (page <= 1) next.delete('page');
  else next.set('page', String(page));
  return next;
}

export function clearFilters(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams();
  const q = params.get('q');
  if (q) next.set('q', q);
  return next;
}

export function pageCount(total: number, pageSize = searchPageSize): number {
  return Math.min(maxPage, Math.max(1, Math.ceil(total / pageSize)));
}

/** Page numbers to offer around the current one: first, last and neighbours, with null for a gap. */
export function pageWindow(current: number, pages: number): Array<number | null> {
  const wanted = new Set([1, pages, current - 1, current, current + 1].filter((n) => n >= 1 && n <= pages));
  const sorted = [...wanted].sort((a, b) => a - b);
  const out: Array<number | null> = [];
  for (const n of sorted) {
    const last = out.at(-1);
    if (typeof last === 'number' && n - last > 1) out.push(null);
    out.push(n);
  }
  return out;
}

/** Facet values in display order: years and decades newest first, everything else by count, then A–Z. */
export function sortFacetValues(name: FacetName, counts: Record<string, number>): Array<[string, number]> {
  const entries = Object.entries(counts);
  if (name === 'year' || name === 'decade') return entries.sort((a, b) => Number(b[0]) - Number(a[0]));
  return entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'de'));
}

/**
 * Snippets arrive HTML-escaped with the matches in <mark>. Defence in depth before they go into innerHTML:
 * every `<` that does not open or close a <mark> is escaped, so no other element can ever be created.
 */
export function safeSnippet(html: string): string {
  return html.replace(/<(?!\/?mark>)/gi, '&lt;');
}

/** Link from a hit to the second in the interview. */
export function hitHref(hit: { interviewId: string; mediaId: string; start: number }): string {
  const params = new URLSearchParams({ t: String(hit.start), m: hit.mediaId });
  return `/interviews/${encodeURIComponent(hit.interviewId)}?${params.toString()}`;
}
