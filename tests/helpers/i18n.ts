// The checks every pair of translation files gets: same keys, no empty strings, same {{placeholders}}.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Tree = { [key: string]: string | Tree };

/** Dotted paths of all leaves, e.g. `home.intro`. */
export function leaves(tree: Tree, prefix = ''): Array<[string, unknown]> {
  return Object.entries(tree).flatMap(([key, value]): Array<[string, unknown]> => {
    const path = prefix ? `${prefix}.${key}` : key;
    return value !== null && typeof value === 'object' ? leaves(value, path) : [[path, value]];
  });
}

export function loadLeaves(dir: URL, lang: 'de' | 'en'): Array<[string, unknown]> {
  return leaves(JSON.parse(readFileSync(new URL(`${lang}.json`, dir), 'utf8')) as Tree);
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

/** Registers the shared checks for `<dir>/de.json` and `<dir>/en.json`. */
export function describeTranslationPair(name: string, dir: URL, minKeys: number): void {
  describe(name, () => {
    const de = loadLeaves(dir, 'de');
    const en = loadLeaves(dir, 'en');

    it('have exactly the same keys, recursively', () => {
      expect(en.map(([k]) => k).sort()).toEqual(de.map(([k]) => k).sort());
      expect(de.length).toBeGreaterThan(minKeys);
    });

    it('contain only non-empty strings', () => {
      for (const [key, value] of [...de, ...en]) {
        expect(typeof value, key).toBe('string');
        expect((value as string).trim(), key).not.toBe('');
      }
    });

    it('use the same {{placeholders}} in both languages', () => {
      const enMap = new Map(en);
      for (const [key, value] of de) {
        expect(placeholders(String(enMap.get(key))), key).toEqual(placeholders(String(value)));
      }
    });
  });
}
