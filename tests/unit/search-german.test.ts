import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildVocabulary,
  compoundParts,
  expandForIndex,
  foldChars,
  foldGerman,
  germanVocabulary,
  matchingWordRanges,
  normalizeQuery,
  protectedNameWords,
  queryTerms,
  umlautSpelling,
} from '../../server/search/german.js';
import {
  derivedSnippet,
  segmentFilter,
  segmentIndexSettings,
  toSegmentDocuments,
  type SegmentInterviewMeta,
} from '../../server/search/segment-index.js';
import { generateSegments, plantTags } from '../helpers/german-corpus.js';

const vocabulary = germanVocabulary();

describe('foldChars / foldGerman', () => {
  it('lower-cases, writes ß as ss and drops diacritics', () => {
    expect(foldChars('Förderbrücke')).toBe('forderbrucke');
    expect(foldChars('Straße')).toBe('strasse');
    expect(foldChars('GROẞE')).toBe('grosse');
    expect(foldChars('Café Möhlau')).toBe('cafe mohlau');
  });

  it('reads ae/oe/ue as umlaut only where that makes a vocabulary term', () => {
    expect(foldGerman('Graefenhainichen')).toBe('grafenhainichen');
    expect(foldGerman('Foerderbruecke in Zschornewitz')).toBe('forderbrucke in zschornewitz');
    // real ue/oe/ae in ordinary words stay
    expect(foldGerman('Mauer Feuer Poet Israel Steuer')).toBe('mauer feuer poet israel steuer');
    expect(umlautSpelling('bauer')).toBeNull();
    expect(umlautSpelling('jueedenberg')).toBeNull();
    expect(umlautSpelling('juedenberg')).toBe('judenberg');
  });
});

describe('compoundParts', () => {
  it.each([
    ['Braunkohletagebau', ['braunkohle', 'kohle', 'tagebau']],
    ['Tagebaurestloch', ['restloch', 'tagebau']],
    ['Brikettfabrik', ['brikett', 'fabrik']],
    ['Bergmannsfrau', ['bergmann']],
    ['Kohlenzug', ['kohle']],
    ['Nachtschicht', ['schicht']],
    ['Frühschicht', ['schicht']],
    ['Abraumförderbrücke', ['abraum', 'brucke', 'forderbrucke']],
    ['Kumpels', ['kumpel']],
    ['Brücken', ['brucke']],
    ['Golpaer', ['golpa']],
    ['Gräfenhainichener', ['grafenhainichen']],
    ['Foerderbruecke', ['brucke']],
  ])('%s → %j', (word, parts) => {
    expect(compoundParts(word).sort()).toEqual([...parts].sort());
  });

  it.each([
    'Geschichte',
    'Vorgeschichte',
    'Schachtel',
    'Schichtung',
    'verkohlen',
    'abgebaggert',
    'Gräfenhain',
    'Tagung',
    'Tagebuch',
    'Helmut',
    'Lehrerin',
    'Tagebau',
    'Kohl',
  ])('%s has no parts', (word) => {
    expect(compoundParts(word)).toEqual([]);
  });
});

describe('expandForIndex', () => {
  it('adds only what Meilisearch cannot find in the text itself, each word once', () => {
    expect(
      expandForIndex('Auf der Straße in Graefenhainichen sah ich den Braunkohletagebau, Straße für Straße.'),
    ).toEqual({
      spellings: ['strasse', 'grafenhainichen'],
      // the vocabulary's parts first, then the lexicon decompounder's (braun|kohle|tag|e|bau; "tag" is too short alone)
      parts: ['braunkohle', 'tagebau', 'kohle', 'braun', 'kohletag'],
    });
    // umlauts, plain words and short words need nothing: Meilisearch folds umlauts itself
    expect(expandForIndex('Wir waren in Gräfenhainichen, ja.')).toEqual({ spellings: [], parts: [] });
    // the lexicon's decompounder adds what the vocabulary does not know, head and modifiers
    expect(expandForIndex('In der Kinderkrippe war es laut.')).toEqual({ spellings: [], parts: ['kind', 'krippe'] });
    // names of the interview's people and places stay whole
    expect(expandForIndex('In Rosenfeld war die Kinderkrippe.', undefined, protectedNameWords(['Rosenfeld']))).toEqual({
      spellings: [],
      parts: ['kind', 'krippe'],
    });
    expect(expandForIndex('In Rosenfeld war es.').parts).toEqual(['rose', 'feld']);
    expect(expandForIndex('Die Förderbrücke')).toEqual({ spellings: [], parts: ['brucke'] });
  });
});

