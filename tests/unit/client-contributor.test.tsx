// Contributor area: the pure parts (no DOM needed) and the ARIA wiring of a form field, rendered to static markup.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ChoiceFieldset, Field } from '../../client/src/contributor/components/Field.js';
import {
  FORM_LEVEL,
  groupFieldErrors,
  indexPointFieldKey,
  interviewFieldKey,
} from '../../client/src/contributor/lib/fieldErrors.js';
import { issuePosition, segmentNumberOf, sortIssues } from '../../client/src/contributor/lib/importErrors.js';
import {
  buildInterviewPayload,
  emptyForm,
  formFromInterview,
  parseCoordinate,
  type InterviewFormState,
} from '../../client/src/contributor/lib/interviewForm.js';
import { addKeywords, splitKeywords } from '../../client/src/contributor/lib/keywords.js';
import { activeJob } from '../../client/src/contributor/lib/media.js';
import { chooseSource } from '../../client/src/lib/media.js';
import { checkPartialDate } from '../../client/src/contributor/lib/partialDate.js';
import { formatBytes, percentOf, progressFigures } from '../../client/src/contributor/lib/progress.js';
import {
  currentSegmentIndex,
  lastStartedIndex,
  renumberDrafts,
  roundTime,
} from '../../client/src/contributor/lib/segments.js';
import {
  formatDuration as formatClock,
  formatTimecodeTenths as formatTimecode,
  parseTimecode,
} from '../../client/src/lib/time.js';
import { shortcutFor, skipTarget } from '../../client/src/contributor/lib/shortcuts.js';
import { describeSource } from '../../client/src/contributor/lib/versions.js';
import type { Interview } from '../../client/src/contributor/types.js';

const key = (
  k: string,
  mods: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean; shiftKey: boolean; code: string }> = {},
) => ({
  key: k,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});

describe('partial dates (as the server accepts them)', () => {
  const today = new Date('2025-06-15T12:00:00Z');
  it('accepts year, month and day precision, and empty', () => {
    for (const v of ['', '1987', '1987-05', '1987-05-14', '2000-02-29', '2025-06-16'])
      expect(checkPartialDate(v, today), v).toBeNull();
  });
  it('says what is wrong', () => {
    expect(checkPartialDate('87', today)).toBe('format');
    expect(checkPartialDate('14.05.1987', today)).toBe('format');
    expect(checkPartialDate('1987-5', today)).toBe('format');
    expect(checkPartialDate('1987-13', today)).toBe('month');
    expect(checkPartialDate('1987-00', today)).toBe('month');
    expect(checkPartialDate('1987-02-29', today)).toBe('day');
    expect(checkPartialDate('1987-04-31', today)).toBe('day');
    expect(checkPartialDate('1799', today)).toBe('tooEarly');
    expect(checkPartialDate('2026', today)).toBe('future');
    expect(checkPartialDate('2025-07', today)).toBe('future');
    expect(checkPartialDate('2025-06-17', today)).toBe('future');
  });
});

