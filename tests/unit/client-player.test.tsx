// Client unit tests for the public side: timecodes, "which passage is current" (binary search), chapters, waveform
// folding, keyboard shortcuts, source choice, the search page's URL handling, and the transcript's rendered
// markup (server-rendered with react-dom/server: no browser, no stubs).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import '../../client/src/i18n/index.js';
import { PlaybackClock } from '../../client/src/player/clock.js';
import { shortcutFor } from '../../client/src/player/keyboard.js';
import { chooseSource, fallbackSource } from '../../client/src/lib/media.js';
import {
  chapterCues,
  findActiveIndex,
  findCurrentIndex,
  waveformColumns,
  waveformDuration,
} from '../../client/src/player/time.js';
import { formatTimecode, isoDuration, parseTimeParam } from '../../client/src/lib/time.js';
import { Transcript, type InterviewSearch } from '../../client/src/player/Transcript.js';
import {
  apiSearchPath,
  clearFilters,
  currentPage,
  hitHref,
  pageCount,
  pageWindow,
  safeSnippet,
  selectedValues,
  sortFacetValues,
  toggleFacet,
} from '../../client/src/pages/searchQuery.js';
import { placeSlug } from '../../client/src/components/placeSlug.js';
import { groupByPlace } from '../../client/src/lib/places.js';
import type { InterviewSummary, TranscriptSegment } from '../../client/src/types.js';

describe('timecodes', () => {
  it('formats mm:ss below an hour and h:mm:ss from an hour on', () => {
    expect(formatTimecode(0)).toBe('00:00');
    expect(formatTimecode(7.9)).toBe('00:07');
    expect(formatTimecode(83)).toBe('01:23');
    expect(formatTimecode(3599.99)).toBe('59:59');
    expect(formatTimecode(3600)).toBe('1:00:00');
    expect(formatTimecode(2 * 3600 + 5 * 60 + 9)).toBe('2:05:09');
    expect(formatTimecode(-3)).toBe('00:00');
    expect(formatTimecode(Number.NaN)).toBe('00:00');
  });

  it('gives ISO durations for <time datetime>', () => {
    expect(isoDuration(0)).toBe('PT0S');
    expect(isoDuration(83)).toBe('PT1M23S');
    expect(isoDuration(3600)).toBe('PT1H');
    expect(isoDuration(3725)).toBe('PT1H2M5S');
  });

  it('reads ?t= as seconds or as a timecode, and refuses anything else', () => {
    expect(parseTimeParam('83')).toBe(83);
    expect(parseTimeParam('7.5')).toBe(7.5);
    expect(parseTimeParam('1:23')).toBe(83);
    expect(parseTimeParam('1:00:05')).toBe(3605);
    expect(parseTimeParam(null)).toBeNull();
    expect(parseTimeParam('')).toBeNull();
    expect(parseTimeParam('-4')).toBeNull();
    expect(parseTimeParam('abc')).toBeNull();
    expect(parseTimeParam('1e3')).toBeNull();
  });
});

describe('current passage for a time (binary search)', () => {
  const segments = [
    { start: 0, end: 3 },
    { start: 3, end: 7 },
    { start: 7, end: 11 },
    { start: 15, end: 19.5 }, // a pause from 11 to 15
  ];

  it('is the last passage that has started; -1 before the first', () => {
    expect(findCurrentIndex(segments, -1)).toBe(-1);
    expect(findCurrentIndex(segments, 0)).toBe(0);
    expect(findCurrentIndex(segments, 2.999)).toBe(0);
    expect(findCurrentIndex(segments, 3)).toBe(1);
    expect(findCurrentIndex(segments, 12)).toBe(2); // the pause keeps the previous passage
    expect(findCurrentIndex(segments, 15)).toBe(3);
    expect(findCurrentIndex(segments, 500)).toBe(3);
    expect(findCurrentIndex([], 5)).toBe(-1);
    expect(findCurrentIndex([{ start: 4 }], 3)).toBe(-1);
  });

  it('agrees with a linear scan on many random transcripts', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let run = 0; run < 200; run++) {
      let t = random() * 3;
      const items = Array.from({ length: Math.floor(random() * 40) }, () => ({ start: (t += random() * 5) }));
      for (let k = 0; k < 20; k++) {
        const time = random() * (t + 5) - 2;
        let expected = -1;
        items.forEach((it, i) => {
          if (it.start <= time) expected = i;
        });
        expect(findCurrentIndex(items, time)).toBe(expected);
      }
    }
  });

  it('words are current only while spoken (findActiveIndex)', () => {
    const words = [
      { start: 1, end: 1.4 },
      { start: 1.5, end: 2 },
    ];
    expect(findActiveIndex(words, 0.5)).toBe(-1);
    expect(findActiveIndex(words, 1.2)).toBe(0);
    expect(findActiveIndex(words, 1.45)).toBe(-1);
    expect(findActiveIndex(words, 1.99)).toBe(1);
    expect(findActiveIndex(words, 2)).toBe(-1);
  });
});

