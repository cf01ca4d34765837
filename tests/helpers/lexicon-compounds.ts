// Real German compounds with known parts, taken from the lexicon itself (npm dictionary-de, igerman98) — not picked by
// hand, and found by a rule independent of server/search/decompound.ts: a dictionary noun that is exactly
// <dictionary noun> + <linking element> + <dictionary noun> in one way only, both parts at least four letters and not
// compounds themselves by the same rule. No hyphenation, no compounding flags: the answers must not come from the
// code under test. Passages around them are built from lower-case filler (no nouns), so every noun in a passage is
// planted and the truth of each query is known.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { SegmentInput, SegmentInterviewMeta } from '../../server/search/segment-index.js';

export interface LexiconCompound {
  word: string;
  modifier: string;
  link: string;
  head: string;
  /** Plural of the whole compound where the head's dictionary flags give one (N: +n, P: +en). */
  plural: string | null;
  /** The head's plural by the same flags: an inflected query word. */
  headPlural: string | null;
}

const LINKS = ['', 's', 'n', 'en', 'er', 'e', 'es'];
const SUFFIX_HEADS = /^(schaft|tum|heit|keit|ling|lein|chen|ung|nis|sal|sel|igkeit|ler|ner|ei|erei|in|innen)$/i;
const lower = (w: string) => w.toLowerCase();

/** Nouns of the dictionary (capitalised entries, no compound-begin pseudo-roots), and every entry in lower case. */
function readDictionary(): Map<string, { word: string; flags: string }> & { all: Set<string> } {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('dictionary-de'));
  const nouns = Object.assign(new Map<string, { word: string; flags: string }>(), { all: new Set<string>() });
  for (const line of fs.readFileSync(path.join(dir, 'index.dic'), 'utf8').split('\n').slice(1)) {
    const [word = '', flags = ''] = line.trim().split('/');
    if (/^\p{L}+$/u.test(word)) nouns.all.add(lower(word));
    if (!/^\p{Lu}\p{Ll}+$/u.test(word) || /[hd]/.test(flags)) continue;
    if (!nouns.has(lower(word))) nouns.set(lower(word), { word, flags });
  }
  return nouns;
}

/** Folded as Meilisearch compares: "Öfen" and "Ofen" are one word to it. */
export const fold = (w: string) => w.toLowerCase().replace(/ß/g, 'ss').normalize('NFD').replace(/\p{M}/gu, '');

function splits(word: string, nouns: Map<string, unknown>): Array<{ modifier: string; link: string; head: string }> {
  const w = lower(word);
  const found: Array<{ modifier: string; link: string; head: string }> = [];
  for (let k = 4; k <= w.length - 4; k++) {
    const modifier = w.slice(0, k);
    if (!nouns.has(modifier)) continue;
    for (const link of LINKS) {
      if (!w.startsWith(link, k)) continue;
      const head = w.slice(k + link.length);
      if (head.length >= 4 && nouns.has(head) && !SUFFIX_HEADS.test(head)) found.push({ modifier, link, head });
    }
  }
  return found;
}

/** `count` compounds, spread over the alphabet, each head and modifier in at most `maxUses` of them. */
export function lexiconCompounds(count: number, maxUses = 3): LexiconCompound[] {
  const nouns = readDictionary();
  const candidates: LexiconCompound[] = [];
  for (const [, { word }] of nouns) {
    if (word.length < 9 || word.length > 22) continue;
    const found = splits(word, nouns);
    if (found.length !== 1) continue;
    const { modifier, link, head } = found[0]!;
    if (splits(modifier, nouns).length > 0 || splits(head, nouns).length > 0) continue;
    const flags = nouns.get(head)!.flags;
    const suffix = flags.includes('N') && !word.endsWith('n') ? 'n' : flags.includes('P') ? 'en' : null;
    const headWord = nouns.get(head)!.word;
    candidates.push({
      word,
      modifier: nouns.get(modifier)!.word,
      link,
      head: headWord,
      plural: suffix ? word + suffix : null,
      headPlural: suffix ? headWord + suffix : null,
    });
  }
  // every k-th candidate in alphabetical order: a spread over the lexicon, the same for every run
  candidates.sort((a, b) => a.word.localeCompare(b.word, 'de'));
  const uses = new Map<string, number>();
  const chosen: LexiconCompound[] = [];
  const step = Math.max(1, Math.floor(candidates.length / (count * 1.5)));
  for (let i = 0; i < candidates.length && chosen.length < count; i += step) {
    const c = candidates[i]!;
    const m = lower(c.modifier);
    const h = lower(c.head);
    if ((uses.get(m) ?? 0) >= maxUses || (uses.get(h) ?? 0) >= maxUses) continue;
    uses.set(m, (uses.get(m) ?? 0) + 1);
    uses.set(h, (uses.get(h) ?? 0) + 1);
    chosen.push(c);
  }
  return chosen;
}

