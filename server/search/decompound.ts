// General German decompounding for the transcript search, in the manner of Lucene's dictionary and hyphenation
// compound filters, with stricter guards: a word is split only when it is covered completely by lexicon words,
// joined by German linking elements (Fugen: s, es, n, en, er, e) at syllable boundaries from the hyphenation
// patterns, and ends in a noun (the head). Lucene's filters emit any dictionary word found inside a word; full
// coverage is what keeps "Gräfenhainichen" whole (no "hainichen" in the lexicon) and "Schichtung" whole ("ung" is no
// word). The lexicon is the hunspell German dictionary (npm `dictionary-de`, igerman98), the syllables come from
// `hyphen`'s German (1996 orthography) patterns.
import { foldChars } from './fold.js';
import {
  type Hyphenate,
  type Lexicon,
  germanSyllables,
  loadGermanLexicon,
  lowerGerman,
  MIN_SEGMENT_LENGTH,
} from './lexicon.js';

export {
  type Lexicon,
  type LexiconInput,
  buildLexicon,
  germanSyllables,
  loadGermanLexicon,
  lowerGerman,
  parseHunspell,
  parseHunspellSuffixes,
} from './lexicon.js';

/** Parts shorter than this are not indexed on their own ("Rad", "Bau", "Tag" would match by accident); they still
 * join a segmentation, and the groups they form are indexed ("Schaufel|rad|bagger" → schaufelrad). */
export const MIN_PART_LENGTH = 4;
const MIN_COMPOUND_LENGTH = 7;
const MAX_WORD_LENGTH = 60;

// Linking elements between a modifier and the next part ("Arbeit|s|schutz", "Kohle|n|staub", "Kind|er|krippe").
const LINKS = ['', 'es', 'en', 'er', 's', 'n', 'e'] as const;
// For a listed compound-begin form: the shortest linking element that leaves a stem ("kohlen" → kohle, not kohl).
const MODIFIER_LINKS = ['e', 'n', 's', 'en', 'er', 'es'] as const;
// Endings a head (or any noun) may carry in the text, for case and number: "Kinderkrippen", "Kraftwerkes".
const NOUN_ENDINGS = ['s', 'e', 'n', 'es', 'en', 'er', 'ns', 'ern', 'ens', 'nen'] as const;
// Heads that are really derivational suffixes make a derived word, not a compound ("Mannschaft", "Reichtum").
const SUFFIX_HEADS = new Set([
  'schaft',
  'tum',
  'heit',
  'keit',
  'ling',
  'lein',
  'chen',
  'ung',
  'nis',
  'sal',
  'sel',
  'igkeit',
  'ler',
  'ner',
]);

/** Lower case and ß → ss, umlauts kept: "Förder" must not be read as "Ford" + "er". */
export interface DecompounderOptions {
  lexicon?: Lexicon;
  syllables?: Hyphenate;
  /** Words never split or reduced: the archive's people and places, curated terms. Compared folded. */
  protectedWords?: Iterable<string>;
}

interface Piece {
  /** Offsets into the lower-cased word: the part itself, then its linking element up to `next`. */
  start: number;
  end: number;
  next: number;
  /** The part as a dictionary form (a modifier form reduced to its stem where the dictionary has one). */
  base: string;
}

interface Segmentation {
  pieces: Piece[];
  linkChars: number;
  /** The whole word in its dictionary form when the head is inflected ("Kraftwerken" → kraftwerk). */
  lemma: string | null;
}

const better = (a: Segmentation, b: Segmentation | null | undefined) =>
  !b || a.pieces.length < b.pieces.length || (a.pieces.length === b.pieces.length && a.linkChars < b.linkChars);

export class Decompounder {
  readonly lexicon: Lexicon;
  private readonly syllables: Hyphenate;
  private readonly protectedWords: Set<string>;
  private readonly cache = new Map<string, readonly string[]>();
  private readonly syllableCache = new Map<string, string[]>();
  private static readonly CACHE_LIMIT = 200_000;

