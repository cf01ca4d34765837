// Times as narrators read and type them: minutes:seconds.
import { formatTimecode } from '../../lib/time.js';

/** Seconds → `mm:ss` (`h:mm:ss` from one hour on). */
export const mmss = formatTimecode;

/**
 * What a person types for a time → seconds, or null. `2:30`, `02:30`, `1:02:30`, and (German keyboards, hurried
 * fingers) `2.30` / `2,30` mean minutes and seconds; a bare number means minutes ("bei Minute 3").
 */
export function parseClock(input: string): number | null {
  const v = input.trim().replace(/\s+/g, '');
  if (v === '') return null;
  if (/^\d{1,3}$/.test(v)) return Number(v) * 60;
  const m = /^(?:(\d{1,2})[:.,])?(\d{1,3})[:.,](\d{1,2})$/.exec(v);
  if (!m) return null;
  const seconds = Number(m[3]);
  if (m[3]!.length !== 2 || seconds > 59) return null;
  const minutes = Number(m[2]);
  if (m[1] !== undefined && minutes > 59) return null;
  return Number(m[1] ?? 0) * 3600 + minutes * 60 + seconds;
}

/** For screen readers: "2 Minuten 5 Sekunden". */
export function spokenParts(seconds: number): { minutes: number; seconds: number } {
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  return { minutes: Math.floor(total / 60), seconds: total % 60 };
}

/** A passage's bounds as shown: whole seconds, the start rounded down and the end to the nearest second. */
export function spanText(start: number, end: number): { start: string; end: string } {
  return { start: mmss(start), end: mmss(Math.round(end)) };
}

/** A recording's length as shown (to the nearest second, like the ends of passages). */
export const lengthText = (seconds: number): string => mmss(Math.round(seconds));
