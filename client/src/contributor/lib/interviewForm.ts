// Interview metadata: what the form edits, and how it becomes the API's JSON (and back).
import type { Interview, PersonRole, Visibility } from '../types.js';
import { checkPartialDate, type PartialDateProblem } from './partialDate.js';
import { addKeywords, splitKeywords } from './keywords.js';

export interface PersonRow {
  /** Stable React key; rows are added and removed. */
  key: string;
  name: string;
  role: PersonRole;
}

export interface InterviewFormState {
  title: string;
  collectionId: string;
  people: PersonRow[];
  recordedAt: string;
  placeName: string;
  placeLat: string;
  placeLon: string;
  language: string;
  summary: string;
  keywords: string[];
  /** Text typed into the keyword box and not yet turned into a tag; it is added on save. */
  keywordDraft: string;
  visibility: Visibility;
}

export interface InterviewPayload {
  title: string;
  collectionId: string | null;
  people: { name: string; role: PersonRole }[];
  recordedAt: string | null;
  place: { name: string; lat?: number; lon?: number } | null;
  language: string;
  summary: string | null;
  keywords: string[];
  visibility: Visibility;
}

/** Problems found before sending, as i18n keys (under `form.errors`) per form field key. */
export type ClientProblems = Record<string, ClientProblem>;
export type ClientProblem =
  | 'titleRequired'
  | `date.${PartialDateProblem}`
  | 'coordinate'
  | 'latRange'
  | 'lonRange'
  | 'coordinatesTogether'
  | 'placeNameForCoordinates'
  | 'languageRequired';

let rowCounter = 0;
export function newPersonRow(role: PersonRole, name = ''): PersonRow {
  rowCounter += 1;
  return { key: `p${rowCounter}`, name, role };
}

export function emptyForm(): InterviewFormState {
  return {
    title: '',
    collectionId: '',
    people: [newPersonRow('narrator'), newPersonRow('interviewer')],
    recordedAt: '',
    placeName: '',
    placeLat: '',
    placeLon: '',
    language: 'de',
    summary: '',
    keywords: [],
    keywordDraft: '',
    visibility: 'private',
  };
}

/** A coordinate as German readers write it (decimal comma); English keeps the point. */
export function formatCoordinate(value: number | undefined, lang: string): string {
  if (value === undefined) return '';
  const text = String(value);
  return lang === 'de' ? text.replace('.', ',') : text;
}

export function formFromInterview(i: Interview, lang = 'de'): InterviewFormState {
  return {
    title: i.title,
    collectionId: i.collectionId ?? '',
    people: i.people.length > 0 ? i.people.map((p) => newPersonRow(p.role, p.name)) : [newPersonRow('narrator')],
    recordedAt: i.recordedAt ?? '',
    placeName: i.place?.name ?? '',
    placeLat: formatCoordinate(i.place?.lat, lang),
    placeLon: formatCoordinate(i.place?.lon, lang),
    language: i.language,
    summary: i.summary ?? '',
    keywords: [...i.keywords],
    keywordDraft: '',
    visibility: i.visibility,
  };
}

/** "51,79" (German decimal comma) or "51.79"; null for anything that is not a plain number. */
export function parseCoordinate(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^[-+]?\d{1,3}(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

export interface BuiltPayload {
  payload: InterviewPayload;
  /** peopleIndexMap[i] = the form row of payload.people[i] (empty rows are left out). */
  peopleIndexMap: number[];
  problems: ClientProblems;
}

/** The JSON to send, plus what the form can already tell is wrong (the server checks everything again). */
export function buildInterviewPayload(form: InterviewFormState, today: Date = new Date()): BuiltPayload {
  const problems: ClientProblems = {};
  const title = form.title.trim();
  if (title === '') problems.title = 'titleRequired';

  const people: InterviewPayload['people'] = [];
  const peopleIndexMap: number[] = [];
  form.people.forEach((row, index) => {
    const name = row.name.trim();
    if (name === '') return;
    people.push({ name, role: row.role });
    peopleIndexMap.push(index);
  });

  const recordedAt = form.recordedAt.trim();
  const dateProblem = checkPartialDate(recordedAt, today);
  if (dateProblem) problems.recordedAt = `date.${dateProblem}`;

  let place: InterviewPayload['place'] = null;
  const placeName = form.placeName.trim();
  const latText = form.placeLat.trim();
  const lonText = form.placeLon.trim();
  const lat = latText === '' ? undefined : parseCoordinate(latText);
  const lon = lonText === '' ? undefined : parseCoordinate(lonText);
  if (lat === null) problems['place.lat'] = 'coordinate';
  else if (lat !== undefined && (lat < -90 || lat > 90)) problems['place.lat'] = 'latRange';
  if (lon === null) problems['place.lon'] = 'coordinate';
  else if (lon !== undefined && (lon < -180 || lon > 180)) problems['place.lon'] = 'lonRange';
  if ((lat === undefined) !== (lon === undefined) && !problems['place.lat'] && !problems['place.lon']) {
    problems[lat === undefined ? 'place.lat' : 'place.lon'] = 'coordinatesTogether';
  }
  if (placeName === '' && (lat !== undefined || lon !== undefined)) problems['place.name'] = 'placeNameForCoordinates';
  if (placeName !== '') {
    place = { name: placeName };
    if (typeof lat === 'number' && typeof lon === 'number') {
      place.lat = lat;
      place.lon = lon;
    }
  }

  const language = form.language.trim();
  if (language === '') problems.language = 'languageRequired';

  const summary = form.summary.trim();
  return {
    payload: {
      title,
      collectionId: form.collectionId === '' ? null : form.collectionId,
      people,
      recordedAt: recordedAt === '' ? null : recordedAt,
      place,
      language,
      summary: summary === '' ? null : summary,
      keywords: addKeywords(form.keywords, splitKeywords(form.keywordDraft)),
      visibility: form.visibility,
    },
    peopleIndexMap,
    problems,
  };
}
