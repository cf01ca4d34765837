// The playback position as a tiny external store: the player writes it (every animation frame while playing),
// components read only what they need through a selector, so the transcript re-renders when the current
// passage changes, not sixty times a second.
import { useCallback, useSyncExternalStore } from 'react';

export class PlaybackClock {
  private current = 0;
  private playingNow = false;
  private readonly listeners = new Set<() => void>();

  get time(): number {
    return this.current;
  }

  get playing(): boolean {
    return this.playingNow;
  }

  set(time: number, playing: boolean = this.playingNow): void {
    if (time === this.current && playing === this.playingNow) return;
    this.current = time;
    this.playingNow = playing;
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

/** Re-renders only when `select(time)` changes; `select` must return a primitive. */
export function useClock<T extends string | number | boolean>(
  clock: PlaybackClock,
  select: (time: number, playing: boolean) => T,
): T {
  const snapshot = useCallback(() => select(clock.time, clock.playing), [clock, select]);
  return useSyncExternalStore(clock.subscribe, snapshot, snapshot);
}
