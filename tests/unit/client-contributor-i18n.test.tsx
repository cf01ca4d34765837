// The contributor area's texts (client/src/contributor/i18n/*.json): the same checks as client-i18n.test.tsx does for
// the public side, and every key the code uses with a computed name (status.<x>, visibility.<x>.label …) exists.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { visibilities, workflowStatuses } from '../../client/src/contributor/types.js';

type Tree = { [key: string]: string | Tree };

function loadResource(lang: 'de' | 'en'): Tree {
  return JSON.parse(readFileSync(new URL(`../../client/src/contributor/i18n/${lang}.json`, import.meta.url), 'utf8')) as Tree;
}

function leaves(tree: Tree, prefix = ''): Array<[string, unknown]> {
  return Object.entries(tree).flatMap(([key, value]): Array<[string, unknown]> => {
    const path = prefix ? `${prefix}.${key}` : key;
    return value !== null && typeof value === 'object' ? leaves(value, path) : [[path, value]];
  });
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('contributor i18n resources (contributor/i18n/de.json, en.json)', () => {
  const de = leaves(loadResource('de'));
  const en = leaves(loadResource('en'));

  it('have exactly the same keys, recursively', () => {
    expect(en.map(([k]) => k).sort()).toEqual(de.map(([k]) => k).sort());
    expect(de.length).toBeGreaterThan(100);
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

  it('name every workflow status, visibility, media status and upload phase the API and the client know', () => {
    const keys = new Set(de.map(([k]) => k));
    for (const s of workflowStatuses) expect(keys.has(`status.${s}`), s).toBe(true);
    for (const v of visibilities) {
      expect(keys.has(`visibility.${v}.label`), v).toBe(true);
      expect(keys.has(`visibility.${v}.hint`), v).toBe(true);
    }
    for (const s of ['stored', 'processing', 'ready', 'failed']) expect(keys.has(`mediaStatus.${s}`), s).toBe(true);
    for (const p of ['checking', 'uploading', 'paused', 'finishing', 'done', 'error']) expect(keys.has(`uploads.phase.${p}`), p).toBe(true);
  });
});
