import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MAX_CUE_SECONDS,
  MAX_LINE_CHARS,
  TranscriptParseError,
  detectFormat,
  exportTranscript,
  parseTranscript,
  type IndexSegment,
  type ParseIssue,
  type Segment,
  type TranscriptFormat,
} from '../../server/transcripts/formats/index.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/transcripts/${name}`, import.meta.url), 'utf8');

function issuesOf(text: string, format?: TranscriptFormat): ParseIssue[] {
  try {
    parseTranscript(text, format);
  } catch (err) {
    expect(err).toBeInstanceOf(TranscriptParseError);
    return (err as TranscriptParseError).issues;
  }
  throw new Error('expected a TranscriptParseError');
}

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

const core = (s: Segment): Pick<Segment, 'start' | 'speaker' | 'text'> => ({ start: s.start, speaker: s.speaker, text: s.text });

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
    expect(txt.split('\n')[0]).toBe('[00:00:00.500] Anja Krause: Herr Mehnert, wann sind Sie nach Gräfenhainichen gekommen?');
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
        const text = lines.slice(lines.indexOf(timing) + 1).map((l) => l.replace(/<[^>]+>/g, '').replace(/&\w+;/g, '&'));
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

describe('WebVTT import', () => {
  const expected = [
    { start: 1, end: 6.25, speaker: 'Interviewerin', text: 'Herr Mehnert, wann haben Sie im Tagebau angefangen?' },
    { start: 6.5, end: 12, speaker: 'Karl Mehnert', text: 'Das war 1958. Ich kam direkt nach der Lehre in den Tagebau Golpa-Nord, an die Förderbrücke.' },
    { start: 12, end: 15, speaker: 'Karl Mehnert', text: 'Glück auf! So hieß das bei uns.' },
    { start: 15.2, end: 19, speaker: 'Interviewerin', text: 'Und die Schichten?' },
    { start: 15.2, end: 19, speaker: 'Karl Mehnert', text: 'Früh-, Spät- und Nachtschicht & sonntags Bereitschaft.' },
  ];

  it('reads voices, strips tags, skips NOTE/STYLE/REGION, ignores cue settings', () => {
    const parsed = parseTranscript(fixture('interview-mehnert.vtt'));
    expect(parsed.format).toBe('vtt');
    expect(parsed.segments.map(({ words: _w, ...s }) => s)).toEqual(expected);
    expect(parsed.speakers).toEqual(['Interviewerin', 'Karl Mehnert']);
  });

  it('turns inline timestamps into word timings', () => {
    const words = parseTranscript(fixture('interview-mehnert.vtt')).segments[2]!.words!;
    expect(words.map((w) => w.text)).toEqual(['Glück', 'auf!', 'So', 'hieß', 'das', 'bei', 'uns.']);
    expect(words[0]!.start).toBe(12);
    expect(words[2]!.start).toBe(13);
    expect(words[4]!.start).toBe(13.8);
    expect(words.at(-1)!.end).toBe(15);
  });

  it('tolerates BOM and CRLF', () => {
    const crlf = `\uFEFF${fixture('interview-mehnert.vtt').replace(/\n/g, '\r\n')}`;
    expect(parseTranscript(crlf, 'vtt').segments.map(({ words: _w, ...s }) => s)).toEqual(expected);
  });

  it('reports a bad timestamp (line 7) and end before start (line 12) together', () => {
    const issues = issuesOf(fixture('bad-timestamps.vtt'), 'vtt');
    expect(issues.map((i) => i.line)).toEqual([7, 12]);
    expect(issues[0]!.message).toMatch(/Milliseconds/);
    expect(issues[0]!.column).toBe(11);
    expect(issues[1]!.message).toMatch(/not after start/);
  });

  it('reports a missing header, empty cues and start times going backwards', () => {
    const text = [
      '00:00:01.000 --> 00:00:02.000', // 1
      'Glück auf!', // 2
      '', // 3
      'WEBVTT', // 4 (not a header here)
    ].join('\n');
    expect(issuesOf(text, 'vtt')[0]).toMatchObject({ line: 1, message: expect.stringMatching(/signature/) });

    const backwards = [
      'WEBVTT',
      '',
      '00:00:10.000 --> 00:00:12.000', // 3
      'Die Förderbrücke stand still.',
      '',
      '00:00:10.300 --> 00:00:11.000', // 6: within tolerance, overlap allowed
      'Stromausfall.',
      '',
      '00:00:05.000 --> 00:00:08.000', // 9: backwards
      'Vorher lief alles.',
      '',
      '00:00:13.000 --> 00:00:14.000', // 12: empty
      '',
    ].join('\n');
    const issues = issuesOf(backwards, 'vtt');
    expect(issues.map((i) => i.line)).toEqual([9, 12]);
    expect(issues[0]!.message).toMatch(/backwards/);
    expect(issues[1]!.message).toMatch(/Empty cue text/);
  });
});

