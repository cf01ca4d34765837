// Client unit tests: translation resources stay in step, and the fetch wrapper (with fetch stubbed) behaves.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProblem, apiGet, apiSend, setApiLanguage, setCsrfToken } from '../../client/src/lib/http.js';
import { describeTranslationPair } from '../helpers/i18n.js';

describeTranslationPair(
  'client i18n resources (de.json / en.json)',
  new URL('../../client/src/i18n/', import.meta.url),
  10,
);

describe('client api.ts with a stubbed global fetch', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(null);
    setApiLanguage('de');
  });

  function stubFetch(response: Response) {
    const fetchMock = vi.fn<typeof fetch>(async () => response);
    vi.stubGlobal('fetch', fetchMock);
    return fetchMock;
  }

  it('apiSend (stubbed fetch) sends X-CSRF-Token from memory, JSON body and same-origin credentials', async () => {
    const fetchMock = stubFetch(Response.json({ ok: true }, { status: 200 }));
    setCsrfToken('tok-123');
    setApiLanguage('en');

    await expect(apiSend('POST', '/api/things', { name: 'Bagger 1452' })).resolves.toEqual({ ok: true });

    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/things');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('same-origin');
    expect(init?.body).toBe(JSON.stringify({ name: 'Bagger 1452' }));
    const headers = new Headers(init?.headers);
    expect(headers.get('X-CSRF-Token')).toBe('tok-123');
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(headers.get('Accept-Language')).toBe('en');
  });

  it('apiGet (stubbed fetch) never sends the CSRF token', async () => {
    const fetchMock = stubFetch(Response.json({ items: [], total: 0 }));
    setCsrfToken('tok-123');
    await apiGet('/api/collections');
    const headers = new Headers(fetchMock.mock.calls[0]![1]?.headers);
    expect(headers.has('X-CSRF-Token')).toBe(false);
    expect(fetchMock.mock.calls[0]![1]?.credentials).toBe('same-origin');
  });

  it('parses an application/problem+json answer into ApiProblem (stubbed fetch)', async () => {
    const problem = {
      type: '/problems/invalid-credentials',
      title: 'E-Mail oder Passwort ist falsch.',
      status: 401,
      detail: 'Bitte erneut versuchen.',
      instance: '/api/auth/login',
    };
    stubFetch(
      new Response(JSON.stringify(problem), { status: 401, headers: { 'Content-Type': 'application/problem+json' } }),
    );

    const error = await apiSend('POST', '/api/auth/login', { email: 'a@b.de', password: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiProblem);
    const apiProblem = error as ApiProblem;
    expect(apiProblem.status).toBe(401);
    expect(apiProblem.problem).toEqual(problem);
    expect(apiProblem.isNetworkError).toBe(false);
  });

  it('turns a non-JSON error (e.g. proxy 502) and a network failure into ApiProblem (stubbed fetch)', async () => {
    stubFetch(new Response('Bad Gateway', { status: 502, statusText: 'Bad Gateway' }));
    await expect(apiGet('/api/search?q=x')).rejects.toMatchObject({ status: 502, problem: { title: 'Bad Gateway' } });

    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('fetch failed'))),
    );
    const error = await apiGet('/api/search?q=x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiProblem);
    expect((error as ApiProblem).isNetworkError).toBe(true);
  });
});
