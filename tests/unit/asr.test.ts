import { describe, expect, it } from 'vitest';
import { alignSequences, alignTranscript, normalizeWord } from '../../server/asr/align.js';
import {
  dropRestricted,
  enginePcmArgs,
  mergeChunkResults,
  planChunks,
  splitAtSentences,
  wavFromPcm,
} from '../../server/asr/audio.js';
import { draftStates, publicVersionOf } from '../../server/asr/draft.js';
import { parseVerboseJson, transcriptionsEndpoint } from '../../server/asr/http-engine.js';
import { AsrAnswerError, type AsrWord } from '../../server/asr/types.js';
import { vocabularyPrompt } from '../../server/asr/vocabulary.js';
import { wordsToSegments } from '../../server/asr/whispercpp-engine.js';

describe('HTTP engine answers are parsed tolerantly', () => {
  it('OpenAI shape: words at the top level, given to the segment they fall into', () => {
    const r = parseVerboseJson({
      text: 'Glück auf. Der Bagger.',
      language: 'german',
      duration: 4.2,
      segments: [
        { id: 0, start: 0, end: 1.5, text: ' Glück auf.' },
        { id: 1, start: 2, end: 4, text: ' Der Bagger.' },
      ],
      words: [
        { word: 'Glück', start: 0.1, end: 0.5 },
        { word: 'auf.', start: 0.5, end: 1.2 },
        { word: 'Der', start: 2.1, end: 2.4 },
        { word: 'Bagger.', start: 2.4, end: 3.5 },
      ],
    });
    expect(r.segments).toHaveLength(2);
    expect(r.segments[0]).toMatchObject({
      text: 'Glück auf.',
      words: [{ word: 'Glück', probability: null }, { word: 'auf.' }],
    });
    expect(r.segments[1]!.words.map((w) => w.word)).toEqual(['Der', 'Bagger.']);
    expect(r.durationSec).toBe(4.2);
  });

  it('words nested in segments (faster-whisper servers), numbers and duration as strings, confidence under another name', () => {
    const r = parseVerboseJson({
      duration: '12.5',
      segments: [
        {
          start: '0.0',
          end: '2.0',
          text: 'Schicht im Schacht',
          words: [
            { word: ' Schicht', start: '0.1', end: '0.6', probability: '0.91' },
            { text: 'im', start: 0.6, end: 0.8, confidence: 0.4 },
          ],
        },
      ],
    });
    expect(r.durationSec).toBe(12.5);
    expect(r.segments[0]!.words).toEqual([
      { start: 0.1, end: 0.6, word: 'Schicht', probability: 0.91 },
      { start: 0.6, end: 0.8, word: 'im', probability: 0.4 },
    ]);
  });

  it('no words at all: segments without word timings; text only with a duration: one segment', () => {
    expect(parseVerboseJson({ segments: [{ start: 0, end: 3, text: 'Nur Abschnitte' }] }).segments[0]!.words).toEqual(
      [],
    );
    expect(parseVerboseJson({ text: 'Nur Text', duration: 3 }).segments).toEqual([
      { start: 0, end: 3, text: 'Nur Text', words: [] },
    ]);
  });

  it('garbage, empty objects and text without any timing are errors, never an empty transcript', () => {
    expect(() => parseVerboseJson({})).toThrow(AsrAnswerError);
    expect(() => parseVerboseJson({ result: 'ok' })).toThrow(/not a transcription/);
    expect(() => parseVerboseJson([1, 2])).toThrow(AsrAnswerError);
    expect(() => parseVerboseJson({ segments: [{ start: 'x', end: 1, text: 'a' }] })).toThrow(AsrAnswerError);
    expect(() => parseVerboseJson({ text: 'Text ohne Zeiten' })).toThrow(/no timings/);
    // a valid answer that heard nothing: no segments (the job calls that "no speech found")
    expect(parseVerboseJson({ text: '', segments: [] }).segments).toEqual([]);
  });

  it('endpoint from a base URL or the full path', () => {
    expect(transcriptionsEndpoint('http://h:8000/v1/')).toBe('http://h:8000/v1/audio/transcriptions');
    expect(transcriptionsEndpoint('http://h/inference/audio/transcriptions')).toBe(
      'http://h/inference/audio/transcriptions',
    );
  });
});

