// The interview player: video.js 8 core (no HLS engine) for audio and video. Loaded lazily (React.lazy) by the
// interview page, so home and search never download it. HLS plays natively where the browser can; elsewhere
// @videojs/http-streaming is loaded on demand; while HLS is not made yet, the original plays.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import videojs from 'video.js/core';
import type * as PlayerTypes from 'video.js/dist/types/player.js';
import videojsDe from 'video.js/dist/lang/de.json' with { type: 'json' };
import 'video.js/dist/video-js.css';
import type { IndexPoint, Medium } from '../types.js';
import type { PlaybackClock } from './clock.js';
import type { PlayerController } from './controller.js';
import { browserSupport, chooseSource, fallbackSource, type PlayerSource } from '../lib/media.js';
import { chapterCues, playbackRates } from './time.js';
import { Waveform } from './Waveform.js';

videojs.addLanguage('de', videojsDe);

type VjsPlayer = PlayerTypes.default;

export interface PlayerProps {
  medium: Medium;
  /** Accessible name of the player, e.g. the interview title and the part. */
  label: string;
  /** WebVTT captions of this part (null while there is no transcript). */
  captions: { src: string; srclang: string; label: string } | null;
  chapters: IndexPoint[];
  chaptersLanguage: string;
  /** Second to start at (from `?t=`). */
  startAt: number | null;
  /** Start playing at once (muted if the browser refuses sound without a gesture). */
  autoplay: boolean;
  clock: PlaybackClock;
  onController: (controller: PlayerController | null) => void;
  /** Extra controls shown in the toolbar under the player. */
  children?: ReactNode;
}

type TrackLike = {
  kind: string;
  mode: string;
  cues?: { length: number; [i: number]: unknown } | null;
  addCue(cue: unknown): void;
  removeCue(cue: unknown): void;
};

function textTracksOf(player: VjsPlayer): TrackLike[] {
  const list = player.textTracks() as unknown as { length: number; [i: number]: TrackLike };
  return Array.from({ length: list.length }, (_, i) => list[i]!);
}