describe('SRT import', () => {
  it('takes speakers from NAME: prefixes and carries them over, strips <i>', () => {
    const parsed = parseTranscript(fixture('interview-lehmann.srt'), 'srt');
    expect(parsed.segments).toEqual([
      { start: 1, end: 5, speaker: 'INTERVIEWERIN', text: 'Wie kamen Sie zur Brikettfabrik?' },
      { start: 5.2, end: 9.8, speaker: 'ERIKA LEHMANN', text: 'Mein Vater war schon dort, an der Presse, dreißig Jahre lang.' },
      { start: 10, end: 14, speaker: 'ERIKA LEHMANN', text: 'Da war klar, dass ich auch hingehe – nach Zschornewitz.' },
      { start: 14.5, end: 17.25, speaker: 'INTERVIEWERIN', text: 'Und die Schicht begann wann?' },
    ]);
  });

  it('reports a cue without its time line', () => {
    const issues = issuesOf(fixture('missing-timeline.srt'), 'srt');
    expect(issues).toEqual([{ line: 6, message: expect.stringMatching(/Cue 2 has no time line/) }]);
  });

  it('reports malformed times with line and column', () => {
    const issues = issuesOf('1\n00:00:01,000 --> 00:00:04,000\nGlück auf!\n\n2\n00:00:05;000 --> 00:00:06,000\nSchicht.\n', 'srt');
    expect(issues).toEqual([{ line: 6, column: 9, message: expect.stringMatching(/decimal separator \(","\)/) }]);
  });
});

