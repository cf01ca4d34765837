// Transcript editor synced to a plain media element: the segment being spoken is highlighted, every segment can be
// corrected (text, speaker), split at the playback time, merged with the next, or started at the playback time.
// Each change is a new version (If-Match: W/"t<version>"); the index (chapters) and the version history sit below.
import type { TimedSegment } from '../../../../server/store/types.js';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { type ApiProblem, asProblem, request, transcriptEtag } from '../../lib/http.js';
import { useDocumentTitle } from '../../useDocumentTitle.js';
import { MediaStatusBadge } from '../components/Badges.js';
import { Problem } from '../../components/Problem.js';
import { formatTimecodeTenths } from '../../lib/time.js';
import { currentSegmentIndex, lastStartedIndex, renumberDrafts, roundTime } from '../lib/segments.js';
import { SKIP_SECONDS } from '../lib/shortcuts.js';
import { AreaBreadcrumbs } from '../components/AreaBreadcrumbs.js';
import { contributorPaths } from '../paths.js';
import { useCt } from '../i18n/index.js';
import type { Transcript } from '../types.js';
import { useTranscriptData } from './useTranscriptData.js';
import { useEditorPlayback } from './useEditorPlayback.js';
import { IndexEditor } from './IndexEditor.js';
import { Player } from './Player.js';
import { SegmentRow, type SegmentAction, type SegmentDraft } from './SegmentRow.js';
import { TranscriptImport } from './TranscriptImport.js';
import { VersionHistory } from './VersionHistory.js';
import { AsrPanel, LOW_CONFIDENCE } from './AsrPanel.js';

export function TranscriptEditorRoute() {
  const { id = '', mediaId = '' } = useParams();
  return <TranscriptEditor key={`${id}/${mediaId}`} interviewId={id} mediaId={mediaId} />;
}

