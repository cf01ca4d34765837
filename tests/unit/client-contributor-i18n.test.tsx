// The contributor area's texts (client/src/contributor/i18n/*.json): the same checks as client-i18n.test.tsx does for
// the public side, and every key the code uses with a computed name (status.<x>, visibility.<x>.label …) exists.
import { describe, expect, it } from 'vitest';
import { auditActions } from '../../client/src/contributor/lib/audit.js';
import { statusSteps } from '../../client/src/contributor/lib/publication.js';
import {
  consentMethods,
  consentScopes,
  visibilities,
  withdrawalPolicies,
  workflowStatuses,
} from '../../client/src/contributor/types.js';
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
    for (const p of ['checking', 'uploading', 'paused', 'finishing', 'done', 'error'])
      expect(keys.has(`uploads.phase.${p}`), p).toBe(true);
  });

  it('name every consent scope, method and withdrawal policy, invitation and correction state, decision, audit action and workflow step', () => {
    const keys = new Set(de.map(([k]) => k));
    for (const s of consentScopes) expect(keys.has(`consent.scopes.${s}`), s).toBe(true);
    for (const m of consentMethods) expect(keys.has(`consent.methods.${m}`), m).toBe(true);
    for (const w of withdrawalPolicies) expect(keys.has(`consent.withdrawal.${w}`), w).toBe(true);
    for (const s of ['active', 'expired', 'revoked']) expect(keys.has(`invitations.states.${s}`), s).toBe(true);
    for (const s of ['open', 'accepted', 'rejected'])
      expect(keys.has(`reviewItems.correctionStates.${s}`), s).toBe(true);
    for (const d of ['approve', 'request_changes', 'withdraw'])
      expect(keys.has(`reviewItems.decisionKinds.${d}`), d).toBe(true);
    for (const a of auditActions) expect(keys.has(`audit.actions.${a}`), a).toBe(true);
    for (const from of workflowStatuses)
      for (const to of statusSteps(from)) expect(keys.has(`publication.stepTo.${to}`), to).toBe(true);
    expect(keys.has('roles.researcher')).toBe(true);
  });
});
