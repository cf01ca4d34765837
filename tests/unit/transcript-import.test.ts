// Transcript import per format (WebVTT, SRT, OHMS, plain text, JSON): what is accepted, and every error with its
// line and column. Round trips and format detection are in transcript-formats.test.ts.
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../server/transcripts/formats/index.js';
import { fixture, issuesOf } from './transcript-formats.helpers.js';

describe('WebVTT import', () => {
  const expected = [
    { start: 1, end: 6.25, speaker: 'Interviewerin', text: 'Herr Mehnert, wann haben Sie im Tagebau angefangen?' },
    {
      start: 6.5,
      end: 12,
      speaker: 'Karl Mehnert',
      text: 'Das war 1958. Ich kam direkt nach der Lehre in den Tagebau Golpa-Nord, an die Förderbrücke.',
    },
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
      {
        start: 5.2,
        end: 9.8,
        speaker: 'ERIKA LEHMANN',
        text: 'Mein Vater war schon dort, an der Presse, dreißig Jahre lang.',
      },
      { start: 10, end: 14, speaker: 'ERIKA LEHMANN', text: 'Da war klar, dass ich auch hingehe – nach Zschornewitz.' },
      { start: 14.5, end: 17.25, speaker: 'INTERVIEWERIN', text: 'Und die Schicht begann wann?' },
    ]);
  });

  it('reports a cue without its time line', () => {
    const issues = issuesOf(fixture('missing-timeline.srt'), 'srt');
    expect(issues).toEqual([{ line: 6, message: expect.stringMatching(/Cue 2 has no time line/) }]);
  });

  it('reports malformed times with line and column', () => {
    const issues = issuesOf(
      '1\n00:00:01,000 --> 00:00:04,000\nGlück auf!\n\n2\n00:00:05;000 --> 00:00:06,000\nSchicht.\n',
      'srt',
    );
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
    expect(parsed.index[2]).toMatchObject({
      start: 190,
      place: { name: 'Zschornewitz', lat: 51.7069, lon: 12.4075 },
      partialTranscript: null,
    });
  });

  it('maps issues inside the transcript text to XML lines', () => {
    const xml = fixture('ohms-classic.xml').replace('[00:01:45]', '[00:01:75]');
    const line =
      fixture('ohms-classic.xml')
        .split('\n')
        .findIndex((l) => l.includes('[00:01:45]')) + 1;
    const issues = issuesOf(xml, 'ohms');
    expect(issues[0]).toMatchObject({
      line,
      column: 1,
      message: expect.stringMatching(/Invalid timecode "\[00:01:75\]"/),
    });
  });

  it('<vtt_transcript> with WebVTT inside', () => {
    const parsed = parseTranscript(fixture('ohms-vtt.xml'), 'ohms');
    expect(parsed.segments).toEqual([
      { start: 0, end: 4, speaker: 'Anja Krause', text: 'Frau Lehmann, Sie waren Baggerfahrerin?' },
      {
        start: 4,
        end: 10.5,
        speaker: 'Erika Lehmann',
        text: 'Ja, zwanzig Jahre auf dem Absetzer. Als Frau im Tagebau, das war was.',
      },
      { start: 10.5, end: 14, speaker: 'Erika Lehmann', text: 'Die Männer haben gestaunt. Glück auf!' },
    ]);
    expect(parsed.index[0]!.place).toEqual({ name: 'Tagebau Gröbern' });
  });

  it('<vtt_transcript>: a cue ending before it starts is repaired (end = next start) and reported with its XML line', () => {
    const xml = fixture('ohms-vtt.xml').replace('00:00:04.000 --> 00:00:10.500', '00:00:04.000 --> 00:00:03.500');
    const line = xml.split('\n').findIndex((l) => l.includes('00:00:03.500')) + 1;
    const parsed = parseTranscript(xml, 'ohms');
    expect(parsed.segments[1]).toMatchObject({ start: 4, end: 10.5 });
    expect(parsed.warnings).toEqual([
      {
        line,
        message: expect.stringMatching(/^Repaired reversed cue .*end set to 00:00:10\.500 \(the next cue's start\)/),
      },
    ]);
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
    expect(parseTranscript(xml).segments).toEqual([
      { start: 1, end: 3, speaker: 'Karl Mehnert', text: 'Schicht im Schacht & Feierabend.' },
    ]);
    expect(issuesOf(xml.replace('00:00:03.000', '00:00:03'), 'ohms')).toEqual([
      { line: 5, column: 30, message: expect.stringMatching(/decimal separator/) },
    ]);
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
    expect(parsed.warnings[0]!.message).toMatch(
      /neither \[HH:MM:SS\] markers nor <sync> data: kept as untimed reading text/,
    );
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
    const issues = issuesOf(
      '[00:00:00] Anja Krause: Wie war es?\n[00:00:4] Karl Mehnert: Laut.\n[00:75:00] Staubig.',
      'txt',
    );
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
      {
        version: 1,
        segments: [
          { start: 0, end: 2, speaker: null, text: 'Glück auf!' },
          { start: 5, end: 4, text: 'Schicht' },
          { start: 6, end: 7 },
        ],
      },
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
