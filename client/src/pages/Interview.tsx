// The interview page: player (lazy chunk with video.js), interactive transcript, index, metadata, downloads,
// "share this moment" and keyboard shortcuts. `?t=<seconds>&m=<mediaId>` opens a part at a second and plays.
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useApiGet } from '../useApi.js';
import { playable, sortedMedia, useInterview } from './useInterview.js';
import { useDocumentTitle } from '../useDocumentTitle.js';
import type { CollectionDetail, MediaIndexAnswer, Medium, SearchHit, Transcript as TranscriptData } from '../types.js';
import { formatEmbargo, formatRecordedAt } from '../format.js';
import { Loading, Problem } from '../components/Problem.js';
import { ShortcutsDialog } from '../components/ShortcutsDialog.js';
import { PlaybackClock } from '../player/clock.js';
import type { PlayerController } from '../player/controller.js';
import { IndexPanel } from '../player/IndexPanel.js';
import { shortcutFor, skipSeconds } from '../player/keyboard.js';
import { formatTimecode, parseTimeParam } from '../lib/time.js';
import { Transcript, useInterviewSearch } from '../player/Transcript.js';
import { placeSlug } from '../components/placeSlug.js';
import { NotFound } from './NotFound.js';

const loadPlayer = () => import('../player/Player.js');
const Player = lazy(loadPlayer);

const downloadFormats = ['vtt', 'srt', 'txt', 'ohms'] as const;

/** The IIIF Presentation 3 media type (its JSON-LD profile), as the server sends the manifest. */
const IIIF_MANIFEST_TYPE = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"';
const iiifManifestUrl = (id: string) => `/iiif/interviews/${encodeURIComponent(id)}/manifest`;

