// The API reports zod issues as `errors: [{ field: 'body.place.lat', message }]`. The form shows each message next to
// the input it belongs to; anything it cannot place goes to a list above the form.

export interface ApiFieldError {
  field: string;
  message: string;
}

/** Messages per form field key (`title`, `people.2.name`, `place.lat` …); `_form` collects the ones without a field. */
export type FieldErrors = Record<string, string[]>;

export const FORM_LEVEL = '_form';

const simpleFields = new Set([
  'title',
  'collectionId',
  'recordedAt',
  'language',
  'summary',
  'keywords',
  'visibility',
  'status',
]);

/**
 * The form key an API field path belongs to. `peopleIndexMap[i]` is the form row of the i-th person sent (empty rows
 * are not sent, so the indices differ).
 */
export function interviewFieldKey(apiField: string, peopleIndexMap: readonly number[] = []): string {
  const path = apiField.replace(/^body\.?/, '');
  if (path === '') return FORM_LEVEL;
  const [head, second] = path.split('.');
  if (head === 'people') {
    if (second === undefined || !/^\d+$/.test(second)) return 'people';
    const sent = Number(second);
    const row = peopleIndexMap[sent] ?? sent;
    return `people.${row}.name`;
  }
  if (head === 'place') {
    return second === 'lat' || second === 'lon' ? `place.${second}` : 'place.name';
  }
  if (head !== undefined && simpleFields.has(head)) return head;
  return FORM_LEVEL;
}

/** Groups API errors by form key; `keyOf` decides where each one goes. */
export function groupFieldErrors(
  errors: readonly ApiFieldError[] | undefined,
  keyOf: (field: string) => string,
): FieldErrors {
  const grouped: FieldErrors = {};
  for (const e of errors ?? []) {
    const key = keyOf(typeof e.field === 'string' ? e.field : '');
    const list = (grouped[key] ??= []);
    if (!list.includes(e.message)) list.push(e.message);
  }
  return grouped;
}

/** Index points: `body.points.3.title` → `3.title` (the point's position in the list sent). */
export function indexPointFieldKey(apiField: string): string {
  const m = /^body\.points\.(\d+)(?:\.(\w+))?/.exec(apiField);
  if (!m) return FORM_LEVEL;
  const field = m[2] === 'start' || m[2] === 'title' || m[2] === 'synopsis' || m[2] === 'keywords' ? m[2] : 'title';
  return `${m[1]}.${field}`;
}

/** The id of an error message element for an input id, for aria-describedby. */
export function errorIdFor(inputId: string): string {
  return `${inputId}-error`;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some((list) => list.length > 0);
}
