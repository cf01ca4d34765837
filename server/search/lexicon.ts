// The German lexicon the decompounder (decompound.ts) reads: hunspell's dictionary and affixes (npm `dictionary-de`,
// igerman98) parsed into stems, nouns and compound forms, and `hyphen`'s German syllable patterns.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Lexicon words this short may stand inside a compound ("Neu|bau|siedlung"). */
export const MIN_SEGMENT_LENGTH = 3;

export function lowerGerman(text: string): string {
  return text.toLowerCase().replace(/ß/g, 'ss');
}

export interface Lexicon {
  /** Every dictionary stem (lower case, umlauts kept): a word listed here is a word of its own. */
  readonly stems: ReadonlySet<string>;
  /** The stems that are nouns: "Lasten" is an inflected noun although the verb "lasten" is a stem. */
  readonly nounStems: ReadonlySet<string>;
  /** Forms that may begin a compound or stand inside one: nouns, other words with igerman98's flag `j`, and its
   * compound-begin pseudo-roots such as "Kohlen", "Arbeits", "Kinder"; "nach", "manch", "groß" are not among them. */
  readonly modifiers: ReadonlySet<string>;
  /** Nouns, with the nouns derived from them: what may end a compound. */
  readonly heads: ReadonlySet<string>;
  /** Inflected noun forms that are no stem themselves → dictionary form ("kohlen" → kohle, "häuser" → haus). */
  readonly inflections: ReadonlyMap<string, string>;
  readonly longest: number;
}

export interface SuffixRule {
  strip: string;
  add: string;
  condition: RegExp;
}

/** SFX rules of a hunspell .aff file, by flag (single-character flags, as igerman98 uses). */
export function parseHunspellSuffixes(aff: string): Map<string, SuffixRule[]> {
  const rules = new Map<string, SuffixRule[]>();
  for (const line of aff.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[0] !== 'SFX' || f.length < 5 || /^[YN]$/.test(f[2]!)) continue;
    const [, flag, strip, addWithFlags, condition] = f as [string, string, string, string, string];
    const add = addWithFlags.split('/')[0]!;
    if (add.includes('-')) continue;
    const list = rules.get(flag) ?? [];
    list.push({
      strip: strip === '0' ? '' : strip,
      add: add === '0' ? '' : add,
      condition: new RegExp(`${condition === '.' ? '' : condition}$`, 'u'),
    });
    rules.set(flag, list);
  }
  return rules;
}

// Suffixes that inflect the same noun (case, number; umlaut plurals are flag p), not derive a new word.
export const INFLECTION_ADDS = new Set([
  's',
  'es',
  'e',
  'en',
  'n',
  'er',
  'ern',
  'ns',
  'ens',
  'nen',
  'se',
  'sen',
  'ses',
]);

export interface LexiconInput {
  stems: Iterable<string>;
  /** Defaults to the heads. */
  nounStems?: Iterable<string>;
  modifiers: Iterable<string>;
  heads: Iterable<string>;
  inflections?: Iterable<[string, string]>;
}

/**
 * The compounding model of a hunspell dictionary with igerman98's conventions: nouns, and words with flag `j`, may
 * begin a compound as they are; pseudo-roots (`h`) are compound-begin forms with their linking element
 * ("Arbeits/hij"); `d` forbids a word. Suffix rules applied to nouns give their inflected
 * forms (→ dictionary form) and the nouns derived from them ("Siedeln" → Siedlung), which inherit the flags.
 */