describe('OHMS import', () => {
  it('classic transcript: [HH:MM:SS] markers, speakers, duration, index with GPS', () => {
    const parsed = parseTranscript(fixture('ohms-classic.xml'));
    expect(parsed.format).toBe('ohms');
    expect(parsed.segments.map((s) => [s.start, s.end, s.speaker])).toEqual([
      [0, 9, 'KRAUSE'],
      [9, 62, 'MEHNERT'],
      [62, 105, 'MEHNERT'],
      [105, 111, 'KRAUSE'],
      [111, 190, 'MEHNERT'],
      [190, 194, 'KRAUSE'],
      [194, 270, 'MEHNERT'],
    ]);
    expect(parsed.segments[4]!.text).toBe(
      'Acht Stunden. Frühschicht ab sechs, dann Spätschicht, dann Nachtschicht. Im Winter bei minus zwanzig Grad & Sturm.',
    );
    expect(parsed.speakers).toEqual(['KRAUSE', 'MEHNERT']);
    expect(parsed.index).toHaveLength(3);
    expect(parsed.index[0]).toEqual({
      start: 0,
      title: 'Ankunft in Gräfenhainichen',
      synopsis: 'Mehnert beschreibt seinen Weg nach der Lehre in den Tagebau Golpa-Nord.',
      keywords: ['Tagebau', 'Golpa-Nord', 'Lehre'],
      subjects: ['Braunkohlebergbau', 'Arbeitsmigration'],
      place: { name: 'Gräfenhainichen', lat: 51.7289, lon: 12.4561, zoom: 14 },
      partialTranscript: 'Herr Mehnert, erzählen Sie bitte',
    });
    expect(parsed.index[1]!.keywords).toEqual(['Schicht', 'Förderbrücke', 'Nachtschicht', 'Winter']);
    expect(parsed.index[2]).toMatchObject({ start: 190, place: { name: 'Zschornewitz', lat: 51.7069, lon: 12.4075 }, partialTranscript: null });
  });

  it('maps issues inside the transcript text to XML lines', () => {
    const xml = fixture('ohms-classic.xml').replace('[00:01:45]', '[00:01:75]');
    const line = fixture('ohms-classic.xml').split('\n').findIndex((l) => l.includes('[00:01:45]')) + 1;
    const issues = issuesOf(xml, 'ohms');
    expect(issues[0]).toMatchObject({ line, column: 1, message: expect.stringMatching(/Invalid timecode "\[00:01:75\]"/) });
  });

  it('<vtt_transcript> with WebVTT inside', () => {
    const parsed = parseTranscript(fixture('ohms-vtt.xml'), 'ohms');
    expect(parsed.segments).toEqual([
      { start: 0, end: 4, speaker: 'Anja Krause', text: 'Frau Lehmann, Sie waren Baggerfahrerin?' },
      { start: 4, end: 10.5, speaker: 'Erika Lehmann', text: 'Ja, zwanzig Jahre auf dem Absetzer. Als Frau im Tagebau, das war was.' },
      { start: 10.5, end: 14, speaker: 'Erika Lehmann', text: 'Die Männer haben gestaunt. Glück auf!' },
    ]);
    expect(parsed.index[0]!.place).toEqual({ name: 'Tagebau Gröbern' });
  });

  it('<vtt_transcript>: a cue ending before it starts is repaired (end = next start) and reported with its XML line', () => {
    const xml = fixture('ohms-vtt.xml').replace('00:00:04.000 --> 00:00:10.500', '00:00:04.000 --> 00:00:03.500');
    const line = xml.split('\n').findIndex((l) => l.includes('00:00:03.500')) + 1;
    const parsed = parseTranscript(xml, 'ohms');
    expect(parsed.segments[1]).toMatchObject({ start: 4, end: 10.5 });
    expect(parsed.warnings).toEqual([{ line, message: expect.stringMatching(/^Repaired reversed cue .*end set to 00:00:10\.500 \(the next cue's start\)/) }]);
  });

  it('<vtt_transcript> issues that are not repairs still refuse the file with the XML line', () => {
    const xml = fixture('ohms-vtt.xml').replace('00:00:04.000 --> 00:00:10.500', '00:00:04.000 --> 00:00:1x.500');
    const line = xml.split('\n').findIndex((l) => l.includes('00:00:1x.500')) + 1;
    expect(issuesOf(xml, 'ohms')[0]).toMatchObject({ line });
  });

  it('<sync> only: minute marks by line(word), interpolated by word position', () => {
    const parsed = parseTranscript(fixture('ohms-sync.xml'), 'ohms');
    expect(parsed.segments.map((s) => [s.start, s.end, s.speaker])).toEqual([
      [0, 15.484, 'KRAUSE'],
      [15.484, 63.75, 'MEHNERT'],
      [63.75, 82.5, 'KRAUSE'],
      [82.5, 160, 'MEHNERT'],
    ]);
    expect(parsed.segments[1]!.text).toBe(
      'Laut, staubig und kalt. Wir waren zu fünft auf der Brücke, der Brückenfahrer, zwei Schlosser, ein Elektriker und ich. Jeder kannte jeden Handgriff.',
    );
  });

  it('<sync> entries with explicit chunk indices (k:line(word)) read as one-minute chunks', () => {
    const documented = parseTranscript(fixture('ohms-sync.xml'), 'ohms');
    const explicit = parseTranscript(fixture('ohms-sync.xml').replace('1:|3(4)|6(2)', '1:3(4)|2:6(2)'), 'ohms');
    expect(explicit.segments).toEqual(documented.segments);
  });

  it('<vtt_transcript> escaped and indented instead of CDATA', () => {
    const xml = [
      '<ROOT><record>',
      '  <vtt_transcript>',
      '    WEBVTT',
      '',
      '    00:00:01.000 --> 00:00:03.000',
      '    &lt;v Karl Mehnert&gt;Schicht im Schacht &amp;amp; Feierabend.',
      '  </vtt_transcript>',
      '</record></ROOT>',
    ].join('\n');
    expect(parseTranscript(xml).segments).toEqual([{ start: 1, end: 3, speaker: 'Karl Mehnert', text: 'Schicht im Schacht & Feierabend.' }]);
    expect(issuesOf(xml.replace('00:00:03.000', '00:00:03'), 'ohms')).toEqual([{ line: 5, column: 30, message: expect.stringMatching(/decimal separator/) }]);
  });

  it('malformed XML: issue with the XML parser line', () => {
    const issues = issuesOf(fixture('ohms-malformed.xml'), 'ohms');
    expect(issues[0]).toMatchObject({ line: 6, message: expect.stringMatching(/^XML: /) });
    expect(issues[0]!.column).toBeGreaterThan(0);
  });

  it('a transcript without any timing is kept untimed (reading text), with a warning', () => {
    const xml = fixture('ohms-sync.xml').replace('<sync>1:|3(4)|6(2)</sync>', '<sync></sync>');
    const parsed = parseTranscript(xml, 'ohms');
    expect(parsed.segments.length).toBeGreaterThan(0);
    expect(parsed.segments.every((s) => s.start === null && s.end === null)).toBe(true);
    expect(parsed.warnings[0]!.message).toMatch(/neither \[HH:MM:SS\] markers nor <sync> data: kept as untimed reading text/);
  });
});

describe('plain text import', () => {
  it('reads [hh:mm:ss], [mm:ss], [hh:mm:ss.mmm], inline timecodes and speaker prefixes', () => {
    const parsed = parseTranscript(fixture('interview-lehmann.txt'), 'txt');
    expect(parsed.segments.map((s) => [s.start, s.speaker])).toEqual([
      [0, 'Anja Krause'],
      [6, 'Erika Lehmann'],
      [19, 'Erika Lehmann'],
      [31, 'Anja Krause'],
      [35, 'Erika Lehmann'],
      [48.5, 'Anja Krause'],
      [51.875, 'Erika Lehmann'],
      [62, 'Anja Krause'],
      [70.5, 'Erika Lehmann'],
    ]);
    // "Hinweis:" continues a sentence from the previous line: not a speaker
    expect(parsed.segments[1]!.text).toBe(
      'Über meinen Mann. Der war Schichtleiter in Zschornewitz und sagte immer, in der Fabrik gilt der Hinweis: erst die Presse, dann die Pause.',
    );
    expect(parsed.segments[0]!.end).toBe(6);
    expect(parsed.segments.at(-1)!.end).toBeGreaterThan(70.5);
  });

  it('reports text before the first timecode', () => {
    expect(issuesOf(fixture('text-before-timecode.txt'), 'txt')).toEqual([
      { line: 1, message: 'Text before the first timecode has no time.' },
    ]);
  });

  it('reports invalid timecodes with their column', () => {
    const issues = issuesOf('[00:00:00] Anja Krause: Wie war es?\n[00:00:4] Karl Mehnert: Laut.\n[00:75:00] Staubig.', 'txt');
    expect(issues.map((i) => [i.line, i.column])).toEqual([[3, 1]]);
    expect(issues[0]!.message).toMatch(/Invalid timecode/);
  });
});

describe('JSON import', () => {
  it('reports a negative start with JSON pointer and line', () => {
    const issues = issuesOf(fixture('negative-start.json'), 'json');
    expect(issues).toEqual([{ line: 5, column: 16, message: expect.stringMatching(/^\/segments\/1\/start: /) }]);
  });

  it('reports syntax errors with a line', () => {
    const issues = issuesOf('{\n  "version": 1,\n  "segments": [\n    { "start": 0 "end": 1 }\n  ]\n}', 'json');
    expect(issues).toHaveLength(1);
    expect(issues[0]!.line).toBe(4);
    expect(issues[0]!.message).toMatch(/^Invalid JSON/);
  });

  it('reports end before start and missing fields, all at once', () => {
    const text = JSON.stringify(
      { version: 1, segments: [{ start: 0, end: 2, speaker: null, text: 'Glück auf!' }, { start: 5, end: 4, text: 'Schicht' }, { start: 6, end: 7 }] },
      null,
      2,
    );
    const lineOf = (needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const issues = issuesOf(text, 'json');
    expect(issues).toEqual([
      { line: lineOf('"start": 5') - 1, message: expect.stringMatching(/not after start/) },
      { line: lineOf('"start": 6') - 1, column: 5, message: expect.stringMatching(/^\/segments\/2\/text: /) },
    ]);
  });
});