describe('chapters and waveform', () => {
  it('makes chapter cues that run until the next point, the last until the end', () => {
    expect(
      chapterCues(
        [
          { start: 11, title: 'Schichtarbeit' },
          { start: 0, title: 'Einstieg' },
        ],
        20,
      ),
    ).toEqual([
      { start: 0, end: 11, title: 'Einstieg' },
      { start: 11, end: 20, title: 'Schichtarbeit' },
    ]);
    expect(chapterCues([{ start: 30, title: 'zu spät' }], 20)).toEqual([]);
  });

  it('folds min/max pairs onto pixel columns, amplifying quiet recordings', () => {
    const data = [-16, 15, -8, 8, -4, 4, -16, 16]; // 4 pairs, loudest peak 16
    const { min, max } = waveformColumns(data, 2);
    expect(min).toHaveLength(2);
    expect(max[0]).toBeCloseTo((15 * 7.9375) / 127); // gain 127/16
    expect(min[1]).toBeCloseTo((-16 * 7.9375) / 127);
    const loud = waveformColumns([-128, 127], 3);
    expect([...loud.max].every((v) => v > 0.99 && v <= 1)).toBe(true);
    expect([...loud.min].every((v) => v < -0.99 && v >= -1)).toBe(true);
    expect(waveformColumns([], 10).max.every((v) => v === 0)).toBe(true);
    expect(waveformDuration({ length: 200, samplesPerPixel: 800, sampleRate: 8000 })).toBe(20);
  });
});

describe('keyboard shortcuts', () => {
  const el = (tagName: string, role?: string) => ({
    tagName,
    getAttribute: (n: string) => (n === 'role' ? (role ?? null) : null),
  });
  const video = { video: true };

  it('maps the documented keys', () => {
    expect(shortcutFor({ key: ' ', target: el('BODY') }, video)).toBe('toggle-play');
    expect(shortcutFor({ key: 'k' }, video)).toBe('toggle-play');
    expect(shortcutFor({ key: 'K' }, video)).toBe('toggle-play');
    expect(shortcutFor({ key: 'j' }, video)).toBe('back');
    expect(shortcutFor({ key: 'ArrowLeft', target: el('DIV') }, video)).toBe('back');
    expect(shortcutFor({ key: 'l' }, video)).toBe('forward');
    expect(shortcutFor({ key: 'ArrowRight' }, video)).toBe('forward');
    expect(shortcutFor({ key: 'c' }, video)).toBe('toggle-captions');
    expect(shortcutFor({ key: 'f' }, video)).toBe('fullscreen');
    expect(shortcutFor({ key: 'f' }, { video: false })).toBeNull();
    expect(shortcutFor({ key: '?' }, video)).toBe('help');
  });

  it('leaves typing, pressing buttons, sliders and browser shortcuts alone', () => {
    expect(shortcutFor({ key: 'k', target: el('INPUT') }, video)).toBeNull();
    expect(shortcutFor({ key: 'j', target: el('TEXTAREA') }, video)).toBeNull();
    expect(shortcutFor({ key: 'k', target: { tagName: 'DIV', isContentEditable: true } }, video)).toBeNull();
    expect(shortcutFor({ key: ' ', target: el('BUTTON') }, video)).toBeNull();
    expect(shortcutFor({ key: ' ', target: el('A') }, video)).toBeNull();
    expect(shortcutFor({ key: ' ', target: el('DIV', 'button') }, video)).toBeNull();
    expect(shortcutFor({ key: 'k', target: el('BUTTON') }, video)).toBe('toggle-play');
    expect(shortcutFor({ key: 'ArrowLeft', target: el('DIV', 'slider') }, video)).toBeNull();
    expect(shortcutFor({ key: 'l', ctrlKey: true }, video)).toBeNull();
    expect(shortcutFor({ key: 'c', metaKey: true }, video)).toBeNull();
    expect(shortcutFor({ key: 'x' }, video)).toBeNull();
  });
});

