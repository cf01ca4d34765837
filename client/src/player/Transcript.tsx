// Interactive transcript: the current passage (and word, where word timings exist) follows playback; a click on a
// passage or its timecode seeks; "follow playback" keeps the current passage in view; search inside the interview
// steps through every hit (across parts) with previous/next.
import { memo, useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiProblem } from '../lib/http.js';
import { useApi } from '../useApi.js';
import type { InterviewSearchAnswer, SearchHit, TranscriptSegment } from '../types.js';
import { type PlaybackClock, useClock } from './clock.js';
import { formatTimecode } from '../lib/time.js';
import { findActiveIndex, findCurrentIndex } from './time.js';

export interface TranscriptProps {
  mediaId: string;
  /** null while the part's transcript is loading or missing; `placeholder` says which. */
  segments: TranscriptSegment[] | null;
  placeholder?: ReactNode;
  /** The in-interview search; owned by the page so that it survives switching parts. */
  search: InterviewSearch;
  /** Language of the spoken text (the interview's), for screen readers and hyphenation. */
  language: string;
  clock: PlaybackClock;
  onSeek: (seconds: number) => void;
  /** Jump to a hit of the in-interview search; it may be in another part. */
  onHit: (hit: SearchHit) => void;
}

const noSegments: TimedTranscriptSegment[] = [];

type TimedTranscriptSegment = TranscriptSegment & { start: number; end: number };

