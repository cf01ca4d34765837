// German spelling and compound handling for the transcript search, as pure functions over a curated vocabulary
// (vocabulary/de-mining.json). Meilisearch's own German locale splits compounds by dictionary — including place
// names ("Gräfenhainichen") — and keeps umlauts; so the index runs without a locale and these functions supply, as
// extra indexed words, only what Meilisearch cannot: ß/ss, ae/oe/ue and vocabulary compound parts.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Decompounder } from './decompound.js';
import { foldChars } from './fold.js';

export { foldChars };

const vocabularyFileSchema = z.strictObject({
  format: z.string().startsWith('schichtbuch-vocabulary/1'),
  description: z.string().optional(),
  terms: z.array(z.string().trim().min(1)),
  synonyms: z
    .array(
      z.union([
        z.strictObject({ words: z.array(z.string().trim().min(1)).min(2) }),
        z.strictObject({ from: z.string().trim().min(1), to: z.array(z.string().trim().min(1)).min(1) }),
      ]),
    )
    .default([]),
  noSplit: z.array(z.string().trim().min(3)).default([]),
  confusables: z.array(z.string().trim().min(1)).default([]),
});

export type VocabularyFile = z.input<typeof vocabularyFileSchema>;

export interface Vocabulary {
  /** Folded term → spelling in the data file. */
  readonly terms: ReadonlyMap<string, string>;
  /** Folded terms long enough to be looked for inside other words, longest first. */
  readonly splitTerms: readonly string[];
  /** Folded terms spelled with an umlaut: only these accept an ae/oe/ue spelling. */
  readonly umlautTerms: ReadonlySet<string>;
  /** Folded stems inside which no term is recognised ("geschicht"). */
  readonly noSplit: readonly string[];
  /** Meilisearch synonyms, keys and values folded like queries are. */
  readonly synonyms: Readonly<Record<string, string[]>>;
  /** Folded words one typo away from another term or a confusable: searched without typo tolerance. */
  readonly strictWords: readonly string[];
}

/** Shorter terms would be found by accident inside too many unrelated words. */
export const MIN_SPLIT_TERM_LENGTH = 4;
/** Word lengths from which Meilisearch allows one / two typos (index setting; 5-letter German words are too dense). */
export const TYPO_MIN_LENGTH = { oneTypo: 6, twoTypos: 9 } as const;

// Endings that leave the word itself (or a compound whose head is the term) in another case or number.
const INFLECTIONS = new Set(['s', 'es', 'e', 'en', 'n', 'er', 'ern', 'ns', 'ens', 'nen']);
// A term followed by a derivational suffix is a different word ("Schichtung", "Kohlig"), not a compound.
const DERIVATION =
  /^(?:e?s|e?n|er|e)?(?:ung|ig|lich|isch|heit|keit|chen|lein|ler|ner|erei|ei|in|innen|bar|haft|sam|los|ling|tum|schaft)(?:en|e|er|es|s|n|nen)?$/;
// Verb prefixes and participle stems in front of a term make a verb form ("verkohlen", "abgebaggert").
const VERB_PREFIX = /^(?:ver|zer|ent|emp|miss|(?:ab|an|auf|aus|ein|mit|nach|vor|zu|um|weg|durch)?ge)$/;
const WORD = /[\p{L}\p{M}]+/gu;

function aeVariant(folded: string): string | null {
  if (!/ae|oe|ue/.test(folded)) return null;
  return folded.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u');
}

/**
 * The ae/oe/ue spelling of a vocabulary term, as the term ("graefenhainichen" → "grafenhainichen"); null for every
 * other word, so "Mauer" or "Poet" stay what they are.
 */
export function umlautSpelling(folded: string, vocabulary: Vocabulary = germanVocabulary()): string | null {
  const variant = aeVariant(folded);
  return variant && vocabulary.umlautTerms.has(variant) ? variant : null;
}

/** Folds every word of `text`; ae/oe/ue spellings of vocabulary terms become the term. */
export function foldGerman(text: string, vocabulary: Vocabulary = germanVocabulary()): string {
  return foldChars(text).replace(WORD, (word) => umlautSpelling(word, vocabulary) ?? word);
}