  constructor(options: DecompounderOptions = {}) {
    this.lexicon = options.lexicon ?? loadGermanLexicon();
    this.syllables = options.syllables ?? germanSyllables();
    this.protectedWords = new Set([...(options.protectedWords ?? [])].map((w) => foldChars(w)));
  }

  /**
   * Hyphenates, in one batch, the words among these that the lexicon can cover (the ones `parts` and `queryForm`
   * will need syllables for). Optional: without it each such word is hyphenated on its own, which is slower.
   */
  prepare(words: Iterable<string>): void {
    const todo: string[] = [];
    const queued = new Set<string>();
    for (const word of words) {
      if (queued.has(word) || this.cache.has(word) || this.syllableCache.has(word)) continue;
      const lower = lowerGerman(word);
      if (lower.length < MIN_COMPOUND_LENGTH || lower.length > MAX_WORD_LENGTH || !/^\p{L}+$/u.test(word)) continue;
      if (!this.segment(lower, null)) continue;
      queued.add(word);
      todo.push(word);
    }
    if (todo.length === 0) return;
    if (this.syllableCache.size + todo.length > Decompounder.CACHE_LIMIT) this.syllableCache.clear();
    const syllables = this.syllables(todo);
    todo.forEach((word, i) => this.syllableCache.set(word, syllables[i]!));
  }

  /**
   * What to index beside the word itself, as folded words: a compound's parts (head and modifiers, in their
   * dictionary form), the groups of parts ("Schaufelrad" in "Schaufelradbagger"), the parts of parts; for an
   * inflected noun that is no dictionary form, its dictionary form ("Kraftwerken" → kraftwerk). [] otherwise.
   */
  parts(word: string): readonly string[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    const result = this.compute(word);
    if (this.cache.size >= Decompounder.CACHE_LIMIT) this.cache.clear();
    this.cache.set(word, result);
    return result;
  }

  /** The dictionary form a query word is searched as: the noun itself for an inflected form that is no dictionary
   * form ("Bergleuten" → bergleute), else the word. Mirrors the index side, which stores that form in `parts`. */
  queryForm(word: string): string {
    const lower = lowerGerman(word);
    if (this.protectedWords.has(foldChars(word)) || lower.length > MAX_WORD_LENGTH || !/^\p{L}+$/u.test(lower))
      return word;
    const lemma = this.nounLemma(lower);
    if (lemma) return lemma;
    if (lower.length >= MIN_COMPOUND_LENGTH && !this.lexicon.nounStems.has(lower)) {
      const best = this.segment(lower, null) && this.segment(lower, this.syllableCuts(word, lower));
      if (best?.lemma) return best.lemma;
    }
    return word;
  }

  private nounLemma(lower: string): string | null {
    const listed = this.lexicon.inflections.get(lower);
    if (listed) return listed;
    if (lower.length < MIN_PART_LENGTH + 1 || this.lexicon.nounStems.has(lower)) return null;
    for (const ending of NOUN_ENDINGS) {
      if (!lower.endsWith(ending)) continue;
      const stem = lower.slice(0, -ending.length);
      if (stem.length >= MIN_PART_LENGTH && this.lexicon.heads.has(stem)) return stem;
    }
    return null;
  }

  private compute(word: string): readonly string[] {
    const lower = lowerGerman(word);
    // nouns are capitalised in German: verbs, adverbs and adjectives ("manchmal", "aufhängen") are left alone
    if (
      !/^\p{Lu}/u.test(word) ||
      lower.length > MAX_WORD_LENGTH ||
      !/^\p{L}+$/u.test(lower) ||
      this.protectedWords.has(foldChars(word))
    )
      return [];
    const out = new Set<string>();
    const lemma = this.nounLemma(lower);
    if (lemma) out.add(foldChars(lemma));
    if (lower.length >= MIN_COMPOUND_LENGTH) {
      // hyphenating costs ~50 µs a word: only for words that the lexicon can cover at all
      const best = this.segment(lower, null) && this.segment(lower, this.syllableCuts(word, lower));
      if (best) {
        this.collect(lower, best, out);
        // the compound in its dictionary form ("Kraftwerken" → kraftwerk)
        if (best.lemma && !lemma) out.add(foldChars(best.lemma));
      }
    }
    out.delete(foldChars(lower));
    return [...out];
  }