export default function Player(props: PlayerProps) {
  const { medium, clock, captions, chapters } = props;
  const { t, i18n } = useTranslation();
  const hostRef = useRef<HTMLDivElement>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  const [player, setPlayer] = useState<VjsPlayer | null>(null);
  const [duration, setDuration] = useState(medium.durationSec);
  const [rate, setRate] = useState(1);
  const [mutedAutoplay, setMutedAutoplay] = useState(false);
  const [failed, setFailed] = useState(false);
  const rateId = useId();
  const isAudio = medium.kind === 'audio';

  // One video.js player per medium (the page keys this component by medium id).
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    let disposed = false;
    let raf = 0;
    let usingHls = false;
    let begun = false;

    const video = document.createElement('video');
    video.className = 'video-js vjs-schichtbuch';
    video.setAttribute('playsinline', '');
    video.setAttribute('preload', 'auto');
    host.appendChild(video);

    const p = videojs(video, {
      controls: true,
      preload: 'auto',
      language: i18n.language,
      fluid: true,
      responsive: true,
      // audio: a wide band for the waveform picture; taller on phones so that two caption lines fit above the controls
      ...(isAudio ? { aspectRatio: window.matchMedia?.('(max-width: 40rem)').matches ? '16:9' : '16:5' } : {}),
      poster: medium.poster ?? undefined,
      inactivityTimeout: isAudio ? 0 : 3000,
      playbackRates: [...playbackRates],
      // native text tracks: the captions stay a real <track kind="captions" default> inside the <video>
      html5: { nativeTextTracks: true, nativeAudioTracks: true, nativeVideoTracks: true },
      userActions: { hotkeys: false, doubleClick: !isAudio },
      controlBar: {
        skipButtons: { backward: 10, forward: 10 },
        pictureInPictureToggle: false,
        fullscreenToggle: !isAudio,
      },
    });
    const root = p.el();
    root.setAttribute('data-testid', 'player');
    root.setAttribute('aria-label', propsRef.current.label);
    root.setAttribute('data-media-id', medium.id);
    // video.js calls its big button "Play Video" even for audio
    (p.getChild('BigPlayButton') as { controlText?: (text: string) => void } | undefined)?.controlText?.(
      t('player.play'),
    );

    const publish = () => {
      if (!disposed) clock.set(p.currentTime() ?? 0, !p.paused());
    };
    const loop = () => {
      publish();
      raf = !disposed && !p.paused() ? requestAnimationFrame(loop) : 0;
    };
    const tryPlay = () => {
      const attempt = p.play();
      attempt?.catch((err: unknown) => {
        if (disposed || (err as { name?: string })?.name !== 'NotAllowedError') return;
        // the browser wants a gesture for sound: play muted and offer to unmute
        p.muted(true);
        setMutedAutoplay(true);
        p.play()?.catch(() => undefined);
      });
    };
    const begin = () => {
      if (begun) return;
      begun = true;
      const { startAt, autoplay } = propsRef.current;
      if (startAt != null && startAt > 0) p.currentTime(startAt);
      publish();
      if (autoplay) tryPlay();
    };
    const load = async (source: PlayerSource) => {
      if (source.needsVhs) await import('@videojs/http-streaming');
      if (disposed) return;
      usingHls = source.isHls;
      p.src({ src: source.src, type: source.type });
    };

    p.on(['play', 'playing'], () => {
      if (!raf) raf = requestAnimationFrame(loop);
    });
    p.on(['pause', 'seeking', 'seeked', 'timeupdate', 'ended'], publish);
    p.on('loadedmetadata', begin);
    p.on('durationchange', () => {
      const d = p.duration();
      if (d && Number.isFinite(d)) setDuration(d);
    });
    p.on('ratechange', () => setRate(p.playbackRate() ?? 1));
    p.on('volumechange', () => {
      if (!p.muted()) setMutedAutoplay(false);
    });
    p.on('error', () => {
      const fallback = usingHls ? fallbackSource(medium) : null;
      if (fallback) {
        // HLS did not work here: the original instead, from the same second
        const at = p.currentTime() ?? 0;
        const wasPlaying = !p.paused();
        p.error(null);
        usingHls = false;
        p.src({ src: fallback.src, type: fallback.type });
        if (begun) {
          p.one('loadedmetadata', () => {
            if (at > 0) p.currentTime(at);
            if (wasPlaying) tryPlay();
          });
        }
        return;
      }
      setFailed(true);
    });

    clock.set(propsRef.current.startAt ?? 0, false);
    const source = chooseSource(medium, browserSupport());
    if (source) void load(source).catch(() => setFailed(true));
    else setFailed(true);

    const controller: PlayerController = {
      seek: (seconds) => {
        p.currentTime(Math.max(0, seconds));
        publish();
      },
      play: tryPlay,
      togglePlay: () => (p.paused() ? tryPlay() : p.pause()),
      skip: (delta) => {
        const end = p.duration() || Number.POSITIVE_INFINITY;
        p.currentTime(Math.min(Math.max(0, (p.currentTime() ?? 0) + delta), end));
        publish();
      },
      currentTime: () => p.currentTime() ?? 0,
      duration: () => p.duration() || medium.durationSec,
      toggleCaptions: () => {
        const tracks = textTracksOf(p).filter((tr) => tr.kind === 'captions' || tr.kind === 'subtitles');
        if (tracks.length === 0) return null;
        const on = !tracks.some((tr) => tr.mode === 'showing');
        tracks.forEach((tr, i) => (tr.mode = on && i === 0 ? 'showing' : 'disabled'));
        return on;
      },
      toggleFullscreen: () => {
        if (isAudio) return;
        if (p.isFullscreen()) void p.exitFullscreen();
        else void p.requestFullscreen();
      },
      setRate: (r) => p.playbackRate(r),
      focus: () => (p.el() as HTMLElement).focus(),
    };
    setPlayer(p);
    propsRef.current.onController(controller);

    return () => {
      disposed = true;
      if (raf) cancelAnimationFrame(raf);
      propsRef.current.onController(null);
      setPlayer(null);
      p.dispose();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one player per medium; the rest is read through propsRef
  }, [medium.id]);

  useEffect(() => {
    if (!player) return;
    player.language(i18n.language);
    (player.getChild('BigPlayButton') as { controlText?: (text: string) => void } | undefined)?.controlText?.(
      t('player.play'),
    );
  }, [player, i18n.language, t]);

  useEffect(() => {
    if (!player) return;
    player.el().setAttribute('aria-label', props.label);
  }, [player, props.label]);

  // Captions: a <track kind="captions" default> from the transcript's WebVTT.
  useEffect(() => {
    if (!player || !captions) return;
    const trackEl = player.addRemoteTextTrack(
      { kind: 'captions', srclang: captions.srclang, label: captions.label, src: captions.src, default: true },
      true,
    );
    const track = (trackEl as unknown as { track?: TrackLike }).track;
    if (track) track.mode = 'showing';
    return () => {
      if (!player.isDisposed()) player.removeRemoteTextTrack(trackEl as never);
    };
  }, [player, captions?.src, captions?.srclang, captions?.label]); // eslint-disable-line react-hooks/exhaustive-deps

  // Chapters: one video.js chapters track per player, its cues made here from the index points (no file).
  const chaptersTrack = useRef<{ player: VjsPlayer; track: TrackLike } | null>(null);
  const chaptersKey = chapters.map((c) => `${c.start}:${c.title}`).join('|');
  useEffect(() => {
    if (!player || chapters.length === 0 || !(duration > 0)) return;
    const Cue = (globalThis as { VTTCue?: new (start: number, end: number, text: string) => unknown }).VTTCue;
    if (!Cue) return;
    if (chaptersTrack.current?.player !== player) {
      const created = player.addTextTrack('chapters', t('player.chapters'), props.chaptersLanguage) as unknown as
        TrackLike | undefined;
      if (!created) return;
      chaptersTrack.current = { player, track: created };
    }
    const { track } = chaptersTrack.current;
    track.mode = 'hidden';
    const cues = chapterCues(chapters, duration).map((c) => new Cue(c.start, c.end, c.title));
    for (const cue of cues) track.addCue(cue);
    const button = player.getChild('ControlBar')?.getChild('ChaptersButton') as { update?: () => void } | undefined;
    button?.update?.();
    return () => {
      for (const cue of cues) {
        try {
          track.removeCue(cue);
        } catch {
          // gone with the player
        }
      }
    };
  }, [player, chaptersKey, duration]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div className={`player player-${medium.kind}`}>
      <div ref={hostRef} className="player-host" />
      {isAudio && medium.waveform && (
        <Waveform src={medium.waveform} clock={clock} duration={duration} onSeek={(s) => player?.currentTime(s)} />
      )}
      {mutedAutoplay && (
        <p className="notice" role="status">
          {t('player.mutedAutoplay')}{' '}
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              player?.muted(false);
              setMutedAutoplay(false);
            }}
          >
            {t('player.unmute')}
          </button>
        </p>
      )}
      {failed && (
        <p className="problem" role="alert">
          {t('player.failed')}
        </p>
      )}
      <div className="player-toolbar">
        <div className="rate-field">
          <label htmlFor={rateId}>{t('player.speed')}</label>
          <select id={rateId} value={String(rate)} onChange={(e) => player?.playbackRate(Number(e.target.value))}>
            {playbackRates.map((r) => (
              <option key={r} value={String(r)}>
                {t('player.rate', { rate: r.toLocaleString(i18n.language) })}
              </option>
            ))}
          </select>
        </div>
        {props.children}
      </div>
    </div>
  );
}
