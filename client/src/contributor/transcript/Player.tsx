// A plain <video>/<audio> element (no player library here): HLS where the browser plays it natively, else the
// original (or the M4A rendition). The transcript's current version is attached as captions to check the timing.
import { useMemo, type RefObject } from 'react';
import { browserSupport, chooseSource } from '../../lib/media.js';
import { useCt } from '../i18n/index.js';
import type { Medium } from '../types.js';

interface PlayerProps {
  medium: Medium;
  mediaRef: RefObject<HTMLMediaElement | null>;
  captionsUrl: string | null;
  label: string;
  onTime: (seconds: number) => void;
  onPlayingChange: (playing: boolean) => void;
}

export function Player({ medium, mediaRef, captionsUrl, label, onTime, onPlayingChange }: PlayerProps) {
  const { ct, lang } = useCt();
  // a plain <video>/<audio> element: HLS only where the browser plays it natively, no http-streaming engine here
  const nativeHls = useMemo(() => browserSupport().nativeHls, []);
  const source = chooseSource(medium, { nativeHls, mse: false });
  if (!source) {
    return <p className="problem">{ct('editor.notPlayable')}</p>;
  }
  const events = {
    onTimeUpdate: (e: { currentTarget: HTMLMediaElement }) => onTime(e.currentTarget.currentTime),
    onSeeked: (e: { currentTarget: HTMLMediaElement }) => onTime(e.currentTarget.currentTime),
    onPlay: () => onPlayingChange(true),
    onPause: () => onPlayingChange(false),
    onEnded: () => onPlayingChange(false),
  };
  const track = captionsUrl ? (
    <track key={captionsUrl} kind="captions" src={captionsUrl} srcLang={lang} label={ct('editor.captions')} default />
  ) : null;
  if (medium.kind === 'video') {
    return (
      <video
        ref={mediaRef as RefObject<HTMLVideoElement | null>}
        className="sb-c-player"
        controls
        preload="metadata"
        playsInline
        src={source.src}
        poster={medium.poster ?? undefined}
        aria-label={label}
        {...events}
      >
        {track}
      </video>
    );
  }
  return (
    <audio
      ref={mediaRef as RefObject<HTMLAudioElement | null>}
      className="sb-c-player"
      controls
      preload="metadata"
      src={source.src}
      aria-label={label}
      {...events}
    >
      {track}
    </audio>
  );
}
