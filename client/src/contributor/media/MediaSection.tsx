// The media of one interview: what is there (with processing status and transcript import), uploads in progress,
// and unfinished uploads from before a reload that can continue.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { MediaStatusBadge, ProgressBar } from '../components/Badges.js';
import { Problem } from '../../components/Problem.js';
import { useApi } from '../../useApi.js';
import { activeJob } from '../lib/media.js';
import { formatDuration } from '../../lib/time.js';
import { formatBytes, percentOf, progressFigures } from '../lib/progress.js';
import { contributorPaths } from '../paths.js';
import { useCt } from '../i18n/index.js';
import type { Medium } from '../types.js';
import { useUploads, type PendingUpload, type UploadItem } from '../uploads/UploadsContext.js';
import { TranscriptImport } from '../transcript/TranscriptImport.js';
import { useMediumStatus } from './useMediumStatus.js';

/** A finished upload is a medium now: fetch it once so the list can show it (it is then polled there). */
function FinishedUpload({ mediumId, onMedium }: { mediumId: string; onMedium: (m: Medium) => void }) {
  useApi<Medium>(`/api/media/${encodeURIComponent(mediumId)}`, { onData: onMedium });
  return null;
}

const ACCEPT = 'audio/*,video/*,.mp3,.m4a,.wav,.flac,.ogg,.opus,.mp4,.mov,.mkv,.webm';

