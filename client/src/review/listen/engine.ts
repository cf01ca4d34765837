// The media element behind the narrator's big buttons. No visible player chrome: a plain <video> element (it plays
// audio files too), driven directly where the browser plays HLS itself, or through video.js core with its HLS engine
// (@videojs/http-streaming) where it needs Media Source Extensions — both loaded only then, as the archive's player
// does (client/src/player/Player.tsx, same source choice in client/src/player/sources.ts).
import { browserSupport, chooseSource, fallbackSource, type PlayerSource } from '../../lib/media.js';
import type { Medium } from '../../types.js';

export interface MediaEngine {
  readonly element: HTMLVideoElement;
  /** Loads a source; the position is kept by the caller (see `reload`). */
  load(source: PlayerSource): void;
  play(): Promise<void>;
  pause(): void;
  paused(): boolean;
  currentTime(): number;
  seek(seconds: number): void;
  /** Seconds, or NaN while unknown. */
  duration(): number;
  on(events: string[], handler: () => void): void;
  /** The current error cleared, so that a new source can be tried. */
  clearError(): void;
  dispose(): void;
}

type VjsPlayer = {
  src(source: { src: string; type: string }): void;
  play(): Promise<void> | undefined;
  pause(): void;
  paused(): boolean;
  currentTime(seconds?: number): number | undefined;
  duration(): number;
  on(events: string | string[], handler: () => void): void;
  error(value?: null): unknown;
  dispose(): void;
};

function nativeEngine(element: HTMLVideoElement): MediaEngine {
  const handlers: Array<[string, () => void]> = [];
  return {
    element,
    load(source) {
      element.src = source.src;
      element.load();
    },
    play: () => element.play(),
    pause: () => element.pause(),
    paused: () => element.paused,
    currentTime: () => element.currentTime,
    seek(seconds) {
      element.currentTime = seconds;
    },
    duration: () => element.duration,
    on(events, handler) {
      for (const e of events) {
        element.addEventListener(e, handler);
        handlers.push([e, handler]);
      }
    },
    clearError() {
      // a native element forgets its error with the next load()
    },
    dispose() {
      for (const [e, h] of handlers) element.removeEventListener(e, h);
      element.pause();
      element.removeAttribute('src');
      element.load();
      element.remove();
    },
  };
}

async function videojsEngine(element: HTMLVideoElement, label: string): Promise<MediaEngine> {
  const [{ default: videojs }] = await Promise.all([import('video.js/core'), import('@videojs/http-streaming')]);
  // only the media loader: no control bar, big play button, spinner … (the page has its own big buttons)
  const player = videojs(element, {
    controls: false,
    preload: 'auto',
    children: ['mediaLoader'],
  }) as unknown as VjsPlayer & { el(): Element };
  // video.js wraps the element in a region it calls "Video Player": our name for it instead
  player.el().setAttribute('aria-label', label);
  element.dataset.engine = 'videojs';
  return {
    element,
    load: (source) => player.src({ src: source.src, type: source.type }),
    play: () => player.play() ?? Promise.resolve(),
    pause: () => player.pause(),
    paused: () => player.paused(),
    currentTime: () => player.currentTime() ?? 0,
    seek: (seconds) => void player.currentTime(seconds),
    duration: () => player.duration(),
    on: (events, handler) => player.on(events, handler),
    clearError: () => void player.error(null),
    dispose: () => player.dispose(),
  };
}

/** A <video> in `host`, with the engine this browser needs for HLS. */
export async function createEngine(host: HTMLElement, label: string): Promise<MediaEngine> {
  const element = document.createElement('video');
  element.setAttribute('playsinline', '');
  element.setAttribute('preload', 'auto');
  element.setAttribute('aria-label', label);
  element.setAttribute('tabindex', '-1');
  host.appendChild(element);
  const support = browserSupport();
  if (!support.nativeHls && support.mse) {
    try {
      return await videojsEngine(element, label);
    } catch (err) {
      // the HLS engine did not load (offline?): the original can still play natively
      console.warn('HLS engine not available, playing natively', err);
    }
  }
  element.dataset.engine = 'native';
  return nativeEngine(element);
}

export interface SourcePlan {
  first: PlayerSource | null;
  fallback: PlayerSource | null;
}

/**
 * HLS first (natively or through the engine); as the fallback the original, or — when passages are restricted and
 * the original is for curators only — the M4A download (made without them). Both null: nothing to play (yet).
 */
export function planSources(medium: Medium): SourcePlan {
  const support = browserSupport();
  const first = chooseSource(medium, support);
  const fallback = first?.isHls ? fallbackSource(medium) : null;
  return { first, fallback };
}
