// The general German decompounder (server/search/decompound.ts) on the real lexicon (npm dictionary-de) and the real
// hyphenation patterns (npm hyphen): the cases a new user found missing, and the guards that keep precision.
import { describe, expect, it } from 'vitest';
import { buildLexicon, Decompounder, loadGermanLexicon, parseHunspell } from '../../server/search/decompound.js';

const decompounder = new Decompounder({ protectedWords: ['Gräfenhainichen', 'Bitterfeld'] });

describe('Decompounder on the hunspell German lexicon', () => {
  it('loads the lexicon with its compounding flags', () => {
    const lexicon = loadGermanLexicon();
    expect(lexicon.stems.size).toBeGreaterThan(40_000);
    // "Kohlen/hij": a compound-begin form; "nach" may not begin a compound; "Krippe/Nm" may end one
    expect(lexicon.modifiers.has('kohlen')).toBe(true);
    expect(lexicon.modifiers.has('nach')).toBe(false);
    expect(lexicon.heads.has('krippe')).toBe(true);
    expect(lexicon.inflections.get('kohlen') ?? lexicon.inflections.get('krippen')).toBeDefined();
  });

  it.each([
    ['Kinderkrippe', ['kind', 'krippe']],
    ['Neubausiedlung', ['siedlung', 'neubau']],
    ['Kohlenstaubexplosion', ['kohle', 'staub', 'explosion', 'kohlenstaub']],
    ['Mauerstück', ['mauer', 'stuck']],
    ['Schaufelradbagger', ['schaufel', 'bagger', 'schaufelrad']],
    ['Betriebsferienlager', ['betrieb', 'ferien', 'lager', 'ferienlager']],
    ['Frauenbrigade', ['frau', 'brigade']],
    ['Kulturhaus', ['kultur', 'haus']],
    ['Arbeitsschutz', ['arbeit', 'schutz']],
    // an inflected head: its parts and the compound's dictionary form
    ['Kinderkrippen', ['kind', 'krippe', 'kinderkrippe']],
    ['Kraftwerken', ['kraft', 'werk', 'kraftwerk']],
  ])('%s → head and modifiers %j', (word, parts) => {
    expect(decompounder.parts(word)).toEqual(expect.arrayContaining(parts));
  });

  it.each([
    ['Gräfenhainichen', 'a protected name'],
    ['Bitterfeld', 'a protected name, though "bitter" and "Feld" are words'],
    ['Schichtung', 'a derivation, not a compound'],
    ['Mannschaft', '-schaft is a suffix, not the noun "Schaft"'],
    ['Reichtum', '-tum is a suffix'],
    ['Geschichte', 'no full cover by lexicon words'],
    ['Staubecken', 'ambiguous (Stau|becken, Staub|ecken): the hyphenation patterns give no cut'],
    ['manchmal', 'not a noun (lower case)'],
    ['Manchmal', '"manch" may not begin a compound in the lexicon'],
    ['Helmut', 'too short to be two parts'],
  ])('%s stays whole: %s', (word) => {
    expect(decompounder.parts(word)).toEqual([]);
  });

  it('never indexes parts shorter than four letters on their own', () => {
    for (const word of ['Schaufelradbagger', 'Neubausiedlung', 'Bahnhof', 'Fahrrad']) {
      for (const part of decompounder.parts(word)) expect(part.length, `${word}: ${part}`).toBeGreaterThanOrEqual(4);
    }
    expect(decompounder.parts('Bahnhof')).not.toContain('hof');
  });

  it('searches inflected query words in their dictionary form, the form the index stores', () => {
    expect(decompounder.queryForm('Bergleuten')).toBe('bergleute');
    expect(decompounder.queryForm('Kraftwerken')).toBe('kraftwerk');
    expect(decompounder.queryForm('Kohlen')).toBe('kohle');
    // dictionary forms and protected names stay as typed
    expect(decompounder.queryForm('Krippe')).toBe('Krippe');
    expect(decompounder.queryForm('Gräfenhainichen')).toBe('Gräfenhainichen');
    // and the index side stores that form for the inflected word
    expect(decompounder.parts('Bergleuten')).toContain('bergleute');
  });

  it('reads a hunspell dictionary and its suffix rules (small hand-made one)', () => {
    const aff = ['SFX N Y 1', 'SFX N   0       n          .', 'SFX J Y 1', 'SFX J   eln     lung       eln'].join('\n');
    const dic = ['4', 'Kohle/Nmij', 'Siedeln/SJm', 'Neu/hij', 'nach'].join('\n');
    const lexicon = buildLexicon(parseHunspell(dic, aff));
    expect([...lexicon.heads].sort()).toEqual(['kohle', 'siedeln', 'siedlung']);
    expect([...lexicon.modifiers].sort()).toEqual(['kohle', 'neu', 'siedeln', 'siedlung']);
    expect(lexicon.inflections.get('kohlen')).toBe('kohle');
    const small = new Decompounder({
      lexicon,
      syllables: (words) => words.map((w) => w.replace(/(neu)(sied)/i, '$1\u00AD$2').split('\u00AD')),
    });
    expect(small.parts('Neusiedlung')).toEqual(['siedlung']);
  });
});
