// The interview page's record: GET /api/interviews/:id through the one data hook; while the chosen part has nothing
// playable yet (still being processed), ask again every few seconds.
import { useEffect } from 'react';
import type { InterviewDetail, Medium } from '../types.js';
import { type ApiState, useApi } from '../useApi.js';

export const WAIT_FOR_MEDIA_MS = 4000;

export const playable = (m: Medium) => Boolean(m.hls || m.originalPlayable);

export function sortedMedia(media: Medium[]): Medium[] {
  return [...media].sort((a, b) => a.part - b.part);
}

export function useInterview(id: string, selected: string | null): ApiState<InterviewDetail> {
  // a poll keeps the page as it is until the answer is in
  const answer = useApi<InterviewDetail>(`/api/interviews/${encodeURIComponent(id)}`, { keepPrevious: true });
  const { state, reload } = answer;
  const media = state.status === 'success' ? (state.data.media ?? []) : [];
  const current = media.find((m) => m.id === selected) ?? sortedMedia(media)[0];
  const waiting = Boolean(current && !playable(current) && current.status !== 'failed');
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setTimeout(reload, WAIT_FOR_MEDIA_MS);
    return () => window.clearTimeout(timer);
  }, [waiting, state, reload]);
  return state;
}
