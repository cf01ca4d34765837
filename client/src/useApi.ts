// The client's one way to read data from the API: public pages, the contributor area and the narrator review alike.
// - the path is the dependency key: a new path (or `null` = nothing to fetch) aborts the running request and fetches
//   again; `reload()` fetches the same path again (after a mutation), keeping the shown data until the answer is in;
// - the request is aborted when the component unmounts, and a late answer never overwrites a newer one;
// - every failure is an ApiProblem (problem+json through lib/http.ts), so one Problem component shows it;
// - `setData` replaces the data with what a mutation answered, without another round trip.
import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApiProblem, asProblem, isAbort, request } from './lib/http.js';

export type ApiState<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; problem: ApiProblem }
  | { status: 'success'; data: T };

export interface ApiOptions<T> {
  /** Keep showing the last data while a new path or a reload is fetched (lists with filters, polling). */
  keepPrevious?: boolean;
  /** Headers for the GET (the review credential). */
  headers?: Record<string, string>;
  /** Fetch again this many ms after each answer while `until` is true for it (job and medium status); after an
   *  error, again after `afterErrorMs` (if set). */
  pollWhile?: { ms: number; until: (data: T) => boolean; afterErrorMs?: number };
  /** The caller already holds this answer (e.g. a medium from its interview): shown at once, and not fetched again
   *  until polling or reload() asks for it. */
  initialData?: T;
  /** Called with every answer, e.g. to copy a record into an edit form; not a reason to fetch again. */
  onData?: (data: T, etag: string | null) => void;
  /** Called with every failure (not with an abort). */
  onError?: (problem: ApiProblem) => void;
}

export interface ApiResource<T> {
  state: ApiState<T>;
  /** The last data (also while reloading with keepPrevious), or undefined. */
  data: T | undefined;
  /** The ETag of that answer (for If-Match on the next change). */
  etag: string | null;
  /** A request is running (also a reload that keeps the previous data). */
  loading: boolean;
  problem: ApiProblem | null;
  /** Fetch the same path again. */
  reload: () => void;
  /** Fetch the same path again and resolve with that answer (rejects with its ApiProblem). */
  refetch: () => Promise<T>;
  /** Replace the data with what a mutation answered. */
  setData: (next: T | ((prev: T | undefined) => T), etag?: string | null) => void;
}

interface Held<T> {
  state: ApiState<T>;
  data: T | undefined;
  etag: string | null;
  fetching: boolean;
}

export function useApi<T>(path: string | null, options: ApiOptions<T> = {}): ApiResource<T> {
  const [held, setHeld] = useState<Held<T>>(() =>
    options.initialData !== undefined
      ? {
          state: { status: 'success', data: options.initialData },
          data: options.initialData,
          etag: null,
          fetching: false,
        }
      : { state: path ? { status: 'loading' } : { status: 'idle' }, data: undefined, etag: null, fetching: !!path },
  );
  // the first run for the first path uses initialData instead of a request
  const initialPath = useRef(options.initialData !== undefined ? path : undefined);
  const [generation, setGeneration] = useState(0);
  // refetch() callers waiting for the next answer
  const waiters = useRef<{ resolve: (data: T) => void; reject: (problem: ApiProblem) => void }[]>([]);
  // options are read when an answer arrives, so inline callbacks do not make a new request
  const optionsRef = useRef(options);
  useEffect(() => {
    optionsRef.current = options;
  });
  const headersKey = options.headers ? JSON.stringify(options.headers) : '';

  useEffect(() => {
    if (!path) {
      setHeld({ state: { status: 'idle' }, data: undefined, etag: null, fetching: false });
      return;
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fetchOnce = (first: boolean) => {
      const { headers, keepPrevious } = optionsRef.current;
      if (first)
        setHeld((h) =>
          keepPrevious && h.data !== undefined
            ? { ...h, fetching: true }
            : { state: { status: 'loading' }, data: undefined, etag: null, fetching: true },
        );
      request<T>('GET', path, { signal: controller.signal, ...(headers ? { headers } : {}) }).then(
        ({ data, etag }) => {
          if (controller.signal.aborted) return;
          setHeld({ state: { status: 'success', data }, data, etag, fetching: false });
          const { onData, pollWhile } = optionsRef.current;
          onData?.(data, etag);
          for (const w of waiters.current.splice(0)) w.resolve(data);
          if (pollWhile && pollWhile.until(data)) timer = setTimeout(() => fetchOnce(false), pollWhile.ms);
        },
        (err: unknown) => {
          if (controller.signal.aborted || isAbort(err)) return;
          // anything that is not a problem answer (e.g. unparsable JSON) shows the generic error text
          setHeld((h) => ({
            state: { status: 'error', problem: asProblem(err) },
            data: h.data,
            etag: h.etag,
            fetching: false,
          }));
          const problem = asProblem(err);
          for (const w of waiters.current.splice(0)) w.reject(problem);
          optionsRef.current.onError?.(problem);
          const retry = optionsRef.current.pollWhile?.afterErrorMs;
          if (retry) timer = setTimeout(() => fetchOnce(false), retry);
        },
      );
    };
    if (initialPath.current === path && generation === 0) {
      const { pollWhile, initialData } = optionsRef.current;
      if (pollWhile && initialData !== undefined && pollWhile.until(initialData))
        timer = setTimeout(() => fetchOnce(false), pollWhile.ms);
    } else {
      fetchOnce(true);
    }
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [path, generation, headersKey]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const refetch = useCallback(
    () =>
      new Promise<T>((resolve, reject) => {
        waiters.current.push({ resolve, reject });
        setGeneration((n) => n + 1);
      }),
    [],
  );
  const setData = useCallback((next: T | ((prev: T | undefined) => T), etag?: string | null) => {
    setHeld((h) => {
      const data = typeof next === 'function' ? (next as (prev: T | undefined) => T)(h.data) : next;
      return { ...h, state: { status: 'success', data }, data, etag: etag === undefined ? h.etag : etag };
    });
  }, []);

  const { state } = held;
  return {
    state,
    data: held.data,
    etag: held.etag,
    loading: held.fetching,
    problem: state.status === 'error' ? state.problem : null,
    reload,
    refetch,
    setData,
  };
}

/** GET `path` (null = don't fetch) and only its state: the public pages' short form of useApi. */
export function useApiGet<T>(path: string | null): ApiState<T> {
  return useApi<T>(path).state;
}