describe('normalizeQuery / queryTerms', () => {
  it('sends ß as ss and ae-spelled terms as the term, keeps phrases and negation', () => {
    expect(normalizeQuery('  Straße   Graefenhainichen ')).toBe('strasse grafenhainichen');
    expect(normalizeQuery('"Große Straße" -Tagung Mauer')).toBe('"Große Straße" -Tagung Mauer');
    expect(normalizeQuery('Tagebau -Straße')).toBe('Tagebau -strasse');
    expect(normalizeQuery('')).toBe('');
  });

  it('collects folded words and single-word synonyms, without negated words', () => {
    expect([...queryTerms('Bergmann -Tagung')].sort()).toEqual(['bergarbeiter', 'bergleute', 'bergmann', 'kumpel']);
    expect([...queryTerms('Grube')].sort()).toEqual(['grube', 'tagebau']);
  });

  it('finds the words of a text that match through spelling, compound part or synonym', () => {
    const text = 'Der Braunkohletagebau, mein Kumpel und die Straße.';
    const words = (q: string) => matchingWordRanges(text, q).map(([a, b]) => text.slice(a, b));
    expect(words('Tagebau')).toEqual(['Braunkohletagebau']);
    expect(words('Bergmann')).toEqual(['Kumpel']);
    expect(words('Strasse')).toEqual(['Straße']);
    expect(words('Schacht')).toEqual([]);
  });
});

describe('vocabulary', () => {
  it('has a curated mining/region term list and derived rules', () => {
    expect(vocabulary.terms.size).toBeGreaterThanOrEqual(80);
    expect(vocabulary.terms.size).toBeLessThanOrEqual(150);
    for (const term of ['braunkohle', 'tagebau', 'forderbrucke', 'grafenhainichen', 'ferropolis', 'floz', 'bergmann'])
      expect(vocabulary.terms.has(term)).toBe(true);
    expect(vocabulary.synonyms.kumpel).toEqual(expect.arrayContaining(['bergmann', 'bergleute']));
    expect(vocabulary.synonyms.tagebau).toBeUndefined(); // "Grube" → "Tagebau" is one way
    expect(vocabulary.strictWords).toEqual(expect.arrayContaining(['schicht', 'schacht', 'kumpel']));
    expect(vocabulary.strictWords).not.toContain('tagebau');
  });

  it('validates the data file', () => {
    expect(() => buildVocabulary({ format: 'other', terms: [] })).toThrow();
    const small = buildVocabulary({
      format: 'schichtbuch-vocabulary/1',
      terms: ['Halde', 'Kippe', 'Ölmühle'],
      synonyms: [{ words: ['Halde', 'Kippe'] }, { from: 'Ölmühle', to: ['Mühle'] }],
      noSplit: ['haldensleben'],
      confusables: [],
    });
    expect(small.synonyms).toEqual({ halde: ['kippe'], kippe: ['halde'], olmuhle: ['muhle'] });
    expect(compoundParts('Abraumhalde', small)).toEqual(['halde']);
    expect(compoundParts('Haldensleben', small)).toEqual([]);
    expect(foldGerman('Oelmuehle', small)).toBe('olmuhle');
  });
});

