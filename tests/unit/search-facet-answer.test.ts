// facet-answer.ts reads the interviewId distribution of a Meilisearch answer without JSON.parse: whatever the
// answer looks like, the result must be what JSON.parse would have given.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { rootLogger, setRootLogger } from '../../server/logger.js';
import { parseFacetAnswer, parseKeyFacetAnswer } from '../../server/search/facet-answer.js';

const answer = (distribution: Record<string, number> | undefined, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    hits: [],
    query: 'Tagebau',
    processingTimeMs: 7,
    hitsPerPage: 0,
    page: 1,
    totalPages: 0,
    totalHits: 42,
    ...(distribution ? { facetDistribution: { interviewId: distribution, ...extra } } : {}),
    facetStats: {},
  });

/** What JSON.parse makes of it, in the scanner's shape. */
function expected(text: string) {
  const parsed = JSON.parse(text) as { facetDistribution?: { interviewId?: Record<string, number> } };
  const d = parsed.facetDistribution?.interviewId ?? {};
  return { values: Object.keys(d), counts: Object.values(d) };
}

describe('parseFacetAnswer', () => {
  it('scans the distribution in Meilisearch order, with the envelope parsed', () => {
    const text = answer({ 'b3c1…-uuid': 3, 'int-000001': 12, 'int-000002': 1, 'Ä ß "x"': 0 });
    const got = parseFacetAnswer(text, 'interviewId');
    expect(got.totalHits).toBe(42);
    expect(got.processingTimeMs).toBe(7);
    expect(got.counts).toEqual(expected(text));
    expect(got.counts.counts).toEqual([3, 12, 1, 0]);
  });

  it('an empty distribution, none at all, or another facet beside it', () => {
    expect(parseFacetAnswer(answer({}), 'interviewId').counts).toEqual({ values: [], counts: [] });
    expect(parseFacetAnswer(answer(undefined), 'interviewId').counts).toEqual({ values: [], counts: [] });
    const text = answer({ 'int-1': 5, 'int-2': 6 }, { speaker: { Karl: 11 } });
    const got = parseFacetAnswer(text, 'interviewId');
    expect(got.counts).toEqual({ values: ['int-1', 'int-2'], counts: [5, 6] });
    expect(got.facetDistribution?.speaker).toEqual({ Karl: 11 });
  });

  it('falls back to JSON.parse where the scanner would have to guess (escapes, whitespace, odd numbers)', () => {
    for (const text of [
      answer({ 'a\\"b': 2, 'c\u0001': 3, plain: 4 }),
      JSON.stringify(JSON.parse(answer({ 'int-1': 5, 'int-2': 6 })), null, 2),
      answer({ 'int-1': 5 }).replace(':5', ':5.0'),
      answer({ 'int-1': 5 }).replace(':5', ':1e3'),
    ]) {
      expect(parseFacetAnswer(text, 'interviewId').counts, text).toEqual(expected(text));
    }
  });

  it('refuses an answer that is not a search answer (zod at the engine edge)', () => {
    expect(() => parseFacetAnswer('{"message":"index not found"}', 'interviewId')).toThrow();
    expect(() => parseFacetAnswer(answer({ 'int-1': 5 }).replace(':5', ':-5'), 'interviewId')).toThrow();
  });
});

describe('parseKeyFacetAnswer (interview keys)', () => {
  // written out: JSON.stringify would put integer-like keys first, in ascending order, not in Meilisearch's order
  const keyed = (pairs: Array<[string, number]>) =>
    answer(undefined).replace(
      '"facetStats"',
      `"facetDistribution":{"interviewKey":{${pairs.map(([k, n]) => `${JSON.stringify(k)}:${n}`).join(',')}}},"facetStats"`,
    );

  it('reads keys (up to 16 digits, below 2^53) and counts as numbers, in Meilisearch order', () => {
    const text = keyed([
      ['9007199254740991', 3],
      ['0', 1],
      ['1551126528000823', 40],
    ]);
    const got = parseKeyFacetAnswer(text, 'interviewKey');
    expect(got.totalHits).toBe(42);
    // Meilisearch's order, not JSON.parse's (integer-like names ascending): scanned, not parsed whole
    expect(got.keys).toEqual({ keys: [9007199254740991, 0, 1551126528000823], counts: [3, 1, 40] });
  });

  it('a value that is no key (too long, not exact, not digits) is parsed whole and becomes NaN, which no interview has', () => {
    const text = keyed([
      ['12345678901234567', 2],
      ['9007199254740993', 5],
      ['int-1', 3],
      ['77', 4],
    ]);
    const got = parseKeyFacetAnswer(text, 'interviewKey');
    // parsed whole: JSON.parse's order, integer-like names first
    const pairs = got.keys.keys.map((k, i) => [Number.isNaN(k) ? 'NaN' : k, got.keys.counts[i]]);
    expect(pairs).toEqual([
      [77, 4],
      ['NaN', 2],
      ['NaN', 5],
      ['NaN', 3],
    ]);
  });

  it('no distribution is an empty one', () => {
    expect(parseKeyFacetAnswer(answer(undefined), 'interviewKey').keys).toEqual({ keys: [], counts: [] });
  });
});

describe('falling back to parsing whole', () => {
  const original = rootLogger();
  afterEach(() => setRootLogger(original));

  it('is said once per facet in the log (correct, but slower), and not for an answer without the facet', () => {
    const lines: Array<{ msg: string; facet?: string }> = [];
    setRootLogger(pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) }));
    const odd = answer(undefined).replace(
      '"facetStats"',
      '"facetDistribution":{"probe":{"12345678901234567":2}},"facetStats"',
    );
    for (let i = 0; i < 3; i++) expect(parseKeyFacetAnswer(odd, 'probe').keys.counts).toEqual([2]);
    parseKeyFacetAnswer(answer(undefined), 'absent');
    expect(lines.map((l) => [l.facet, l.msg])).toEqual([
      ['probe', 'facet distribution not in the expected shape: parsed whole (slower)'],
    ]);
  });
});
