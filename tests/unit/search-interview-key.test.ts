// The key a passage is counted on per interview (server/search/interview-key.ts): creation order first, exact as a
// Meilisearch number, and never NaN.
import { describe, expect, it } from 'vitest';
import { interviewKey, keyCounts } from '../../server/search/interview-key.js';

const at = (iso: string, id = 'int-1') => interviewKey({ id, createdAt: iso });

describe('interviewKey', () => {
  it('sorts interviews by creation time, whatever their ids', () => {
    const times = [
      '2024-01-01T00:00:00.000Z',
      '2024-01-01T00:00:00.001Z',
      '2025-06-30T12:00:00.000Z',
      '2139-01-01T00:00:00.000Z',
    ];
    const ids = ['zz', 'aa', 'mm', '00'];
    const keys = times.map((t, i) => at(t, ids[i]));
    expect([...keys].sort((a, b) => a - b)).toEqual(keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is a safe integer (exact as a float), the same for the same interview, at most 16 digits', () => {
    for (const iso of ['2000-01-01T00:00:00.000Z', '2026-12-03T14:00:00.000Z', '2139-05-15T23:59:59.999Z']) {
      const key = at(iso);
      expect(Number.isSafeInteger(key)).toBe(true);
      expect(key).toBe(at(iso));
      expect(String(key).length).toBeLessThanOrEqual(16);
    }
  });

  it('tells interviews created in the same millisecond apart by their ids (mostly: 11 bits)', () => {
    const iso = '2026-03-01T08:00:00.000Z';
    const keys = new Set(Array.from({ length: 40 }, (_, i) => at(iso, `int-${i}`)));
    // 40 ids in 2,048 hash values: a birthday collision or two at most, never all alike
    expect(keys.size).toBeGreaterThan(36);
    for (const key of keys) expect(Math.floor(key / 2048)).toBe(Date.parse(iso) - Date.UTC(2000, 0, 1));
  });

  it('clamps creation times outside 2000 … 2139 and unreadable ones instead of failing or giving NaN', () => {
    expect(Math.floor(at('1999-12-31T23:59:59.999Z') / 2048)).toBe(0);
    expect(Math.floor(at('not a date') / 2048)).toBe(0);
    expect(Number.isSafeInteger(at('2200-01-01T00:00:00.000Z'))).toBe(true);
    expect(Math.floor(at('2200-01-01T00:00:00.000Z') / 2048)).toBe(2 ** 42 - 1);
  });
});

describe('keyCounts', () => {
  it('reads keys of up to 16 digits and turns anything else into NaN', () => {
    const key = at('2139-05-15T23:59:59.999Z');
    const got = keyCounts([String(key), '17', '9007199254740993', '1e5', '-3', 'abc'], [1, 2, 3, 4, 5, 6]);
    expect(got.keys.slice(0, 2)).toEqual([key, 17]);
    // above 2^53 a decimal no longer names one number exactly
    expect(got.keys.slice(2).every(Number.isNaN)).toBe(true);
    expect(got.counts).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
