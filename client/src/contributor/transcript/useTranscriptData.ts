// What the transcript editor reads: the interview (for the medium and the speakers), the medium's transcript (404 =
// none yet) and its version list, all through the one data hook. Changes answer with the new transcript (setTranscript);
// reloadTranscript/reloadVersions fetch again after a change made elsewhere (ASR, import, restore).
import type { ApiProblem } from '../../lib/http.js';
import { useApi } from '../../useApi.js';
import type { InterviewWithMedia, Medium, Transcript, VersionSummary } from '../types.js';

export type Load =
  | { kind: 'loading' }
  | { kind: 'error'; problem: ApiProblem }
  | { kind: 'missing' }
  | { kind: 'ready'; interview: InterviewWithMedia; medium: Medium };

export function useTranscriptData(interviewId: string, mediaId: string, onFreshTranscript: () => void) {
  const base = `/api/interviews/${encodeURIComponent(interviewId)}/media/${encodeURIComponent(mediaId)}`;
  const record = useApi<InterviewWithMedia>(`/api/interviews/${encodeURIComponent(interviewId)}`);
  const transcriptAnswer = useApi<Transcript>(`${base}/transcript`, { keepPrevious: true, onData: onFreshTranscript });
  const versionsAnswer = useApi<{ items: VersionSummary[] }>(`${base}/transcript/versions`, { keepPrevious: true });

  let load: Load = { kind: 'loading' };
  if (record.state.status === 'error') load = { kind: 'error', problem: record.state.problem };
  else if (record.state.status === 'success') {
    const interview = record.state.data;
    const medium = interview.media.find((m) => m.id === mediaId);
    load = medium ? { kind: 'ready', interview, medium } : { kind: 'missing' };
  }

  const failed = transcriptAnswer.problem;
  // undefined = still loading, null = the medium has no transcript yet
  const transcript: Transcript | null | undefined = failed?.status === 404 ? null : transcriptAnswer.data;
  return {
    base,
    load,
    transcript,
    transcriptProblem: failed && failed.status !== 404 ? failed : null,
    setTranscript: transcriptAnswer.setData,
    reloadTranscript: transcriptAnswer.reload,
    versions: versionsAnswer.problem ? [] : (versionsAnswer.data?.items ?? null),
    reloadVersions: versionsAnswer.reload,
  };
}
