// Compound search for any vocabulary, measured on a relevance set generated from the lexicon (not hand-picked):
// ≥ 300 real compounds of the German hunspell dictionary with their known parts (tests/helpers/lexicon-compounds.ts,
// found by a rule independent of the decompounder), each planted in passages of lower-case filler, plus passages whose
// only noun contains a query part by accident. Against the run's real Meilisearch: recall of head and modifier
// queries, of inflected query words, and precision (no hit in a passage that does not contain the part).
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { moduleLogger } from '../../server/logger.js';
import { SearchEngine } from '../../server/search/engine.js';
import { SegmentIndex } from '../../server/search/segment-index.js';
import {
  accidentalContainers,
  fold,
  lexiconCompounds,
  lexiconCorpus,
  type LexiconCorpus,
} from '../helpers/lexicon-compounds.js';

const COMPOUNDS = 320;
const GOAL = 0.95;

type QueryType = 'head' | 'modifier' | 'inflected head';

describe('compound search from the lexicon (German, any vocabulary)', () => {
  let engine: SearchEngine;
  let index: SegmentIndex;
  let corpus: LexiconCorpus;
  let accidental: Map<string, string>;

  beforeAll(async () => {
    engine = new SearchEngine({
      url: inject('meiliUrl'),
      apiKey: inject('meiliKey'),
      indexPrefix: `lex${crypto.randomBytes(4).toString('hex')}_`,
    });
    await engine.health();
    index = new SegmentIndex(engine, moduleLogger('test'));
    const compounds = lexiconCompounds(COMPOUNDS);
    const parts = [...new Set(compounds.flatMap((c) => [c.head, c.modifier]))];
    accidental = accidentalContainers(parts);
    corpus = lexiconCorpus(compounds, accidental);
    await index.ensureSettings();
    await index.replaceMedia(corpus.media);
  }, 300_000);

  afterAll(async () => {
    await engine?.client
      .deleteIndex(index.uid)
      .waitTask({ timeout: 30_000 })
      .catch(() => undefined);
  });

  async function hitIds(q: string): Promise<string[]> {
    const res = await index.search({ q, page: 1, hitsPerPage: 1000 });
    return res.hits.map((h) => h.id);
  }

  it(`finds heads and modifiers of ${COMPOUNDS} lexicon compounds, and nothing that does not contain them`, async () => {
    const { compounds, partsOf } = corpus;
    expect(compounds.length).toBeGreaterThanOrEqual(300);
    const queries = new Map<string, { type: QueryType; part: string }>();
    for (const c of compounds) {
      queries.set(`head:${c.head}`, { type: 'head', part: c.head });
      queries.set(`modifier:${c.modifier}`, { type: 'modifier', part: c.modifier });
      if (c.headPlural) queries.set(`inflected:${c.headPlural}`, { type: 'inflected head', part: c.head });
    }
    const totals = new Map<QueryType, { queries: number; truth: number; hits: number; tp: number }>();
    const misses: string[] = [];
    const falseHits: string[] = [];
    for (const [key, { type, part }] of queries) {
      const q = key.slice(key.indexOf(':') + 1);
      const truth = new Set([...partsOf].filter(([, parts]) => parts.has(fold(part))).map(([id]) => id));
      const hits = await hitIds(q);
      const tp = hits.filter((id) => truth.has(id)).length;
      const t = totals.get(type) ?? { queries: 0, truth: 0, hits: 0, tp: 0 };
      totals.set(type, {
        queries: t.queries + 1,
        truth: t.truth + truth.size,
        hits: t.hits + hits.length,
        tp: t.tp + tp,
      });
      if (tp < truth.size) misses.push(`${type} "${q}": ${tp}/${truth.size}`);
      for (const id of hits.filter((h) => !truth.has(h))) {
        const text = corpus.media[0]!.segments[Number(id.split('_')[1])]!.text;
        falseHits.push(`${type} "${q}" → ${/\p{Lu}\p{L}+/u.exec(text)?.[0]}`);
      }
    }
    const f = (x: number) => x.toFixed(3);
    console.log(
      [
        `lexicon relevance set: ${compounds.length} compounds, ${corpus.media[0]!.segments.length} passages (${new Set(accidental.values()).size} with an accidental container only)`,
        'type            queries  expected   hits     tp  recall  precision',
        ...[...totals].map(
          ([type, t]) =>
            `${type.padEnd(15)} ${String(t.queries).padStart(7)} ${String(t.truth).padStart(9)} ${String(t.hits).padStart(6)} ${String(t.tp).padStart(6)}   ${f(t.tp / t.truth)}      ${f(t.tp / t.hits)}`,
        ),
        `misses (${misses.length}): ${misses.slice(0, 40).join('; ')}`,
        `false hits (${falseHits.length}): ${falseHits.slice(0, 40).join('; ')}`,
      ].join('\n'),
    );
    for (const [type, t] of totals) {
      expect.soft(t.tp / t.truth, `recall of ${type} queries`).toBeGreaterThanOrEqual(GOAL);
      expect.soft(t.tp / t.hits, `precision of ${type} queries`).toBeGreaterThanOrEqual(GOAL);
    }
  });
});
