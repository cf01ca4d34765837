// Dates in the curators' views: days (consent given, embargo days) and instants (created, last used).

const localeOf = (lang: string) => (lang === 'en' ? 'en-GB' : 'de-DE');

/**
 * "2019-05-17" or an ISO instant → "17. Mai 2019". Days are read in UTC: the server stores a day embargo as
 * 00:00Z of that day, and a day must not slip to the one before in a browser west of Greenwich.
 */
export function formatDay(value: string, lang: string): string {
  const day = /^\d{4}-\d{2}-\d{2}/.exec(value)?.[0];
  if (!day) return value;
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(localeOf(lang), { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

/** An ISO instant in the browser's time zone, e.g. "17.05.2026, 14:30". */
export function formatDateTime(iso: string, lang: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(localeOf(lang), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