export function Transcript({
  mediaId,
  segments: loaded,
  placeholder,
  search,
  language,
  clock,
  onSeek,
  onHit,
}: TranscriptProps) {
  // untimed text (a legacy OHMS transcript without timecodes) is reading text: not synced, no seeking
  const untimed = loaded !== null && loaded.length > 0 && loaded.every((s) => s.start === null || s.end === null);
  const segments = untimed || !loaded ? noSegments : (loaded as TimedTranscriptSegment[]);
  const { t } = useTranslation();
  const listRef = useRef<HTMLOListElement>(null);
  const [follow, setFollow] = useState(true);
  const followId = useId();
  const selectCurrent = useCallback((time: number) => findCurrentIndex(segments, time), [segments]);
  const current = useClock(clock, selectCurrent);

  const activeHit = search.active >= 0 ? search.hits[search.active] : undefined;
  const hitStarts = new Set(search.hits.filter((h) => h.mediaId === mediaId).map((h) => h.start));
  const activeHitIndex =
    activeHit && activeHit.mediaId === mediaId ? segments.findIndex((s) => s.start === activeHit.start) : -1;

  // keep a segment in view inside the scrolling list (never scrolls the page itself)
  const reveal = useCallback((index: number) => {
    const list = listRef.current;
    const item = list?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    if (!list || !item) return;
    // the list is position: relative, so offsetTop is measured from its top
    const top = item.offsetTop;
    if (top < list.scrollTop || top + item.offsetHeight > list.scrollTop + list.clientHeight) {
      const target = Math.max(0, top - list.clientHeight / 3);
      // glide over short distances; jump over long ones (and for people who asked for less motion)
      const near = Math.abs(target - list.scrollTop) < list.clientHeight;
      const smooth = near && !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
      list.scrollTo({ top: target, behavior: smooth ? 'smooth' : 'auto' });
    }
  }, []);

  useEffect(() => {
    if (follow && current >= 0) reveal(current);
  }, [follow, current, reveal]);

  useEffect(() => {
    if (activeHitIndex >= 0) reveal(activeHitIndex);
  }, [activeHitIndex, reveal]);

  const goTo = (index: number) => {
    const hit = search.hits[index];
    if (!hit) return;
    search.setActive(index);
    onHit(hit);
  };

  return (
    <section className="transcript-panel" aria-labelledby="transcript-title">
      <div className="transcript-head">
        <h2 id="transcript-title">{t('transcript.title')}</h2>
        <div className="toggle">
          <input id={followId} type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
          <label htmlFor={followId}>{t('transcript.follow')}</label>
        </div>
      </div>

      <InterviewSearchForm
        search={search}
        onSubmitSame={() => goTo(search.hits.length ? (search.active + 1) % search.hits.length : -1)}
        onFirst={() => goTo(0)}
        onPrevious={() => goTo((search.active - 1 + search.hits.length) % search.hits.length)}
        onNext={() => goTo((search.active + 1) % search.hits.length)}
      />

      {loaded === null ? (
        placeholder
      ) : untimed ? (
        <div className="transcript transcript-untimed" data-testid="transcript-untimed" lang={language}>
          <p className="untimed-note">{t('transcript.untimed')}</p>
          {loaded.map((segment, index) => (
            <p key={index} className="segment-text">
              {segment.speaker && <span className="speaker">{segment.speaker}: </span>}
              {segment.text}
            </p>
          ))}
        </div>
      ) : segments.length === 0 ? (
        <p>{t('transcript.empty')}</p>
      ) : (
        <ol
          ref={listRef}
          className="transcript"
          data-testid="transcript"
          lang={language}
          aria-label={t('transcript.listLabel')}
        >
          {segments.map((segment, index) => (
            <Segment
              key={`${index}:${segment.start}`}
              index={index}
              segment={segment}
              current={index === current}
              hit={hitStarts.has(segment.start)}
              activeHit={index === activeHitIndex}
              clock={index === current ? clock : null}
              onSeek={onSeek}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

interface SegmentProps {
  index: number;
  segment: TimedTranscriptSegment;
  current: boolean;
  hit: boolean;
  activeHit: boolean;
  /** Only the current segment gets the clock (for its word highlight); the others never re-render on time. */
  clock: PlaybackClock | null;
  onSeek: (seconds: number) => void;
}

const Segment = memo(function Segment({ index, segment, current, hit, activeHit, clock, onSeek }: SegmentProps) {
  const { t } = useTranslation();
  const time = formatTimecode(segment.start);
  const restricted = (segment as { restricted?: boolean }).restricted === true;
  const classes = [
    'segment',
    current && 'is-current',
    hit && 'is-hit',
    activeHit && 'is-active-hit',
    restricted && 'is-restricted',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <li
      className={classes}
      data-testid="segment"
      data-index={index}
      data-start={segment.start}
      aria-current={current ? 'true' : undefined}
      onClick={(e) => {
        // selecting text to copy it is not a request to jump
        if ((e.target as HTMLElement).closest('button')) return;
        if (window.getSelection()?.toString()) return;
        onSeek(segment.start);
      }}
    >
      <button
        type="button"
        className="timecode"
        aria-label={t('transcript.seekTo', { time })}
        onClick={() => onSeek(segment.start)}
      >
        {time}
      </button>
      <div className="segment-body">
        {segment.speaker && <span className="speaker">{segment.speaker}</span>}
        <p className="segment-text">
          {clock && segment.words?.length ? <Words words={segment.words} clock={clock} /> : segment.text}
        </p>
      </div>
    </li>
  );
});

function Words({ words, clock }: { words: NonNullable<TranscriptSegment['words']>; clock: PlaybackClock }) {
  const select = useCallback((time: number) => findActiveIndex(words, time), [words]);
  const currentWord = useClock(clock, select);
  return (
    <>
      {words.map((w, i) => (
        <span
          key={`${i}:${w.start}`}
          className={i === currentWord ? 'word is-current-word' : 'word'}
          data-start={w.start}
        >
          {i > 0 ? ' ' : ''}
          {w.text}
        </span>
      ))}
    </>
  );
}

export interface InterviewSearch {
  query: string;
  setQuery: (q: string) => void;
  submitted: string;
  hits: SearchHit[];
  active: number;
  setActive: (i: number) => void;
  status: 'idle' | 'loading' | 'done' | 'error';
  problem: ApiProblem | null;
  run: (q: string) => void;
}

/** State of the search inside one interview: query, hits in playback order (all parts), the hit shown. */
export function useInterviewSearch(interviewId: string): InterviewSearch {
  const [query, setQuery] = useState('');
  const [submitted, setSubmitted] = useState('');
  const [active, setActive] = useState(-1);
  const answer = useApi<InterviewSearchAnswer>(
    submitted
      ? `/api/interviews/${encodeURIComponent(interviewId)}/search?${new URLSearchParams({ q: submitted }).toString()}`
      : null,
  );
  const { reload } = answer;
  const status: InterviewSearch['status'] = !submitted
    ? 'idle'
    : answer.state.status === 'success'
      ? 'done'
      : answer.state.status === 'error'
        ? 'error'
        : 'loading';
  const run = useCallback(
    (q: string) => {
      setActive(-1);
      // the same words again (after an error): ask again; new words: a new path, which the hook fetches
      if (q === submitted) reload();
      else setSubmitted(q);
    },
    [submitted, reload],
  );
  const hits = useMemo(() => (answer.state.status === 'success' ? answer.state.data.hits : []), [answer.state]);
  return { query, setQuery, submitted, hits, active, setActive, status, problem: answer.problem, run };
}

function InterviewSearchForm({
  search,
  onSubmitSame,
  onFirst,
  onPrevious,
  onNext,
}: {
  search: InterviewSearch;
  onSubmitSame: () => void;
  onFirst: () => void;
  onPrevious: () => void;
  onNext: () => void;
}) {
  const { t } = useTranslation();
  const inputId = useId();
  const pendingFirst = useRef(false);

  useEffect(() => {
    if (pendingFirst.current && search.status === 'done') {
      pendingFirst.current = false;
      if (search.hits.length > 0) onFirst();
    }
  }, [search.status, search.hits, onFirst]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const q = search.query.trim();
    if (q && q === search.submitted && search.status === 'done') {
      onSubmitSame();
      return;
    }
    pendingFirst.current = true;
    search.run(q);
  }

  const count = search.hits.length;
  return (
    <form className="within-search" role="search" onSubmit={onSubmit}>
      <label htmlFor={inputId}>{t('transcript.searchLabel')}</label>
      <div className="within-row">
        <input
          id={inputId}
          type="search"
          value={search.query}
          onChange={(e) => search.setQuery(e.target.value)}
          placeholder={t('transcript.searchPlaceholder')}
          autoComplete="off"
        />
        <button type="submit" className="button-secondary">
          {t('transcript.searchSubmit')}
        </button>
      </div>
      <div className="within-nav">
        <button
          type="button"
          className="button-secondary"
          onClick={onPrevious}
          disabled={count === 0}
          aria-label={t('transcript.previousHit')}
        >
          <span aria-hidden="true">‹</span> {t('transcript.previous')}
        </button>
        <button
          type="button"
          className="button-secondary"
          onClick={onNext}
          disabled={count === 0}
          aria-label={t('transcript.nextHit')}
        >
          {t('transcript.next')} <span aria-hidden="true">›</span>
        </button>
        <p className="within-count" role="status" aria-live="polite">
          {search.status === 'loading' && t('common.loading')}
          {search.status === 'error' && (search.problem?.problem.title || t('common.genericError'))}
          {search.status === 'done' &&
            (count === 0
              ? t('transcript.noHits', { query: search.submitted })
              : search.active >= 0
                ? t('transcript.hitPosition', { position: search.active + 1, total: count })
                : t('transcript.hitCount', { count }))}
        </p>
      </div>
    </form>
  );
}
