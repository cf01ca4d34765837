// The repository contract, part: typed store errors, operations (units of work) with keyed audit, and fixity.
// Each describe takes the running test's fresh store from storeOf (opened in repository-contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../server/store/repositories.js';
import { DuplicateKeyError, StoreError } from '../../server/store/errors.js';
import type { FixityEvent, Restriction, ReviewDecision, ReviewInvitation } from '../../server/store/types.js';
import { at, makeInterview, makeUser, type StoreOf, uuid } from './repository-contract-helpers.js';

/** Typed store errors, operations with keyed audit, fixity. */
export function describeIntegrityContract(storeOf: StoreOf): void {
  // ------------------------------------------------------------------------------- typed store errors
  describe('store errors', () => {
    let store: Store;
    beforeEach(() => {
      store = storeOf();
    });

    it('a duplicate key on create is a DuplicateKeyError (a StoreError), for every unique key', async () => {
      const user = await store.users.create(makeUser({ email: 'einmal@example.org' }));
      await expect(store.users.create(makeUser({ email: 'EINMAL@example.org' }))).rejects.toBeInstanceOf(
        DuplicateKeyError,
      );
      await expect(store.users.create({ ...makeUser(), id: user.id })).rejects.toBeInstanceOf(DuplicateKeyError);
      await store.groups.create({ id: uuid(), name: 'Forschung', createdAt: at(1) });
      const dup = await store.groups
        .create({ id: uuid(), name: 'Forschung', createdAt: at(2) })
        .catch((e: unknown) => e);
      expect(dup).toBeInstanceOf(DuplicateKeyError);
      expect(dup).toBeInstanceOf(StoreError);
      expect((dup as StoreError).kind).toBe('duplicate-key');
      const interview = await store.interviews.create(makeInterview());
      await expect(store.interviews.create({ ...makeInterview(), id: interview.id })).rejects.toBeInstanceOf(
        DuplicateKeyError,
      );
      const medium = {
        id: uuid(),
        interviewId: interview.id,
        part: 1,
        kind: 'audio' as const,
        status: 'ready' as const,
        progress: 100,
        originalFilename: 'a.m4a',
        originalPath: 'originals/x/a.m4a',
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
      };
      await store.media.create(medium);
      // two uploads picked the same part number: the unique (interview, part) decides
      await expect(store.media.create({ ...medium, id: uuid() })).rejects.toBeInstanceOf(DuplicateKeyError);
      const decision: ReviewDecision = {
        id: uuid(),
        interviewId: interview.id,
        invitationId: null,
        decision: 'approve',
        visibility: 'public',
        message: null,
        receiptNo: '20261201-ABCD',
        createdAt: at(3),
      };
      await store.review.addDecision(decision);
      await expect(store.review.addDecision(decision)).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await store.review.listDecisions(interview.id)).toHaveLength(1);
      const restriction: Restriction = {
        id: uuid(),
        interviewId: interview.id,
        mediaId: medium.id,
        start: 1,
        end: 2,
        reason: null,
        quote: null,
        status: 'active',
        createdByKind: 'user',
        createdById: null,
        createdAt: at(4),
        liftedAt: null,
        liftedBy: null,
      };
      await store.review.addRestriction(restriction);
      await expect(store.review.addRestriction(restriction)).rejects.toBeInstanceOf(DuplicateKeyError);
      const invitation: ReviewInvitation = {
        id: uuid(),
        interviewId: interview.id,
        narrator: 'Horst Krüger',
        tokenHash: 'd'.repeat(64),
        codeHash: 'e'.repeat(64),
        createdBy: null,
        createdAt: at(5),
        expiresAt: at(100),
        revokedAt: null,
        lastUsedAt: null,
      };
      await store.review.createInvitation(invitation);
      await expect(store.review.createInvitation(invitation)).rejects.toBeInstanceOf(DuplicateKeyError);
    });
  });

  // --------------------------------------------------------------- operations (units of work) and keyed audit
  describe('operations', () => {
    let store: Store;
    beforeEach(() => {
      store = storeOf();
    });

    const op = (key: string, createdAt = at(1)) => ({
      key,
      kind: 'review.decide',
      payload: { decision: { id: uuid(), n: 1 }, list: [1, 'zwei', null] },
      status: 'pending' as const,
      error: null,
      createdAt,
      finishedAt: null,
    });

    it('begin inserts once per key and hands back the stored operation on every later begin', async () => {
      const first = op('review.decide:inv:abc');
      expect(await store.operations.begin(first)).toEqual({ operation: first, created: true });
      const again = await store.operations.begin({ ...op('review.decide:inv:abc'), kind: 'other' });
      expect(again).toEqual({ operation: first, created: false });
      expect(await store.operations.find('review.decide:inv:abc')).toEqual(first);
      expect(await store.operations.find('unknown')).toBeNull();
    });

    it('concurrent begins with one key: exactly one creates it', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => store.operations.begin(op('race'))));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => JSON.stringify(r.operation))).size).toBe(1);
    });

    it('finish moves a pending operation to done or failed once; a finished one stays as it is', async () => {
      await store.operations.begin(op('a'));
      await store.operations.begin(op('b'));
      expect(await store.operations.finish('a', { status: 'done' }, at(2))).toBe(true);
      expect(await store.operations.finish('a', { status: 'failed', error: 'x' }, at(3))).toBe(false);
      expect(await store.operations.finish('b', { status: 'failed', error: '{"type":"conflict"}' }, at(4))).toBe(true);
      expect(await store.operations.finish('unknown', { status: 'done' }, at(4))).toBe(false);
      expect(await store.operations.find('a')).toMatchObject({ status: 'done', error: null, finishedAt: at(2) });
      expect(await store.operations.find('b')).toMatchObject({
        status: 'failed',
        error: '{"type":"conflict"}',
        finishedAt: at(4),
      });
    });

    it('listUnfinished gives pending operations created before the given instant, oldest first, up to the limit', async () => {
      await store.operations.begin(op('late', at(30)));
      await store.operations.begin(op('early', at(10)));
      await store.operations.begin(op('middle', at(20)));
      await store.operations.begin(op('finished', at(5)));
      await store.operations.finish('finished', { status: 'done' }, at(6));
      expect((await store.operations.listUnfinished(at(25), 10)).map((o) => o.key)).toEqual(['early', 'middle']);
      expect((await store.operations.listUnfinished(at(59), 2)).map((o) => o.key)).toEqual(['early', 'middle']);
      expect(await store.operations.listUnfinished(at(10), 10)).toEqual([]);
    });

    it('an audit event appended with a key is stored once; appends without a key never collide', async () => {
      const event = {
        at: at(1),
        actorKind: 'narrator' as const,
        actorId: null,
        actorLabel: 'Zeitzeuge',
        interviewId: null,
        action: 'review.approve',
        entity: 'review_decision',
        entityId: null,
        before: null,
        after: { n: 1 },
      };
      const first = await store.audit.append(event, 'op-1#audit');
      const second = await store.audit.append({ ...event, after: { n: 2 } }, 'op-1#audit');
      expect(second).toEqual(first);
      await store.audit.append(event);
      await store.audit.append(event);
      await store.audit.append(event, 'op-2#audit');
      const page = await store.audit.list({ action: 'review.approve' }, { limit: 10, offset: 0 });
      expect(page.total).toBe(4);
      expect(page.items.map((e) => (e.after as { n: number }).n)).toEqual([1, 1, 1, 1]);
    });
  });

  // ---------------------------------------------------------------------------------------------- fixity (issue 15)
  describe('fixity', () => {
    let store: Store;
    beforeEach(() => {
      store = storeOf();
    });

    const mediaId = '5d1c3a9e-0000-4000-8000-000000000001';
    const interviewId = '5d1c3a9e-0000-4000-8000-0000000000aa';
    const sha = (c: string) => c.repeat(64);
    const event = (overrides: Partial<FixityEvent>): FixityEvent => ({
      id: uuid(),
      at: at(0),
      type: 'fixity check',
      algorithm: 'SHA-256',
      outcome: 'pass',
      path: `originals/${interviewId}/${mediaId}/original.wav`,
      fileKind: 'original',
      mediaId,
      interviewId,
      expectedSha256: sha('a'),
      actualSha256: sha('a'),
      agent: 'contract',
      runId: null,
      detail: null,
      ...overrides,
    });

    it('replaces baselines under a file or directory prefix, leaving siblings alone', async () => {
      const dir = `renditions/${mediaId}/hls/`;
      await store.fixity.replaceBaselines(mediaId, dir, [
        { path: `${dir}master.m3u8`, sha256: sha('1'), sizeBytes: 10, recordedAt: at(1) },
        { path: `${dir}a/seg-1.m4s`, sha256: sha('2'), sizeBytes: 20, recordedAt: at(1) },
      ]);
      await store.fixity.replaceBaselines(mediaId, `renditions/${mediaId}/download.m4a`, [
        { path: `renditions/${mediaId}/download.m4a`, sha256: sha('3'), sizeBytes: 30, recordedAt: at(1) },
      ]);
      // a sibling whose name starts like the prefix is not under it
      await store.fixity.replaceBaselines(mediaId, `renditions/${mediaId}/hls-old.txt`, [
        { path: `renditions/${mediaId}/hls-old.txt`, sha256: sha('4'), sizeBytes: 1, recordedAt: at(1) },
      ]);
      // ordered by path, compared as code points ("-" before "/")
      expect((await store.fixity.listBaselines(mediaId)).map((b) => b.path)).toEqual([
        `renditions/${mediaId}/download.m4a`,
        `renditions/${mediaId}/hls-old.txt`,
        `${dir}a/seg-1.m4s`,
        `${dir}master.m3u8`,
      ]);
      await store.fixity.replaceBaselines(mediaId, dir, [
        { path: `${dir}master.m3u8`, sha256: sha('5'), sizeBytes: 11, recordedAt: at(2) },
      ]);
      const after = await store.fixity.listBaselines(mediaId);
      expect(after).toEqual([
        { path: `renditions/${mediaId}/download.m4a`, mediaId, sha256: sha('3'), sizeBytes: 30, recordedAt: at(1) },
        { path: `renditions/${mediaId}/hls-old.txt`, mediaId, sha256: sha('4'), sizeBytes: 1, recordedAt: at(1) },
        { path: `${dir}master.m3u8`, mediaId, sha256: sha('5'), sizeBytes: 11, recordedAt: at(2) },
      ]);
      expect(await store.fixity.listBaselines(uuid())).toEqual([]);
    });

    it('keeps events newest first with filters and paging; the latest event per path is its state', async () => {
      const original = event({ at: at(1) });
      const failed = event({
        at: at(2),
        outcome: 'fail',
        actualSha256: sha('b'),
        runId: 'run-2',
        detail: 'not repaired',
      });
      const rendition = event({
        at: at(2),
        path: `renditions/${mediaId}/download.m4a`,
        fileKind: 'rendition',
        outcome: 'missing',
        actualSha256: null,
        runId: 'run-2',
      });
      for (const e of [original, failed, rendition]) expect(await store.fixity.appendEvent(e)).toEqual(e);
      const all = await store.fixity.listEvents({}, { limit: 10, offset: 0 });
      expect(all.total).toBe(3);
      // same instant: the later insertion first
      expect(all.items.map((e) => e.id)).toEqual([rendition.id, failed.id, original.id]);
      expect((await store.fixity.listEvents({ outcome: 'fail' }, { limit: 10, offset: 0 })).items).toEqual([failed]);
      expect((await store.fixity.listEvents({ runId: 'run-2' }, { limit: 1, offset: 1 })).items).toEqual([failed]);
      expect((await store.fixity.listEvents({ mediaId: uuid() }, { limit: 10, offset: 0 })).total).toBe(0);
      expect((await store.fixity.listEvents({ interviewId }, { limit: 10, offset: 0 })).total).toBe(3);

      expect(await store.fixity.listProblems()).toEqual([failed, rendition]);
      expect(await store.fixity.lastChecked(original.path)).toBe(at(2));
      expect(await store.fixity.lastChecked('originals/nie/geprueft.wav')).toBeNull();
      // an older event arriving late does not become the state
      await store.fixity.appendEvent(event({ at: at(0), outcome: 'pass' }));
      expect((await store.fixity.listProblems()).map((e) => e.id)).toEqual([failed.id, rendition.id]);
      // a newer pass clears the alert
      const passed = event({ at: at(3) });
      await store.fixity.appendEvent(passed);
      expect(await store.fixity.listProblems()).toEqual([rendition]);
      expect(await store.fixity.lastChecked(original.path)).toBe(at(3));
      // new files at a path (a rendition re-made) drop that path's state
      await store.fixity.replaceBaselines(mediaId, `renditions/${mediaId}/download.m4a`, [
        { path: `renditions/${mediaId}/download.m4a`, sha256: sha('c'), sizeBytes: 3, recordedAt: at(4) },
      ]);
      expect(await store.fixity.listProblems()).toEqual([]);
      expect(await store.fixity.lastChecked(`renditions/${mediaId}/download.m4a`)).toBeNull();
      expect((await store.fixity.listEvents({}, { limit: 10, offset: 0 })).total).toBe(5);
    });
  });
}
