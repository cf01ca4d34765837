// The server's one message catalog: every text in both languages, the same parameters in both, and no {de, en}
// literal left anywhere else in the server or the workers.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogText, messages, msg, zodMessage, type MessageKey } from '../../server/i18n/messages.js';
import { Problem } from '../../server/http/problem.js';

const root = path.resolve(import.meta.dirname, '../..');
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function serverFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return serverFiles(full);
    return /\.tsx?$/.test(e.name) ? [full] : [];
  });
}

describe('server message catalog', () => {
  it('has a non-empty German and English text for every key, with the same placeholders', () => {
    const keys = Object.keys(messages) as MessageKey[];
    expect(keys.length).toBeGreaterThan(80);
    for (const key of keys) {
      const { de, en } = messages[key];
      expect(de.trim(), `${key}.de`).not.toBe('');
      expect(en.trim(), `${key}.en`).not.toBe('');
      expect(placeholders(de), key).toEqual(placeholders(en));
      // no mixed-language text: neither language carries the other in parentheses or after a slash
      for (const mixed of [`(${en})`, `/ ${en}`, `(${de})`, `/ ${de}`])
        expect(`${de} | ${en}`, `${key} mixes languages`).not.toContain(mixed);
    }
  });

  it('fills parameters per language, a nested text in its own language', () => {
    expect(msg('auth.crossOrigin', { origin: 'https://evil.example' })).toEqual({
      de: 'Fremde Herkunft https://evil.example abgelehnt.',
      en: 'Cross-origin request from https://evil.example refused.',
    });
    expect(msg('transcripts.changedMeanwhile', { current: msg('transcripts.noVersion') })).toEqual({
      de: 'Das Transkript wurde inzwischen geändert (aktuelle Fassung keine); bitte neu laden.',
      en: 'The transcript was changed in the meantime (current version none); please reload.',
    });
    expect(catalogText(zodMessage('field.endAfterStart'))).toEqual(messages['field.endAfterStart']);
    expect(catalogText('plain zod message')).toBeNull();
  });

  it('renders field errors in the reader’s language only', () => {
    const problem = new Problem('validation', {
      errors: [{ field: 'body.mediaId', message: msg('field.notOfThisInterview') }],
    });
    expect(problem.body('de').errors).toEqual([{ field: 'body.mediaId', message: 'gehört nicht zu diesem Interview' }]);
    expect(problem.body('en').errors).toEqual([{ field: 'body.mediaId', message: 'not part of this interview' }]);
    expect(problem.body('en').title).toBe('The input is invalid.');
  });

  it('is the only server or worker file with {de: …, en: …} text literals', () => {
    const literal = /\bde\s*:\s*['"`][\s\S]{0,600}?\ben\s*:\s*['"`]/;
    const catalog = path.join(root, 'server/i18n/messages.ts');
    const files = [...serverFiles(path.join(root, 'server')), ...serverFiles(path.join(root, 'workers'))];
    expect(files.some((f) => f.startsWith(path.join(root, 'server/media') + path.sep))).toBe(true);
    expect(files.some((f) => f.startsWith(path.join(root, 'workers') + path.sep))).toBe(true);
    const offenders = files
      .filter((f) => f !== catalog)
      .filter((f) => literal.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    expect(offenders).toEqual([]);
    // the check itself can fail: it finds the catalog's own literals
    expect(literal.test(fs.readFileSync(catalog, 'utf8'))).toBe(true);
  });
});