describe('audio for the engine', () => {
  it('decodes to 16 kHz mono s16 with restricted passages silenced before resampling', () => {
    const args = enginePcmArgs('/u/m.m4a', '/w/a.s16le', [{ start: 10, end: 20 }]);
    expect(args.slice(args.indexOf('-ac'), args.indexOf('-ac') + 4)).toEqual(['-ac', '1', '-ar', '16000']);
    const af = args[args.indexOf('-af') + 1]!;
    expect(af).toContain('volume=');
    expect(af).toMatch(/lt\(t,20(\.0+)?\)/);
    expect(args.indexOf('-af')).toBeLessThan(args.indexOf('-ar'));
    expect(enginePcmArgs('/u/m.m4a', '/w/a.s16le', [])).not.toContain('-af');
  });

  it('WAV header for 16 kHz mono PCM', () => {
    const wav = wavFromPcm(Buffer.alloc(32000));
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(16000);
    expect(wav.readUInt32LE(40)).toBe(32000);
  });

  it('overlapping chunks cover the recording; the merge keeps every word exactly once', () => {
    expect(planChunks(500, 600)).toEqual([{ start: 0, end: 500, keepStart: 0, keepEnd: 500 }]);
    const chunks = planChunks(1500, 600, 10);
    expect(chunks.map((c) => [c.start, c.end])).toEqual([
      [0, 600],
      [590, 1190],
      [1180, 1500],
    ]);
    expect(chunks[0]!.keepEnd).toBe(chunks[1]!.keepStart);
    // a word spoken at 593–594.4 s is heard by both chunks
    const word = (start: number, end: number, w: string): AsrWord => ({ start, end, word: w, probability: 0.9 });
    const merged = mergeChunkResults([
      {
        chunk: chunks[0]!,
        result: {
          language: 'de',
          durationSec: 600,
          segments: [
            {
              start: 590,
              end: 596,
              text: 'Kohle Bagger',
              words: [word(591, 592, 'Kohle'), word(593, 594.4, 'Bagger')],
            },
          ],
        },
      },
      {
        chunk: chunks[1]!,
        result: {
          language: 'de',
          durationSec: 600,
          segments: [
            { start: 2, end: 6, text: 'Bagger Brücke', words: [word(3, 4.4, 'Bagger'), word(5, 5.5, 'Brücke')] },
          ],
        },
      },
    ]);
    expect(merged.flatMap((s) => s.words.map((w) => [w.word, w.start]))).toEqual([
      ['Kohle', 591],
      ['Bagger', 593],
      ['Brücke', 595],
    ]);
  });

  it('drops what the engine put into a silenced restricted passage', () => {
    const w = (start: number, word: string): AsrWord => ({ start, end: start + 0.4, word, probability: 0.5 });
    const out = dropRestricted(
      [{ start: 0, end: 12, text: 'a b c', words: [w(1, 'a'), w(10.2, 'b'), w(11, 'c')] }],
      [{ start: 10, end: 10.8 }],
    );
    expect(out[0]!.words.map((x) => x.word)).toEqual(['a', 'c']);
  });

  it('splits engine segments into sentences at a pause, keeps abbreviations together', () => {
    const w = (start: number, end: number, word: string): AsrWord => ({ start, end, word, probability: 1 });
    const out = splitAtSentences([
      {
        start: 0,
        end: 6,
        text: 'x',
        words: [
          w(0, 0.3, 'Wir'),
          w(0.3, 0.6, 'fuhren.'),
          w(1.2, 1.5, 'Dann'),
          w(1.5, 1.7, 'kam'),
          w(1.7, 1.9, 'Dr.'),
          w(1.95, 2.3, 'Krüger.'),
        ],
      },
    ]);
    expect(out.map((s) => s.text)).toEqual(['Wir fuhren.', 'Dann kam Dr. Krüger.']);
    expect(out[1]!.start).toBe(1.2);
  });

  it('whisper.cpp one-word segments (ms) regrouped into sentences', () => {
    const segs = wordsToSegments([
      { text: ' Glück', t0: 100, t1: 400 },
      { text: ' auf.', t0: 400, t1: 800 },
      { text: '[BLANK_AUDIO]', t0: 800, t1: 3000 },
      { text: ' Ja', t0: 3000, t1: 3300 },
    ]);
    expect(segs.map((s) => [s.text, s.start, s.end])).toEqual([
      ['Glück auf.', 0.1, 0.8],
      ['Ja', 3, 3.3],
    ]);
  });
});

