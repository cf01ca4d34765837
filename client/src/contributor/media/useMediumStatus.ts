import type { ApiProblem } from '../../lib/http.js';
import { useApi } from '../../useApi.js';
import { isFinal } from '../lib/media.js';
import type { Medium } from '../types.js';

export const POLL_INTERVAL_MS = 1500;

/** The medium as the server sees it now: polled every 1.5 s until it is ready or failed. */
export function useMediumStatus(initial: Medium): { medium: Medium; problem: ApiProblem | null } {
  const answer = useApi<Medium>(`/api/media/${encodeURIComponent(initial.id)}`, {
    initialData: initial,
    // a hiccup (restart, network): keep asking, a little slower
    pollWhile: { ms: POLL_INTERVAL_MS, until: (m) => !isFinal(m.status), afterErrorMs: POLL_INTERVAL_MS * 2 },
  });
  return { medium: answer.data ?? initial, problem: answer.problem };
}
