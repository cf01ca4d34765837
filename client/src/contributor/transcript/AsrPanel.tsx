// Automatic transcription and alignment of one medium: start (POST /api/media/:id/transcribe or …/align), follow the
// job's progress, cancel, retry. When no engine is configured it says how to turn the feature on.
import { useCallback, useId, useState } from 'react';
import { type ApiProblem, asProblem, request } from '../../lib/http.js';
import { Problem } from '../../components/Problem.js';
import { useApi } from '../../useApi.js';
import { useCt } from '../i18n/index.js';
import type { MediumJob } from '../types.js';

interface AsrStatus {
  enabled: boolean;
  engine: string | null;
  model: string | null;
  howToEnable: { de: string; en: string } | null;
}

const languages = ['de', 'en', 'pl', 'ru', 'cs'] as const;

interface Props {
  mediaId: string;
  defaultLanguage: string;
  hasTranscript: boolean;
  /** A job finished with a new version: reload transcript and versions. */
  onDone: () => void;
}

export function AsrPanel({ mediaId, defaultLanguage, hasTranscript, onDone }: Props) {
  const { ct, lang } = useCt();
  const status = useApi<AsrStatus>('/api/asr').data ?? null;
  const [language, setLanguage] = useState<string>(
    (languages as readonly string[]).includes(defaultLanguage.slice(0, 2)) ? defaultLanguage.slice(0, 2) : 'de',
  );
  const [jobId, setJobId] = useState<string | null>(null);
  const [actionProblem, setActionProblem] = useState<ApiProblem | null>(null);
  const langId = useId();

  // follow a queued or running job once a second; a finished job means a new transcript version
  const followed = useApi<MediumJob>(jobId ? `/api/jobs/${encodeURIComponent(jobId)}` : null, {
    keepPrevious: true,
    pollWhile: { ms: 1000, until: (j) => j.status === 'queued' || j.status === 'running' },
    onData: (j) => {
      if (j.status === 'done') onDone();
    },
  });
  const job = followed.data ?? null;
  const problem = actionProblem ?? followed.problem;
  const { setData: showJob, reload: follow } = followed;
  const track = useCallback(
    (answer: MediumJob) => {
      showJob(answer);
      setJobId(answer.id);
      follow();
    },
    [showJob, follow],
  );

  const start = useCallback(
    async (kind: 'transcribe' | 'align') => {
      setActionProblem(null);
      try {
        track(
          (
            await request<MediumJob>('POST', `/api/media/${encodeURIComponent(mediaId)}/${kind}`, {
              json: { language },
            })
          ).data,
        );
      } catch (err) {
        setActionProblem(asProblem(err));
      }
    },
    [mediaId, language, track],
  );

  const act = useCallback(
    async (action: 'cancel' | 'retry') => {
      if (!job) return;
      setActionProblem(null);
      try {
        track((await request<MediumJob>('POST', `/api/jobs/${job.id}/${action}`, { json: {} })).data);
      } catch (err) {
        setActionProblem(asProblem(err));
      }
    },
    [job, track],
  );

  if (!status) return null;
  if (!status.enabled) {
    return (
      <aside className="sb-c-card sb-c-asr" aria-labelledby="sb-c-asr-title" data-testid="asr-off">
        <h2 id="sb-c-asr-title" className="sb-c-card-title">
          {ct('asr.title')}
        </h2>
        <p>{ct('asr.off')}</p>
        <p className="sb-c-meta">{status.howToEnable?.[lang]}</p>
      </aside>
    );
  }
  const active = job && (job.status === 'queued' || job.status === 'running');
  const jobName = job?.name === 'media.align' ? ct('asr.jobAlign') : ct('asr.jobTranscribe');
  return (
    <aside className="sb-c-card sb-c-asr" aria-labelledby="sb-c-asr-title" data-testid="asr-panel">
      <h2 id="sb-c-asr-title" className="sb-c-card-title">
        {ct('asr.title')}
      </h2>
      <p className="sb-c-meta">{ct('asr.engine', { engine: status.engine, model: status.model })}</p>
      <div className="sb-c-field">
        <label htmlFor={langId}>{ct('asr.language')}</label>
        <select id={langId} value={language} onChange={(e) => setLanguage(e.target.value)} disabled={Boolean(active)}>
          {languages.map((l) => (
            <option key={l} value={l}>
              {ct(`asr.languages.${l}` as 'asr.languages.de')}
            </option>
          ))}
        </select>
      </div>
      <div className="sb-c-actions">
        <button
          type="button"
          className="sb-c-button sb-c-primary"
          disabled={Boolean(active)}
          onClick={() => void start('transcribe')}
        >
          {ct('asr.transcribe')}
        </button>
        {hasTranscript && (
          <button
            type="button"
            className="sb-c-button"
            disabled={Boolean(active)}
            onClick={() => void start('align')}
            title={ct('asr.alignHint')}
          >
            {ct('asr.align')}
          </button>
        )}
      </div>
      <p className="sb-c-meta">{ct('asr.transcribeHint')}</p>
      <div role="status" aria-live="polite" data-testid="asr-job">
        {job && active && (
          <>
            <progress max={100} value={job.progress} aria-label={jobName} />
            <p>
              {ct('asr.running', {
                name: jobName,
                progress: Math.round(job.progress),
                status: job.status === 'queued' ? ct('asr.queued') : ct('asr.runningStatus'),
              })}
            </p>
            <button type="button" className="sb-c-button sb-c-danger" onClick={() => void act('cancel')}>
              {ct('asr.cancel')}
            </button>
          </>
        )}
        {job?.status === 'done' && <p>{ct('asr.done')}</p>}
        {(job?.status === 'failed' || job?.status === 'cancelled') && (
          <>
            <p className="sb-c-field-error">
              {job.status === 'failed' ? ct('asr.failed', { error: job.error ?? '' }) : ct('asr.cancelled')}
            </p>
            <button type="button" className="sb-c-button" onClick={() => void act('retry')}>
              {ct('asr.retry')}
            </button>
          </>
        )}
      </div>
      {problem && <Problem signIn problem={problem} />}
    </aside>
  );
}

/** Words below this confidence are marked for checking (the same threshold the job reports). */
export const LOW_CONFIDENCE = 0.5;
