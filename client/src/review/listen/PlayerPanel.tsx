// The big buttons: Play/Pause and "10 Sekunden zurück", the time in words and figures, and a slider for the position.
// The media element itself stays out of sight for audio (video shows its picture, without controls of its own).
import { useId } from 'react';
import type { Medium } from '../../types.js';
import { lengthText, mmss, spokenParts } from '../lib/time.js';
import { useRt } from '../i18n/index.js';
import type { Playback } from './usePlayback.js';

export function PlayerPanel({ playback, medium }: { playback: Playback; medium: Medium }) {
  const { rt } = useRt();
  const sliderId = useId();
  const { status, playing, time, duration } = playback;
  const total = Number.isFinite(duration) && duration > 0 ? duration : medium.durationSec;
  const spoken = (s: number) => rt('player.timeText', spokenParts(s));
  return (
    <section
      className="sb-r-player"
      aria-label={rt('player.region')}
      data-testid="review-player"
      data-status={status}
      data-playing={playing}
    >
      <div ref={playback.hostRef} className={`sb-r-media sb-r-media-${medium.kind}`} data-testid="review-media" />
      <div className="sb-r-player-buttons">
        <button
          type="button"
          className="sb-r-button sb-r-primary sb-r-play"
          onClick={playback.toggle}
          disabled={status === 'none'}
        >
          <span aria-hidden="true" className="sb-r-icon">
            {playing ? '❚❚' : '▶'}
          </span>{' '}
          {playing ? rt('player.pause') : rt('player.play')}
        </button>
        <button
          type="button"
          className="sb-r-button sb-r-secondary"
          onClick={() => playback.skip(-10)}
          disabled={status === 'none'}
        >
          <span aria-hidden="true" className="sb-r-icon">
            ↺
          </span>{' '}
          {rt('player.back10')}
        </button>
      </div>
      <p className="sb-r-time" data-testid="review-time">
        {rt('player.time', { current: mmss(time), total: lengthText(total) })}
      </p>
      <div className="sb-r-slider">
        <label htmlFor={sliderId}>{rt('player.position')}</label>
        <input
          id={sliderId}
          type="range"
          min={0}
          max={Math.max(1, Math.ceil(total))}
          step={1}
          value={Math.min(Math.floor(time), Math.ceil(total))}
          onChange={(e) => playback.seek(Number(e.target.value))}
          aria-valuetext={rt('player.time', { current: spoken(time), total: spoken(Math.round(total)) })}
          disabled={status === 'none'}
        />
      </div>
      {status === 'loading' && (
        <p className="sb-r-muted" role="status">
          {rt('player.loading')}
        </p>
      )}
      {(status === 'failed' || status === 'none') && (
        <div className="sb-r-alert" role="alert">
          <p>
            <span aria-hidden="true">⚠ </span>
            {rt(status === 'none' ? 'player.notReady' : 'player.failed')}
          </p>
          <button type="button" className="sb-r-button sb-r-secondary" onClick={playback.retry}>
            {rt('common.retry')}
          </button>
        </div>
      )}
    </section>
  );
}