describe('which file the player loads', () => {
  const medium = {
    hls: '/media/m/hls/master.m3u8',
    original: '/media/m/original',
    originalPlayable: true,
    originalMime: 'audio/mpeg',
  };

  it('prefers native HLS, then HLS through http-streaming, then the original; nothing while nothing is playable', () => {
    expect(chooseSource(medium, { nativeHls: true, mse: true })).toMatchObject({
      src: medium.hls,
      type: 'application/vnd.apple.mpegurl',
      needsVhs: false,
      isHls: true,
    });
    expect(chooseSource(medium, { nativeHls: false, mse: true })).toMatchObject({ src: medium.hls, needsVhs: true });
    expect(chooseSource(medium, { nativeHls: false, mse: false })).toMatchObject({
      src: medium.original,
      type: 'audio/mpeg',
      needsVhs: false,
    });
    expect(chooseSource({ ...medium, hls: null }, { nativeHls: true, mse: true })).toMatchObject({
      src: medium.original,
      isHls: false,
    });
    expect(chooseSource({ ...medium, hls: null, originalPlayable: false }, { nativeHls: true, mse: true })).toBeNull();
    expect(fallbackSource({ ...medium, originalPlayable: false })).toBeNull();
  });
});

describe('search page URL ↔ API', () => {
  const params = (s: string) => new URLSearchParams(s);

  it('sends the query, facet filters (collection as collectionId), page and page size', () => {
    expect(apiSearchPath(params(''))).toBeNull();
    expect(apiSearchPath(params('q=%20'))).toBeNull();
    const path = apiSearchPath(
      params('q=F%C3%B6rderbr%C3%BCcke&narrator=Karl%20Mehnert,Helga%20Brandt&collection=c1&page=2'),
    )!;
    const sent = new URL(path, 'http://x').searchParams;
    expect(sent.get('q')).toBe('Förderbrücke');
    expect(sent.get('narrator')).toBe('Karl Mehnert,Helga Brandt');
    expect(sent.get('collectionId')).toBe('c1');
    expect(sent.has('collection')).toBe(false);
    expect(sent.get('page')).toBe('2');
    expect(sent.get('pageSize')).toBe('20');
    expect(apiSearchPath(params('keyword=Bagger'))).toContain('keyword=Bagger');
  });

  it('toggles facet values and goes back to page 1', () => {
    const first = toggleFacet(params('q=Bagger&page=3'), 'narrator', 'Karl Mehnert');
    expect(selectedValues(first, 'narrator')).toEqual(['Karl Mehnert']);
    expect(first.has('page')).toBe(false);
    const second = toggleFacet(first, 'narrator', 'Helga Brandt');
    expect(second.get('narrator')).toBe('Karl Mehnert,Helga Brandt');
    expect(toggleFacet(second, 'narrator', 'Karl Mehnert').get('narrator')).toBe('Helga Brandt');
    expect(toggleFacet(params('decade=1980'), 'decade', '1980').has('decade')).toBe(false);
    expect(clearFilters(params('q=Bagger&decade=1980&page=2')).toString()).toBe('q=Bagger');
  });

  it('pages: current page, count (API limit 500) and the window of page links', () => {
    expect(currentPage(params('page=0'))).toBe(1);
    expect(currentPage(params('page=x'))).toBe(1);
    expect(currentPage(params('page=7'))).toBe(7);
    expect(pageCount(0)).toBe(1);
    expect(pageCount(41)).toBe(3);
    expect(pageCount(1_000_000)).toBe(500);
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(5, 10)).toEqual([1, null, 4, 5, 6, null, 10]);
    expect(pageWindow(2, 4)).toEqual([1, 2, 3, 4]);
  });

  it('sorts facet values: years newest first, the rest by count', () => {
    expect(sortFacetValues('decade', { 1970: 5, 1990: 1, 1980: 3 }).map(([v]) => v)).toEqual(['1990', '1980', '1970']);
    expect(sortFacetValues('narrator', { B: 1, A: 1, C: 4 }).map(([v]) => v)).toEqual(['C', 'A', 'B']);
  });

  it('lets only <mark> through in snippets and links hits to their second', () => {
    expect(safeSnippet('an der <mark>Förderbrücke</mark> &lt;script&gt;')).toBe(
      'an der <mark>Förderbrücke</mark> &lt;script&gt;',
    );
    expect(safeSnippet('<img src=x onerror=alert(1)><mark>x</mark><script>')).toBe(
      '&lt;img src=x onerror=alert(1)><mark>x</mark>&lt;script>',
    );
    expect(hitHref({ interviewId: 'i-1', mediaId: 'm-2', start: 7 })).toBe('/interviews/i-1?t=7&m=m-2');
  });
});