export function Interview() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const mParam = params.get('m');
  const tParam = parseTimeParam(params.get('t'));
  const state = useInterview(id, mParam);
  useDocumentTitle(state.status === 'success' ? state.data.title : undefined);

  const [clock] = useState(() => new PlaybackClock());
  const controllerRef = useRef<PlayerController | null>(null);
  const [hasController, setHasController] = useState(false);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [announcement, setAnnouncement] = useState('');
  const [shared, setShared] = useState<{ url: string; copied: boolean } | null>(null);

  // start fetching the player chunk together with the interview, not after it
  useEffect(() => {
    void loadPlayer();
  }, []);

  const interview = state.status === 'success' ? state.data : null;
  const media = sortedMedia(interview?.media ?? []);
  const medium = media.find((m) => m.id === mParam) ?? media[0] ?? null;
  const mediumId = medium?.id ?? null;
  const base =
    interview && medium
      ? `/api/interviews/${encodeURIComponent(interview.id)}/media/${encodeURIComponent(medium.id)}`
      : null;
  const transcript = useApiGet<TranscriptData>(base ? `${base}/transcript` : null);
  const index = useApiGet<MediaIndexAnswer>(base ? `${base}/index` : null);
  const collection = useApiGet<CollectionDetail>(
    interview?.collectionId ? `/api/collections/${encodeURIComponent(interview.collectionId)}` : null,
  );
  const isVideo = medium?.kind === 'video';
  const inInterviewSearch = useInterviewSearch(id);

  const onController = useCallback((c: PlayerController | null) => {
    controllerRef.current = c;
    setHasController(c !== null);
  }, []);

  const seek = useCallback(
    (seconds: number) => {
      const c = controllerRef.current;
      if (c) c.seek(seconds);
      else clock.set(seconds, false);
    },
    [clock],
  );
  /** A timecode in the transcript or the index: "play from here". */
  const playFrom = useCallback(
    (seconds: number) => {
      seek(seconds);
      controllerRef.current?.play();
    },
    [seek],
  );

  // a new ?t= for the part already loaded (history navigation): go there and play
  const lastT = useRef<{ m: string | null; t: number | null }>({ m: mediumId, t: tParam });
  useEffect(() => {
    const previous = lastT.current;
    lastT.current = { m: mediumId, t: tParam };
    if (previous.m !== mediumId || previous.t === tParam || tParam == null) return;
    const c = controllerRef.current;
    if (c) {
      c.seek(tParam);
      c.play();
    }
  }, [mediumId, tParam]);

  const onHit = useCallback(
    (hit: SearchHit) => {
      if (hit.mediaId === mediumId) {
        seek(hit.start);
        return;
      }
      setParams({ m: hit.mediaId, t: String(hit.start) }, { replace: true });
    },
    [mediumId, seek, setParams],
  );

  // keyboard shortcuts (documented in the dialog)
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || dialogRef.current?.open) return;
      const action = shortcutFor(
        {
          key: event.key,
          ctrlKey: event.ctrlKey,
          metaKey: event.metaKey,
          altKey: event.altKey,
          target: event.target as HTMLElement | null,
        },
        { video: isVideo },
      );
      if (!action) return;
      if (action === 'help') {
        event.preventDefault();
        dialogRef.current?.showModal();
        return;
      }
      const c = controllerRef.current;
      if (!c) return;
      event.preventDefault();
      switch (action) {
        case 'toggle-play':
          c.togglePlay();
          break;
        case 'back':
          c.skip(-skipSeconds);
          break;
        case 'forward':
          c.skip(skipSeconds);
          break;
        case 'toggle-captions': {
          const on = c.toggleCaptions();
          if (on !== null) setAnnouncement(on ? t('player.captionsOn') : t('player.captionsOff'));
          break;
        }
        case 'fullscreen':
          c.toggleFullscreen();
          break;
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [isVideo, t]);

  if (state.status === 'error') {
    if (state.problem.status === 404) {
      return <NotFound title={t('interview.notFoundTitle')} text={t('interview.notFoundText')} />;
    }
    return <Problem problem={state.problem} />;
  }
  if (!interview) return <Loading />;
  if (interview.sealed) {
    // a listed embargo: the interview exists, nothing of it is served until the date
    return (
      <article className="interview">
        <h1>{interview.title}</h1>
        <p className="notice" role="status">
          {t('interview.sealedText', { date: formatEmbargo(interview.embargoUntil, i18n.language) })}
        </p>
      </article>
    );
  }

  const narrators = interview.people.filter((p) => p.role === 'narrator');
  const interviewers = interview.people.filter((p) => p.role === 'interviewer');
  const keywords = interview.keywords ?? [];
  const spokenLanguage = interview.language || 'de';
  const partLabel = (m: Medium) => t('interview.part', { part: m.part });
  const transcriptReady = transcript.status === 'success';
  const points = index.status === 'success' ? index.data.points : [];

  async function share() {
    if (!interview || !medium) return;
    const second = Math.floor(controllerRef.current?.currentTime() ?? clock.time);
    const url = new URL(`/interviews/${encodeURIComponent(interview.id)}`, window.location.origin);
    url.searchParams.set('t', String(second));
    url.searchParams.set('m', medium.id);
    let copied = false;
    try {
      await navigator.clipboard.writeText(url.toString());
      copied = true;
    } catch {
      copied = false; // no clipboard permission: the link is shown to copy by hand
    }
    setShared({ url: url.toString(), copied });
  }

  const meta = [
    narrators.map((p) => p.name).join(', '),
    interview.place?.name,
    interview.recordedAt ? formatRecordedAt(interview.recordedAt, i18n.language) : undefined,
  ].filter(Boolean);

  return (
    <article className="interview">
      <header className="interview-header">
        <h1>{interview.title}</h1>
        {meta.length > 0 && <p className="meta">{meta.join(' · ')}</p>}
        {/* IIIF Presentation 3 manifest: React hoists the <link> into <head> for viewers and harvesters */}
        <link rel="alternate" type={IIIF_MANIFEST_TYPE} href={iiifManifestUrl(interview.id)} title="IIIF Manifest" />
        <p className="iiif-link">
          <a href={iiifManifestUrl(interview.id)} type={IIIF_MANIFEST_TYPE} data-testid="iiif-manifest-link">
            <abbr title="International Image Interoperability Framework">IIIF</abbr> {t('interview.iiifManifest')}
          </a>
        </p>
      </header>

      {media.length > 1 && (
        <nav className="parts" aria-label={t('interview.parts')}>
          <ul>
            {media.map((m) => (
              <li key={m.id}>
                <Link
                  to={{ search: `?m=${encodeURIComponent(m.id)}` }}
                  replace
                  aria-current={m.id === mediumId ? 'true' : undefined}
                  className={m.id === mediumId ? 'part is-current' : 'part'}
                >
                  {partLabel(m)} <span className="meta">({formatTimecode(m.durationSec)})</span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}

      <div className="interview-layout">
        <section className="interview-player" aria-label={t('player.region')}>
          {!medium && <p>{t('player.noMedia')}</p>}
          {medium && !playable(medium) && (
            <p className="notice" role="status">
              {medium.status === 'failed'
                ? t('player.mediaFailed')
                : t('player.processing', { progress: Math.round(medium.progress) })}
            </p>
          )}
          {medium && playable(medium) && (
            <Suspense fallback={<Loading />}>
              <Player
                key={medium.id}
                medium={medium}
                label={media.length > 1 ? `${interview.title} – ${partLabel(medium)}` : interview.title}
                captions={
                  transcriptReady
                    ? {
                        src: `${base}/transcript?format=vtt`,
                        srclang: spokenLanguage,
                        label: t('player.captionsLabel'),
                      }
                    : null
                }
                chapters={points}
                chaptersLanguage={spokenLanguage}
                startAt={tParam}
                autoplay={tParam != null}
                clock={clock}
                onController={onController}
              >
                <button
                  type="button"
                  className="button-secondary"
                  onClick={() => void share()}
                  disabled={!hasController}
                >
                  {t('share.button')}
                </button>
                <button type="button" className="button-secondary" onClick={() => dialogRef.current?.showModal()}>
                  {t('shortcuts.button')}
                </button>
              </Player>
            </Suspense>
          )}
          {shared && (
            <div className="share-result">
              <label htmlFor="share-url">{t('share.label')}</label>
              <input id="share-url" type="text" readOnly value={shared.url} onFocus={(e) => e.currentTarget.select()} />
              <p className="meta" role="status">
                {shared.copied ? t('share.copied') : t('share.copyByHand')}
              </p>
            </div>
          )}
          <p className="visually-hidden" role="status" aria-live="polite">
            {announcement}
          </p>
        </section>

        <aside className="interview-transcript" aria-label={t('transcript.title')}>
          {medium && (
            <Transcript
              mediaId={medium.id}
              segments={transcript.status === 'success' ? transcript.data.segments : null}
              placeholder={
                transcript.status === 'error' ? (
                  transcript.problem.status === 404 ? (
                    <p>{t('transcript.none')}</p>
                  ) : (
                    <Problem problem={transcript.problem} />
                  )
                ) : (
                  <Loading />
                )
              }
              search={inInterviewSearch}
              language={spokenLanguage}
              clock={clock}
              onSeek={playFrom}
              onHit={onHit}
            />
          )}
        </aside>

        <div className="interview-details">
          <IndexPanel points={points} clock={clock} language={spokenLanguage} onSeek={playFrom} />

          <section className="metadata" aria-labelledby="metadata-title">
            <h2 id="metadata-title">{t('interview.metadata')}</h2>
            <dl className="facts">
              {narrators.length > 0 && (
                <div>
                  <dt>{t('interview.narrators')}</dt>
                  <dd>{narrators.map((p) => p.name).join(', ')}</dd>
                </div>
              )}
              {interviewers.length > 0 && (
                <div>
                  <dt>{t('interview.interviewers')}</dt>
                  <dd>{interviewers.map((p) => p.name).join(', ')}</dd>
                </div>
              )}
              {interview.recordedAt && (
                <div>
                  <dt>{t('interview.recordedAt')}</dt>
                  <dd>
                    <time dateTime={interview.recordedAt}>{formatRecordedAt(interview.recordedAt, i18n.language)}</time>
                  </dd>
                </div>
              )}
              {interview.place && (
                <div>
                  <dt>{t('interview.place')}</dt>
                  <dd>
                    <Link to={`/places#${placeSlug(interview.place.name)}`}>{interview.place.name}</Link>
                  </dd>
                </div>
              )}
              {collection.status === 'success' && (
                <div>
                  <dt>{t('interview.collection')}</dt>
                  <dd>
                    <Link to={`/collections/${encodeURIComponent(collection.data.id)}`}>{collection.data.title}</Link>
                  </dd>
                </div>
              )}
              {media.length > 0 && (
                <div>
                  <dt>{t('interview.duration')}</dt>
                  <dd>{formatTimecode(media.reduce((sum, m) => sum + m.durationSec, 0))}</dd>
                </div>
              )}
            </dl>
            {keywords.length > 0 && (
              <>
                <h3>{t('interview.keywords')}</h3>
                <ul className="tags">
                  {keywords.map((k) => (
                    <li key={k}>
                      <Link to={`/search?${new URLSearchParams({ keyword: k }).toString()}`}>{k}</Link>
                    </li>
                  ))}
                </ul>
              </>
            )}
            {interview.summary && (
              <>
                <h3>{t('interview.summary')}</h3>
                <p lang={spokenLanguage}>{interview.summary}</p>
              </>
            )}
          </section>

          {transcriptReady && base && (
            <section className="downloads" aria-labelledby="downloads-title">
              <h2 id="downloads-title">{t('downloads.title')}</h2>
              <ul className="download-list">
                {downloadFormats.map((f) => (
                  <li key={f}>
                    <a href={`${base}/transcript?format=${f}&download=true`} download>
                      {t(`downloads.${f}`)}
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      </div>

      <ShortcutsDialog ref={dialogRef} video={isVideo} />
    </article>
  );
}
