import { describe, expect, it } from 'vitest';
import {
  MAX_CUE_SECONDS,
  MAX_LINE_CHARS,
  detectFormat,
  exportTranscript,
  parseTranscript,
  type IndexSegment,
  type Segment,
} from '../../server/transcripts/formats/index.js';
import { fixture } from './transcript-formats.helpers.js';

// Long answers on purpose: they must be split into several caption cues.
const segments: Segment[] = [
  { start: 0.5, end: 6.2, speaker: 'Anja Krause', text: 'Herr Mehnert, wann sind Sie nach Gräfenhainichen gekommen?' },
  {
    start: 6.8,
    end: 31.4,
    speaker: 'Karl Mehnert',
    text:
      'Das war im Frühjahr 1958. Ich hatte gerade die Lehre als Schlosser fertig und bin direkt in den Tagebau Golpa-Nord gegangen, ' +
      'an die große Förderbrücke. Die war über fünfhundert Meter lang, und bei Sturm hat das ganze Gerüst geschwankt & geächzt.',
  },
  {
    start: 32,
    end: 36.5,
    speaker: 'Karl Mehnert',
    text: 'Glück auf, so haben wir uns begrüßt.',
    words: [
      { start: 32, end: 32.6, text: 'Glück' },
      { start: 32.6, end: 33.1, text: 'auf,' },
      { start: 33.4, end: 33.7, text: 'so' },
      { start: 33.7, end: 34.1, text: 'haben' },
      { start: 34.1, end: 34.5, text: 'wir' },
      { start: 34.5, end: 34.9, text: 'uns' },
      { start: 35.2, end: 36.4, text: 'begrüßt.' },
    ],
  },
  { start: 37.25, end: 41, speaker: 'Anja Krause', text: 'Und wie lang war eine Schicht?' },
  {
    start: 41.5,
    end: 58.75,
    speaker: 'Karl Mehnert',
    text:
      'Acht Stunden, Früh-, Spät- und Nachtschicht im Wechsel. Später in der Brikettfabrik Zschornewitz war der Staub <überall>, ' +
      'das Verhältnis Abraum zu Kohle lag bei 5 > 1, sagte der Steiger immer.',
  },
];

const index: IndexSegment[] = [
  {
    start: 0,
    title: 'Ankunft im Revier',
    synopsis: 'Lehre als Schlosser, erster Einsatz an der Förderbrücke im Tagebau Golpa-Nord.',
    keywords: ['Tagebau', 'Förderbrücke', 'Lehre'],
    subjects: ['Braunkohlebergbau'],
    place: { name: 'Gräfenhainichen', lat: 51.7289, lon: 12.4561 },
    partialTranscript: 'Herr Mehnert, wann sind Sie',
  },
  {
    start: 37,
    title: 'Schichtarbeit & Brikettfabrik',
    synopsis: 'Dreischichtbetrieb; Staub in der Brikettfabrik Zschornewitz.',
    keywords: ['Schicht', 'Brikettfabrik', 'Staub'],
    subjects: ['Arbeitsbedingungen', 'Gesundheit'],
    place: { name: 'Zschornewitz' },
    partialTranscript: 'Und wie lang war eine Schicht?',
  },
];

const transcript = { segments, index, title: 'Interview Karl Mehnert', speakers: ['Anja Krause', 'Karl Mehnert'] };

/** Caption cues back into segments: consecutive cues of one speaker that touch in time belong together. */
function rejoin(cues: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const c of cues) {
    const prev = out[out.length - 1];
    if (prev && prev.speaker === c.speaker && prev.end === c.start) {
      prev.end = c.end;
      prev.text = `${prev.text} ${c.text}`;
      if (c.words) prev.words = [...(prev.words ?? []), ...c.words];
    } else out.push({ ...c, ...(c.words ? { words: [...c.words] } : {}) });
  }
  return out;
}

const core = (s: Segment): Pick<Segment, 'start' | 'speaker' | 'text'> => ({
  start: s.start,
  speaker: s.speaker,
  text: s.text,
});

