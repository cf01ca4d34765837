// Every way the client writes or reads a time, in one module. `formatTimecode` has one meaning everywhere (mm:ss,
// h:mm:ss from one hour on, seconds rounded down); the other forms are named for what they are.

const pad = (n: number) => String(n).padStart(2, '0');

/** Whole seconds, never negative; values a hair below a full second (float noise) count as that second. */
const wholeSeconds = (seconds: number) => (Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds + 1e-6) : 0);

/** Seconds → `mm:ss`, or `h:mm:ss` from one hour on. Negative and non-finite values count as 0. */
export function formatTimecode(seconds: number): string {
  const total = wholeSeconds(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(total % 60)}` : `${pad(m)}:${pad(total % 60)}`;
}

/** 83.25 → "01:23.2"; with hours "1:02:03.0". Tenths, because the transcript editor's segment borders are that fine. */
export function formatTimecodeTenths(seconds: number): string {
  const safe = Math.max(0, seconds);
  const tenths = Math.floor(safe * 10 + 1e-6);
  const h = Math.floor(tenths / 36000);
  const m = Math.floor((tenths % 36000) / 600);
  const s = Math.floor((tenths % 600) / 10);
  return `${h > 0 ? `${h}:` : ''}${pad(m)}:${pad(s)}.${tenths % 10}`;
}

/** A passage `start–end` as timecodes, the end rounded up to the second it reaches. */
export function formatTimeSpan(start: number, end: number): string {
  return `${formatTimecode(start)}–${formatTimecode(Math.ceil(Math.max(start, end) - 1e-6))}`;
}

/** A duration as people say it (75 → "1:15", 3725 → "1:02:05"): rounded to the nearest second, minutes unpadded. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** Seconds → an ISO 8601 duration for `<time datetime>`, e.g. `PT1H2M5S`. */
export function isoDuration(seconds: number): string {
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}

/**
 * A `?t=` value → seconds, or null when absent or unusable. Accepts plain seconds (`83`, `83.5`) and
 * timecodes (`1:23`, `0:01:23`), so hand-written links work too.
 */
export function parseTimeParam(value: string | null | undefined): number | null {
  if (value == null) return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(v);
  if (!m) return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** "83", "83.5", "1:23", "01:23.5", "1:02:03", "1:02:03,5" → seconds; null when it is not a time. */
export function parseTimecode(text: string): number | null {
  const t = text.trim().replace(',', '.');
  const m = /^(?:(?:(\d+):)?(\d{1,2}):)?(\d+(?:\.\d+)?)$/.exec(t);
  if (!m) return null;
  const [, h, min, sec] = m;
  const s = Number(sec);
  if ((h !== undefined || min !== undefined) && s >= 60) return null;
  if (h !== undefined && Number(min) >= 60) return null;
  return Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + s;
}