describe('API field errors → form fields', () => {
  it('maps zod paths from the problem answer to the inputs', () => {
    expect(interviewFieldKey('body.title')).toBe('title');
    expect(interviewFieldKey('body.place.lat')).toBe('place.lat');
    expect(interviewFieldKey('body.place.lon')).toBe('place.lon');
    expect(interviewFieldKey('body.place.name')).toBe('place.name');
    expect(interviewFieldKey('body.place')).toBe('place.name');
    expect(interviewFieldKey('body.keywords.3')).toBe('keywords');
    expect(interviewFieldKey('body.recordedAt')).toBe('recordedAt');
    expect(interviewFieldKey('body.people')).toBe('people');
    expect(interviewFieldKey('body')).toBe(FORM_LEVEL);
    expect(interviewFieldKey('body.unknownThing')).toBe(FORM_LEVEL);
  });

  it('maps a person error to the form row it came from, though empty rows were not sent', () => {
    // rows 0 (empty), 1, 2 (empty), 3 → sent as people[0] = row 1, people[1] = row 3
    expect(interviewFieldKey('body.people.1.name', [1, 3])).toBe('people.3.name');
    expect(interviewFieldKey('body.people.0.role', [1, 3])).toBe('people.1.name');
  });

  it('groups messages per field without repeating them', () => {
    const grouped = groupFieldErrors(
      [
        { field: 'body.place.lat', message: 'Zu groß' },
        { field: 'body.place.lat', message: 'Zu groß' },
        { field: 'body.title', message: 'Pflichtfeld' },
        { field: 'body', message: 'Mindestens ein Feld angeben.' },
      ],
      (f) => interviewFieldKey(f),
    );
    expect(grouped).toEqual({
      'place.lat': ['Zu groß'],
      title: ['Pflichtfeld'],
      [FORM_LEVEL]: ['Mindestens ein Feld angeben.'],
    });
  });

  it('maps index point errors to the point and field', () => {
    expect(indexPointFieldKey('body.points.2.start')).toBe('2.start');
    expect(indexPointFieldKey('body.points.0.title')).toBe('0.title');
    expect(indexPointFieldKey('body.points.4.place.name')).toBe('4.title');
    expect(indexPointFieldKey('body.points')).toBe(FORM_LEVEL);
  });

  it('renders a field with aria-invalid and aria-describedby pointing at its message and hint', () => {
    const html = renderToStaticMarkup(
      <Field id="f-lat" label="Breitengrad" hint="z. B. 51,79" errors={['Zahl zwischen −90 und 90']}>
        {(a) => <input {...a} />}
      </Field>,
    );
    expect(html).toContain('<label for="f-lat">Breitengrad</label>');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('aria-describedby="f-lat-hint f-lat-error"');
    expect(html).toContain('<p id="f-lat-error" class="sb-c-field-error">Zahl zwischen −90 und 90</p>');
    const clean = renderToStaticMarkup(
      <Field id="t" label="Titel">
        {(a) => <input {...a} />}
      </Field>,
    );
    expect(clean).not.toContain('aria-invalid');
    expect(clean).not.toContain('aria-describedby');
  });

  it('renders a choice group whose fieldset points at its error message, or at its hint while there is none', () => {
    const radios = <input type="radio" id="m-oral" name="m" />;
    const invalid = renderToStaticMarkup(
      <ChoiceFieldset id="m" legend="Art der Einwilligung" hint="Wie gegeben" errors={['Bitte wählen', 'Pflicht']}>
        {radios}
      </ChoiceFieldset>,
    );
    expect(invalid).toContain(
      '<fieldset class="sb-c-fieldset" aria-describedby="m-error"><legend>Art der Einwilligung</legend>',
    );
    expect(invalid).toContain('<p id="m-hint" class="sb-c-hint">Wie gegeben</p>');
    expect(invalid).toContain('<p id="m-error" class="sb-c-field-error">Bitte wählen Pflicht</p>');
    const hinted = renderToStaticMarkup(
      <ChoiceFieldset id="m" legend="Art" hint="Wie gegeben" errors={[]}>
        {radios}
      </ChoiceFieldset>,
    );
    expect(hinted).toContain('aria-describedby="m-hint"');
    expect(hinted).not.toContain('m-error');
    const bare = renderToStaticMarkup(
      <ChoiceFieldset id="m" legend="Art">
        {radios}
      </ChoiceFieldset>,
    );
    expect(bare).not.toContain('aria-describedby');
    expect(bare).toContain('<input type="radio" id="m-oral" name="m"/>');
  });
});