function TranscriptEditor({ interviewId, mediaId }: { interviewId: string; mediaId: string }) {
  const { ct } = useCt();
  const [drafts, setDrafts] = useState<Map<number, SegmentDraft>>(new Map());
  const [rowErrors, setRowErrors] = useState<Map<number, string>>(new Map());
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [conflict, setConflict] = useState<number | null | 'unknown'>(null);
  const data = useTranscriptData(interviewId, mediaId, () => setConflict(null));
  const {
    base,
    load,
    transcript,
    setTranscript,
    reloadTranscript: loadTranscript,
    versions,
    reloadVersions: loadVersions,
  } = data;
  const [message, setMessage] = useState('');
  const { mediaRef, time, setTime, playing, setPlaying, seek } = useEditorPlayback();
  const [follow, setFollow] = useState(true);
  const listRef = useRef<HTMLOListElement>(null);
  const speakersListId = useId();
  const followId = useId();

  const title =
    load.kind === 'ready'
      ? ct('editor.pageTitle', { title: load.interview.title, part: load.medium.part })
      : ct('editor.pageTitlePlain');
  useDocumentTitle(title);

  // the editor works on timed transcripts; untimed legacy text (start null) has no rows to sync with the player
  const segments = (transcript?.segments ?? []).filter(
    (s): s is typeof s & TimedSegment => s.start !== null && s.end !== null,
  );
  const current = currentSegmentIndex(segments, time);
  const anchor = lastStartedIndex(segments, time);
  const tenths = Math.round(time * 10) / 10;

  // follow the playback: keep the current segment in view, unless the person is typing in the list
  useEffect(() => {
    if (!follow || !playing || current < 0) return;
    const list = listRef.current;
    if (!list || list.contains(document.activeElement)) return;
    list.querySelector(`[data-index="${current}"]`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [current, follow, playing]);

  const onDraft = useCallback((n: number, draft: SegmentDraft | undefined) => {
    setDrafts((d) => {
      const next = new Map(d);
      if (draft) next.set(n, draft);
      else next.delete(n);
      return next;
    });
  }, []);

  const transcriptRef = useRef(transcript);
  transcriptRef.current = transcript;
  const draftsRef = useRef(drafts);
  draftsRef.current = drafts;
  const timeRef = useRef(time);
  timeRef.current = time;

  const onAction = useCallback(
    async (n: number, action: SegmentAction) => {
      const t = transcriptRef.current;
      if (!t) return;
      const seg = t.segments[n];
      if (!seg) return;
      const at = roundTime(mediaRef.current?.currentTime ?? timeRef.current);
      const ifMatch = transcriptEtag(t.version);
      setBusy(true);
      setProblem(null);
      setMessage('');
      setRowErrors((m) => {
        const next = new Map(m);
        next.delete(n);
        return next;
      });
      try {
        let answer: Transcript;
        if (action === 'save') {
          const draft = draftsRef.current.get(n);
          if (!draft) return;
          const body: Record<string, unknown> = {};
          if (draft.text !== seg.text) body.text = draft.text;
          const speaker = draft.speaker.trim() === '' ? null : draft.speaker.trim();
          if (speaker !== seg.speaker) body.speaker = speaker;
          if (Object.keys(body).length === 0) {
            onDraft(n, undefined);
            return;
          }
          answer = (await request<Transcript>('PATCH', `${base}/transcript/segments/${n}`, { json: body, ifMatch }))
            .data;
          onDraft(n, undefined);
          setMessage(ct('editor.savedSegment', { n: n + 1, version: answer.version }));
        } else if (action === 'setStart') {
          answer = (
            await request<Transcript>('PATCH', `${base}/transcript/segments/${n}`, { json: { start: at }, ifMatch })
          ).data;
          setMessage(ct('editor.startSet', { n: n + 1, time: formatTimecodeTenths(at), version: answer.version }));
        } else if (action === 'split') {
          answer = (
            await request<Transcript>('POST', `${base}/transcript/segments/${n}/split`, { json: { at }, ifMatch })
          ).data;
          setDrafts((d) => renumberDrafts(d, { kind: 'split', n }));
          setMessage(ct('editor.splitDone', { n: n + 1, time: formatTimecodeTenths(at), version: answer.version }));
        } else {
          answer = (await request<Transcript>('POST', `${base}/transcript/segments/${n}/merge`, { json: {}, ifMatch }))
            .data;
          setDrafts((d) => renumberDrafts(d, { kind: 'merge', n }));
          setMessage(ct('editor.mergeDone', { n: n + 1, next: n + 2, version: answer.version }));
        }
        setTranscript(answer);
        loadVersions();
      } catch (err) {
        const p = asProblem(err);
        if (p.status === 412) {
          const currentVersion = typeof p.problem.currentVersion === 'number' ? p.problem.currentVersion : 'unknown';
          setConflict(currentVersion);
        } else if (p.problem.errors?.length) {
          setRowErrors((m) => new Map(m).set(n, p.problem.errors!.map((e) => e.message).join(' ')));
        } else {
          setProblem(p);
          // a server error may come after the version was stored: show what the server has now (drafts stay)
          if (p.status >= 500) {
            loadTranscript();
            loadVersions();
          }
        }
      } finally {
        setBusy(false);
      }
    },
    [base, ct, loadTranscript, loadVersions, onDraft, setTranscript, mediaRef],
  );

  const onRowAction = useCallback((n: number, action: SegmentAction) => void onAction(n, action), [onAction]);

  const restore = async (version: number) => {
    if (!transcript) return;
    setBusy(true);
    setProblem(null);
    try {
      await request('POST', `${base}/transcript/restore`, {
        json: { version },
        ifMatch: transcriptEtag(transcript.version),
      });
      loadTranscript();
      setDrafts(new Map());
      loadVersions();
      setMessage(ct('versions.restored', { version }));
    } catch (err) {
      const p = asProblem(err);
      if (p.status === 412)
        setConflict(typeof p.problem.currentVersion === 'number' ? p.problem.currentVersion : 'unknown');
      else setProblem(p);
    } finally {
      setBusy(false);
    }
  };

  const markReviewed = async () => {
    if (!transcript) return;
    setBusy(true);
    setProblem(null);
    try {
      const answer = (
        await request<Transcript>('POST', `${base}/transcript/review`, {
          json: {},
          ifMatch: transcriptEtag(transcript.version),
        })
      ).data;
      setTranscript(answer);
      loadVersions();
      setMessage(ct('asr.reviewed', { version: answer.version }));
    } catch (err) {
      const p = asProblem(err);
      if (p.status === 412)
        setConflict(typeof p.problem.currentVersion === 'number' ? p.problem.currentVersion : 'unknown');
      else setProblem(p);
    } finally {
      setBusy(false);
    }
  };
  const onAsrDone = useCallback(() => {
    setDrafts(new Map());
    loadTranscript();
    loadVersions();
  }, [loadTranscript, loadVersions]);

  const speakerOptions = useMemo(() => {
    const names = new Set<string>();
    if (load.kind === 'ready') for (const p of load.interview.people) names.add(p.name);
    for (const s of segments) if (s.speaker) names.add(s.speaker);
    return [...names];
  }, [load, segments]);

  if (load.kind === 'loading') {
    return (
      <p className="sb-c-loading" role="status">
        {ct('common.loading')}
      </p>
    );
  }
  if (load.kind === 'error' || load.kind === 'missing') {
    return (
      <section>
        <AreaBreadcrumbs current={ct('editor.pageTitlePlain')} />
        <h1>{ct('editor.pageTitlePlain')}</h1>
        {load.kind === 'error' ? <Problem signIn problem={load.problem} /> : <p>{ct('editor.mediumNotFound')}</p>}
      </section>
    );
  }

  const { interview, medium } = load;
  const dirtyCount = drafts.size;

  return (
    <section aria-labelledby="sb-c-editor-title" className="sb-c-editor-page">
      <AreaBreadcrumbs
        current={ct('editor.crumb', { part: medium.part })}
        trail={[{ to: contributorPaths.interview(interview.id), label: interview.title }]}
      />
      <h1 id="sb-c-editor-title">{title}</h1>
      <p className="sb-c-meta">
        {medium.originalFilename} · <MediaStatusBadge status={medium.status} />
        {transcript && (
          <>
            {' · '}
            <span data-testid="transcript-version">{ct('editor.version', { version: transcript.version })}</span>
            {' · '}
            {ct('editor.segmentCount', { count: transcript.segments.length })}
          </>
        )}
      </p>

      <p className="sb-c-live" role="status" aria-live="polite" data-testid="editor-message">
        {message}
      </p>
      {conflict !== null && (
        <div className="problem" role="alert">
          <p className="problem-title">{ct('editor.conflictTitle')}</p>
          <p>
            {conflict === 'unknown'
              ? ct('editor.conflictText')
              : ct('editor.conflictTextVersion', { version: conflict })}
          </p>
          <button
            type="button"
            className="sb-c-button"
            onClick={() => {
              loadTranscript();
              loadVersions();
            }}
          >
            {ct('editor.reload')}
          </button>
        </div>
      )}
      {(problem ?? data.transcriptProblem) && <Problem signIn problem={(problem ?? data.transcriptProblem)!} />}
      {transcript?.draft && (
        <div className="sb-c-notice-warn sb-c-asr-draft" role="note" data-testid="asr-draft">
          <p>{ct('asr.draftTitle')}</p>
          <p className="sb-c-asr-draft-text">{ct('asr.draftText', { source: transcript.draft.source })}</p>
          <p className="sb-c-asr-draft-text">{ct('asr.legend', { percent: LOW_CONFIDENCE * 100 })}</p>
          <button
            type="button"
            className="sb-c-button sb-c-primary"
            disabled={busy || dirtyCount > 0}
            onClick={() => void markReviewed()}
          >
            {ct('asr.markReviewed')}
          </button>
        </div>
      )}

      <div className="sb-c-editor">
        <div className="sb-c-editor-side">
          <Player
            medium={medium}
            mediaRef={mediaRef}
            captionsUrl={transcript ? `${base}/transcript?format=vtt&version=${transcript.version}` : null}
            label={ct('editor.playerLabel', { part: medium.part })}
            onTime={setTime}
            onPlayingChange={setPlaying}
          />
          <p className="sb-c-meta" aria-hidden="true">
            {formatTimecodeTenths(tenths)}
          </p>
          <aside className="sb-c-help" aria-labelledby="sb-c-help-title">
            <h2 id="sb-c-help-title" className="sb-c-help-title">
              {ct('shortcuts.title')}
            </h2>
            <dl>
              <dt>
                <kbd>Esc</kbd> {ct('shortcuts.or')} <kbd>{ct('shortcuts.ctrl')}</kbd>+<kbd>{ct('shortcuts.space')}</kbd>
              </dt>
              <dd>{ct('shortcuts.toggle')}</dd>
              <dt>
                <kbd>{ct('shortcuts.ctrl')}</kbd>+<kbd>R</kbd> {ct('shortcuts.or')} <kbd>Alt</kbd>+<kbd>←</kbd>
              </dt>
              <dd>{ct('shortcuts.rewind', { seconds: SKIP_SECONDS })}</dd>
              <dt>
                <kbd>Alt</kbd>+<kbd>→</kbd>
              </dt>
              <dd>{ct('shortcuts.forward', { seconds: SKIP_SECONDS })}</dd>
              <dt>
                <kbd>{ct('shortcuts.ctrl')}</kbd>+<kbd>Enter</kbd>
              </dt>
              <dd>{ct('shortcuts.save')}</dd>
            </dl>
          </aside>
          <AsrPanel
            mediaId={medium.id}
            defaultLanguage={interview.language}
            hasTranscript={Boolean(transcript)}
            onDone={onAsrDone}
          />
          <p className="sb-c-checkbox">
            <input id={followId} type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
            <label htmlFor={followId}>{ct('editor.follow')}</label>
          </p>
        </div>

        <div className="sb-c-editor-main">
          <h2 className="visually-hidden">{ct('editor.segmentsTitle')}</h2>
          {transcript === undefined && <p className="sb-c-loading">{ct('common.loading')}</p>}
          {transcript === null && (
            <div className="sb-c-card">
              <p>{ct('editor.noTranscript')}</p>
              <TranscriptImport
                interviewId={interview.id}
                mediaId={medium.id}
                onImported={() => {
                  loadTranscript();
                  loadVersions();
                }}
              />
            </div>
          )}
          {dirtyCount > 0 && <p className="sb-c-unsaved-note">{ct('editor.unsavedCount', { count: dirtyCount })}</p>}
          {transcript && (
            <>
              <datalist id={speakersListId}>
                {speakerOptions.map((s) => (
                  <option key={s} value={s} />
                ))}
              </datalist>
              <ol className="sb-c-segments" ref={listRef} aria-label={ct('editor.segmentsTitle')}>
                {segments.map((s, n) => (
                  <SegmentRow
                    key={`${n}:${s.start}`}
                    index={n}
                    segment={s}
                    draft={drafts.get(n)}
                    isCurrent={n === current}
                    isLast={n === transcript.segments.length - 1}
                    showConfidence={Boolean(transcript.draft)}
                    nextHasDraft={drafts.has(n + 1)}
                    time={n >= anchor - 1 && n <= anchor + 2 ? tenths : null}
                    busy={busy}
                    error={rowErrors.get(n)}
                    speakersListId={speakersListId}
                    onDraft={onDraft}
                    onAction={onRowAction}
                    onSeek={seek}
                  />
                ))}
              </ol>
              <details className="sb-c-details">
                <summary>{ct('editor.reimport')}</summary>
                <TranscriptImport
                  interviewId={interview.id}
                  mediaId={medium.id}
                  onImported={() => {
                    setDrafts(new Map());
                    loadTranscript();
                    loadVersions();
                  }}
                />
              </details>
            </>
          )}
        </div>
      </div>

      <IndexEditor basePath={base} getTime={() => mediaRef.current?.currentTime ?? 0} onSeek={seek} />
      <VersionHistory
        versions={versions}
        currentVersion={transcript?.currentVersion ?? null}
        busy={busy}
        onRestore={(v) => void restore(v)}
      />
    </section>
  );
}