function overlapsNoSplit(word: string, from: number, to: number, vocabulary: Vocabulary): boolean {
  for (const stem of vocabulary.noSplit) {
    for (let i = word.indexOf(stem); i >= 0; i = word.indexOf(stem, i + 1)) {
      if (i < to && i + stem.length > from) return true;
    }
  }
  return false;
}

function partsOfFolded(word: string, vocabulary: Vocabulary): string[] {
  const parts: string[] = [];
  if (word.length <= MIN_SPLIT_TERM_LENGTH) return parts;
  for (const term of vocabulary.splitTerms) {
    if (term.length >= word.length) continue;
    for (let at = word.indexOf(term); at >= 0; at = word.indexOf(term, at + 1)) {
      const left = word.slice(0, at);
      const right = word.slice(at + term.length);
      if (left !== '' && (left.length < 3 || VERB_PREFIX.test(left))) continue;
      // a bare inflection ending is fine ("Tagebaus", "Kohlenzug" has the Fugen-n before "zug" instead);
      // otherwise the rest must be long enough to be a word of its own and not a derivational suffix
      if (right !== '' && !INFLECTIONS.has(right) && (right.length < 3 || DERIVATION.test(right))) continue;
      if (overlapsNoSplit(word, at, at + term.length, vocabulary)) continue;
      parts.push(term);
      break;
    }
  }
  return parts;
}

/**
 * Vocabulary terms (folded) inside a longer word: "Braunkohletagebau" → braunkohle, tagebau, kohle;
 * "Bergmannsfrau" → bergmann; "Kohlenzug" → kohle; an inflected term gives the term ("Kumpels" → kumpel).
 * ae/oe/ue spellings count where they make a term with an umlaut ("Kohlefoerderbruecke" → kohle, forderbrucke, brucke).
 */
export function compoundParts(word: string, vocabulary: Vocabulary = germanVocabulary()): string[] {
  const folded = foldChars(word);
  const parts = partsOfFolded(folded, vocabulary);
  const variant = aeVariant(folded);
  if (variant) {
    for (const part of partsOfFolded(variant, vocabulary)) {
      if (vocabulary.umlautTerms.has(part) && !parts.includes(part)) parts.push(part);
    }
  }
  return parts;
}

export interface IndexExpansion {
  /** Other spellings of words of the text: ß as ss, ae/oe/ue terms without them. */
  spellings: string[];
  /** Vocabulary terms found inside compounds or inflected forms. */
  parts: string[];
}

interface WordExpansion {
  spellings: string[];
  parts: string[];
}

const NO_EXPANSION: WordExpansion = { spellings: [], parts: [] };
// One decompounder per vocabulary: its terms (places, names, curated words) are never split by the lexicon.
const decompounders = new WeakMap<Vocabulary, Decompounder>();

let lexiconDecompounding = true;

/**
 * Turns the lexicon's decompounder on or off for this process (config SEARCH_DECOMPOUNDER; bench/search compares
 * both). Index and queries must agree, so every process of an archive uses the same setting; a change needs a reindex.
 */
export function useLexiconDecompounder(on: boolean): void {
  if (on === lexiconDecompounding) return;
  lexiconDecompounding = on;
  expansionCaches = new WeakMap();
}

/** The general decompounder (German lexicon + hyphenation) that works beside the vocabulary; null when off. */
export function decompounderFor(vocabulary: Vocabulary): Decompounder | null {
  if (!lexiconDecompounding) return null;
  let d = decompounders.get(vocabulary);
  if (!d) decompounders.set(vocabulary, (d = new Decompounder({ protectedWords: vocabulary.terms.keys() })));
  return d;
}
// Transcripts repeat their words: cache per word, bounded, one cache per vocabulary.
const CACHE_LIMIT = 200_000;
let expansionCaches = new WeakMap<Vocabulary, Map<string, WordExpansion>>();