describe('interview form → API JSON', () => {
  const today = new Date('2025-06-15T12:00:00Z');
  const filled = (change: Partial<InterviewFormState>): InterviewFormState => ({
    ...emptyForm(),
    title: 'Schichtbetrieb in Golpa-Nord',
    ...change,
  });

  it('leaves out empty person rows, keeps the row mapping, trims and nulls empty optionals', () => {
    const form = filled({
      people: [
        { key: 'a', name: '', role: 'narrator' },
        { key: 'b', name: ' Horst Krüger ', role: 'narrator' },
        { key: 'c', name: 'Anna Schmidt', role: 'interviewer' },
      ],
      summary: '   ',
      keywords: ['Bagger'],
      keywordDraft: 'Förderbrücke, bagger',
    });
    const { payload, peopleIndexMap, problems } = buildInterviewPayload(form, today);
    expect(problems).toEqual({});
    expect(payload.people).toEqual([
      { name: 'Horst Krüger', role: 'narrator' },
      { name: 'Anna Schmidt', role: 'interviewer' },
    ]);
    expect(peopleIndexMap).toEqual([1, 2]);
    expect(payload.summary).toBeNull();
    expect(payload.recordedAt).toBeNull();
    expect(payload.collectionId).toBeNull();
    expect(payload.place).toBeNull();
    expect(payload.keywords).toEqual(['Bagger', 'Förderbrücke']);
  });

  it('reads coordinates with a German decimal comma and checks them', () => {
    expect(parseCoordinate('51,7936')).toBe(51.7936);
    expect(parseCoordinate('-12.5')).toBe(-12.5);
    expect(parseCoordinate('51°47′')).toBeNull();
    const ok = buildInterviewPayload(
      filled({ placeName: 'Ferropolis', placeLat: '51,7936', placeLon: '12,4468' }),
      today,
    );
    expect(ok.payload.place).toEqual({ name: 'Ferropolis', lat: 51.7936, lon: 12.4468 });
    expect(buildInterviewPayload(filled({ placeName: 'X', placeLat: '91', placeLon: '1' }), today).problems).toEqual({
      'place.lat': 'latRange',
    });
    expect(buildInterviewPayload(filled({ placeName: 'X', placeLat: '51' }), today).problems).toEqual({
      'place.lon': 'coordinatesTogether',
    });
    expect(buildInterviewPayload(filled({ placeLat: '51', placeLon: '12' }), today).problems).toEqual({
      'place.name': 'placeNameForCoordinates',
    });
  });

  it('reports a missing title and a bad date as i18n keys', () => {
    const { problems } = buildInterviewPayload(filled({ title: ' ', recordedAt: '1987-02-30' }), today);
    expect(problems).toEqual({ title: 'titleRequired', recordedAt: 'date.day' });
  });

  it('round-trips an interview from the API', () => {
    const interview: Interview = {
      id: 'i1',
      collectionId: 'c1',
      title: 'T',
      people: [{ name: 'H', role: 'narrator' }],
      recordedAt: '1987',
      place: { name: 'Gräfenhainichen', lat: 51.7, lon: 12.4 },
      language: 'nds',
      summary: 'S',
      keywords: ['a'],
      visibility: 'registered',
      status: 'draft',
      grants: [],
      embargoUntil: null,
      embargoListed: false,
      createdBy: 'u',
      createdAt: '',
      updatedAt: '',
      version: 3,
    };
    const { payload } = buildInterviewPayload(formFromInterview(interview), today);
    expect(payload).toEqual({
      title: 'T',
      collectionId: 'c1',
      people: [{ name: 'H', role: 'narrator' }],
      recordedAt: '1987',
      place: { name: 'Gräfenhainichen', lat: 51.7, lon: 12.4 },
      language: 'nds',
      summary: 'S',
      keywords: ['a'],
      visibility: 'registered',
    });
  });

  it('splits keyword input at commas and keeps one of each regardless of case', () => {
    expect(splitKeywords(' Tagebau,  Bagger ;Kohle\nSchicht , ')).toEqual(['Tagebau', 'Bagger', 'Kohle', 'Schicht']);
    expect(addKeywords(['Tagebau'], ['tagebau', 'Kumpel', 'KUMPEL'])).toEqual(['Tagebau', 'Kumpel']);
  });
});