describe('segment documents', () => {
  const meta: SegmentInterviewMeta = {
    id: 'int-1',
    title: 'Gespräch',
    collectionId: null,
    narrators: ['Gerda Weiß'],
    place: 'Golpa',
    recordedYear: 1997,
    keywords: ['Arbeit'],
    language: 'de',
    status: 'published',
    visibility: 'public',
    grants: [],
    createdBy: 'u1',
    createdAt: '2026-05-01T09:00:00.000Z',
  };

  it('carries the interview access fields and nothing else of the interview, derived fields only when needed', () => {
    const [a, b] = toSegmentDocuments(meta, 'm1', [
      { start: 1.23456, end: 4, speaker: 'Gerda Weiß', text: 'Im Braunkohletagebau\u0001 an der Straße' },
      { start: 4, end: 9, speaker: null, text: 'Nichts Besonderes.', restricted: true },
    ]);
    expect(a).toMatchObject({
      id: 'm1_0',
      interviewId: 'int-1',
      // milliseconds since 2000 of its creation above the first 11 bits of SHA-256("int-1"): the same in every process
      interviewSortKey:
        (Date.parse('2026-05-01T09:00:00.000Z') - Date.UTC(2000, 0, 1)) * 2048 +
        (parseInt(createHash('sha256').update('int-1').digest('hex').slice(0, 3), 16) >> 1),
      mediaId: 'm1',
      start: 1.235,
      text: 'Im Braunkohletagebau an der Straße',
      spellings: 'und strasse',
      parts: 'und braunkohle tagebau kohle braun kohletag',
      access: ['open:public'],
    });
    // title and facets live in the catalog (interview-catalog.ts), owners are resolved there too
    expect(Object.keys(a!).sort()).toEqual([
      'access',
      'end',
      'id',
      'interviewId',
      'interviewSortKey',
      'mediaId',
      'parts',
      'speaker',
      'spellings',
      'start',
      'text',
    ]);
    expect(b).not.toHaveProperty('parts');
    expect(b).not.toHaveProperty('spellings');
    expect(b?.access).toEqual(['open:public', 'restricted']);
  });

  it('builds the access and facet filter', () => {
    expect(segmentFilter({ kind: 'all' })).toBeUndefined();
    expect(segmentFilter({ kind: 'all' }, { interviewIds: [] })).toBe('interviewId IN []');
    expect(segmentFilter({ kind: 'all' }, { excludeInterviewIds: [] })).toBeUndefined();
    expect(segmentFilter({ kind: 'all' }, { interviewIds: ['a', 'b'], excludeInterviewIds: ['b'] })).toBe(
      'interviewId IN ["a", "b"] AND interviewId NOT IN ["b"]',
    );
    expect(
      segmentFilter(
        { kind: 'scoped', publishedVisibilities: ['public'] },
        { speaker: ['Golpa "Nord"'], interviewIds: ['i1', 'i2'] },
      ),
    ).toBe(
      'access IN ["open:public"] AND access != "restricted" AND speaker IN ["Golpa \\"Nord\\""] AND interviewId IN ["i1", "i2"]',
    );
    // a logged-in user: registered interviews, restricted ones granted to them or their groups, their own unless
    // withdrawn — owned ones by id, as the catalog found them
    expect(
      segmentFilter(
        {
          kind: 'scoped',
          publishedVisibilities: ['public', 'registered'],
          principals: ['user:u1', 'group:g1'],
          ownerId: 'u1',
        },
        {},
        ['own1'],
      ),
    ).toBe(
      '(access IN ["open:public", "open:registered", "grant:user:u1", "grant:group:g1"] OR (interviewId IN ["own1"] AND access != "withdrawn")) AND access != "restricted"',
    );
    // an owner with no interviews yet: no owner clause at all (segments carry no createdBy to match)
    expect(segmentFilter({ kind: 'scoped', publishedVisibilities: ['public'], ownerId: 'u1' })).toBe(
      'access IN ["open:public"] AND access != "restricted"',
    );
    // the narrator also finds their own restricted passages
    expect(segmentFilter({ kind: 'scoped', publishedVisibilities: ['public'], interviewIds: ['n1'] })).toBe(
      '(access IN ["open:public"] OR (interviewId IN ["n1"] AND access != "withdrawn")) AND (access != "restricted" OR interviewId IN ["n1"])',
    );
  });

  it('marks and crops passages found through derived fields, HTML-escaped', () => {
    const words = Array.from({ length: 60 }, (_, i) => `w${i}`);
    words[40] = 'Braunkohletagebau';
    words[41] = '<b>';
    const snippet = derivedSnippet(words.join(' '), 'Tagebau');
    expect(snippet).toContain('<mark>Braunkohletagebau</mark> &lt;b&gt;');
    expect(snippet?.startsWith('…w30 ')).toBe(true);
    expect(snippet?.split(' ')).toHaveLength(30);
    expect(derivedSnippet('nichts davon', 'Tagebau')).toBeNull();
  });

  it('declares the settings the design needs', () => {
    expect(segmentIndexSettings.searchableAttributes).toEqual(['text', 'spellings', 'parts']);
    const rules = segmentIndexSettings.rankingRules!;
    expect(rules.indexOf('exactness')).toBeLessThan(rules.indexOf('attribute'));
    expect(segmentIndexSettings.localizedAttributes).toBeUndefined();
  });
});

describe('test corpus generator', () => {
  it('is deterministic and plants every tag', () => {
    const a = generateSegments(600, 5);
    const b = generateSegments(600, 5);
    expect(b).toEqual(a);
    expect(a.media.flatMap((m) => m.segments)).toHaveLength(600);
    for (const tag of plantTags) expect(a.truth[tag].length).toBeGreaterThan(0);
    expect(generateSegments(600, 6).media[0]?.segments[0]?.text).not.toBe(a.media[0]?.segments[0]?.text);
  });
});