describe('alignment over normalized words', () => {
  it('normalizes case, umlauts, ß and punctuation', () => {
    expect(normalizeWord('Förder-Brücke,')).toBe('forderbrucke');
    expect(normalizeWord('Straße!')).toBe('strasse');
  });

  it('pairs equal and near-miss words, skips insertions and deletions', () => {
    expect(alignSequences(['glück', 'auf', 'kumpel'], ['glück', 'auf', 'äh', 'kumpels'])).toEqual([
      [0, 0],
      [1, 1],
      [2, 3],
    ]);
  });

  it('never changes the text; unaligned words interpolated and marked, a segment without any match marked unaligned', () => {
    const heard: AsrWord[] = [
      { start: 1.0, end: 1.4, word: 'Wir', probability: 1 },
      { start: 1.4, end: 1.9, word: 'fuhren', probability: 1 },
      { start: 1.9, end: 2.5, word: 'Schicht.', probability: 1 },
      { start: 8.0, end: 8.5, word: 'Glück', probability: 1 },
      { start: 8.5, end: 9.0, word: 'auf!', probability: 1 },
    ];
    const given = [
      { start: 0, end: 1, speaker: 'HK', text: 'Wir fuhren Schicht, jeden Tag.' },
      { start: 3, end: 6, speaker: 'HK', text: 'Zzzyx qqq.' },
      { start: 0, end: 1, speaker: null, text: 'Glück auf!' },
    ];
    const r = alignTranscript(given, heard, 10);
    expect(r.segments.map((s) => s.text)).toEqual(given.map((s) => s.text));
    expect(r.segments.map((s) => s.speaker)).toEqual(['HK', 'HK', null]);
    expect(r.segments[0]!.start).toBe(1);
    expect(r.segments[0]!.words!.slice(3).every((w) => w.aligned === false)).toBe(true);
    expect(r.segments[1]).toMatchObject({ unaligned: true, start: 3, end: 6 });
    expect(r.segments[2]).toMatchObject({ start: 8, end: 9 });
    expect(r.alignedWords).toBe(5);
    expect(r.words).toBe(9);
    expect(r.unalignedSegments).toBe(1);
  });

  it('a long recording stays within the band: 20,000 words (about 3 h of speech) in seconds, not minutes', () => {
    const vocab = ['kohle', 'bagger', 'schicht', 'brücke', 'kumpel', 'grube', 'halde', 'flöz', 'tagebau', 'lohn'];
    const given = Array.from({ length: 20_000 }, (_, i) => vocab[(i * 7 + (i >> 3)) % vocab.length]!);
    const heard = given.filter((_, i) => i % 50 !== 0); // the engine missed every 50th word
    const started = performance.now();
    const pairs = alignSequences(given, heard);
    expect(performance.now() - started).toBeLessThan(60_000);
    expect(pairs.length).toBeGreaterThan(given.length * 0.97);
  }, 90_000);
});

describe('drafts', () => {
  it('asr versions and edits on them are drafts until reviewed; restores inherit; imports are not drafts', () => {
    const v = (version: number, source: string) => ({ version, source });
    const versions = [
      v(1, 'import:vtt'),
      v(2, 'asr:http:tiny.en'),
      v(3, 'edit:segment'),
      v(4, 'restore:1'),
      v(5, 'restore:3'),
      v(6, 'review:asr'),
      v(7, 'edit:split'),
    ];
    const s = draftStates(versions);
    expect([...s.entries()].map(([k, d]) => [k, d?.origin ?? null])).toEqual([
      [1, null],
      [2, 2],
      [3, 2],
      [4, null],
      [5, 2],
      [6, null],
      [7, null],
    ]);
    expect(publicVersionOf(versions.slice(0, 3))).toBe(1);
    expect(publicVersionOf([v(1, 'asr:whispercpp:base')])).toBeNull();
  });
});

describe('vocabulary prompt', () => {
  it('dedupes, keeps order of importance, and stops before Whisper’s prompt limit', () => {
    const p = vocabularyPrompt([
      'Horst Krüger',
      'Golpa-Nord',
      'horst krüger',
      '  Förderbrücke ',
      ...Array.from({ length: 300 }, (_, i) => `Begriff${i}`),
    ]);
    expect(p.startsWith('Horst Krüger, Golpa-Nord, Förderbrücke, Begriff0')).toBe(true);
    expect(p.length).toBeLessThanOrEqual(600);
  });
});