  private collect(lower: string, seg: Segmentation, out: Set<string>): void {
    const add = (w: string) => {
      if (w.length >= MIN_PART_LENGTH) out.add(foldChars(w));
    };
    const { pieces } = seg;
    const last = pieces.length - 1;
    // neighbouring parts as one word, the last in its dictionary form ("Kraftwerks|direktor" → kraftwerk)
    const group = (from: number, to: number) => lower.slice(pieces[from]!.start, pieces[to]!.start) + pieces[to]!.base;
    for (const [i, piece] of pieces.entries()) {
      add(piece.base);
      // a part that is a compound itself ("Kohlenstaub|explosion": kohle, staub)
      // (not a dictionary word: "Paragraph" is no "Para|graph")
      if (piece.base.length >= MIN_COMPOUND_LENGTH && !this.lexicon.stems.has(piece.base)) {
        const inner = this.segment(piece.base, null);
        if (inner) this.collect(piece.base, inner, out);
      }
      // a part too short to be found alone is found with its neighbour: the one it makes a dictionary word with
      // ("Tage|bau" in "Braunkohletagebau"), else both ("Schaufel|rad" and "rad|bagger" in "Schaufelradbagger")
      if (piece.end - piece.start < MIN_PART_LENGTH) {
        const before = i > 0 ? group(i - 1, i) : null;
        const after = i < last ? group(i, i + 1) : null;
        const listed = [before, after].filter((g): g is string => g !== null && this.isWord(g));
        for (const g of listed.length > 0 ? listed : [before, after]) if (g) add(g);
      }
    }
    // the binary brackets of a three-part compound ("Kohlenstaub|explosion", "Kohlen|staubexplosion"); in longer
    // ones only groups that are dictionary words, so that no word of four parts fills the index with fragments
    for (let i = 0; i < last; i++) {
      for (let j = i + 1; j <= last; j++) {
        if (i === 0 && j === last) continue;
        const g = group(i, j);
        if (pieces.length === 3 || this.isWord(g)) add(g);
      }
    }
  }

  private isWord(lower: string): boolean {
    return this.lexicon.stems.has(lower) || this.lexicon.inflections.has(lower);
  }

  /** Syllable boundaries as offsets into the lower-cased word. */
  private syllableCuts(word: string, lower: string): Set<number> {
    const cuts = new Set<number>();
    let at = 0;
    let syllables = this.syllableCache.get(word);
    if (!syllables) {
      syllables = this.syllables([word])[0]!;
      if (this.syllableCache.size >= Decompounder.CACHE_LIMIT) this.syllableCache.clear();
      this.syllableCache.set(word, syllables);
    }
    for (const syllable of syllables.slice(0, -1)) {
      at += lowerGerman(syllable).length;
      cuts.add(at);
    }
    if (at > lower.length) cuts.clear();
    return cuts;
  }