function expandWord(word: string, vocabulary: Vocabulary): WordExpansion {
  let cache = expansionCaches.get(vocabulary);
  if (!cache) expansionCaches.set(vocabulary, (cache = new Map()));
  const hit = cache.get(word);
  if (hit) return hit;
  const folded = foldChars(word);
  const spellings: string[] = [];
  // Meilisearch removes umlaut dots itself but keeps ß, so only ß words need their ss spelling stored
  if (/[ßẞ]/.test(word)) spellings.push(folded);
  const ae = umlautSpelling(folded, vocabulary);
  if (ae) spellings.push(ae);
  const parts = compoundParts(word, vocabulary);
  for (const part of decompounderFor(vocabulary)?.parts(word) ?? []) if (!parts.includes(part)) parts.push(part);
  const result = spellings.length === 0 && parts.length === 0 ? NO_EXPANSION : { spellings, parts };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, result);
  return result;
}

/**
 * The extra words to index beside `text`, each once: what Meilisearch would not find in the text itself.
 * `protectedNames` (folded words of the interview's people and places) are never split: "Bitterfeld" is no field.
 */
export function expandForIndex(
  text: string,
  vocabulary: Vocabulary = germanVocabulary(),
  protectedNames: ReadonlySet<string> = NO_NAMES,
): IndexExpansion {
  const spellings = new Set<string>();
  const parts = new Set<string>();
  for (const [word] of text.matchAll(WORD)) {
    if (word.length < 3) continue;
    const e =
      protectedNames.size > 0 && protectedNames.has(foldChars(word))
        ? spellingsOnly(word, vocabulary)
        : expandWord(word, vocabulary);
    for (const s of e.spellings) spellings.add(s);
    for (const p of e.parts) parts.add(p);
  }
  return { spellings: [...spellings], parts: [...parts] };
}

const NO_NAMES: ReadonlySet<string> = new Set();

function spellingsOnly(word: string, vocabulary: Vocabulary): WordExpansion {
  return { spellings: expandWord(word, vocabulary).spellings, parts: [] };
}

/** Prepares the decompounder for these texts in one batch (hyphenation is far cheaper for many words at once). */
export function prepareExpansion(texts: Iterable<string>, vocabulary: Vocabulary = germanVocabulary()): void {
  const decompounder = decompounderFor(vocabulary);
  if (!decompounder) return;
  const words = new Set<string>();
  for (const text of texts) for (const [word] of text.matchAll(WORD)) if (/^\p{Lu}/u.test(word)) words.add(word);
  decompounder.prepare(words);
}

/** Folded words of names (people, places) that the decompounder must leave whole. */
export function protectedNameWords(names: Iterable<string | null | undefined>): Set<string> {
  const words = new Set<string>();
  for (const name of names)
    for (const [word] of (name ?? '').matchAll(WORD)) if (word.length >= 3) words.add(foldChars(word));
  return words;
}

/**
 * The query as sent to Meilisearch: words with ß get their ss spelling (the index holds both spellings under ss),
 * ae/oe/ue spellings of terms become the term. Phrases in quotes stay untouched; `-word` negation is kept.
 */
