// Which file the player should load for a medium. Pure, so the choice is unit-tested without a browser.
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
  /** Media Source Extensions, which http-streaming needs. */
  mse: boolean;
}

export const hlsMime = 'application/vnd.apple.mpegurl';

/** HLS once it is made (natively where possible), otherwise the original while the browser can decode it; null = nothing playable yet. */
export function chooseSource(medium: Pick<Medium, 'hls' | 'original' | 'originalPlayable' | 'originalMime'>, support: BrowserSupport): PlayerSource | null {
  if (medium.hls && support.nativeHls) return { src: medium.hls, type: hlsMime, needsVhs: false, isHls: true };
  if (medium.hls && support.mse) return { src: medium.hls, type: 'application/x-mpegURL', needsVhs: true, isHls: true };
  if (medium.originalPlayable && medium.original) return { src: medium.original, type: medium.originalMime, needsVhs: false, isHls: false };
  return null;
}

/** The original as a fallback after HLS failed (null when the browser cannot decode it). */
export function fallbackSource(medium: Pick<Medium, 'original' | 'originalPlayable' | 'originalMime'>): PlayerSource | null {
  return medium.originalPlayable && medium.original ? { src: medium.original, type: medium.originalMime, needsVhs: false, isHls: false } : null;
}

export function browserSupport(): BrowserSupport {
  if (typeof document === 'undefined') return { nativeHls: false, mse: false };
  const probe = document.createElement('video');
  const nativeHls = probe.canPlayType(hlsMime) !== '';
  const w = globalThis as { MediaSource?: unknown; ManagedMediaSource?: unknown };
  return { nativeHls, mse: Boolean(w.MediaSource ?? w.ManagedMediaSource) };
}
