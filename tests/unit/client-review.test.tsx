// The narrator review pages (client/src/review): their texts (same checks as the other namespaces, plus every key the
// code builds from a value), the pure helpers (short code, times, selection → passage, steps), the credential header
// and the friendly failure kinds (fetch stubbed), and the step indicator's markup.
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { credentialFailure, loadView } from '../../client/src/review/api.js';
import { StepIndicator } from '../../client/src/review/components/StepIndicator.js';
import { credentialFromPath, normalizeCode } from '../../client/src/review/lib/code.js';
import { overlaps, passageOf, restrictedFlags, snapToWords } from '../../client/src/review/lib/segments.js';
import { parseClock, spanText } from '../../client/src/review/lib/time.js';
import { resolveStep, stepFromParam, stepNames } from '../../client/src/review/steps/steps.js';
import { decisionKinds, releaseVisibilities } from '../../client/src/review/types.js';
import { describeTranslationPair, loadLeaves } from '../helpers/i18n.js';

const dir = new URL('../../client/src/review/i18n/', import.meta.url);
describeTranslationPair('review i18n resources (review/i18n/de.json, en.json)', dir, 100);

describe('review i18n keys used with computed names', () => {
  const keys = new Set(loadLeaves(dir, 'de').map(([k]) => k));
  it('name every decision, release audience, correction status, failure kind and step', () => {
    for (const d of decisionKinds) expect(keys.has(`decision.${d}`), d).toBe(true);
    for (const v of releaseVisibilities) {
      expect(keys.has(`decide.visibility.${v}`), v).toBe(true);
      expect(keys.has(`decide.visibilityHint.${v}`), v).toBe(true);
    }
    for (const s of ['open', 'accepted', 'rejected']) expect(keys.has(`correction.status.${s}`), s).toBe(true);
    for (const f of ['unknown', 'expired', 'revoked', 'rateLimited', 'network', 'generic']) {
      expect(keys.has(`errors.${f}.title`), f).toBe(true);
      expect(keys.has(`errors.${f}.text`), f).toBe(true);
    }
    for (const s of stepNames) expect(keys.has(`steps.${s}`), s).toBe(true);
  });
});

describe('the short code from the letter', () => {
  it('tolerates lower case, spaces and missing or extra dashes', () => {
    for (const typed of [
      'ABCD-EFGH-JK',
      'abcd-efgh-jk',
      'abcd efgh jk',
      ' ABCDEFGHJK ',
      'ab cd-ef gh-j k',
      'abcd–efgh–jk',
    ]) {
      expect(normalizeCode(typed), typed).toBe('ABCD-EFGH-JK');
    }
  });
  it('needs exactly ten letters and digits', () => {
    for (const typed of ['', 'ABCD-EFGH', 'ABCD-EFGH-JKL', '----------'])
      expect(normalizeCode(typed), typed).toBeNull();
  });
  it('the URL may carry a code in any spelling, or a link token (left as it is)', () => {
    expect(credentialFromPath('abcd efgh jk')).toBe('ABCD-EFGH-JK');
    expect(credentialFromPath('ABCD-EFGH-JK')).toBe('ABCD-EFGH-JK');
    const token = 'q2N0cmV0LXRva2VuLWZvci1yZXZpZXctbGluay0xMjM';
    expect(credentialFromPath(token)).toBe(token);
  });
});

describe('times as narrators type and read them', () => {
  it('minutes:seconds in the usual spellings; a bare number is minutes', () => {
    expect(parseClock('2:30')).toBe(150);
    expect(parseClock('02:05')).toBe(125);
    expect(parseClock('1:02:30')).toBe(3750);
    expect(parseClock('2.30')).toBe(150);
    expect(parseClock('2,30')).toBe(150);
    expect(parseClock(' 3 ')).toBe(180);
    expect(parseClock('75:00')).toBe(4500);
  });
  it('refuses what is not a time', () => {
    for (const v of ['', 'abc', '2:3', '2:75', '1:75:00', '-1:00', '2:30:00:00']) expect(parseClock(v), v).toBeNull();
  });
  it('shows a passage from its first to (about) its last second', () => {
    expect(spanText(8.04, 16.6)).toEqual({ start: '00:08', end: '00:17' });
    expect(spanText(61.9, 62.2)).toEqual({ start: '01:01', end: '01:02' });
    expect(spanText(3600, 3725)).toEqual({ start: '1:00:00', end: '1:02:05' });
  });
});