export function normalizeQuery(q: string, vocabulary: Vocabulary = germanVocabulary()): string {
  const trimmed = q.replace(/\s+/g, ' ').trim();
  return trimmed
    .split(/("[^"]*")/)
    .map((chunk) => {
      if (chunk.startsWith('"') && chunk.endsWith('"') && chunk.length >= 2) return chunk;
      return chunk.replace(WORD, (word) => {
        const folded = foldChars(word);
        if (/[ßẞ]/.test(word)) return umlautSpelling(folded, vocabulary) ?? inflectionFree(folded, vocabulary);
        return umlautSpelling(folded, vocabulary) ?? inflectionFree(word, vocabulary);
      });
    })
    .join('');
}

// An inflected noun is searched in its dictionary form, which the index stores for every inflected form
// ("Bergleuten" → bergleute, "Kraftwerken" → kraftwerk); vocabulary terms and dictionary forms stay as they are.
function inflectionFree(word: string, vocabulary: Vocabulary): string {
  if (vocabulary.terms.has(foldChars(word))) return word;
  const form = decompounderFor(vocabulary)?.queryForm(word) ?? word;
  return form === word ? word : foldChars(form);
}

/** Folded words a query looks for (negated words left out), with their single-word synonyms. */
export function queryTerms(q: string, vocabulary: Vocabulary = germanVocabulary()): Set<string> {
  const terms = new Set<string>();
  const normalized = normalizeQuery(q, vocabulary).replace(/(^|\s)-[^\s"]+/g, ' ');
  for (const [word] of normalized.matchAll(WORD)) {
    const folded = foldGerman(word, vocabulary);
    terms.add(folded);
    for (const synonym of vocabulary.synonyms[folded] ?? []) if (!synonym.includes(' ')) terms.add(synonym);
  }
  return terms;
}

/**
 * Character ranges of the words in `text` that match the query through spelling, compound part or synonym — for
 * highlighting passages Meilisearch found through the derived fields, where it has nothing to mark in the text.
 */
export function matchingWordRanges(
  text: string,
  q: string,
  vocabulary: Vocabulary = germanVocabulary(),
): Array<[number, number]> {
  const terms = queryTerms(q, vocabulary);
  const ranges: Array<[number, number]> = [];
  if (terms.size === 0) return ranges;
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    const folded = foldGerman(word, vocabulary);
    if (terms.has(folded) || expandWord(word, vocabulary).parts.some((p) => terms.has(p))) {
      ranges.push([match.index, match.index + word.length]);
    }
  }
  return ranges;
}

// Optimal string alignment distance (a swap of neighbours is one typo, as in Meilisearch), capped for speed.
function typoDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]![j]!;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, at(i - 2, j - 2) + 1);
      rows[i]![j] = d;
    }
  }
  return at(a.length, b.length);
}

function allowedTypos(word: string): number {
  return word.length >= TYPO_MIN_LENGTH.twoTypos ? 2 : word.length >= TYPO_MIN_LENGTH.oneTypo ? 1 : 0;
}

export function buildVocabulary(input: VocabularyFile): Vocabulary {
  const file = vocabularyFileSchema.parse(input);
  const terms = new Map<string, string>();
  for (const term of file.terms) terms.set(foldChars(term), term);
  const splitTerms = [...terms.keys()]
    .filter((t) => t.length >= MIN_SPLIT_TERM_LENGTH && /^\p{L}+$/u.test(t))
    .sort((a, b) => b.length - a.length);
  const umlautTerms = new Set([...terms].filter(([, spelling]) => /[äöüÄÖÜ]/.test(spelling)).map(([folded]) => folded));

  const synonyms: Record<string, string[]> = {};
  const link = (from: string, to: string[]) => {
    const key = foldChars(from);
    const values = new Set(synonyms[key] ?? []);
    for (const t of to) if (foldChars(t) !== key) values.add(foldChars(t));
    synonyms[key] = [...values];
  };
  for (const entry of file.synonyms) {
    if ('words' in entry) for (const word of entry.words) link(word, entry.words);
    else link(entry.from, entry.to);
  }

  const searched = new Set([...terms.keys(), ...Object.keys(synonyms).filter((k) => !k.includes(' '))]);
  const neighbours = [...searched, ...file.confusables.map(foldChars)];
  const strictWords = [...searched].filter((word) => {
    const typos = allowedTypos(word);
    return typos > 0 && neighbours.some((other) => other !== word && typoDistance(word, other, typos) <= typos);
  });

  return {
    terms,
    splitTerms,
    umlautTerms,
    noSplit: file.noSplit.map(foldChars),
    synonyms,
    strictWords: strictWords.sort(),
  };
}

export function loadVocabulary(
  file: string | URL = new URL('./vocabulary/de-mining.json', import.meta.url),
): Vocabulary {
  return buildVocabulary(JSON.parse(readFileSync(file, 'utf8')) as VocabularyFile);
}

let defaultVocabulary: Vocabulary | undefined;

/** The mining/region vocabulary of the archive, read once. */
export function germanVocabulary(): Vocabulary {
  defaultVocabulary ??= loadVocabulary();
  return defaultVocabulary;
}
