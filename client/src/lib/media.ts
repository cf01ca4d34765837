// The one rule for which file a player loads for a medium, used by the public player, the narrator review and the
// transcript editor. Pure (browser support is passed in), so it is unit-tested without a browser.
import type { Medium } from '../types.js';

export interface PlayerSource {
  src: string;
  type: string;
  /** HLS that the browser cannot play itself: @videojs/http-streaming must be loaded first. */
  needsVhs: boolean;
  isHls: boolean;
}

export interface BrowserSupport {
  /** `video.canPlayType('application/vnd.apple.mpegurl')` is not empty (Safari, Chromium ≥ 142 …). */
  nativeHls: boolean;
  /** Media Source Extensions, which http-streaming needs; pass false where the engine is not loaded (plain <video>). */
  mse: boolean;
}

export const hlsMime = 'application/vnd.apple.mpegurl';

type Playable = Pick<Medium, 'hls' | 'original' | 'originalPlayable' | 'originalMime'> &
  Partial<Pick<Medium, 'download'>>;

/**
 * HLS once it is made (natively where possible, else through http-streaming), otherwise what fallbackSource gives;
 * null = nothing playable yet.
 */
export function chooseSource(medium: Playable, support: BrowserSupport): PlayerSource | null {
  if (medium.hls && support.nativeHls) return { src: medium.hls, type: hlsMime, needsVhs: false, isHls: true };
  if (medium.hls && support.mse) return { src: medium.hls, type: 'application/x-mpegURL', needsVhs: true, isHls: true };
  return fallbackSource(medium);
}

/**
 * Without HLS (or after it failed): the original while browsers can decode it, else the M4A download rendition (made
 * without restricted passages, so it is also what plays where the original is for curators only).
 */
export function fallbackSource(medium: Playable): PlayerSource | null {
  if (medium.originalPlayable && medium.original)
    return { src: medium.original, type: medium.originalMime, needsVhs: false, isHls: false };
  if (medium.download) return { src: medium.download, type: 'audio/mp4', needsVhs: false, isHls: false };
  return null;
}

export function browserSupport(): BrowserSupport {
  if (typeof document === 'undefined') return { nativeHls: false, mse: false };
  const probe = document.createElement('video');
  const nativeHls = probe.canPlayType(hlsMime) !== '';
  const w = globalThis as { MediaSource?: unknown; ManagedMediaSource?: unknown };
  return { nativeHls, mse: Boolean(w.MediaSource ?? w.ManagedMediaSource) };
}