describe('upload progress', () => {
  it('never shows 100 % before the last byte', () => {
    expect(percentOf(0, 0)).toBe(0);
    expect(percentOf(999, 1000)).toBe(99);
    expect(percentOf(1000, 1000)).toBe(100);
    expect(percentOf(335, 1000)).toBe(33);
  });

  it('estimates speed and time left from the current run only (a resumed upload starts at its offset)', () => {
    const start = 1_000_000;
    // resumed at 40 MB of 100 MB, 10 MB sent in 2 s → 5 MB/s, 50 MB left → 10 s
    const f = progressFigures({
      sent: 50e6,
      total: 100e6,
      runStartedAt: start,
      runStartBytes: 40e6,
      now: start + 2000,
    });
    expect(f).toEqual({ percent: 50, bytesPerSecond: 5e6, etaSeconds: 10 });
    // too early to tell
    expect(
      progressFigures({ sent: 1e6, total: 100e6, runStartedAt: start, runStartBytes: 0, now: start + 500 }).etaSeconds,
    ).toBeNull();
  });

  it('formats sizes and durations in German and English', () => {
    expect(formatBytes(1_536_000, 'de')).toBe('1,5 MB');
    expect(formatBytes(1_536_000, 'en')).toBe('1.5 MB');
    expect(formatBytes(512, 'de')).toBe('512 B');
    expect(formatBytes(20e9, 'de')).toBe('20 GB');
    expect(formatClock(75)).toBe('1:15');
    expect(formatClock(3725)).toBe('1:02:05');
  });
});

describe('transcript timing', () => {
  const segs = [
    { start: 0, end: 4 },
    { start: 4, end: 9.5 },
    { start: 12, end: 15 },
    { start: 15, end: 20 },
  ];

  it('finds the segment being spoken, none in gaps or outside', () => {
    expect(currentSegmentIndex(segs, 0)).toBe(0);
    expect(currentSegmentIndex(segs, 3.99)).toBe(0);
    expect(currentSegmentIndex(segs, 4)).toBe(1);
    expect(currentSegmentIndex(segs, 10)).toBe(-1);
    expect(currentSegmentIndex(segs, 15)).toBe(3);
    expect(currentSegmentIndex(segs, 20)).toBe(-1);
    expect(currentSegmentIndex(segs, -1)).toBe(-1);
    expect(currentSegmentIndex([], 3)).toBe(-1);
    expect(currentSegmentIndex(segs, Number.NaN)).toBe(-1);
    expect(lastStartedIndex(segs, 10)).toBe(1);
  });

  it('finds an earlier, longer cue that still runs when cues overlap', () => {
    expect(
      currentSegmentIndex(
        [
          { start: 0, end: 10 },
          { start: 2, end: 3 },
        ],
        5,
      ),
    ).toBe(0);
  });

  it('formats and parses timecodes', () => {
    expect(formatTimecode(83.25)).toBe('01:23.2');
    expect(formatTimecode(3723)).toBe('1:02:03.0');
    expect(formatTimecode(0.3)).toBe('00:00.3');
    expect(parseTimecode('83.5')).toBe(83.5);
    expect(parseTimecode('1:23')).toBe(83);
    expect(parseTimecode('01:23,5')).toBe(83.5);
    expect(parseTimecode('1:02:03')).toBe(3723);
    expect(parseTimecode(formatTimecode(754.4))).toBeCloseTo(754.4);
    expect(parseTimecode('1:75')).toBeNull();
    expect(parseTimecode('abc')).toBeNull();
    expect(roundTime(12.3456)).toBe(12.35);
  });

  it('renumbers unsaved drafts after a split or merge', () => {
    const drafts = new Map([
      [0, 'a'],
      [2, 'c'],
      [3, 'd'],
      [5, 'f'],
    ]);
    expect([...renumberDrafts(drafts, { kind: 'split', n: 2 })]).toEqual([
      [0, 'a'],
      [4, 'd'],
      [6, 'f'],
    ]);
    expect([...renumberDrafts(drafts, { kind: 'merge', n: 2 })]).toEqual([
      [0, 'a'],
      [4, 'f'],
    ]);
  });
});

