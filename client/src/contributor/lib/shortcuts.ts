// Keyboard shortcuts as transcribers know them from their tools (Express Scribe, oTranscribe, F4):
// they work while typing in a segment, so the hands stay on the keyboard.

export type PlayerCommand = 'toggle' | 'rewind' | 'forward';

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

export const SKIP_SECONDS = 5;

export function shortcutFor(e: KeyLike): PlayerCommand | null {
  const noMods = !e.ctrlKey && !e.altKey && !e.metaKey && !e.shiftKey;
  if (e.key === 'Escape' && noMods) return 'toggle';
  if (e.ctrlKey && !e.altKey && !e.metaKey && (e.code === 'Space' || e.key === ' ')) return 'toggle';
  if (e.ctrlKey && !e.altKey && !e.metaKey && !e.shiftKey && e.key.toLowerCase() === 'r') return 'rewind';
  if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.key === 'ArrowLeft') return 'rewind';
  if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.key === 'ArrowRight') return 'forward';
  return null;
}

/** The new playback time for a skip, kept inside the recording. */
export function skipTarget(current: number, command: 'rewind' | 'forward', duration: number): number {
  const t = command === 'rewind' ? current - SKIP_SECONDS : current + SKIP_SECONDS;
  const max = Number.isFinite(duration) && duration > 0 ? duration : Number.POSITIVE_INFINITY;
  return Math.min(Math.max(0, t), max);
}