  /**
   * Fewest parts covering the whole word (then the fewest linking letters), with cuts only at syllable boundaries
   * (null = anywhere: for parts of parts, whose outer boundaries the syllables already vouched for).
   */
  private segment(word: string, cuts: Set<number> | null): Segmentation | null {
    const n = word.length;
    const { stems, modifiers, heads, longest } = this.lexicon;
    const best: Array<Segmentation | null> = new Array(n + 1).fill(null);
    best[0] = { pieces: [], linkChars: 0, lemma: null };
    for (let start = 0; start < n; start++) {
      const prefix = best[start];
      if (!prefix) continue;
      const maxEnd = Math.min(n - MIN_SEGMENT_LENGTH, start + longest);
      for (let end = start + MIN_SEGMENT_LENGTH; end <= maxEnd; end++) {
        const part = word.slice(start, end);
        if (!modifiers.has(part)) continue;
        const base = stems.has(part) ? part : this.modifierBase(part);
        for (const link of LINKS) {
          const next = end + link.length;
          if (next > n - MIN_SEGMENT_LENGTH || (link && word.slice(end, next) !== link)) continue;
          if (cuts && !cuts.has(next)) continue;
          const candidate = {
            pieces: [...prefix.pieces, { start, end, next, base }],
            linkChars: prefix.linkChars + link.length,
            lemma: null,
          };
          if (better(candidate, best[next])) best[next] = candidate;
        }
      }
    }
    // the head: a noun, possibly inflected, after at least one modifier
    let result: Segmentation | null = null;
    for (let start = MIN_SEGMENT_LENGTH; start <= n - MIN_SEGMENT_LENGTH; start++) {
      const prefix = best[start];
      if (!prefix || prefix.pieces.length === 0) continue;
      const rest = word.slice(start);
      for (const ending of ['', ...NOUN_ENDINGS]) {
        if (ending && !rest.endsWith(ending)) continue;
        const head = ending ? rest.slice(0, -ending.length) : rest;
        const lemma = heads.has(head) ? head : ending === '' ? this.lexicon.inflections.get(head) : undefined;
        if (head.length < MIN_SEGMENT_LENGTH || !lemma || SUFFIX_HEADS.has(lemma)) continue;
        const candidate = {
          pieces: [...prefix.pieces, { start, end: start + head.length, next: n, base: lemma }],
          linkChars: prefix.linkChars + ending.length,
          lemma: lemma === rest ? null : word.slice(0, start) + lemma,
        };
        if (better(candidate, result)) result = candidate;
      }
    }
    return result;
  }

  /** "kohlen" → kohle, "explosions" → explosion: a compound-begin form without its linking element. */
  private modifierBase(form: string): string {
    for (const link of MODIFIER_LINKS) {
      if (!form.endsWith(link)) continue;
      const stem = form.slice(0, -link.length);
      if (this.lexicon.stems.has(stem)) return stem;
    }
    // a Fugen-s form whose stem the dictionary lists only inside compounds ("Bergmanns" → bergmann)
    return form.endsWith('s') && form.length > MIN_PART_LENGTH + 1 ? form.slice(0, -1) : form;
  }
}

/** Words from which Meilisearch allows a typo (its `minWordSizeForTypos.oneTypo` in segment-index.ts). */
const TYPO_FROM_LENGTH = 6;

/**
 * Folded nouns of the lexicon one substitution or deletion away from another noun ("Fehler" / "Fühler", "Mauer" /
 * "Maurer"): searched without typo tolerance, or one would find the other, in the text and in compound parts alike.
 * Found with deletion neighbourhoods: two words within one edit share a word with one letter deleted.
 */
export function lexiconConfusables(lexicon: Lexicon = loadGermanLexicon()): string[] {
  const nouns = new Set<string>();
  for (const n of lexicon.nounStems) nouns.add(foldChars(n));
  const confusable = new Set<string>();
  const bySubstitution = new Map<string, string>();
  for (const noun of nouns) {
    if (noun.length < TYPO_FROM_LENGTH - 1) continue;
    for (let i = 0; i < noun.length; i++) {
      const rest = noun.slice(0, i) + noun.slice(i + 1);
      // one letter more or less: the shorter word is the longer with a letter deleted
      if (nouns.has(rest)) {
        if (noun.length >= TYPO_FROM_LENGTH) confusable.add(noun);
        if (rest.length >= TYPO_FROM_LENGTH) confusable.add(rest);
      }
      // one letter other: both share the word with that position blanked
      const key = `${i}:${rest}`;
      const other = bySubstitution.get(key);
      if (other === undefined) bySubstitution.set(key, noun);
      else {
        if (noun.length >= TYPO_FROM_LENGTH) confusable.add(noun);
        if (other.length >= TYPO_FROM_LENGTH) confusable.add(other);
      }
    }
  }
  return [...confusable].sort();
}
