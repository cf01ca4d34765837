import { useEffect, useState } from 'react';
import { ApiProblem, apiGet } from './lib/http.js';

export type ApiState<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; problem: ApiProblem }
  | { status: 'success'; data: T };

/** GET `path` (null = don't fetch); aborts the request when the path changes or the component unmounts. */
export function useApiGet<T>(path: string | null): ApiState<T> {
  const [state, setState] = useState<ApiState<T>>(path ? { status: 'loading' } : { status: 'idle' });

  useEffect(() => {
    if (!path) {
      setState({ status: 'idle' });
      return;
    }
    const controller = new AbortController();
    setState({ status: 'loading' });
    apiGet<T>(path, { signal: controller.signal }).then(
      (data) => setState({ status: 'success', data }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        // anything that is not a problem answer (e.g. unparsable JSON) shows the generic error text
        const problem = err instanceof ApiProblem ? err : new ApiProblem({ title: '', status: 500 });
        setState({ status: 'error', problem });
      },
    );
    return () => controller.abort();
  }, [path]);

  return state;
}
