// Requests that need more than client/src/api.ts gives: the answer's ETag (for If-Match), If-Match itself, and raw
// text bodies (transcript import). Same conventions: same-origin cookie, X-CSRF-Token on mutations, problem+json
// answers become ApiProblem.
import { apiRequest, ApiProblem, getCsrfToken, type Answer, type ProblemDetails } from '../api.js';
import i18n from '../i18n/index.js';

export type { Answer };

export interface SendOptions {
  /** JSON body. */
  json?: unknown;
  /** Raw text body (sent as text/plain). */
  text?: string;
  ifMatch?: string | null;
  signal?: AbortSignal;
}

export const interviewEtag = (version: number) => `W/"v${version}"`;
export const transcriptEtag = (version: number) => `W/"t${version}"`;
export const indexEtag = (version: number) => `W/"i${version}"`;

export function apiLanguage(): 'de' | 'en' {
  return i18n.language === 'en' ? 'en' : 'de';
}

export function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options: SendOptions = {}): Promise<Answer<T>> {
  return apiRequest<T>(method, path, { ...options, language: apiLanguage(), parseProblem: problemOf });
}

/**
 * A multipart/form-data request (consent scans): the browser sets the boundary, so no Content-Type here. Same cookie,
 * CSRF token, language and problem parsing as request().
 */
export async function sendForm<T>(method: 'POST' | 'PUT', path: string, form: FormData, options: { ifMatch?: string | null; signal?: AbortSignal } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', 'Accept-Language': apiLanguage() };
  const csrf = getCsrfToken();
  if (csrf) headers['X-CSRF-Token'] = csrf;
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: form, credentials: 'same-origin', ...(options.signal ? { signal: options.signal } : {}) });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiProblem({ type: 'about:network', title: 'Network error', status: 0, detail: String(err) });
  }
  if (!response.ok) throw new ApiProblem(await problemOf(response));
  return { data: (await response.json()) as T, etag: response.headers.get('ETag'), status: response.status };
}

/** The problem's type slug (`/problems/consent-required` → `consent-required`), or ''. */
export function problemSlug(problem: ApiProblem): string {
  const type = problem.problem.type;
  return typeof type === 'string' ? type.replace(/^.*\/problems\//, '') : '';
}

export async function problemOf(response: Response): Promise<ProblemDetails> {
  const fallback: ProblemDetails = { title: response.statusText, status: response.status };
  if (!/json/i.test(response.headers.get('Content-Type') ?? '')) return fallback;
  try {
    return problemFromBody(await response.text(), response.status);
  } catch {
    return fallback;
  }
}

/** A problem+json text (also from tus-js-client's XHR) as ProblemDetails; the status wins over what the body says. */
export function problemFromBody(text: string, status: number): ProblemDetails {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') {
      const p = parsed as Partial<ProblemDetails>;
      return { ...p, title: typeof p.title === 'string' ? p.title : '', status };
    }
  } catch {
    // not JSON
  }
  return { title: '', status, ...(text.trim() ? { detail: text.trim().slice(0, 300) } : {}) };
}

export function asProblem(err: unknown): ApiProblem {
  return err instanceof ApiProblem ? err : new ApiProblem({ title: '', status: 500, detail: err instanceof Error ? err.message : String(err) });
}

export const isAbort = (err: unknown) => err instanceof DOMException && err.name === 'AbortError';