describe('transcriber keyboard shortcuts', () => {
  it('knows Esc / Ctrl+Space, Ctrl+R / Alt+←, Alt+→', () => {
    expect(shortcutFor(key('Escape'))).toBe('toggle');
    expect(shortcutFor(key(' ', { ctrlKey: true, code: 'Space' }))).toBe('toggle');
    expect(shortcutFor(key('r', { ctrlKey: true }))).toBe('rewind');
    expect(shortcutFor(key('R', { ctrlKey: true }))).toBe('rewind');
    expect(shortcutFor(key('ArrowLeft', { altKey: true }))).toBe('rewind');
    expect(shortcutFor(key('ArrowRight', { altKey: true }))).toBe('forward');
  });
  it('leaves ordinary typing, Ctrl+Shift+R (hard reload) and plain arrows alone', () => {
    expect(shortcutFor(key(' '))).toBeNull();
    expect(shortcutFor(key('r'))).toBeNull();
    expect(shortcutFor(key('R', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(shortcutFor(key('ArrowLeft'))).toBeNull();
    expect(shortcutFor(key('Escape', { shiftKey: true }))).toBeNull();
  });
  it('skips 5 s within the recording', () => {
    expect(skipTarget(3, 'rewind', 60)).toBe(0);
    expect(skipTarget(30, 'rewind', 60)).toBe(25);
    expect(skipTarget(58, 'forward', 60)).toBe(60);
    expect(skipTarget(10, 'forward', Number.NaN)).toBe(15);
  });
});

describe('media and import helpers', () => {
  const medium = {
    hls: '/media/m/hls/master.m3u8',
    original: '/media/m/original',
    originalPlayable: true,
    originalMime: 'video/mp4',
    download: '/media/m/download.m4a',
  };
  it('plays HLS only where the browser can, else the original, else the M4A', () => {
    // the transcript editor's plain media element: native HLS only (no http-streaming engine there)
    const plain = (nativeHls: boolean) => ({ nativeHls, mse: false });
    expect(chooseSource(medium, plain(true))).toMatchObject({ src: medium.hls, type: 'application/vnd.apple.mpegurl' });
    expect(chooseSource(medium, plain(false))).toMatchObject({ src: medium.original, type: 'video/mp4' });
    expect(chooseSource({ ...medium, originalPlayable: false }, plain(false))).toMatchObject({
      src: medium.download,
      type: 'audio/mp4',
    });
    expect(chooseSource({ ...medium, hls: null, originalPlayable: false, download: null }, plain(true))).toBeNull();
  });
  it('names the job at work', () => {
    const job = (name: string, status: 'queued' | 'running' | 'done' | 'failed') => ({
      id: name,
      name,
      status,
      attempts: 1,
      maxAttempts: 3,
      progress: 0,
      error: null,
      createdAt: '2026-05-01T10:00:00.000Z',
      startedAt: null,
      finishedAt: null,
    });
    expect(activeJob({ jobs: [job('a', 'done'), job('b', 'running'), job('c', 'queued')] })?.name).toBe('b');
    expect(activeJob({ jobs: [job('a', 'done')] })).toBeNull();
  });
  it('reads import problem positions from line/column or the field', () => {
    expect(issuePosition({ line: 7, column: 3, message: 'x' })).toEqual({ line: 7, column: 3 });
    expect(issuePosition({ field: 'file:12', message: 'x' })).toEqual({ line: 12, column: null });
    expect(issuePosition({ field: 'segments.2.end', message: 'x' })).toEqual({ line: null, column: null });
    expect(segmentNumberOf('segments.2.end')).toBe(3);
    expect(
      sortIssues([{ message: 'c' }, { line: 9, message: 'b' }, { line: 2, message: 'a' }]).map((i) => i.message),
    ).toEqual(['a', 'b', 'c']);
  });
  it('describes where a version came from', () => {
    expect(describeSource('import:vtt')).toEqual({ kind: 'import', detail: 'vtt' });
    expect(describeSource('restore:3')).toEqual({ kind: 'restore', detail: '3' });
    expect(describeSource('edit:split')).toEqual({ kind: 'split', detail: '' });
    expect(describeSource('api')).toEqual({ kind: 'other', detail: 'api' });
  });
});