describe('round trips', () => {
  it('json keeps everything', () => {
    const parsed = parseTranscript(exportTranscript(transcript, 'json'), 'json');
    expect(parsed.segments).toEqual(segments);
    expect(parsed.index).toEqual(index);
    expect(parsed.speakers).toEqual(['Anja Krause', 'Karl Mehnert']);
  });

  it('vtt: split cues re-join to the original segments, word timings kept', () => {
    const vtt = exportTranscript(transcript, 'vtt');
    expect(vtt.startsWith('WEBVTT - Interview Karl Mehnert\n\n')).toBe(true);
    expect(vtt).toContain('&amp; geächzt');
    expect(vtt).toContain('&lt;überall&gt;');
    expect(vtt).toContain('<v Karl Mehnert>');
    const parsed = parseTranscript(vtt, 'vtt');
    expect(parsed.segments.length).toBeGreaterThan(segments.length);
    const joined = rejoin(parsed.segments as Segment[]);
    expect(joined.map(core)).toEqual(segments.map(core));
    expect(joined.map((s) => s.end)).toEqual(segments.map((s) => s.end));
    expect(joined[2]!.words!.map((w) => [w.start, w.text])).toEqual(segments[2]!.words!.map((w) => [w.start, w.text]));
  });

  it('srt: numbered cues, speaker prefix on the first cue of a segment', () => {
    const srt = exportTranscript(transcript, 'srt');
    expect(srt.startsWith('1\n00:00:00,500 --> ')).toBe(true);
    expect(srt).toMatch(/\n\d+\n00:00:06,800 --> \d\d:\d\d:\d\d,\d{3}\nKarl Mehnert: Das war/);
    const parsed = parseTranscript(srt, 'srt');
    const joined = rejoin(parsed.segments as Segment[]);
    expect(joined.map(core)).toEqual(segments.map(core));
    expect(joined.map((s) => s.end)).toEqual(segments.map((s) => s.end));
  });

  it('txt: [hh:mm:ss] Speaker: text, starts exact', () => {
    const txt = exportTranscript(transcript, 'txt');
    expect(txt.split('\n')[0]).toBe(
      '[00:00:00.500] Anja Krause: Herr Mehnert, wann sind Sie nach Gräfenhainichen gekommen?',
    );
    expect(txt).toContain('\n[00:00:32] Karl Mehnert: Glück auf');
    const parsed = parseTranscript(txt, 'txt');
    expect((parsed.segments as Segment[]).map(core)).toEqual(segments.map(core));
    // ends become the next start (the gap is not representable)
    expect(parsed.segments[0]!.end).toBe(segments[1]!.start);
  });

  it('ohms: whole-second markers, same speakers, text and index', () => {
    const xml = exportTranscript(transcript, 'ohms');
    expect(xml).toContain('<transcript>[00:00:00] Anja Krause: Herr Mehnert');
    expect(xml).toContain('<gps>51.7289, 12.4561</gps>');
    const parsed = parseTranscript(xml, 'ohms');
    expect(parsed.segments).toHaveLength(segments.length);
    parsed.segments.forEach((s, i) => {
      const original = segments[i]!;
      expect(Math.abs(s.start! - original.start)).toBeLessThanOrEqual(1);
      expect(s.speaker).toBe(original.speaker);
      expect(s.text).toBe(original.text);
    });
    expect(parsed.segments.at(-1)!.end).toBeGreaterThanOrEqual(segments.at(-1)!.end);
    expect(parsed.index).toEqual(index);
  });

  it('caption cues stay within ~7 s and two lines of 42 characters', () => {
    for (const format of ['vtt', 'srt'] as const) {
      const blocks = exportTranscript(transcript, format).trim().split('\n\n');
      const cues = format === 'vtt' ? blocks.slice(1) : blocks;
      for (const block of cues) {
        const lines = block.split('\n');
        const timing = lines.find((l) => l.includes('-->'))!;
        const [from, to] = timing.split(' --> ').map((t) => t.replace(',', '.'));
        const secs = (t: string): number => t.split(':').reduce((acc, p) => acc * 60 + Number(p), 0);
        expect(secs(to!) - secs(from!)).toBeLessThanOrEqual(MAX_CUE_SECONDS + 0.001);
        const text = lines
          .slice(lines.indexOf(timing) + 1)
          .map((l) => l.replace(/<[^>]+>/g, '').replace(/&\w+;/g, '&'));
        expect(text.length).toBeLessThanOrEqual(2);
        for (const l of text) expect(l.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
      }
    }
  });
});

describe('detectFormat', () => {
  it('recognises content first', () => {
    expect(detectFormat(fixture('interview-mehnert.vtt'))).toBe('vtt');
    expect(detectFormat(`\uFEFF${fixture('interview-mehnert.vtt')}`)).toBe('vtt');
    expect(detectFormat(fixture('interview-lehmann.srt'), 'export.txt')).toBe('srt');
    expect(detectFormat(fixture('ohms-classic.xml'))).toBe('ohms');
    expect(detectFormat('<ROOT><record><transcript>x</transcript></record></ROOT>')).toBe('ohms');
    expect(detectFormat('<record></record>')).toBe('ohms');
    expect(detectFormat(fixture('negative-start.json'))).toBe('json');
    expect(detectFormat(fixture('interview-lehmann.txt'))).toBe('txt');
  });

  it('uses the filename extension as tie-breaker', () => {
    const headerless = '00:00:01.000 --> 00:00:02.000\nGlück auf!\n';
    expect(detectFormat(headerless)).toBe('vtt');
    expect(detectFormat(headerless, 'alt.srt')).toBe('srt');
    expect(detectFormat('Transkript folgt.', 'interview.vtt')).toBe('vtt');
    expect(detectFormat('Transkript folgt.', 'interview.txt')).toBe('txt');
    expect(detectFormat('Transkript folgt.')).toBe('txt');
  });
});
