// Upload progress: percentage, speed and time left, and how they read in German and English.

export interface ProgressSample {
  /** Bytes on the server (or sent) now, and in total. */
  sent: number;
  total: number;
  /** When the current run (start or resume) began, and how many bytes were there then. */
  runStartedAt: number;
  runStartBytes: number;
  now: number;
}

export interface ProgressFigures {
  /** 0–100, whole numbers; 100 only when everything is there. */
  percent: number;
  bytesPerSecond: number | null;
  /** Seconds left at the current speed; null while too little is known. */
  etaSeconds: number | null;
}

export function percentOf(sent: number, total: number): number {
  if (!(total > 0)) return 0;
  const p = Math.floor((Math.min(Math.max(sent, 0), total) / total) * 100);
  return sent >= total ? 100 : Math.min(p, 99);
}

export function progressFigures(s: ProgressSample): ProgressFigures {
  const percent = percentOf(s.sent, s.total);
  const elapsed = (s.now - s.runStartedAt) / 1000;
  const moved = s.sent - s.runStartBytes;
  // the first second says little about the speed
  if (elapsed < 1 || moved <= 0) return { percent, bytesPerSecond: null, etaSeconds: null };
  const bytesPerSecond = moved / elapsed;
  const etaSeconds = Math.max(0, Math.ceil((s.total - s.sent) / bytesPerSecond));
  return { percent, bytesPerSecond, etaSeconds };
}

const locale = (lang: string) => (lang.startsWith('en') ? 'en-GB' : 'de-DE');

/** 1 536 000 → "1,5 MB" (decimal units, as file managers show them). */
export function formatBytes(bytes: number, lang: string): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : value < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(locale(lang), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