describe('places', () => {
  it('makes stable fragment ids and groups interviews by place', () => {
    expect(placeSlug('Gräfenhainichen')).toBe('ort-grafenhainichen');
    expect(placeSlug('Straße des Bergmanns')).toBe('ort-strasse-des-bergmanns');
    const item = (id: string, place: InterviewSummary['place']): InterviewSummary => ({
      id,
      title: id,
      summary: null,
      recordedAt: null,
      place,
      people: [],
    });
    const groups = groupByPlace([
      item('a', { name: 'Zschornewitz' }),
      item('b', { name: 'Golpa', lat: 51.7, lon: 12.4 }),
      item('c', { name: 'Zschornewitz', lat: 51.71, lon: 12.4 }),
      item('d', null),
    ]);
    expect(groups.map((g) => [g.name, g.interviews.map((i) => i.id), g.lat])).toEqual([
      ['Golpa', ['b'], 51.7],
      ['Zschornewitz', ['a', 'c'], 51.71],
    ]);
  });
});

describe('<Transcript> markup (react-dom/server)', () => {
  const segments: TranscriptSegment[] = [
    { start: 0, end: 3, speaker: 'Anna Schulz', text: 'Wann sind Sie in den Tagebau gekommen?' },
    {
      start: 3,
      end: 7,
      speaker: 'Karl Mehnert',
      text: 'Ich bin 1958 gekommen.',
      words: [
        { start: 3, end: 3.4, text: 'Ich' },
        { start: 3.5, end: 3.9, text: 'bin' },
        { start: 4, end: 4.6, text: '1958' },
        { start: 4.7, end: 5.5, text: 'gekommen.' },
      ],
    },
    { start: 7, end: 11, speaker: 'Karl Mehnert', text: 'Später an der Förderbrücke.' },
  ];
  const search: InterviewSearch = {
    query: '',
    setQuery: () => undefined,
    submitted: 'Förderbrücke',
    hits: [
      { id: 'h', interviewId: 'i', interviewTitle: 'T', mediaId: 'm1', start: 7, end: 11, speaker: null, snippet: '' },
    ],
    active: -1,
    setActive: () => undefined,
    status: 'done',
    problem: null,
    run: async () => [],
  };
  const render = (time: number) => {
    const clock = new PlaybackClock();
    clock.set(time, true);
    return renderToStaticMarkup(
      <Transcript
        mediaId="m1"
        segments={segments}
        search={search}
        language="de"
        clock={clock}
        onSeek={() => undefined}
        onHit={() => undefined}
      />,
    );
  };

  it('marks exactly the current segment (aria-current, is-current) and the current word', () => {
    const html = render(4.2);
    expect(html.match(/data-testid="segment"/g)).toHaveLength(3);
    expect(html.match(/aria-current="true"/g)).toHaveLength(1);
    expect(html).toMatch(
      /<li class="segment is-current" data-testid="segment" data-index="1" data-start="3" aria-current="true">/,
    );
    expect(html).toMatch(/<span class="word is-current-word" data-start="4"> 1958<\/span>/);
    expect(html).toContain('data-testid="transcript" lang="de"');
    expect(html).toContain('aria-label="00:07 – ab hier abspielen"');
    expect(html).toMatch(/class="segment is-hit"[^>]*data-start="7"/); // a hit of the in-interview search
    expect(html).toContain('1 Treffer'); // the in-interview search count
  });

  it('marks nothing before the first passage starts', () => {
    expect(render(-1)).not.toContain('aria-current');
  });
});