export function parseHunspell(dic: string, aff: string): LexiconInput {
  const suffixes = parseHunspellSuffixes(aff);
  const stems: string[] = [];
  const modifiers: string[] = [];
  const heads: string[] = [];
  const inflections: Array<[string, string]> = [];
  const lines = dic.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '' || line.startsWith('\t') || line.startsWith('#')) continue;
    const slash = line.indexOf('/');
    const word = (slash < 0 ? line : line.slice(0, slash)).trim();
    const flags = slash < 0 ? '' : line.slice(slash + 1).trim();
    if (flags.includes('d') || word.length < MIN_SEGMENT_LENGTH || !/^\p{L}+$/u.test(word)) continue;
    const lower = lowerGerman(word);
    const beginsCompounds = flags.includes('j');
    if (flags.includes('h')) {
      if (beginsCompounds) modifiers.push(lower);
      continue;
    }
    stems.push(lower);
    const noun = /^\p{Lu}/u.test(word);
    // any noun may begin and end a compound (the flags j and m are far from complete: "Aggregat|zustand" has
    // neither); other words only where the dictionary says so, which keeps out "nach|bar" and "manch|mal"
    if (beginsCompounds || noun) modifiers.push(lower);
    if (!noun) continue;
    heads.push(lower);
    for (const flag of flags) {
      for (const rule of suffixes.get(flag) ?? []) {
        if (!word.endsWith(rule.strip) || !rule.condition.test(word)) continue;
        const form = lowerGerman(word.slice(0, word.length - rule.strip.length) + rule.add);
        if (form === lower) continue;
        if (flag === 'p' || (rule.strip === '' && INFLECTION_ADDS.has(rule.add))) inflections.push([form, lower]);
        else {
          stems.push(form);
          heads.push(form);
          modifiers.push(form);
        }
      }
    }
  }
  return { stems, modifiers, heads, inflections };
}

export function buildLexicon(input: LexiconInput): Lexicon {
  const stems = new Set([...input.stems].map(lowerGerman));
  const modifiers = new Set([...input.modifiers].map(lowerGerman));
  const heads = new Set([...input.heads].map(lowerGerman));
  const nounStems = input.nounStems ? new Set([...input.nounStems].map(lowerGerman)) : heads;
  const inflections = new Map<string, string>();
  for (const [form, lemma] of input.inflections ?? []) {
    const f = lowerGerman(form);
    if (!nounStems.has(f) && !inflections.has(f)) inflections.set(f, lowerGerman(lemma));
  }
  let longest = 0;
  for (const w of modifiers) if (w.length > longest) longest = w.length;
  return { stems, nounStems, modifiers, heads, inflections, longest };
}

let germanLexicon: Lexicon | undefined;

/** The German lexicon from `dictionary-de`, read once per process. */
export function loadGermanLexicon(): Lexicon {
  if (germanLexicon) return germanLexicon;
  const require = createRequire(import.meta.url);
  // the package's module reads both files at import time (top-level await); the word list beside it is all we need
  const dir = path.dirname(require.resolve('dictionary-de'));
  germanLexicon = buildLexicon(
    parseHunspell(readFileSync(path.join(dir, 'index.dic'), 'utf8'), readFileSync(path.join(dir, 'index.aff'), 'utf8')),
  );
  return germanLexicon;
}

/** Syllables of each word (letters only), in order. */
export type Hyphenate = (words: readonly string[]) => string[][];

let germanHyphenate: Hyphenate | undefined;

/**
 * Syllables by the German hyphenation patterns ("Kohlenstaub" → Koh, len, staub). `hyphen` scans text character by
 * character with a set-up per call (~95 µs for one word, ~7 µs per word in one call of thousands), so words go in
 * batches, separated by spaces.
 */
export function germanSyllables(): Hyphenate {
  if (germanHyphenate) return germanHyphenate;
  const require = createRequire(import.meta.url);
  const { hyphenateSync } = require('hyphen/de-1996') as {
    hyphenateSync: (text: string, options: { hyphenChar: string; minWordLength?: number }) => string;
  };
  const one = (word: string) => hyphenateSync(word, { hyphenChar: '\u00AD', minWordLength: 4 }).split('\u00AD');
  germanHyphenate = (words) => {
    if (words.length === 1) return [one(words[0]!)];
    const out = hyphenateSync(words.join(' '), { hyphenChar: '\u00AD', minWordLength: 4 }).split(' ');
    // letters-only words keep their spaces; should that ever not hold, fall back to one call per word
    return out.length === words.length ? out.map((w) => w.split('\u00AD')) : words.map(one);
  };
  return germanHyphenate;
}