export function MediaSection({
  interviewId,
  media,
  onMediaChange,
}: {
  interviewId: string;
  media: Medium[];
  onMediaChange: (m: Medium[]) => void;
}) {
  const { ct } = useCt();
  const uploads = useUploads();
  const inputId = useId();
  const [pending, setPending] = useState<PendingUpload[]>([]);
  const mine = uploads.items.filter((it) => it.interviewId === interviewId);
  const mediaRef = useRef(media);
  mediaRef.current = media;

  const { findPending } = uploads;
  const refreshPending = useCallback(() => {
    void findPending(interviewId).then(setPending);
  }, [findPending, interviewId]);

  useEffect(() => {
    refreshPending();
  }, [refreshPending]);

  // a finished upload is a medium now: fetch it once and add it to the list (it is then polled there)
  const finished = mine.filter((it) => it.phase === 'done' && it.mediumId).map((it) => it.mediumId!);
  const addMedium = useCallback(
    (data: Medium) => {
      if (!mediaRef.current.some((m) => m.id === data.id))
        onMediaChange([...mediaRef.current, data].sort((a, b) => a.part - b.part));
    },
    [onMediaChange],
  );
  const newlyFinished = finished.filter((id, i) => finished.indexOf(id) === i && !media.some((m) => m.id === id));

  const onFiles = (files: FileList | null) => {
    if (!files) return;
    for (const file of Array.from(files)) void uploads.start(interviewId, file).then(refreshPending);
  };

  return (
    <section aria-labelledby="sb-c-media-title" className="sb-c-section">
      <h2 id="sb-c-media-title">{ct('media.title')}</h2>
      {newlyFinished.map((id) => (
        <FinishedUpload key={id} mediumId={id} onMedium={addMedium} />
      ))}

      {media.length === 0 && <p>{ct('media.none')}</p>}
      {media.length > 0 && (
        <ul className="sb-c-cards">
          {media.map((m) => (
            <li key={m.id}>
              <MediumCard interviewId={interviewId} initial={m} />
            </li>
          ))}
        </ul>
      )}

      <h3>{ct('uploads.title')}</h3>
      <div className="sb-c-field">
        <label htmlFor={inputId}>{ct('uploads.choose')}</label>
        <p id={`${inputId}-hint`} className="sb-c-hint">
          {ct('uploads.hint')}
        </p>
        <input
          id={inputId}
          type="file"
          multiple
          accept={ACCEPT}
          aria-describedby={`${inputId}-hint`}
          onChange={(e) => {
            onFiles(e.target.files);
            e.target.value = '';
          }}
        />
      </div>

      {pending.length > 0 && (
        <div className="sb-c-pending" role="region" aria-labelledby="sb-c-pending-title">
          <h4 id="sb-c-pending-title">{ct('uploads.pendingTitle')}</h4>
          <p>{ct('uploads.pendingText')}</p>
          <ul className="sb-c-cards">
            {pending.map((p) => (
              <li key={p.storageKey}>
                <PendingCard
                  pending={p}
                  onFile={(file) => {
                    setPending((list) => list.filter((x) => x.storageKey !== p.storageKey));
                    void uploads.start(interviewId, file, p.previous).then(refreshPending);
                  }}
                  onDiscard={() => {
                    setPending((list) => list.filter((x) => x.storageKey !== p.storageKey));
                    void uploads.discardPending(p);
                  }}
                />
              </li>
            ))}
          </ul>
        </div>
      )}

      {mine.length > 0 && (
        <ul className="sb-c-cards" aria-label={ct('uploads.listLabel')}>
          {mine.map((it) => (
            <li key={it.id}>
              <UploadCard item={it} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function UploadCard({ item }: { item: UploadItem }) {
  const { ct, lang } = useCt();
  const uploads = useUploads();
  const figures = progressFigures({
    sent: item.sent,
    total: item.size,
    runStartedAt: item.runStartedAt,
    runStartBytes: item.runStartBytes,
    now: Date.now(),
  });
  const amount = ct('uploads.amount', {
    sent: formatBytes(item.sent, lang),
    total: formatBytes(item.size, lang),
    percent: figures.percent,
  });
  const eta =
    item.phase === 'uploading' && figures.etaSeconds !== null
      ? ct('uploads.eta', { time: formatDuration(figures.etaSeconds) })
      : '';
  const speed =
    item.phase === 'uploading' && figures.bytesPerSecond !== null
      ? ct('uploads.speed', { rate: formatBytes(figures.bytesPerSecond, lang) })
      : '';
  return (
    <article className={`sb-c-card sb-c-upload sb-c-upload-${item.phase}`} aria-label={item.fileName}>
      <h4 className="sb-c-card-title">{item.fileName}</h4>
      <ProgressBar
        value={figures.percent}
        label={ct('uploads.progressLabel', { name: item.fileName })}
        valueText={[amount, eta].filter(Boolean).join(' · ')}
        testId="upload-progress"
      />
      <p className="sb-c-meta">{[ct(`uploads.phase.${item.phase}`), amount, speed, eta].filter(Boolean).join(' · ')}</p>
      {item.resumedFromPercent !== null && item.phase !== 'done' && (
        <p className="sb-c-meta" data-testid="upload-resumed">
          {ct('uploads.resumedFrom', { percent: item.resumedFromPercent })}
        </p>
      )}
      {item.phase === 'error' && (
        <p className="sb-c-field-error" role="alert">
          {ct('uploads.failed')} {item.error}
        </p>
      )}
      <div className="sb-c-actions">
        {(item.phase === 'uploading' || item.phase === 'checking') && (
          <button
            type="button"
            className="sb-c-button"
            onClick={() => uploads.pause(item.id)}
            aria-label={ct('uploads.pauseNamed', { name: item.fileName })}
          >
            {ct('uploads.pause')}
          </button>
        )}
        {item.phase === 'paused' && (
          <button
            type="button"
            className="sb-c-button"
            onClick={() => uploads.resume(item.id)}
            aria-label={ct('uploads.resumeNamed', { name: item.fileName })}
          >
            {ct('uploads.resume')}
          </button>
        )}
        {item.phase === 'error' && item.retryable && (
          <button type="button" className="sb-c-button" onClick={() => uploads.resume(item.id)}>
            {ct('uploads.retry')}
          </button>
        )}
        {item.phase !== 'done' && item.phase !== 'finishing' && !(item.phase === 'error' && !item.retryable) && (
          <button
            type="button"
            className="sb-c-button sb-c-quiet"
            onClick={() => void uploads.cancel(item.id)}
            aria-label={ct('uploads.cancelNamed', { name: item.fileName })}
          >
            {ct('uploads.cancel')}
          </button>
        )}
        {(item.phase === 'done' || (item.phase === 'error' && !item.retryable)) && (
          <button
            type="button"
            className="sb-c-button sb-c-quiet"
            onClick={() => uploads.dismiss(item.id)}
            aria-label={ct('uploads.dismissNamed', { name: item.fileName })}
          >
            {ct('uploads.dismiss')}
          </button>
        )}
      </div>
    </article>
  );
}

function PendingCard({
  pending,
  onFile,
  onDiscard,
}: {
  pending: PendingUpload;
  onFile: (f: File) => void;
  onDiscard: () => void;
}) {
  const { ct, lang } = useCt();
  const inputId = useId();
  const [mismatch, setMismatch] = useState(false);
  const percent = pending.serverOffset === null ? null : percentOf(pending.serverOffset, pending.size);
  return (
    <article className="sb-c-card" aria-label={pending.fileName}>
      <h5 className="sb-c-card-title">{pending.fileName}</h5>
      <p className="sb-c-meta">
        {formatBytes(pending.size, lang)}
        {percent !== null && <> · {ct('uploads.pendingOffset', { percent })}</>}
      </p>
      <div className="sb-c-field">
        <label htmlFor={inputId}>{ct('uploads.pendingChoose', { name: pending.fileName })}</label>
        <input
          id={inputId}
          type="file"
          accept={ACCEPT}
          aria-invalid={mismatch || undefined}
          aria-describedby={mismatch ? `${inputId}-error` : undefined}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            if (file.name !== pending.fileName || file.size !== pending.size) {
              setMismatch(true);
              return;
            }
            onFile(file);
          }}
        />
        {mismatch && (
          <p id={`${inputId}-error`} className="sb-c-field-error">
            {ct('uploads.pendingMismatch', { name: pending.fileName, size: formatBytes(pending.size, lang) })}
          </p>
        )}
      </div>
      <div className="sb-c-actions">
        <button
          type="button"
          className="sb-c-button sb-c-quiet"
          onClick={onDiscard}
          aria-label={ct('uploads.discardNamed', { name: pending.fileName })}
        >
          {ct('uploads.discard')}
        </button>
      </div>
    </article>
  );
}

function MediumCard({ interviewId, initial }: { interviewId: string; initial: Medium }) {
  const { ct, lang } = useCt();
  const { medium, problem } = useMediumStatus(initial);
  const job = activeJob(medium);
  return (
    <article className="sb-c-card" aria-labelledby={`sb-c-medium-${medium.id}`}>
      <h3 className="sb-c-card-title" id={`sb-c-medium-${medium.id}`}>
        {ct('media.part', { part: medium.part })} – {medium.originalFilename}
      </h3>
      <p className="sb-c-meta">
        {ct(`media.kind.${medium.kind}`)} · {formatDuration(medium.durationSec)} · {formatBytes(medium.sizeBytes, lang)}
      </p>
      <span className="visually-hidden" role="status">
        {ct('media.statusAnnouncement', { name: medium.originalFilename, status: ct(`mediaStatus.${medium.status}`) })}
      </span>
      <p data-testid="media-status" data-status={medium.status} className="sb-c-media-status">
        <MediaStatusBadge status={medium.status} /> <span className="sb-c-status-word">({medium.status})</span>
        {medium.status !== 'ready' && medium.status !== 'failed' && (
          <>
            {' '}
            {ct('media.progress', { percent: medium.progress })}
            {job && ` · ${ct('media.job', { name: job.name, status: job.status })}`}
          </>
        )}
      </p>
      {medium.status !== 'ready' && medium.status !== 'failed' && (
        <ProgressBar value={medium.progress} label={ct('media.processingLabel', { name: medium.originalFilename })} />
      )}
      {medium.status === 'failed' && (
        <p className="sb-c-field-error" role="alert">
          {ct('media.failed')} {medium.error ?? job?.error ?? ''}
        </p>
      )}
      {problem && <Problem signIn problem={problem} />}
      <p>
        <Link to={contributorPaths.transcript(interviewId, medium.id)}>
          {ct('media.openEditor', { part: medium.part })}
        </Link>
      </p>
      <details className="sb-c-details">
        <summary>{ct('import.title')}</summary>
        <TranscriptImport interviewId={interviewId} mediaId={medium.id} />
      </details>
    </article>
  );
}
