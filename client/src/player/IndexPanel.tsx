// The interview's index (OHMS-style table of contents) as a chapter list: title, synopsis, keywords, place; the
// chapter that is playing is marked, and each timecode jumps there.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndexPoint } from '../types.js';
import { type PlaybackClock, useClock } from './clock.js';
import { formatTimecode } from '../lib/time.js';
import { findCurrentIndex } from './time.js';

export function IndexPanel({
  points,
  clock,
  language,
  onSeek,
}: {
  points: IndexPoint[];
  clock: PlaybackClock;
  language: string;
  onSeek: (s: number) => void;
}) {
  const { t } = useTranslation();
  const select = useCallback((time: number) => findCurrentIndex(points, time), [points]);
  const current = useClock(clock, select);
  if (points.length === 0) return null;
  return (
    <section className="index-panel" aria-labelledby="index-title">
      <h2 id="index-title">{t('index.title')}</h2>
      <ol className="chapters" lang={language}>
        {points.map((point, i) => {
          const time = formatTimecode(point.start);
          return (
            <li
              key={`${i}:${point.start}`}
              className={i === current ? 'chapter is-current' : 'chapter'}
              aria-current={i === current ? 'true' : undefined}
            >
              <button
                type="button"
                className="timecode"
                aria-label={t('transcript.seekTo', { time })}
                onClick={() => onSeek(point.start)}
              >
                {time}
              </button>
              <div>
                <h3 className="chapter-title">{point.title}</h3>
                {point.synopsis && <p>{point.synopsis}</p>}
                {point.keywords.length > 0 && (
                  <p className="meta">
                    <span className="label">{t('index.keywords')}:</span> {point.keywords.join(', ')}
                  </p>
                )}
                {point.place && (
                  <p className="meta">
                    <span className="label">{t('index.place')}:</span> {point.place.name}
                  </p>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
