// Tiny fetch wrapper for the Schichtbuch API.
// - same-origin cookies (the session cookie is HttpOnly; the client never sees it)
// - the CSRF token from the login answer lives in memory only and goes out as X-CSRF-Token on mutations
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

export type MutationMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

let csrfToken: string | null = null;
let language: 'de' | 'en' = 'de';

/** Keep the CSRF token from the login answer in memory (never in storage). Pass null on logout. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

/** The server localises problem titles from Accept-Language; keep it in step with the UI language. */
export function setApiLanguage(lang: 'de' | 'en'): void {
  language = lang;
}

export function apiGet<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return request<T>('GET', path, undefined, options);
}

export function apiSend<T>(method: MutationMethod, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  return request<T>(method, path, body, options);
}

function request<T>(method: 'GET' | MutationMethod, path: string, body: unknown, options: RequestOptions): Promise<T> {
  return apiRequest<T>(method, path, { ...options, ...(body !== undefined ? { json: body } : {}) }).then((a) => a.data);
}

export interface Answer<T> {
  data: T;
  etag: string | null;
  status: number;
}

export interface ApiRequestOptions extends RequestOptions {
  /** JSON body. */
  json?: unknown;
  /** Raw text body (sent as text/plain), e.g. a transcript file. */
  text?: string;
  ifMatch?: string | null;
  /** Overrides the language set with setApiLanguage. */
  language?: 'de' | 'en';
  /** How a non-2xx answer becomes ProblemDetails (default: problem+json with the status text as fallback title). */
  parseProblem?: (response: Response) => Promise<ProblemDetails>;
}

/** The one sender: same-origin cookie, Accept-Language, X-CSRF-Token on mutations, problems as ApiProblem. */
export async function apiRequest<T>(method: 'GET' | MutationMethod, path: string, options: ApiRequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': options.language ?? language,
    ...options.headers,
  };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.text !== undefined) {
    headers['Content-Type'] = 'text/plain; charset=utf-8';
    body = options.text;
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
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiProblem({ type: 'about:network', title: 'Network error', status: 0, detail: String(err) });
  }

  if (!response.ok) throw new ApiProblem(await (options.parseProblem ?? readProblem)(response));
  const etag = response.headers.get('ETag');
  if (response.status === 204 || response.headers.get('Content-Length') === '0') return { data: undefined as T, etag, status: response.status };
  return { data: (await response.json()) as T, etag, status: response.status };
}

async function readProblem(response: Response): Promise<ProblemDetails> {
  const fallback: ProblemDetails = { title: response.statusText || `HTTP ${response.status}`, status: response.status };
  const type = response.headers.get('Content-Type') ?? '';
  if (!/json/i.test(type)) return fallback;
  try {
    const body: unknown = await response.json();
    if (body === null || typeof body !== 'object') return fallback;
    const problem = body as Partial<ProblemDetails>;
    return {
      ...problem,
      title: typeof problem.title === 'string' && problem.title !== '' ? problem.title : fallback.title,
      status: typeof problem.status === 'number' ? problem.status : response.status,
    };
  } catch {
    return fallback;
  }
}
