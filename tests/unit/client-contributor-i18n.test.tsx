// The contributor area's texts (client/src/contributor/i18n/*.json): the same checks as client-i18n.test.tsx does for
// the public side, and every key the code uses with a computed name (status.<x>, visibility.<x>.label …) exists.
import { describe, expect, it } from 'vitest';
import { visibilities, workflowStatuses } from '../../client/src/contributor/types.js';
import { describeTranslationPair, loadLeaves } from '../helpers/i18n.js';

const dir = new URL('../../client/src/contributor/i18n/', import.meta.url);
describeTranslationPair('contributor i18n resources (contributor/i18n/de.json, en.json)', dir, 100);

describe('contributor i18n keys used with computed names', () => {
  const de = loadLeaves(dir, 'de');

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
