import { describe, expect, it } from 'vitest';
import { jsonPayloads } from '../../server/search/segment-index.js';

describe('jsonPayloads (document additions split by request size)', () => {
  const docs = Array.from({ length: 50 }, (_, i) => ({ id: `s${i}`, text: `Förderbrücke ${'ä'.repeat(i)}` }));

  it('keeps every request within the byte limit, counting UTF-8 bytes, and loses or reorders no document', () => {
    const payloads = jsonPayloads(docs, 400);
    expect(payloads.length).toBeGreaterThan(3);
    for (const body of payloads) expect(Buffer.byteLength(body)).toBeLessThanOrEqual(400);
    expect(payloads.flatMap((body) => JSON.parse(body) as unknown[])).toEqual(docs);
  });

  it('sends everything in one request when it fits, a too-large document alone, and nothing for no documents', () => {
    expect(jsonPayloads(docs, 64 * 1024 * 1024)).toHaveLength(1);
    const big = { id: 'big', text: 'x'.repeat(1000) };
    const payloads = jsonPayloads([docs[0]!, big, docs[1]!], 200);
    expect(payloads.map((body) => (JSON.parse(body) as Array<{ id: string }>).map((d) => d.id))).toEqual([
      ['s0'],
      ['big'],
      ['s1'],
    ]);
    expect(jsonPayloads([], 100)).toEqual([]);
  });
});
