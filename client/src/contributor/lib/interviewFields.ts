// The interview form's fields by their API key (`title`, `place.lat`, `people.2.name`): order, input ids and labels
// (from the `form.fields` texts), so the error summary reads top to bottom and links to the right input.
import type { CKey, CT } from '../i18n/index.js';
import type { InterviewFormState } from './interviewForm.js';

/** Form field key → input id (`people.2.name` → `sb-c-f-people-2-name`). */
export const inputIdFor = (key: string) => `sb-c-f-${key.replace(/\./g, '-')}`;

export const fieldOrder = [
  'title',
  'collectionId',
  'people',
  'recordedAt',
  'place.name',
  'place.lat',
  'place.lon',
  'language',
  'summary',
  'keywords',
  'visibility',
  'status',
] as const;

/** Position of a field in the form. */
export function fieldRank(key: string): number {
  const person = /^people\.(\d+)\./.exec(key);
  if (person) return fieldOrder.indexOf('people') + 0.001 * (Number(person[1]) + 1);
  const i = (fieldOrder as readonly string[]).indexOf(key);
  return i < 0 ? fieldOrder.length : i;
}

/** Person rows are focused by their stable key after adding; the input's id depends on its index. */
export function idForKey(key: string, form: InterviewFormState): string {
  if (key === 'people') return form.people[0] ? inputIdFor('people.0.name') : 'sb-c-add-narrator';
  if (key === 'visibility') return `sb-c-f-visibility-${form.visibility}`;
  return inputIdFor(key);
}

/** Errors for rows that are not on screen any more go to the group. */
export function mapToVisibleKey(key: string, form: InterviewFormState): string {
  const m = /^people\.(\d+)\.name$/.exec(key);
  if (m && !form.people[Number(m[1])]) return 'people';
  return key;
}

/** A field's label as the form shows it; a person row by its name. */
export function labelForKey(key: string, form: InterviewFormState, ct: CT): string {
  const m = /^people\.(\d+)\.name$/.exec(key);
  if (m) {
    const row = form.people[Number(m[1])];
    return row?.name.trim() || ct(row?.role === 'interviewer' ? 'form.interviewers' : 'form.fields.people');
  }
  return ct(`form.fields.${(fieldOrder as readonly string[]).includes(key) ? key : 'title'}` as CKey);
}
