// The "direct" side of bench/search: Meilisearch asked with exactly the requests SegmentIndex.search sends for an
// anonymous viewer, recorded from the real code so they cannot drift, and sent the way it sends them (all at once,
// the answer complete when the last one is in). API ÷ direct then measures only what the API adds.
import { Meilisearch } from 'meilisearch';
import type { Logger } from '../../server/logger.js';
import type { SearchEngine } from '../../server/search/engine.js';
import type { SegmentIndex, SegmentSearchParams } from '../../server/search/segment-index.js';
import type { Sample } from './report.js';

const identity = { 'Accept-Encoding': 'identity' };

/** Per query, the bodies of the search requests SegmentIndex.search sends (in the order it sends them). */
export async function recordSearchRequests(opts: {
  url: string;
  masterKey: string;
  prefix: string;
  logger: Logger;
  /** The SegmentIndex class to record (bench/search/api-ab.ts records two checkouts). */
  SegmentIndexClass: new (engine: SearchEngine, logger: Logger) => SegmentIndex;
  params: readonly SegmentSearchParams[];
}): Promise<string[][]> {
  let recorded: string[] = [];
  const client = new Meilisearch({ host: opts.url, apiKey: opts.masterKey, requestInit: { headers: identity } });
  // SegmentIndex only reads `client` and `indexName` of its engine
  const index = new opts.SegmentIndexClass(
    { client, indexName: (base: string) => opts.prefix + base } as unknown as SearchEngine,
    opts.logger,
  );
  // SegmentIndex sends some requests through its client and some through fetch itself: both end in global fetch
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    if (String(input instanceof Request ? input.url : input).endsWith('/search')) recorded.push(String(init?.body));
    return realFetch(input, init);
  };
  const out: string[][] = [];
  try {
    for (const params of opts.params) {
      recorded = [];
      await index.search(params);
      if (recorded.length === 0) throw new Error(`no search request recorded for "${params.q}"`);
      out.push(recorded);
    }
  } finally {
    globalThis.fetch = realFetch;
  }
  return out;
}

/**
 * Sends one query's recorded requests together. `total` is the first answer's totalHits (the hits request), engineMs
 * the largest processingTimeMs (requests run side by side, the slowest decides).
 */
export function directSearch(url: string, masterKey: string): (bodies: readonly string[]) => Promise<Sample> {
  const init = (body: string): RequestInit => ({
    method: 'POST',
    body,
    headers: { ...identity, Authorization: `Bearer ${masterKey}`, 'Content-Type': 'application/json' },
  });
  return async (bodies) => {
    const t0 = performance.now();
    const answers = await Promise.all(
      bodies.map(async (body) => {
        const res = await fetch(url, init(body));
        const buf = await res.arrayBuffer();
        return { res, buf, ms: performance.now() - t0 };
      }),
    );
    const ms = Math.max(...answers.map((a) => a.ms));
    // parsing is the client's business, not part of the answer time
    const parsed = answers.map(({ res, buf }) => {
      const text = new TextDecoder().decode(buf);
      if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${text.slice(0, 300)}`);
      return JSON.parse(text) as { totalHits?: number; processingTimeMs: number };
    });
    return {
      ms,
      bytes: answers.reduce((sum, a) => sum + a.buf.byteLength, 0),
      total: Number(parsed[0]!.totalHits),
      engineMs: Math.max(...parsed.map((p) => p.processingTimeMs)),
    };
  };
}