describe('selected transcript text → the passage to restrict', () => {
  const segments = [
    { start: 0, end: 3.2, speaker: null, text: 'Glück auf! Ich bin Gerda Wünsche.' },
    { start: 3.2, end: 7.5, speaker: null, text: 'Ich war Baggerfahrerin im Tagebau Golpa-Nord.' },
    { start: 7.5, end: 11, speaker: null, text: 'Über meinen Vorarbeiter sage ich nichts.' },
  ];
  it("spans the covered segments, from the first one's start to the last one's end", () => {
    const p = passageOf(
      segments,
      new Map([
        [2, 'meinen Vorarbeiter'],
        [1, 'Tagebau  Golpa-Nord.\n'],
      ]),
    );
    expect(p).toEqual({ first: 1, last: 2, start: 3.2, end: 11, quote: 'Tagebau Golpa-Nord. meinen Vorarbeiter' });
  });
  it('ignores segments with only white space selected, and empty selections', () => {
    expect(
      passageOf(
        segments,
        new Map([
          [0, '  '],
          [1, 'Bagger'],
        ]),
      ),
    ).toMatchObject({ first: 1, last: 1, start: 3.2, end: 7.5 });
    expect(passageOf(segments, new Map())).toBeNull();
    expect(passageOf(segments, new Map([[7, 'nicht da']]))).toBeNull();
  });
  it('widens a selection to whole words', () => {
    const text = 'Über meinen Vorarbeiter sage ich nichts.';
    expect(snapToWords(text, text.indexOf('arbeiter'), text.indexOf('ich') + 1)).toBe('Vorarbeiter sage ich');
    expect(snapToWords(text, 0, 2)).toBe('Über');
    expect(snapToWords(text, text.indexOf(' sage'), text.indexOf(' sage') + 1)).toBe(' ');
    expect(snapToWords('Golpa-Nord.', 2, 8)).toBe('Golpa-Nord');
  });
  it("marks the segments a restriction touches, by the server's overlap rule", () => {
    expect(overlaps({ start: 0, end: 3.2 }, { start: 3.2, end: 5 })).toBe(false);
    expect(restrictedFlags(segments, [{ start: 5, end: 8 }])).toEqual([false, true, true]);
    expect(restrictedFlags(segments, [])).toEqual([false, false, false]);
  });
});

describe('steps', () => {
  it('?schritt=1…4', () => {
    expect(stepFromParam('2')).toBe('listen');
    expect(stepFromParam('4')).toBe('receipt');
    for (const v of [null, '', '0', '5', 'x', '2.5']) expect(stepFromParam(v), String(v)).toBeNull();
  });
  it('opens at the welcome, or at the receipt once decided; a withdrawal leaves only the receipt', () => {
    expect(resolveStep(null, { decided: false, withdrawn: false })).toBe('welcome');
    expect(resolveStep(null, { decided: true, withdrawn: false })).toBe('receipt');
    expect(resolveStep('listen', { decided: true, withdrawn: false })).toBe('listen');
    expect(resolveStep('receipt', { decided: false, withdrawn: false })).toBe('decide');
    expect(resolveStep('listen', { decided: true, withdrawn: true })).toBe('receipt');
  });
  it('the indicator says "Schritt 2 von 4" and marks the current step as such, not by colour alone', () => {
    const html = renderToStaticMarkup(<StepIndicator current="listen" />);
    expect(html).toContain('Schritt 2 von 4');
    expect(html).toMatch(/<li class="sb-r-step sb-r-step-current" aria-current="step">/);
    expect(html).toContain('(Sie sind hier)');
    expect(html.match(/✓/g)).toHaveLength(1);
  });
});

describe('review api (stubbed fetch)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends the credential as `Authorization: Review …`, without cookies of its own, and fills a withdrawn answer', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () =>
      Response.json({
        invitation: { narrator: 'Gerda', expiresAt: '2030-01-01T00:00:00Z' },
        decision: null,
        canDecide: false,
        withdrawn: true,
        interview: { id: 'i', title: 'T', status: 'withdrawn' },
        media: [],
        restrictions: [],
        corrections: [],
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const view = await loadView('ABCD-EFGH-JK');
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/review');
    expect(new Headers(init?.headers).get('Authorization')).toBe('Review ABCD-EFGH-JK');
    expect(view.transcripts).toEqual([]);
  });

  it('tells unknown, expired, revoked and too many attempts apart', async () => {
    const answer = (status: number, body: object) =>
      Response.json(body, { status, headers: { 'Content-Type': 'application/problem+json' } });
    const cases: Array<[Response, string | null]> = [
      [answer(401, { type: '/problems/review-link', title: 'x', status: 401, reason: 'unknown' }), 'unknown'],
      [answer(401, { type: '/problems/review-link', title: 'x', status: 401, reason: 'expired' }), 'expired'],
      [answer(401, { type: '/problems/review-link', title: 'x', status: 401, reason: 'revoked' }), 'revoked'],
      [answer(429, { type: '/problems/rate-limited', title: 'x', status: 429 }), 'rateLimited'],
      [answer(500, { type: '/problems/internal', title: 'x', status: 500 }), null],
    ];
    for (const [response, expected] of cases) {
      vi.stubGlobal(
        'fetch',
        vi.fn<typeof fetch>(async () => response),
      );
      const err = await loadView('x').catch((e: unknown) => e);
      expect(credentialFailure(err), expected ?? 'other').toBe(expected);
    }
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async () => Promise.reject(new TypeError('offline'))),
    );
    expect(credentialFailure(await loadView('x').catch((e: unknown) => e))).toBe('network');
  });
});
