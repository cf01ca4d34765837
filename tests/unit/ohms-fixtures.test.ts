// OHMS files as the OHMS application writes them (tests/fixtures/ohms/, schema versions 5.4 and 6.0): what each
// imports to, the repairs it reports (never silent), what is still refused, and an export → import round trip that
// keeps every index field (titles, _alt translations, all places with zoom, hyperlinks).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  TranscriptParseError,
  exportTranscript,
  parseTranscript,
  type ParsedTranscript,
} from '../../server/transcripts/formats/index.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/ohms/${name}`, import.meta.url), 'utf8');
const lineOf = (xml: string, needle: string): number => xml.split('\n').findIndex((l) => l.includes(needle)) + 1;

function summary(name: string, p: ParsedTranscript): string {
  const timed = p.segments.filter((s) => s.start !== null).length;
  return `${name}: ${p.segments.length} segments (${timed} timed, ${p.segments.length - timed} untimed), ${p.index.length} index points, ${p.warnings.length} warnings${p.warnings.map((w) => `\n    line ${w.line}: ${w.message}`).join('')}`;
}

function refusal(xml: string): TranscriptParseError {
  try {
    parseTranscript(xml, 'ohms');
  } catch (err) {
    if (err instanceof TranscriptParseError) return err;
    throw err;
  }
  throw new Error('expected the file to be refused');
}

