// The client's one HTTP transport, for the public pages, the contributor area and the narrator review alike.
// - same-origin cookies (the session cookie is HttpOnly; the client never sees it)
// - the CSRF token from the login answer lives in memory only and goes out as X-CSRF-Token on mutations
// - Accept-Language follows the UI language (set by i18n/index.ts), so the server localises its problem titles
// - every non-2xx answer becomes an ApiProblem carrying the RFC 7807 problem+json body

export interface ProblemFieldError {
  field: string;
  message: string;
}

export interface ProblemDetails {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

export class ApiProblem extends Error {
  readonly status: number;
  readonly problem: ProblemDetails;

  constructor(problem: ProblemDetails) {
    super(problem.detail ? `${problem.title} ${problem.detail}` : problem.title);
    this.name = 'ApiProblem';
    this.status = problem.status;
    this.problem = problem;
  }

  /** True when the request never reached the server (offline, DNS, CORS, …). */
  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type MutationMethod = Exclude<Method, 'GET'>;
export type Language = 'de' | 'en';

export interface Answer<T> {
  data: T;
  etag: string | null;
  status: number;
}

export interface RequestOptions {
  /** JSON body. */
  json?: unknown;
  /** Raw text body (sent as text/plain), e.g. a transcript file. */
  text?: string;
  /** multipart/form-data body (consent scans): the browser sets the boundary. */
  form?: FormData;
  ifMatch?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Overrides the UI language set with setApiLanguage. */
  language?: Language;
}

let csrfToken: string | null = null;
let language: Language = 'de';

/** Keep the CSRF token from the login answer in memory (never in storage). Pass null on logout. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

/** The server localises problem titles from Accept-Language; i18n keeps this in step with the UI language. */
export function setApiLanguage(lang: Language): void {
  language = lang;
}

export function apiLanguage(): Language {
  return language;
}

/** The one sender: same-origin cookie, Accept-Language, X-CSRF-Token on mutations, problems as ApiProblem. */
export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': options.language ?? language,
    ...options.headers,
  };
  let body: string | FormData | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.text !== undefined) {
    headers['Content-Type'] = 'text/plain; charset=utf-8';
    body = options.text;
  } else if (options.form !== undefined) {
    body = options.form;
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiProblem({ type: 'about:network', title: 'Network error', status: 0, detail: String(err) });
  }

  if (!response.ok) throw new ApiProblem(await readProblem(response));
  const etag = response.headers.get('ETag');
  if (response.status === 204 || response.headers.get('Content-Length') === '0')
    return { data: undefined as T, etag, status: response.status };
  return { data: (await response.json()) as T, etag, status: response.status };
}

/** GET and only the body. */
export function apiGet<T>(path: string, options: Pick<RequestOptions, 'signal' | 'headers'> = {}): Promise<T> {
  return request<T>('GET', path, options).then((a) => a.data);
}

/** A JSON mutation and only the body. */
export function apiSend<T>(
  method: MutationMethod,
  path: string,
  json?: unknown,
  options: Pick<RequestOptions, 'signal' | 'headers'> = {},
): Promise<T> {
  return request<T>(method, path, { ...options, ...(json !== undefined ? { json } : {}) }).then((a) => a.data);
}

async function readProblem(response: Response): Promise<ProblemDetails> {
  const fallback: ProblemDetails = { title: response.statusText || `HTTP ${response.status}`, status: response.status };
  if (!/json/i.test(response.headers.get('Content-Type') ?? '')) return fallback;
  try {
    const problem = problemFromBody(await response.text(), response.status);
    return { ...problem, title: problem.title || fallback.title };
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

/** The problem's type slug (`/problems/consent-required` → `consent-required`), or ''. */
export function problemSlug(problem: ApiProblem): string {
  const type = problem.problem.type;
  return typeof type === 'string' ? type.replace(/^.*\/problems\//, '') : '';
}

/** Anything thrown (a problem answer, unparsable JSON, a bug) as an ApiProblem, so one component can show it. */
export function asProblem(err: unknown): ApiProblem {
  return err instanceof ApiProblem
    ? err
    : new ApiProblem({ title: '', status: 500, detail: err instanceof Error ? err.message : String(err) });
}

export const isAbort = (err: unknown) => err instanceof DOMException && err.name === 'AbortError';

export const interviewEtag = (version: number) => `W/"v${version}"`;
export const transcriptEtag = (version: number) => `W/"t${version}"`;
export const indexEtag = (version: number) => `W/"i${version}"`;
