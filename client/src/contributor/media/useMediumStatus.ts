import { useEffect, useState } from 'react';
import { type ApiProblem, asProblem, isAbort, request } from '../../lib/http.js';
import { isFinal } from '../lib/media.js';
import type { Medium } from '../types.js';

export const POLL_INTERVAL_MS = 1500;

/** The medium as the server sees it now: polled every 1.5 s until it is ready or failed. */
export function useMediumStatus(initial: Medium): { medium: Medium; problem: ApiProblem | null } {
  const [medium, setMedium] = useState(initial);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const status = medium.status;

  useEffect(() => {
    if (isFinal(status)) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      request<Medium>('GET', `/api/media/${encodeURIComponent(initial.id)}`, { signal: controller.signal }).then(
        ({ data }) => {
          setProblem(null);
          setMedium(data);
          if (!isFinal(data.status)) timer = setTimeout(poll, POLL_INTERVAL_MS);
        },
        (err: unknown) => {
          if (isAbort(err)) return;
          setProblem(asProblem(err));
          // a hiccup (restart, network): keep asking, a little slower
          timer = setTimeout(poll, POLL_INTERVAL_MS * 2);
        },
      );
    };
    timer = setTimeout(poll, POLL_INTERVAL_MS);
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [initial.id, status]);

  return { medium, problem };
}