describe('OHMS fixtures (5.4 and 6.0)', () => {
  it('5.4 legacy record: no timecodes and an empty <sync> → untimed reading text, timed index points, one warning', () => {
    const xml = fixture('ohms-5.4-legacy-untimed.xml');
    const p = parseTranscript(xml);
    console.log(summary('ohms-5.4-legacy-untimed.xml', p));
    expect(p.format).toBe('ohms');
    expect(p.segments).toEqual([
      { start: null, end: null, speaker: 'VOGEL', text: 'Herr Pietsch, wann haben Sie im Kraftwerk angefangen?' },
      {
        start: null,
        end: null,
        speaker: 'PIETSCH',
        text: expect.stringMatching(/^Neunzehnhundertsechsundfünfzig, als Lehrling .* erzählt\.$/),
      },
      { start: null, end: null, speaker: 'VOGEL', text: 'Und wie war die Arbeit?' },
      {
        start: null,
        end: null,
        speaker: 'PIETSCH',
        text: expect.stringContaining('stolz & wir haben zusammengehalten'),
      },
    ]);
    expect(p.speakers).toEqual(['VOGEL', 'PIETSCH']);
    expect(p.warnings).toEqual([
      { line: lineOf(xml, '<transcript>'), message: expect.stringMatching(/untimed reading text \(4 passage/) },
    ]);
    expect(p.index.map((i) => [i.start, i.title])).toEqual([
      [0, 'Lehrjahre in der Turbinenhalle'],
      [1325, 'Stilllegung 1992'],
    ]);
    expect(p.index[0]).toEqual({
      start: 0,
      title: 'Lehrjahre in der Turbinenhalle',
      titleAlt: 'Apprenticeship in the turbine hall',
      synopsis: 'Pietsch beginnt 1956 als Lehrling.',
      synopsisAlt: 'Pietsch starts as an apprentice in 1956.',
      partialTranscript: 'Herr Pietsch, wann haben Sie im Kraftwerk angefangen?',
      partialTranscriptAlt: 'Mr Pietsch, when did you start at the power station?',
      keywords: ['Lehre', 'Turbinenhalle'],
      keywordsAlt: ['apprenticeship', 'turbine hall'],
      subjects: ['Berufsausbildung'],
      subjectsAlt: ['Vocational training'],
      place: {
        name: 'Kraftwerk Zschornewitz',
        lat: 51.7186,
        lon: 12.4064,
        zoom: 15,
        nameAlt: 'Zschornewitz power station',
      },
      hyperlinks: [
        {
          url: 'https://de.wikipedia.org/wiki/Kraftwerk_Zschornewitz',
          text: 'Kraftwerk Zschornewitz (Wikipedia)',
          textAlt: 'Zschornewitz power station (Wikipedia)',
        },
      ],
    });
    expect(p.index[1]!.morePlaces).toEqual([{ name: 'Gräfenhainichen', lat: 51.7289, lon: 12.4561, zoom: 12 }]);
    expect(p.index[1]!.hyperlinks).toBeUndefined();
    // untimed passages are no captions: the VTT says so, SRT is empty, text keeps them
    const vtt = exportTranscript({ segments: p.segments }, 'vtt');
    expect(vtt).toMatch(/^WEBVTT\n\nNOTE 4 untimed passage\(s\)/);
    expect(vtt).not.toContain('-->');
    expect(exportTranscript({ segments: p.segments }, 'srt')).toBe('');
    expect(exportTranscript({ segments: p.segments }, 'txt').split('\n')[0]).toBe(
      'VOGEL: Herr Pietsch, wann haben Sie im Kraftwerk angefangen?',
    );
  });

  it('6.0 <vtt_transcript> (CDATA): a zero-length cue, a reversed cue (01:01:22 → 00:00:00) and a last zero-length cue are repaired, each a warning with its line', () => {
    const xml = fixture('ohms-6.0-vtt-repairs.xml');
    const p = parseTranscript(xml);
    console.log(summary('ohms-6.0-vtt-repairs.xml', p));
    expect(p.segments.map((s) => [s.start, s.end, s.speaker])).toEqual([
      [0, 4, 'Anja Krause'],
      [4, 6.5, 'Erika Lehmann'], // end = next cue's start
      [6.5, 12, 'Erika Lehmann'],
      [3682, 3700, 'Erika Lehmann'], // end = next cue's start
      [3700, 3702.4, 'Anja Krause'], // last cue: 6 words at 2.5 words/s
    ]);
    expect(p.warnings).toEqual([
      {
        line: lineOf(xml, '00:00:04.000 --> 00:00:04.000'),
        message: "Repaired zero-length cue (start = end): end set to 00:00:06.500 (the next cue's start).",
      },
      {
        line: lineOf(xml, '01:01:22.000 --> 00:00:00.000'),
        message:
          "Repaired reversed cue (end 00:00:00.000 before start 01:01:22.000): end set to 01:01:40.000 (the next cue's start).",
      },
      {
        line: lineOf(xml, '01:01:40.000 --> 01:01:40.000'),
        message: 'Repaired zero-length cue (start = end): end set to 01:01:42.400 (estimated from the text length).',
      },
    ]);
    expect(p.index).toHaveLength(2);
    expect(p.index[0]!.hyperlinks).toEqual([
      { url: 'https://de.wikipedia.org/wiki/Gr%C3%B6berner_See', text: 'Gröberner See', textAlt: 'Lake Gröbern' },
      { url: 'https://archiv.example.org/collections/ss2019', text: 'Spring School 2019' },
    ]);
    expect(p.index[0]!.place).toEqual({
      name: 'Tagebau Gröbern',
      lat: 51.6987,
      lon: 12.4311,
      zoom: 13,
      nameAlt: 'Gröbern open-cast mine',
    });
    expect(p.index[1]).toMatchObject({ start: 3682, title: 'Die Flutung', titleAlt: 'The flooding', place: null });
  });

  it('5.4 classic <transcript> with <sync>: one segment per speaker turn, timed by 19 minute marks', () => {
    const xml = fixture('ohms-5.4-classic-sync.xml');
    const p = parseTranscript(xml);
    console.log(summary('ohms-5.4-classic-sync.xml', p));
    expect(p.warnings).toEqual([]);
    expect(p.segments).toHaveLength(50);
    expect(
      p.segments.every(
        (s, i) =>
          s.start !== null && s.end !== null && s.end > s.start && (i === 0 || s.start >= p.segments[i - 1]!.start!),
      ),
    ).toBe(true);
    expect(p.segments[0]!.start).toBe(0);
    expect(p.segments.at(-1)!.end).toBeCloseTo(20 * 60 + 30, 0); // runs to <duration> 0:20:30
    expect(p.index.map((i) => i.start)).toEqual([0, 300, 600, 900]);
    expect(p.speakers).toEqual(['KRAUSE', 'MEHNERT']);
  });

  it('6.0 multi-hour record: 4 hours, 239 sync points, 590 turns, 16 index points', () => {
    const xml = fixture('ohms-6.0-multihour.xml');
    const t0 = performance.now();
    const p = parseTranscript(xml);
    const ms = performance.now() - t0;
    console.log(`${summary('ohms-6.0-multihour.xml', p)} (parsed in ${ms.toFixed(0)} ms)`);
    const sync = /<sync>1:([^<]*)<\/sync>/.exec(xml)![1]!.split('|').filter(Boolean);
    expect(sync).toHaveLength(239);
    expect(p.warnings).toEqual([]);
    expect(p.segments).toHaveLength(590);
    expect(p.index).toHaveLength(16);
    const last = p.segments.at(-1)!;
    expect(last.end).toBeCloseTo(4 * 3600 + 30, 0);
    // each minute mark lands where <sync> says: the segment holding minute m's word starts at or before m·60
    for (const m of [60, 120, 239]) {
      const holding = p.segments.filter((s) => s.start! <= m * 60).at(-1)!;
      expect(holding.end!).toBeGreaterThan(m * 60);
    }
  });

  it('still refuses what is not OHMS or WebVTT, and a truncated OHMS file, with the line', () => {
    expect(
      refusal('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Podcast</title></channel></rss>\n').issues[0],
    ).toMatchObject({ line: 2, message: expect.stringMatching(/Not an OHMS file/) });
    const whole = fixture('ohms-6.0-vtt-repairs.xml');
    const truncated = whole.slice(0, whole.indexOf('<index>') + 200);
    const err = refusal(truncated);
    expect(err.issues[0]!.message).toMatch(/^XML: /);
    expect(err.issues[0]!.line).toBeGreaterThan(lineOf(whole, '<index>'));
    // a <vtt_transcript> that is not WebVTT at all
    expect(refusal(whole.replace('<![CDATA[WEBVTT', '<![CDATA[KEIN VTT')).issues.length).toBeGreaterThan(0);
  });

  it('export → import keeps every index field (titles, _alt translations, all places with zoom, hyperlinks) and the untimed text', () => {
    for (const name of ['ohms-5.4-legacy-untimed.xml', 'ohms-6.0-vtt-repairs.xml', 'ohms-6.0-multihour.xml']) {
      const first = parseTranscript(fixture(name));
      const again = parseTranscript(
        exportTranscript({ segments: first.segments, index: first.index, title: 'x' }, 'ohms'),
        'ohms',
      );
      expect(again.index, name).toEqual(first.index);
      expect(
        again.segments.map((s) => [s.speaker, s.text]),
        name,
      ).toEqual(first.segments.map((s) => [s.speaker, s.text]));
      expect(
        again.segments.every((s) => (s.start === null) === (first.segments[0]!.start === null)),
        name,
      ).toBe(true);
      // and through our JSON
      const viaJson = parseTranscript(
        exportTranscript({ segments: first.segments.filter((s) => s.start !== null), index: first.index }, 'json'),
        'json',
      );
      expect(viaJson.index, name).toEqual(first.index);
    }
  });
});
