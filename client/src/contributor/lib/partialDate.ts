// Oral histories often know only the year or the month of a recording: "1987", "1987-05" or "1987-05-14".
// The same rules as the server's zod schema, so the form can say what is wrong before sending.

export type PartialDateProblem = 'format' | 'month' | 'day' | 'tooEarly' | 'future';

const shape = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** null when `value` is a valid partial date (or empty: the field is optional), else what is wrong with it. */
export function checkPartialDate(value: string, today: Date = new Date()): PartialDateProblem | null {
  const text = value.trim();
  if (text === '') return null;
  const m = shape.exec(text);
  if (!m) return 'format';
  const year = Number(m[1]);
  const month = m[2] === undefined ? undefined : Number(m[2]);
  const day = m[3] === undefined ? undefined : Number(m[3]);
  if (month !== undefined && (month < 1 || month > 12)) return 'month';
  if (day !== undefined) {
    const probe = new Date(Date.UTC(year, (month ?? 1) - 1, day));
    if (probe.getUTCMonth() !== (month ?? 1) - 1 || probe.getUTCDate() !== day) return 'day';
  }
  if (year < 1800) return 'tooEarly';
  // compare as text, as precise as the value is: "2031" > "2025", "2025-07" > "2025-06"
  const tomorrow = new Date(today.getTime() + 86_400_000).toISOString().slice(0, text.length);
  if (text > tomorrow) return 'future';
  return null;
}
