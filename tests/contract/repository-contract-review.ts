// The repository contract, part: groups, consent, review (invitations, restrictions, corrections, decisions), audit.
// Each describe takes the running test's fresh store from storeOf (opened in repository-contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../server/store/repositories.js';
import type {
  ConsentScope,
  Correction,
  Interview,
  Restriction,
  ReviewDecision,
  ReviewInvitation,
  User,
} from '../../server/store/types.js';
import { at, makeInterview, makeUser, type StoreOf, uuid } from './repository-contract-helpers.js';

/** Groups, consent records, review and the audit log. */
export function describeReviewContract(storeOf: StoreOf): void {
  describe('groups, consent, review and audit', () => {
    let store: Store;
    beforeEach(() => {
      store = storeOf();
    });

    let curator: User;
    let interview: Interview;
    let mediumId: string;

    beforeEach(async () => {
      curator = await store.users.create(makeUser({ email: 'curator@example.org', role: 'curator' }));
      interview = await store.interviews.create(makeInterview({ createdBy: curator.id }));
      mediumId = uuid();
      await store.media.create({
        id: mediumId,
        interviewId: interview.id,
        part: 1,
        kind: 'audio',
        status: 'ready',
        progress: 100,
        originalFilename: 'a.m4a',
        originalPath: `originals/${interview.id}/${mediumId}/original.m4a`,
        sha256: '0'.repeat(64),
        sizeBytes: 1,
        technical: {
          container: 'mov,mp4',
          durationSec: 60,
          bitRate: null,
          audio: { codec: 'aac', channels: 1, sampleRate: 48000 },
          video: null,
          playableMime: 'audio/mp4',
        },
        derivatives: {},
        error: null,
        renditionRedaction: '',
        createdBy: null,
        createdAt: at(0),
        updatedAt: at(0),
      });
    });

    it('a researcher role exists; groups hold members once and tell a user their groups', async () => {
      const researcher = await store.users.create(makeUser({ email: 'forscherin@example.org', role: 'researcher' }));
      expect((await store.users.findById(researcher.id))?.role).toBe('researcher');
      const group = await store.groups.create({ id: uuid(), name: 'Forschungsgruppe', createdAt: at(1) });
      await store.groups.addMember(group.id, researcher.id);
      await store.groups.addMember(group.id, researcher.id);
      expect(await store.groups.members(group.id)).toEqual([researcher.id]);
      expect(await store.groups.groupIdsOf(researcher.id)).toEqual([group.id]);
      await expect(store.groups.create({ id: uuid(), name: 'forschungsgruppe', createdAt: at(2) })).rejects.toThrow();
      expect(await store.groups.removeMember(group.id, researcher.id)).toBe(true);
      expect(await store.groups.removeMember(group.id, researcher.id)).toBe(false);
      expect(await store.groups.delete(group.id)).toBe(true);
      expect(await store.groups.list()).toEqual([]);
    });

    it('consent records are versioned: append continues after the newest version, a stale expectation fails', async () => {
      const base = {
        id: uuid(),
        interviewId: interview.id,
        narrator: 'Horst Krüger',
        scope: ['archive', 'research'] as ConsentScope[],
        givenOn: '2019-05-17',
        method: 'signed_form' as const,
        scan: null,
        embargoUntil: null,
        onWithdrawal: 'keep_archive' as const,
        notes: null,
        authorId: curator.id,
        createdAt: at(1),
      };
      const first = await store.consents.append(base, null);
      expect(first).toEqual({ ok: true, record: { ...base, version: 1 } });
      const second = await store.consents.append({ ...base, scope: ['archive'], createdAt: at(2) }, 1);
      expect(second.ok && second.record.version).toBe(2);
      expect(await store.consents.append({ ...base, createdAt: at(3) }, 1)).toEqual({ ok: false, current: 2 });
      expect(await store.consents.append({ ...base, createdAt: at(3) }, null)).toEqual({ ok: false, current: 2 });
      expect((await store.consents.currentForInterview(interview.id)).map((c) => [c.version, c.scope])).toEqual([
        [2, ['archive']],
      ]);
      expect((await store.consents.history(base.id)).map((c) => c.version)).toEqual([2, 1]);
      expect((await store.consents.find(base.id, 1))?.scope).toEqual(['archive', 'research']);
      expect((await store.consents.find(base.id))?.version).toBe(2);
    });

    it('invitations are found by token or code hash, revoked once; restrictions and corrections keep their state', async () => {
      const invitation: ReviewInvitation = {
        id: uuid(),
        interviewId: interview.id,
        narrator: 'Horst Krüger',
        tokenHash: 'a'.repeat(64),
        codeHash: 'b'.repeat(64),
        createdBy: curator.id,
        createdAt: at(1),
        expiresAt: at(100),
        revokedAt: null,
        lastUsedAt: null,
      };
      await store.review.createInvitation(invitation);
      expect(await store.review.findInvitationByTokenHash('a'.repeat(64))).toEqual(invitation);
      expect(await store.review.findInvitationByCodeHash('b'.repeat(64))).toEqual(invitation);
      expect(await store.review.findInvitationByTokenHash('c'.repeat(64))).toBeNull();
      await store.review.touchInvitation(invitation.id, at(2));
      expect(await store.review.revokeInvitation(invitation.id, at(3))).toBe(true);
      expect(await store.review.revokeInvitation(invitation.id, at(4))).toBe(false);
      expect(await store.review.listInvitations(interview.id)).toEqual([
        { ...invitation, lastUsedAt: at(2), revokedAt: at(3) },
      ]);

      const restriction: Restriction = {
        id: uuid(),
        interviewId: interview.id,
        mediaId: mediumId,
        start: 3,
        end: 6.5,
        reason: 'Kollegen',
        quote: 'Der Steiger …',
        status: 'active',
        createdByKind: 'narrator',
        createdById: invitation.id,
        createdAt: at(5),
        liftedAt: null,
        liftedBy: null,
      };
      await store.review.addRestriction(restriction);
      expect(await store.review.listRestrictions({ mediaId: mediumId })).toEqual([restriction]);
      expect(await store.review.liftRestriction(restriction.id, at(6), curator.id)).toBe(true);
      expect(await store.review.liftRestriction(restriction.id, at(7), curator.id)).toBe(false);
      expect(await store.review.listRestrictions({ interviewId: interview.id })).toEqual([]);
      expect(await store.review.listRestrictions({ interviewId: interview.id, includeLifted: true })).toEqual([
        { ...restriction, status: 'lifted', liftedAt: at(6), liftedBy: curator.id },
      ]);

      const correction: Correction = {
        id: uuid(),
        interviewId: interview.id,
        mediaId: mediumId,
        segmentNo: 2,
        segmentStart: 6,
        original: 'Wende',
        proposed: 'Wende 1990',
        note: null,
        status: 'open',
        invitationId: invitation.id,
        createdAt: at(8),
        decidedBy: null,
        decidedAt: null,
        decisionNote: null,
        transcriptVersion: null,
      };
      await store.review.addCorrection(correction);
      const decided = {
        status: 'accepted' as const,
        decidedBy: curator.id,
        decidedAt: at(9),
        decisionNote: 'danke',
        transcriptVersion: 4,
      };
      expect(await store.review.decideCorrection(correction.id, decided)).toBe(true);
      expect(await store.review.decideCorrection(correction.id, { ...decided, status: 'rejected' })).toBe(false);
      expect(await store.review.listCorrections(interview.id)).toEqual([{ ...correction, ...decided }]);

      const decision: ReviewDecision = {
        id: uuid(),
        interviewId: interview.id,
        invitationId: invitation.id,
        decision: 'approve',
        visibility: 'public',
        message: null,
        receiptNo: '20261124-ABCD',
        createdAt: at(10),
      };
      const later: ReviewDecision = {
        ...decision,
        id: uuid(),
        decision: 'withdraw',
        visibility: null,
        receiptNo: '20261125-EFGH',
        createdAt: at(11),
      };
      await store.review.addDecision(decision);
      await store.review.addDecision(later);
      expect(await store.review.listDecisions(interview.id)).toEqual([later, decision]);
    });

    it('the audit log appends with increasing ids, filters, pages newest first, and outlives the interview', async () => {
      for (let i = 0; i < 3; i++) {
        await store.audit.append({
          at: at(i),
          actorKind: i === 2 ? 'system' : 'user',
          actorId: i === 2 ? null : curator.id,
          actorLabel: 'curator@example.org',
          interviewId: interview.id,
          action: i === 0 ? 'interview.create' : 'interview.status',
          entity: 'interview',
          entityId: interview.id,
          before: i === 0 ? null : { status: 'draft' },
          after: { status: 'ready_for_review', n: i },
        });
      }
      await store.interviews.delete(interview.id);
      const page = await store.audit.list({ interviewId: interview.id }, { limit: 2, offset: 0 });
      expect(page.total).toBe(3);
      expect(page.items.map((e) => (e.after as { n: number }).n)).toEqual([2, 1]);
      expect(page.items[0]!.id).toBeGreaterThan(page.items[1]!.id);
      expect((await store.audit.list({ action: 'interview.create' }, { limit: 10, offset: 0 })).items).toHaveLength(1);
      expect((await store.audit.list({ actorId: curator.id }, { limit: 10, offset: 0 })).total).toBe(2);
      expect(
        (await store.audit.list({ interviewId: interview.id }, { limit: 10, offset: 2 })).items[0]!.before,
      ).toBeNull();
    });
  });
}
