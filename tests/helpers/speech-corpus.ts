// A bench corpus that looks like real speech in its vocabulary: words drawn from the German lexicon (npm
// dictionary-de: every entry, nouns with their case and number forms) with a Zipf distribution over their ranks (s = 1.05,
// German function words on the top ranks), so that a 200,000-passage corpus holds tens of thousands of distinct words,
// most of them rare — unlike tests/helpers/german-corpus.ts (391 words). Each passage keeps one sentence of the mining
// corpus, so the archive's queries still have answers. Deterministic for a seed.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseHunspellSuffixes } from '../../server/search/decompound.js';
import { generateSegments, prng, type GeneratedCorpus } from './german-corpus.js';

const FUNCTION_WORDS = (
  'und die der ich das ist war wir es da ja in den nicht mit auch so dann zu ein sich haben hat dem auf eine aber ' +
  'noch wie man als von hier schon mal was wenn nach bei immer sind damals also für doch mein aus nur oder sie er uns ' +
  'ganz einen einer vor alles viel gar wieder jetzt heute sehr gesagt gemacht gewesen eben halt genau na nee gut'
).split(' ');

/** Every entry of the dictionary, nouns also with their case and number forms, as spelled there (nouns capitalised). */
export function lexiconWords(): string[] {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('dictionary-de'));
  const suffixes = parseHunspellSuffixes(fs.readFileSync(path.join(dir, 'index.aff'), 'utf8'));
  const words = new Set<string>();
  for (const line of fs.readFileSync(path.join(dir, 'index.dic'), 'utf8').split('\n').slice(1)) {
    const [word = '', flags = ''] = line.trim().split('/');
    if (!/^\p{L}{2,}$/u.test(word) || /[hd]/.test(flags)) continue;
    words.add(word);
    // nouns with their case and number forms (what speech is full of); verb and adjective entries as listed
    if (!/^\p{Lu}/u.test(word)) continue;
    for (const flag of flags) {
      for (const rule of suffixes.get(flag) ?? []) {
        if (rule.strip === '' && rule.add.length <= 2 && rule.condition.test(word)) words.add(word + rule.add);
      }
    }
  }
  return [...words];
}

/** Ranked vocabulary: function words first, then the lexicon in a seeded random order. */
function rankedVocabulary(seed: number): string[] {
  const rand = prng(seed);
  const words = lexiconWords().filter((w) => !FUNCTION_WORDS.includes(w));
  for (let i = words.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [words[i], words[j]] = [words[j]!, words[i]!];
  }
  return [...FUNCTION_WORDS, ...words];
}

/** Sampler of ranks 0 … n-1 with P(r) ∝ 1 / (r + 1)^s, by binary search over the cumulative weights. */
function zipfSampler(n: number, s: number, rand: () => number): () => number {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) cumulative[r] = sum += 1 / Math.pow(r + 1, s);
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export interface SpeechCorpus extends GeneratedCorpus {
  distinctWords: number;
  vocabularySize: number;
}

/** `count` passages of ~40 words: ~30 drawn by Zipf from the lexicon plus one sentence of the mining corpus. */
export function generateSpeechSegments(count: number, seed = 1, zipfExponent = 1.05): SpeechCorpus {
  const base = generateSegments(count, seed);
  const vocabulary = rankedVocabulary(seed);
  const rand = prng(seed * 7919 + 1);
  const rank = zipfSampler(vocabulary.length, zipfExponent, rand);
  const seen = new Uint8Array(vocabulary.length);
  let distinct = 0;
  for (const medium of base.media) {
    for (const segment of medium.segments) {
      const words: string[] = [];
      for (let k = 0; k < 30; k++) {
        const r = rank();
        if (!seen[r]) {
          seen[r] = 1;
          distinct++;
        }
        words.push(vocabulary[r]!);
        if (rand() < 0.08) words[words.length - 1] += rand() < 0.7 ? ',' : '.';
      }
      const sentence = segment.text.split(/(?<=[.!?])\s+/)[0] ?? '';
      segment.text = `${words.join(' ')}. ${sentence}`;
    }
  }
  return { ...base, distinctWords: distinct, vocabularySize: vocabulary.length };
}