// Lower-case only: no noun (and so no part of a compound) ever enters through the filler.
const openers = [
  'damals haben wir oft',
  'ich weiß noch genau, wie wir',
  'meine mutter hat immer',
  'wir sind jeden tag',
  'später hat man uns',
  'im grunde haben alle',
];
const middles = ['erzählt von', 'gesprochen über', 'gehört von', 'gewusst von', 'gefragt nach', 'gelacht über'];
const closers = [
  'und dann war es vorbei.',
  'aber das hat keiner geglaubt.',
  'das war eben so.',
  'und alle waren dabei.',
  'ganz ehrlich gesagt.',
  'so war das eben.',
];

/**
 * For each part, up to one dictionary noun that contains it only by accident: strictly inside the word (neither its
 * start nor its end), and not as a part of the word by the rule above ("Ecke" in "Zweckentfremdung").
 */
export function accidentalContainers(parts: readonly string[]): Map<string, string> {
  const nouns = readDictionary();
  const words = [...nouns.values()]
    .map((n) => n.word)
    .filter((w) => w.length <= 22)
    .sort((a, b) => a.localeCompare(b, 'de'));
  const out = new Map<string, string>();
  // a simple word by the plainest test: no dictionary noun of three letters or more begins or ends it, so no reading
  // of it as a compound exists at all ("Allzeithoch" ends in "Hoch", "Papierstaufehler" begins with "Papier")
  // (any dictionary word counts, "außer" in "Außerbetriebnahme"; endings are stripped: "Rot|chinesen")
  const listed = (w: string) =>
    nouns.all.has(w) || ['n', 'en', 'e', 's', 'er'].some((e) => w.endsWith(e) && nouns.all.has(w.slice(0, -e.length)));
  const simple = (w: string) => {
    for (let k = 3; k < w.length - 2; k++) if (listed(w.slice(0, k)) || listed(w.slice(w.length - k))) return false;
    return true;
  };
  for (const part of parts) {
    const p = lower(part);
    for (const word of words) {
      const w = lower(word);
      const at = w.indexOf(p);
      if (at <= 0 || at + p.length >= w.length || !simple(w)) continue;
      out.set(part, word);
      break;
    }
  }
  return out;
}

export interface LexiconCorpus {
  compounds: LexiconCompound[];
  media: Array<{ interview: SegmentInterviewMeta; mediaId: string; segments: SegmentInput[] }>;
  /** Segment id → the folded parts (modifier and head) of the compound planted in it, or the folded word itself. */
  partsOf: Map<string, Set<string>>;
}

export function lexiconCorpus(
  compounds: LexiconCompound[],
  accidental: ReadonlyMap<string, string> = new Map(),
): LexiconCorpus {
  const partsOf = new Map<string, Set<string>>();
  const segments: SegmentInput[] = [];
  const plant = (text: string, compound: LexiconCompound | string) => {
    const id = `med-lex_${segments.length}`;
    // an accidental container holds no part, but it is itself a word a query may name
    partsOf.set(
      id,
      new Set(typeof compound === 'string' ? [fold(compound)] : [fold(compound.modifier), fold(compound.head)]),
    );
    segments.push({ start: segments.length * 10, end: segments.length * 10 + 9, speaker: null, text });
  };
  compounds.forEach((c, i) => {
    const sentence = (word: string, k: number) =>
      `${openers[(i + k) % openers.length]} ${middles[(i * 7 + k) % middles.length]} ${word}, ${closers[(i * 3 + k) % closers.length]}`;
    plant(sentence(c.word, 0), c);
    plant(sentence(c.word, 1), c);
    if (c.plural) plant(sentence(c.plural, 2), c);
  });
  // passages whose only noun holds a query part by accident: none of them may be found
  [...new Set(accidental.values())].forEach((word, i) =>
    plant(
      `${openers[i % openers.length]} ${middles[i % middles.length]} ${word}, ${closers[i % closers.length]}`,
      word,
    ),
  );
  const interview: SegmentInterviewMeta = {
    id: 'int-lex',
    title: 'Lexikon',
    createdAt: '2026-01-01T00:00:00.000Z',
    collectionId: null,
    narrators: [],
    place: null,
    recordedYear: null,
    keywords: [],
    language: 'de',
    status: 'published',
    visibility: 'public',
    grants: [],
    createdBy: null,
  };
  return { compounds, media: [{ interview, mediaId: 'med-lex', segments }], partsOf };
}
