// The repository contract: one suite, run against every Store adapter (SQLite now, MongoDB with the scale tier).
// It talks to the Store interface only — no SQL, no driver calls — so that any adapter passing it behaves the same
// for the services above it. Each test gets a fresh, empty store.
import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  interviewSorts, type AccessScope, type InterviewFilter, type InterviewSort, type Store,
} from '../../server/store/repositories.js';
import { DuplicateKeyError, StoreError } from '../../server/store/errors.js';
import type {
  ApiToken, Collection, ConsentScope, Correction, Interview, JobRecord, Restriction, ReviewDecision, ReviewInvitation, Session, User,
} from '../../server/store/types.js';
import type { FixityEvent } from '../../server/store/types.js';

const uuid = (): string => crypto.randomUUID();

/** Fixed instants, minutes apart, so that ordering assertions never depend on the clock. */
const at = (minute: number): string => new Date(Date.UTC(2024, 2, 1, 10, minute, 0)).toISOString();

function makeUser(overrides: Partial<User> = {}): User {
  return {
    id: uuid(),
    email: `kumpel-${uuid().slice(0, 8)}@example.org`,
    displayName: 'Kumpel',
    role: 'contributor',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    disabled: false,
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

function makeSession(userId: string, overrides: Partial<Session> = {}): Session {
  return {
    id: crypto.randomBytes(32).toString('hex'),
    userId,
    csrfToken: crypto.randomBytes(16).toString('hex'),
    createdAt: at(0),
    expiresAt: at(30),
    lastSeenAt: at(0),
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    ...overrides,
  };
}

function makeToken(userId: string, overrides: Partial<ApiToken> = {}): ApiToken {
  return {
    id: uuid(),
    userId,
    name: 'Transkriptions-Skript',
    tokenHash: crypto.randomBytes(32).toString('hex'),
    prefix: 'sb_' + crypto.randomBytes(3).toString('hex'),
    createdAt: at(0),
    lastUsedAt: null,
    expiresAt: null,
    revokedAt: null,
    ...overrides,
  };
}

function makeCollection(overrides: Partial<Collection> = {}): Collection {
  return {
    id: uuid(),
    title: 'Spring School Ferropolis 2019',
    description: 'Interviews mit ehemaligen Bergleuten',
    createdBy: null,
    createdAt: at(0),
    updatedAt: at(0),
    version: 1,
    autoTranscribe: { enabled: false, language: null },
    ...overrides,
  };
}

function makeInterview(overrides: Partial<Interview> = {}): Interview {
  return {
    id: uuid(),
    collectionId: null,
    title: 'Schichtbetrieb im Tagebau',
    people: [{ name: 'Horst Krüger', role: 'narrator' }],
    recordedAt: '2019-05-17',
    place: { name: 'Ferropolis', lat: 51.7494, lon: 12.4486 },
    language: 'de',
    summary: 'Über die Arbeit an der Förderbrücke.',
    keywords: ['Tagebau'],
    visibility: 'private',
    status: 'draft',
    grants: [],
    embargoUntil: null,
    embargoListed: false,
    createdBy: null,
    createdAt: at(0),
    updatedAt: at(0),
    version: 1,
    ...overrides,
  };
}

export function describeRepositoryContract(adapterName: string, openStore: () => Promise<Store>): void {
  describe(`repository contract: ${adapterName}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await openStore();
    });
    afterEach(async () => {
      await store?.close();
    });

    it('identifies itself and answers ping', async () => {
      expect(['sqlite', 'mongodb']).toContain(store.kind);
      await expect(store.ping()).resolves.toBeUndefined();
    });

    // ---------------------------------------------------------------------------------------------- jobs (fair claiming)
    describe('jobs: claiming is fair across owners', () => {
      const job = (ownerId: string | null, minute: number, name = 'search.interview'): JobRecord => ({
        id: uuid(), name, payload: { v: 1, n: minute }, status: 'queued', mediaId: null, dedupeKey: null, ownerId,
        attempts: 0, maxAttempts: 3, runAfter: at(minute), leaseOwner: null, leaseExpiresAt: null, progress: 0, error: null,
        createdAt: at(minute), updatedAt: at(minute), startedAt: null, finishedAt: null,
      });
      const claimAt = (minute: number) => store.jobs.claim('worker-1', 60_000, new Date(Date.parse(at(minute))));

      it('keeps the owner on the record', async () => {
        const j = job('uploader-a', 1);
        await store.jobs.enqueue(j);
        expect(await store.jobs.findById(j.id)).toEqual(j);
        expect((await claimAt(30))?.ownerId).toBe('uploader-a');
      });

      it('one owner with a long queue does not starve another: owners take turns (round robin), each oldest first', async () => {
        // A queued five jobs first; B and then the archive's own work (no owner) queued one each, later
        const a = [1, 2, 3, 4, 5].map((m) => job('uploader-a', m));
        const b = job('uploader-b', 10);
        const system = job(null, 11);
        for (const j of [...a, b, system]) await store.jobs.enqueue(j);
        const order: string[] = [];
        for (let n = 0; n < 7; n++) {
          const claimed = await claimAt(20 + n);
          expect(claimed).not.toBeNull();
          order.push(claimed!.id);
          await store.jobs.complete(claimed!.id, 'worker-1', new Date(Date.parse(at(20 + n))));
        }
        // the first claim: nobody has started anything, so the owner of the oldest due job (A); then B and the
        // archive (never started) before A again; then only A is left
        expect(order).toEqual([a[0]!.id, b.id, system.id, a[1]!.id, a[2]!.id, a[3]!.id, a[4]!.id]);
      });

      it('the owner with fewer running jobs goes first, whatever the age of the jobs', async () => {
        const a = [1, 2, 3].map((m) => job('uploader-a', m));
        const b = job('uploader-b', 9);
        for (const j of [...a, b]) await store.jobs.enqueue(j);
        expect((await claimAt(20))?.id).toBe(a[0]!.id); // A running 1, B 0
        expect((await claimAt(21))?.id).toBe(b.id); // B running 1, A 1: A started longer ago
        expect((await claimAt(22))?.id).toBe(a[1]!.id); // both 1 running; A's last start (20) is older than B's (21)
        // A has two running, B one: B would go next, but B has nothing queued any more
        expect((await claimAt(23))?.id).toBe(a[2]!.id);
        expect(await claimAt(24)).toBeNull();
      });

      it('only due jobs of the asked names count', async () => {
        const later = { ...job('uploader-a', 50), id: uuid() };
        const other = job('uploader-b', 1, 'media.waveform');
        const mine = job('uploader-c', 2);
        for (const j of [later, other, mine]) await store.jobs.enqueue(j);
        expect((await store.jobs.claim('worker-1', 60_000, new Date(Date.parse(at(10))), ['search.interview']))?.id).toBe(mine.id);
      });
    });

    // ---------------------------------------------------------------------------------------------- users
    describe('users', () => {
      it('create returns the user; findById round-trips every field', async () => {
        const user = makeUser({
          email: 'juergen.moeller@example.org', displayName: 'Jürgen Möller', role: 'curator', disabled: true,
          createdAt: at(1), updatedAt: at(2),
        });
        expect(await store.users.create(user)).toEqual(user);
        expect(await store.users.findById(user.id)).toEqual(user);
      });

      it('findById returns null for an unknown id', async () => {
        await store.users.create(makeUser());
        expect(await store.users.findById(uuid())).toBeNull();
      });

      it('findByEmail ignores case and returns null for unknown addresses', async () => {
        const user = makeUser({ email: 'Gisela.Weiss@Example.org' });
        await store.users.create(user);
        expect((await store.users.findByEmail('gisela.weiss@example.org'))?.id).toBe(user.id);
        expect((await store.users.findByEmail('GISELA.WEISS@EXAMPLE.ORG'))?.id).toBe(user.id);
        expect(await store.users.findByEmail('gisela@example.org')).toBeNull();
      });

      it('rejects a second user with the same e-mail, also when it differs only in case', async () => {
        await store.users.create(makeUser({ email: 'anna@example.org' }));
        await expect(store.users.create(makeUser({ email: 'anna@example.org' }))).rejects.toThrow();
        await expect(store.users.create(makeUser({ email: 'ANNA@example.org' }))).rejects.toThrow();
        expect((await store.users.list({ limit: 10, offset: 0 })).total).toBe(1);
      });

      it('list pages through users ordered by e-mail, with the total of all users', async () => {
        const emails = ['dora@example.org', 'anna@example.org', 'carl@example.org', 'bert@example.org', 'emil@example.org'];
        for (const email of emails) await store.users.create(makeUser({ email }));
        const sorted = [...emails].sort();

        const first = await store.users.list({ limit: 2, offset: 0 });
        expect(first.total).toBe(5);
        expect(first.items.map((u) => u.email)).toEqual(sorted.slice(0, 2));
        const second = await store.users.list({ limit: 2, offset: 2 });
        expect(second.total).toBe(5);
        expect(second.items.map((u) => u.email)).toEqual(sorted.slice(2, 4));
        const last = await store.users.list({ limit: 2, offset: 4 });
        expect(last.items.map((u) => u.email)).toEqual(sorted.slice(4));
        const beyond = await store.users.list({ limit: 2, offset: 10 });
        expect(beyond).toEqual({ items: [], total: 5 });
      });

      it('list of an empty store is empty', async () => {
        expect(await store.users.list({ limit: 10, offset: 0 })).toEqual({ items: [], total: 0 });
      });

      it('update changes the given fields and updatedAt, nothing else', async () => {
        const user = makeUser({ email: 'karl@example.org', displayName: 'Karl', role: 'contributor', createdAt: at(1), updatedAt: at(1) });
        await store.users.create(user);

        const renamed = await store.users.update(user.id, { displayName: 'Karl Krüger' }, at(5));
        expect(renamed).toEqual({ ...user, displayName: 'Karl Krüger', updatedAt: at(5) });

        const all = await store.users.update(user.id, { role: 'admin', passwordHash: 'new-hash', disabled: true }, at(6));
        expect(all).toEqual({
          ...user, displayName: 'Karl Krüger', role: 'admin', passwordHash: 'new-hash', disabled: true, updatedAt: at(6),
        });
        expect(await store.users.findById(user.id)).toEqual(all);

        const enabled = await store.users.update(user.id, { disabled: false }, at(7));
        expect(enabled?.disabled).toBe(false);
        expect(enabled?.createdAt).toBe(at(1));
      });

      it('update returns null for an unknown id and creates nothing', async () => {
        expect(await store.users.update(uuid(), { displayName: 'Niemand' }, at(5))).toBeNull();
        expect((await store.users.list({ limit: 10, offset: 0 })).total).toBe(0);
      });

      it('countActiveAdmins counts enabled admins only', async () => {
        expect(await store.users.countActiveAdmins()).toBe(0);
        await store.users.create(makeUser({ role: 'admin' }));
        await store.users.create(makeUser({ role: 'admin' }));
        await store.users.create(makeUser({ role: 'admin', disabled: true }));
        await store.users.create(makeUser({ role: 'curator' }));
        const contributor = makeUser({ role: 'contributor' });
        await store.users.create(contributor);
        expect(await store.users.countActiveAdmins()).toBe(2);

        await store.users.update(contributor.id, { role: 'admin' }, at(3));
        expect(await store.users.countActiveAdmins()).toBe(3);
        await store.users.update(contributor.id, { disabled: true }, at(4));
        expect(await store.users.countActiveAdmins()).toBe(2);
      });
    });

    // ------------------------------------------------------------------------------------------- sessions
    describe('sessions', () => {
      let user: User;
      let other: User;
      beforeEach(async () => {
        user = await store.users.create(makeUser());
        other = await store.users.create(makeUser());
      });

      it('create then findById round-trips every field, with and without user agent', async () => {
        const withAgent = makeSession(user.id);
        const withoutAgent = makeSession(user.id, { userAgent: null });
        await store.sessions.create(withAgent);
        await store.sessions.create(withoutAgent);
        expect(await store.sessions.findById(withAgent.id)).toEqual(withAgent);
        expect(await store.sessions.findById(withoutAgent.id)).toEqual(withoutAgent);
      });

      it('findById returns null for an unknown id', async () => {
        expect(await store.sessions.findById('0'.repeat(64))).toBeNull();
      });

      it('touch moves lastSeenAt and expiresAt and leaves the rest alone', async () => {
        const session = makeSession(user.id);
        await store.sessions.create(session);
        await store.sessions.touch(session.id, at(10), at(50));
        expect(await store.sessions.findById(session.id)).toEqual({ ...session, lastSeenAt: at(10), expiresAt: at(50) });
      });

      it('delete removes one session; deleting an unknown one is harmless', async () => {
        const a = makeSession(user.id);
        const b = makeSession(user.id);
        await store.sessions.create(a);
        await store.sessions.create(b);
        await store.sessions.delete(a.id);
        expect(await store.sessions.findById(a.id)).toBeNull();
        expect(await store.sessions.findById(b.id)).toEqual(b);
        await expect(store.sessions.delete(a.id)).resolves.toBeUndefined();
      });

      it("deleteByUser removes that user's sessions only and returns how many", async () => {
        const mine = [makeSession(user.id), makeSession(user.id), makeSession(user.id)];
        const theirs = makeSession(other.id);
        for (const s of [...mine, theirs]) await store.sessions.create(s);

        expect(await store.sessions.deleteByUser(user.id)).toBe(3);
        for (const s of mine) expect(await store.sessions.findById(s.id)).toBeNull();
        expect(await store.sessions.findById(theirs.id)).toEqual(theirs);
        expect(await store.sessions.deleteByUser(user.id)).toBe(0);
        expect(await store.sessions.deleteByUser(uuid())).toBe(0);
      });

      it('deleteExpired removes only sessions that expired before now', async () => {
        const expiredLongAgo = makeSession(user.id, { expiresAt: at(1) });
        const expiredRecently = makeSession(other.id, { expiresAt: at(19) });
        const alive = makeSession(user.id, { expiresAt: at(21) });
        const aliveLong = makeSession(other.id, { expiresAt: '2030-01-01T00:00:00.000Z' });
        for (const s of [expiredLongAgo, expiredRecently, alive, aliveLong]) await store.sessions.create(s);

        expect(await store.sessions.deleteExpired(at(20))).toBe(2);
        expect(await store.sessions.findById(expiredLongAgo.id)).toBeNull();
        expect(await store.sessions.findById(expiredRecently.id)).toBeNull();
        expect(await store.sessions.findById(alive.id)).toEqual(alive);
        expect(await store.sessions.findById(aliveLong.id)).toEqual(aliveLong);
        expect(await store.sessions.deleteExpired(at(20))).toBe(0);
      });

      it('a touched session is judged by its new expiry', async () => {
        const session = makeSession(user.id, { expiresAt: at(5) });
        await store.sessions.create(session);
        await store.sessions.touch(session.id, at(4), at(40));
        expect(await store.sessions.deleteExpired(at(20))).toBe(0);
        expect(await store.sessions.findById(session.id)).not.toBeNull();
      });
    });

    // ----------------------------------------------------------------------------------------- api tokens
    describe('api tokens', () => {
      let user: User;
      let other: User;
      beforeEach(async () => {
        user = await store.users.create(makeUser());
        other = await store.users.create(makeUser());
      });

      it('findByHash round-trips every field and returns null for an unknown hash', async () => {
        const token = makeToken(user.id, { lastUsedAt: at(3), expiresAt: '2025-03-01T00:00:00.000Z' });
        await store.apiTokens.create(token);
        expect(await store.apiTokens.findByHash(token.tokenHash)).toEqual(token);
        expect(await store.apiTokens.findByHash('f'.repeat(64))).toBeNull();
      });

      it("listByUser returns that user's tokens, newest first", async () => {
        const oldest = makeToken(user.id, { name: 'alt', createdAt: at(1) });
        const newest = makeToken(user.id, { name: 'neu', createdAt: at(9) });
        const middle = makeToken(user.id, { name: 'mittel', createdAt: at(5) });
        const foreign = makeToken(other.id, { name: 'fremd', createdAt: at(7) });
        for (const t of [oldest, newest, middle, foreign]) await store.apiTokens.create(t);

        expect((await store.apiTokens.listByUser(user.id)).map((t) => t.name)).toEqual(['neu', 'mittel', 'alt']);
        expect(await store.apiTokens.listByUser(other.id)).toEqual([foreign]);
        expect(await store.apiTokens.listByUser(uuid())).toEqual([]);
      });

      it('revoke works once, only for the owner', async () => {
        const token = makeToken(user.id);
        await store.apiTokens.create(token);

        expect(await store.apiTokens.revoke(token.id, other.id, at(4))).toBe(false);
        expect((await store.apiTokens.findByHash(token.tokenHash))?.revokedAt).toBeNull();

        expect(await store.apiTokens.revoke(token.id, user.id, at(5))).toBe(true);
        expect((await store.apiTokens.findByHash(token.tokenHash))?.revokedAt).toBe(at(5));

        expect(await store.apiTokens.revoke(token.id, user.id, at(6))).toBe(false);
        expect((await store.apiTokens.findByHash(token.tokenHash))?.revokedAt).toBe(at(5));

        expect(await store.apiTokens.revoke(uuid(), user.id, at(7))).toBe(false);
      });

      it('touch records the last use and nothing else', async () => {
        const token = makeToken(user.id);
        const untouched = makeToken(user.id);
        await store.apiTokens.create(token);
        await store.apiTokens.create(untouched);
        await store.apiTokens.touch(token.id, at(8));
        expect(await store.apiTokens.findByHash(token.tokenHash)).toEqual({ ...token, lastUsedAt: at(8) });
        await store.apiTokens.touch(token.id, at(9));
        expect((await store.apiTokens.findByHash(token.tokenHash))?.lastUsedAt).toBe(at(9));
        expect(await store.apiTokens.findByHash(untouched.tokenHash)).toEqual(untouched);
      });
    });

    // ---------------------------------------------------------------------------------------- collections
    describe('collections', () => {
      let curator: User;
      beforeEach(async () => {
        curator = await store.users.create(makeUser({ role: 'curator' }));
      });

      it('create returns the collection; findById round-trips it; unknown ids give null', async () => {
        const withDescription = makeCollection({ createdBy: curator.id, createdAt: at(1), updatedAt: at(2) });
        const bare = makeCollection({ title: 'Zschornewitz 2020', description: null, createdBy: null });
        expect(await store.collections.create(withDescription)).toEqual(withDescription);
        await store.collections.create(bare);
        expect(await store.collections.findById(withDescription.id)).toEqual(withDescription);
        expect(await store.collections.findById(bare.id)).toEqual(bare);
        expect(await store.collections.findById(uuid())).toBeNull();
      });

      it('list sorts by title ignoring case and reports the total', async () => {
        for (const title of ['deutzen', 'Cospuden', 'abraum', 'Borna']) {
          await store.collections.create(makeCollection({ title }));
        }
        const all = await store.collections.list({ limit: 10, offset: 0 });
        expect(all.total).toBe(4);
        expect(all.items.map((c) => c.title)).toEqual(['abraum', 'Borna', 'Cospuden', 'deutzen']);

        const page = await store.collections.list({ limit: 2, offset: 1 });
        expect(page.total).toBe(4);
        expect(page.items.map((c) => c.title)).toEqual(['Borna', 'Cospuden']);
      });

      it('update changes the given fields, bumps version and updatedAt', async () => {
        const c = makeCollection({ createdBy: curator.id, createdAt: at(1), updatedAt: at(1) });
        await store.collections.create(c);

        const first = await store.collections.update(c.id, { title: 'Ferropolis 2019' }, at(5));
        expect(first).toEqual({ ok: true, record: { ...c, title: 'Ferropolis 2019', updatedAt: at(5), version: 2 } });

        const second = await store.collections.update(c.id, { description: null }, at(6));
        expect(second).toEqual({
          ok: true, record: { ...c, title: 'Ferropolis 2019', description: null, updatedAt: at(6), version: 3 },
        });
        expect(await store.collections.findById(c.id)).toEqual(second.ok ? second.record : null);
      });

      it('update with the expected version succeeds; with a stale one reports the current record', async () => {
        const c = makeCollection();
        await store.collections.create(c);

        const ok = await store.collections.update(c.id, { title: 'Erste Änderung' }, at(5), 1);
        expect(ok.ok).toBe(true);
        if (ok.ok) expect(ok.record.version).toBe(2);

        const stale = await store.collections.update(c.id, { title: 'Verlorene Änderung' }, at(6), 1);
        expect(stale).toEqual({
          ok: false, reason: 'version-conflict', current: { ...c, title: 'Erste Änderung', updatedAt: at(5), version: 2 },
        });
        expect((await store.collections.findById(c.id))?.title).toBe('Erste Änderung');

        const fresh = await store.collections.update(c.id, { title: 'Zweite Änderung' }, at(7), 2);
        expect(fresh.ok && fresh.record).toMatchObject({ title: 'Zweite Änderung', version: 3, updatedAt: at(7) });
      });

      it('the automatic-transcription setting round-trips through create, update and list, and other updates keep it', async () => {
        const on = makeCollection({ title: 'Automatisch', autoTranscribe: { enabled: true, language: 'en' } });
        const off = makeCollection({ title: 'Von Hand' });
        await store.collections.create(on);
        await store.collections.create(off);
        expect((await store.collections.findById(on.id))?.autoTranscribe).toEqual({ enabled: true, language: 'en' });
        expect((await store.collections.findById(off.id))?.autoTranscribe).toEqual({ enabled: false, language: null });

        const renamed = await store.collections.update(on.id, { title: 'Automatisch (umbenannt)' }, at(5));
        expect(renamed.ok && renamed.record.autoTranscribe).toEqual({ enabled: true, language: 'en' });
        const interviewLanguage = await store.collections.update(off.id, { autoTranscribe: { enabled: true, language: null } }, at(6), 1);
        expect(interviewLanguage).toEqual({ ok: true, record: { ...off, autoTranscribe: { enabled: true, language: null }, updatedAt: at(6), version: 2 } });
        const switchedOff = await store.collections.update(on.id, { autoTranscribe: { enabled: false, language: 'de' } }, at(7));
        expect(switchedOff.ok && switchedOff.record.autoTranscribe).toEqual({ enabled: false, language: 'de' });

        const listed = await store.collections.list({ limit: 10, offset: 0 });
        expect(Object.fromEntries(listed.items.map((c) => [c.id, c.autoTranscribe]))).toEqual({
          [on.id]: { enabled: false, language: 'de' },
          [off.id]: { enabled: true, language: null },
        });
      });

      it('update of an unknown id reports not-found, with or without expected version', async () => {
        expect(await store.collections.update(uuid(), { title: 'x' }, at(5))).toEqual({ ok: false, reason: 'not-found' });
        expect(await store.collections.update(uuid(), { title: 'x' }, at(5), 1)).toEqual({ ok: false, reason: 'not-found' });
      });

      it('delete returns true once, then false', async () => {
        const c = makeCollection();
        const keep = makeCollection({ title: 'Bleibt' });
        await store.collections.create(c);
        await store.collections.create(keep);
        expect(await store.collections.delete(c.id)).toBe(true);
        expect(await store.collections.findById(c.id)).toBeNull();
        expect(await store.collections.delete(c.id)).toBe(false);
        expect(await store.collections.delete(uuid())).toBe(false);
        expect(await store.collections.list({ limit: 10, offset: 0 })).toEqual({ items: [keep], total: 1 });
      });
    });

    // ----------------------------------------------------------------------------------------- interviews
    describe('interviews', () => {
      let owner: User;
      let other: User;

      beforeEach(async () => {
        owner = await store.users.create(makeUser({ email: 'owner@example.org', role: 'contributor' }));
        other = await store.users.create(makeUser({ email: 'other@example.org', role: 'contributor' }));
      });

      it('create returns the interview; findById round-trips every field', async () => {
        const collection = await store.collections.create(makeCollection({ createdBy: owner.id }));
        const full = makeInterview({
          collectionId: collection.id,
          title: 'Schichtwechsel in Espenhain',
          people: [
            { name: 'Jürgen Möller', role: 'narrator' },
            { name: 'Gisela Weiß', role: 'narrator' },
            { name: 'Lena Schulz', role: 'interviewer' },
          ],
          recordedAt: '1998-05-17',
          place: { name: 'Espenhain', lat: 51.1903, lon: 12.4819 },
          language: 'de',
          summary: 'Über 100 Jahre Tagebau — „Glück auf!“',
          keywords: ['Tagebau', 'Schicht', 'Förderbrücke'],
          visibility: 'registered',
          status: 'published',
          createdBy: owner.id,
          createdAt: at(1),
          updatedAt: at(2),
          version: 1,
        });
        expect(await store.interviews.create(full)).toEqual(full);
        expect(await store.interviews.findById(full.id)).toEqual(full);
      });

      it('round-trips partial dates, a place without coordinates, and empty or missing optional data', async () => {
        const yearOnly = makeInterview({ recordedAt: '2001', place: { name: 'Borna' }, keywords: [], people: [] });
        const monthOnly = makeInterview({ recordedAt: '2019-05', place: null, summary: null });
        const undated = makeInterview({ recordedAt: null, language: 'en', collectionId: null, createdBy: null });
        for (const i of [yearOnly, monthOnly, undated]) await store.interviews.create(i);

        expect(await store.interviews.findById(yearOnly.id)).toEqual(yearOnly);
        const borna = await store.interviews.findById(yearOnly.id);
        expect(borna?.place).toEqual({ name: 'Borna' });
        expect(borna?.place && 'lat' in borna.place ? borna.place.lat : undefined).toBeUndefined();
        expect(await store.interviews.findById(monthOnly.id)).toEqual(monthOnly);
        expect(await store.interviews.findById(undated.id)).toEqual(undated);
        expect(await store.interviews.findById(uuid())).toBeNull();
      });

      describe('list', () => {
        // A small archive. Orders are chosen so that every sort gives a different sequence:
        //   createdAt:  espenhain < brikett < kumpel < mining < abraum
        //   updatedAt:  kumpel < abraum < brikett < mining < espenhain
        //   title (ci): Abraum… < Die Brikettfabrik < Kumpel… < mining… < Schichtwechsel…
        //   recordedAt: brikett (1996-03) < espenhain (1998-05-17) < kumpel (2001) < abraum (2010-11-02), mining undated
        let collA: Collection;
        let collB: Collection;
        let espenhain: Interview;
        let brikett: Interview;
        let kumpel: Interview;
        let mining: Interview;
        let abraum: Interview;

        const titles = (items: Interview[]) => items.map((i) => i.title);
        const list = async (filter: Partial<InterviewFilter> = {}, sort: InterviewSort = 'title') =>
          store.interviews.list({ access: { kind: 'all' }, ...filter }, { limit: 100, offset: 0 }, sort);
        const found = async (filter: Partial<InterviewFilter>) => {
          const page = await list(filter);
          expect(page.total).toBe(page.items.length);
          return titles(page.items);
        };

        beforeEach(async () => {
          collA = await store.collections.create(makeCollection({ title: 'Espenhain', createdBy: owner.id }));
          collB = await store.collections.create(makeCollection({ title: 'Borna' }));
          espenhain = await store.interviews.create(makeInterview({
            title: 'Schichtwechsel in Espenhain',
            summary: 'Über 100 Jahre Tagebau',
            people: [{ name: 'Jürgen Möller', role: 'narrator' }, { name: 'Anna Schulz', role: 'interviewer' }],
            recordedAt: '1998-05-17',
            place: { name: 'Espenhain', lat: 51.1903, lon: 12.4819 },
            keywords: ['Tagebau', 'Schicht'],
            visibility: 'public', status: 'published', collectionId: collA.id, createdBy: owner.id,
            createdAt: at(1), updatedAt: at(25),
          }));
          brikett = await store.interviews.create(makeInterview({
            title: 'Die Brikettfabrik',
            summary: 'Planerfüllung zu 100% erreicht',
            people: [{ name: 'Gisela Weiß', role: 'narrator' }],
            recordedAt: '1996-03',
            place: { name: 'Deutzen' },
            keywords: ['Brikett'],
            visibility: 'registered', status: 'published', collectionId: collA.id, createdBy: other.id,
            createdAt: at(2), updatedAt: at(23),
          }));
          kumpel = await store.interviews.create(makeInterview({
            title: 'Kumpel erzählen',
            summary: null,
            people: [{ name: 'Karl Krüger', role: 'narrator' }],
            recordedAt: '2001',
            place: null,
            keywords: ['tagebau'],
            visibility: 'public', status: 'draft', collectionId: collB.id, createdBy: owner.id,
            createdAt: at(3), updatedAt: at(21),
          }));
          mining = await store.interviews.create(makeInterview({
            title: 'mining memories',
            summary: 'An English-language interview',
            people: [{ name: 'Peter Smith', role: 'narrator' }],
            recordedAt: null,
            place: null,
            language: 'en',
            keywords: [],
            visibility: 'private', status: 'in_review', collectionId: null, createdBy: other.id,
            createdAt: at(4), updatedAt: at(24),
          }));
          abraum = await store.interviews.create(makeInterview({
            title: 'Abraumförderbrücke F60',
            summary: 'Technik im Tagebau Welzow',
            people: [{ name: 'Hans Müller', role: 'narrator' }],
            recordedAt: '2010-11-02',
            keywords: ['Technik'],
            visibility: 'restricted', status: 'published', collectionId: collB.id, createdBy: null,
            createdAt: at(5), updatedAt: at(22),
          }));
        });

        it('access all sees every interview', async () => {
          const page = await list();
          expect(page.total).toBe(5);
          expect(page.items.map((i) => i.id).sort()).toEqual([espenhain, brikett, kumpel, mining, abraum].map((i) => i.id).sort());
        });

        it('returns complete records', async () => {
          const page = await list({ collectionId: collA.id });
          expect(page.items).toEqual([brikett, espenhain]);
        });

        it('an anonymous-like scope sees only published interviews of the given visibilities', async () => {
          const anonymous: AccessScope = { kind: 'scoped', publishedVisibilities: ['public'] };
          expect(await found({ access: anonymous })).toEqual([espenhain.title]);

          const registered: AccessScope = { kind: 'scoped', publishedVisibilities: ['public', 'registered'] };
          expect(await found({ access: registered })).toEqual([brikett.title, espenhain.title]);

          const nothing: AccessScope = { kind: 'scoped', publishedVisibilities: [] };
          expect(await found({ access: nothing })).toEqual([]);
        });

        it('a scope with an owner also sees everything that owner created, each interview once', async () => {
          expect(await found({ access: { kind: 'scoped', publishedVisibilities: ['public'], ownerId: owner.id } }))
            .toEqual([kumpel.title, espenhain.title]);
          expect(await found({ access: { kind: 'scoped', publishedVisibilities: ['public'], ownerId: other.id } }))
            .toEqual([brikett.title, mining.title, espenhain.title]);
          expect(await found({ access: { kind: 'scoped', publishedVisibilities: [], ownerId: owner.id } }))
            .toEqual([kumpel.title, espenhain.title]);
        });

        it('restricted interviews are listed for the principals they grant; withdrawn ones never for their owner', async () => {
          await store.interviews.update(abraum.id, { grants: ['group:g-forschung', `user:${other.id}`] }, at(30));
          const reader = (principals: string[]): AccessScope => ({ kind: 'scoped', publishedVisibilities: ['public', 'registered'], principals });
          expect(await found({ access: reader(['user:someone-else', 'group:g-forschung']) })).toEqual([abraum.title, brikett.title, espenhain.title]);
          expect(await found({ access: reader([`user:${other.id}`]) })).toEqual([abraum.title, brikett.title, espenhain.title]);
          expect(await found({ access: reader(['user:someone-else', 'group:g-other']) })).toEqual([brikett.title, espenhain.title]);
          expect((await store.interviews.findById(abraum.id))?.grants).toEqual(['group:g-forschung', `user:${other.id}`]);

          await store.interviews.update(kumpel.id, { status: 'withdrawn' }, at(31));
          expect(await found({ access: { kind: 'scoped', publishedVisibilities: ['public'], ownerId: owner.id } })).toEqual([espenhain.title]);
        });

        it('sealed embargoes: approved with a future embargo that asks to be listed, only with includeSealed', async () => {
          const future = new Date(Date.now() + 86_400_000).toISOString();
          const past = new Date(Date.now() - 86_400_000).toISOString();
          const sealed = await store.interviews.create(makeInterview({ title: 'Versiegelt', visibility: 'public', status: 'approved', embargoUntil: future, embargoListed: true }));
          await store.interviews.create(makeInterview({ title: 'Unlisted', visibility: 'public', status: 'approved', embargoUntil: future, embargoListed: false }));
          await store.interviews.create(makeInterview({ title: 'Abgelaufen', visibility: 'public', status: 'approved', embargoUntil: past, embargoListed: true }));
          await store.interviews.create(makeInterview({ title: 'Privat versiegelt', visibility: 'private', status: 'approved', embargoUntil: future, embargoListed: true }));
          expect(await found({ access: { kind: 'scoped', publishedVisibilities: ['public'] } })).toEqual([espenhain.title]);
          expect(await found({ access: { kind: 'scoped', publishedVisibilities: ['public'], includeSealed: true } })).toEqual([espenhain.title, sealed.title]);
          expect((await store.interviews.findById(sealed.id))).toMatchObject({ embargoUntil: future, embargoListed: true });
          const waiting = await store.interviews.listAwaitingEmbargo(10);
          expect(waiting.map((i) => i.title).sort()).toEqual(['Abgelaufen', 'Privat versiegelt', 'Unlisted', 'Versiegelt']);
        });

        it('filters by collection', async () => {
          expect(await found({ collectionId: collA.id })).toEqual([brikett.title, espenhain.title]);
          expect(await found({ collectionId: collB.id })).toEqual([abraum.title, kumpel.title]);
          expect(await found({ collectionId: uuid() })).toEqual([]);
        });

        it('filters by a list of statuses', async () => {
          expect(await found({ status: ['published'] })).toEqual([abraum.title, brikett.title, espenhain.title]);
          expect(await found({ status: ['draft', 'in_review'] })).toEqual([kumpel.title, mining.title]);
          expect(await found({ status: ['withdrawn'] })).toEqual([]);
        });

        it('filters by a list of visibilities', async () => {
          expect(await found({ visibility: ['public'] })).toEqual([kumpel.title, espenhain.title]);
          expect(await found({ visibility: ['private', 'restricted'] })).toEqual([abraum.title, mining.title]);
        });

        it('filters by language', async () => {
          expect(await found({ language: 'en' })).toEqual([mining.title]);
          expect(await found({ language: 'de' })).toEqual([abraum.title, brikett.title, kumpel.title, espenhain.title]);
          expect(await found({ language: 'pl' })).toEqual([]);
        });

        it('filters by keyword, ignoring case but matching whole keywords', async () => {
          expect(await found({ keyword: 'TAGEBAU' })).toEqual([kumpel.title, espenhain.title]);
          expect(await found({ keyword: 'tagebau' })).toEqual([kumpel.title, espenhain.title]);
          expect(await found({ keyword: 'brikett' })).toEqual([brikett.title]);
          expect(await found({ keyword: 'Tage' })).toEqual([]);
        });

        it('filters by person: substring, case- and umlaut-insensitive, narrators and interviewers', async () => {
          expect(await found({ person: 'moller' })).toEqual([espenhain.title]);
          expect(await found({ person: 'Möller' })).toEqual([espenhain.title]);
          expect(await found({ person: 'WEISS' })).toEqual([brikett.title]);
          expect(await found({ person: 'weiß' })).toEqual([brikett.title]);
          expect(await found({ person: 'KRUGER' })).toEqual([kumpel.title]);
          expect(await found({ person: 'schulz' })).toEqual([espenhain.title]);
          expect(await found({ person: 'LLER' })).toEqual([abraum.title, espenhain.title]);
          expect(await found({ person: 'Jürgen Möller' })).toEqual([espenhain.title]);
          expect(await found({ person: 'Bäcker' })).toEqual([]);
        });

        it('filters by text in title or summary, case-insensitively', async () => {
          expect(await found({ text: 'brikett' })).toEqual([brikett.title]);
          expect(await found({ text: 'WELZOW' })).toEqual([abraum.title]);
          expect(await found({ text: 'tagebau' })).toEqual([abraum.title, espenhain.title]);
          expect(await found({ text: 'über' })).toEqual([espenhain.title]);
          expect(await found({ text: 'ÜBER' })).toEqual([espenhain.title]);
          expect(await found({ text: 'Kumpel' })).toEqual([kumpel.title]);
          expect(await found({ text: 'Steinkohle' })).toEqual([]);
        });

        it('treats LIKE/regex wildcards in text and person literally', async () => {
          expect(await found({ text: '100%' })).toEqual([brikett.title]);
          expect(await found({ text: '%' })).toEqual([brikett.title]);
          expect(await found({ text: '100' })).toEqual([brikett.title, espenhain.title]);
          expect(await found({ text: '_' })).toEqual([]);
          expect(await found({ text: 'Schicht_echsel' })).toEqual([]);
          expect(await found({ text: '.*' })).toEqual([]);
          expect(await found({ text: '\\' })).toEqual([]);
          expect(await found({ person: '%' })).toEqual([]);
          expect(await found({ person: 'M_ller' })).toEqual([]);
        });

        it('filters by recording date with inclusive bounds, comparing partial dates as prefixes', async () => {
          // year bounds
          expect(await found({ recordedFrom: '1998' })).toEqual([abraum.title, kumpel.title, espenhain.title]);
          expect(await found({ recordedTo: '1998' })).toEqual([brikett.title, espenhain.title]);
          expect(await found({ recordedFrom: '1998', recordedTo: '2001' })).toEqual([kumpel.title, espenhain.title]);
          // month bounds against full and month-precise dates
          expect(await found({ recordedFrom: '1996-01', recordedTo: '1998-12' })).toEqual([brikett.title, espenhain.title]);
          expect(await found({ recordedFrom: '1996-03', recordedTo: '1996-03' })).toEqual([brikett.title]);
          expect(await found({ recordedFrom: '1998-06' })).toEqual([abraum.title, kumpel.title]);
          expect(await found({ recordedTo: '1998-05' })).toEqual([brikett.title, espenhain.title]);
          // day bounds are inclusive
          expect(await found({ recordedFrom: '1998-05-17', recordedTo: '1998-05-17' })).toEqual([espenhain.title]);
          expect(await found({ recordedFrom: '1998-05-18', recordedTo: '2000' })).toEqual([]);
          // undated interviews never match a date bound
          expect(await found({ recordedFrom: '1900' })).not.toContain(mining.title);
          expect(await found({ recordedTo: '2100' })).not.toContain(mining.title);
        });

        // overlap semantics, symmetric for both bounds: "2001" overlaps [2001-01, 2001-12]
        it('a partial date that overlaps the range matches both bounds', async () => {
          expect(await found({ recordedFrom: '2001-01', recordedTo: '2001-12' })).toEqual([kumpel.title]);
          expect(await found({ recordedFrom: '1996-03-10', recordedTo: '1996-03-20' })).toEqual([brikett.title]);
        });

        it('filters by creator', async () => {
          expect(await found({ createdBy: owner.id })).toEqual([kumpel.title, espenhain.title]);
          expect(await found({ createdBy: other.id })).toEqual([brikett.title, mining.title]);
          expect(await found({ createdBy: uuid() })).toEqual([]);
        });

        it('combines filters and access with AND', async () => {
          const anonymous: AccessScope = { kind: 'scoped', publishedVisibilities: ['public', 'registered'] };
          expect(await found({ access: anonymous, collectionId: collA.id, person: 'weiss' })).toEqual([brikett.title]);
          expect(await found({ access: anonymous, keyword: 'tagebau' })).toEqual([espenhain.title]);
          expect(await found({ status: ['published'], text: 'tagebau', recordedFrom: '2000' })).toEqual([abraum.title]);
          expect(await found({ language: 'en', status: ['published'] })).toEqual([]);
        });

        it('every sort option gives its documented order', async () => {
          const expected: Record<InterviewSort, Interview[]> = {
            '-updatedAt': [espenhain, mining, brikett, abraum, kumpel],
            updatedAt: [kumpel, abraum, brikett, mining, espenhain],
            title: [abraum, brikett, kumpel, mining, espenhain],
            '-title': [espenhain, mining, kumpel, brikett, abraum],
            // undated interviews come last in both directions
            recordedAt: [brikett, espenhain, kumpel, abraum, mining],
            '-recordedAt': [abraum, kumpel, espenhain, brikett, mining],
            '-createdAt': [abraum, mining, kumpel, brikett, espenhain],
            createdAt: [espenhain, brikett, kumpel, mining, abraum],
          };
          expect(Object.keys(expected).sort()).toEqual([...interviewSorts].sort());
          for (const sort of interviewSorts) {
            const page = await list({}, sort);
            expect(titles(page.items), `sort ${sort}`).toEqual(titles(expected[sort]));
          }
        });

        it('pages with limit and offset; total counts all matches', async () => {
          const page = (limit: number, offset: number) =>
            store.interviews.list({ access: { kind: 'all' } }, { limit, offset }, 'title');
          const p1 = await page(2, 0);
          expect(p1.total).toBe(5);
          expect(titles(p1.items)).toEqual([abraum.title, brikett.title]);
          const p2 = await page(2, 2);
          expect(p2.total).toBe(5);
          expect(titles(p2.items)).toEqual([kumpel.title, mining.title]);
          const p3 = await page(2, 4);
          expect(titles(p3.items)).toEqual([espenhain.title]);
          expect(await page(2, 10)).toEqual({ items: [], total: 5 });

          const filtered = await store.interviews.list(
            { access: { kind: 'all' }, status: ['published'] }, { limit: 1, offset: 1 }, '-createdAt',
          );
          expect(filtered.total).toBe(3);
          expect(titles(filtered.items)).toEqual([brikett.title]);
        });

        it('countByCollection counts the interviews of one collection', async () => {
          expect(await store.interviews.countByCollection(collA.id)).toBe(2);
          expect(await store.interviews.countByCollection(collB.id)).toBe(2);
          expect(await store.interviews.countByCollection(uuid())).toBe(0);
          await store.interviews.delete(brikett.id);
          expect(await store.interviews.countByCollection(collA.id)).toBe(1);
          await store.interviews.update(kumpel.id, { collectionId: collA.id }, at(40));
          expect(await store.interviews.countByCollection(collA.id)).toBe(2);
          expect(await store.interviews.countByCollection(collB.id)).toBe(1);
        });

        it('changeStamp moves on every create, update and delete, and only then', async () => {
          const stamps = [await store.interviews.changeStamp()];
          const expectMoved = async (what: string) => {
            const stamp = await store.interviews.changeStamp();
            expect(stamps, what).not.toContain(stamp);
            stamps.push(stamp);
          };
          expect(await store.interviews.changeStamp(), 'reading twice').toBe(stamps[0]);
          await store.interviews.findById(kumpel.id);
          await list({}, 'title');
          await store.interviews.markIndexed(kumpel.id, kumpel.version);
          expect(await store.interviews.changeStamp(), 'reads and search bookkeeping are no change').toBe(stamps[0]);
          // same second as an older update: the stamp must not rely on the clock alone
          await store.interviews.update(kumpel.id, { keywords: ['Abraum'] }, at(25));
          await expectMoved('update');
          await store.interviews.update(mining.id, { title: 'mining again' }, at(25));
          await expectMoved('second update at the same time');
          await store.interviews.delete(brikett.id);
          await expectMoved('delete');
          await store.interviews.create(makeInterview({ createdAt: at(3), updatedAt: at(3) }));
          await expectMoved('create of an older-dated interview');
        });

        it('list reflects updates: a published interview appears to anonymous viewers', async () => {
          const anonymous: AccessScope = { kind: 'scoped', publishedVisibilities: ['public'] };
          await store.interviews.update(kumpel.id, { status: 'published' }, at(40));
          expect(await found({ access: anonymous })).toEqual([kumpel.title, espenhain.title]);
          expect(titles((await list({}, '-updatedAt')).items)[0]).toBe(kumpel.title);
        });
      });

      describe('update', () => {
        let collection: Collection;
        let interview: Interview;

        beforeEach(async () => {
          collection = await store.collections.create(makeCollection());
          interview = await store.interviews.create(makeInterview({
            collectionId: collection.id, createdBy: owner.id, createdAt: at(1), updatedAt: at(1),
          }));
        });

        it('changes every patchable field, bumps version and updatedAt, keeps the rest', async () => {
          const other = await store.collections.create(makeCollection({ title: 'Zweite Sammlung' }));
          const patch = {
            collectionId: other.id,
            title: 'Neuer Titel',
            people: [{ name: 'Gisela Weiß', role: 'narrator' as const }, { name: 'Lena Schulz', role: 'interviewer' as const }],
            recordedAt: '2002',
            place: { name: 'Borna' },
            language: 'en',
            summary: 'Neue Zusammenfassung',
            keywords: ['Brikett', 'Kraftwerk'],
            visibility: 'public' as const,
            status: 'published' as const,
          };
          const result = await store.interviews.update(interview.id, patch, at(9));
          const expected: Interview = { ...interview, ...patch, updatedAt: at(9), version: 2 };
          expect(result).toEqual({ ok: true, record: expected });
          expect(await store.interviews.findById(interview.id)).toEqual(expected);
        });

        it('a partial patch leaves the other fields untouched', async () => {
          const result = await store.interviews.update(interview.id, { title: 'Nur der Titel' }, at(9));
          expect(result).toEqual({ ok: true, record: { ...interview, title: 'Nur der Titel', updatedAt: at(9), version: 2 } });
        });

        it('nullable fields can be set to null, JSON ones included, and back', async () => {
          const cleared = await store.interviews.update(
            interview.id, { place: null, summary: null, recordedAt: null, collectionId: null }, at(9),
          );
          const expected = { ...interview, place: null, summary: null, recordedAt: null, collectionId: null, updatedAt: at(9), version: 2 };
          expect(cleared).toEqual({ ok: true, record: expected });
          expect(await store.interviews.findById(interview.id)).toEqual(expected);

          const restored = await store.interviews.update(
            interview.id, { place: { name: 'Espenhain', lat: 51.19, lon: 12.48 }, recordedAt: '1998-05' }, at(10),
          );
          expect(restored.ok && restored.record).toMatchObject({
            place: { name: 'Espenhain', lat: 51.19, lon: 12.48 }, recordedAt: '1998-05', version: 3,
          });
        });

        it('empty people and keywords lists are stored as empty lists', async () => {
          await store.interviews.update(interview.id, { people: [], keywords: [] }, at(9));
          const got = await store.interviews.findById(interview.id);
          expect(got?.people).toEqual([]);
          expect(got?.keywords).toEqual([]);
        });

        it('checks the expected version: match succeeds, stale reports the current record', async () => {
          const ok = await store.interviews.update(interview.id, { title: 'Erste Fassung' }, at(5), 1);
          expect(ok).toEqual({ ok: true, record: { ...interview, title: 'Erste Fassung', updatedAt: at(5), version: 2 } });

          const stale = await store.interviews.update(interview.id, { title: 'Verloren' }, at(6), 1);
          expect(stale).toEqual({
            ok: false, reason: 'version-conflict', current: { ...interview, title: 'Erste Fassung', updatedAt: at(5), version: 2 },
          });
          expect((await store.interviews.findById(interview.id))?.title).toBe('Erste Fassung');

          const fromTheFuture = await store.interviews.update(interview.id, { title: 'Verloren' }, at(6), 7);
          expect(fromTheFuture.ok).toBe(false);
          if (!fromTheFuture.ok) expect(fromTheFuture.reason).toBe('version-conflict');

          const next = await store.interviews.update(interview.id, { title: 'Zweite Fassung' }, at(7), 2);
          expect(next.ok && next.record).toMatchObject({ title: 'Zweite Fassung', version: 3, updatedAt: at(7) });
        });

        it('reports not-found for an unknown id, with or without expected version', async () => {
          expect(await store.interviews.update(uuid(), { title: 'x' }, at(5))).toEqual({ ok: false, reason: 'not-found' });
          expect(await store.interviews.update(uuid(), { title: 'x' }, at(5), 1)).toEqual({ ok: false, reason: 'not-found' });
        });

        it('delete returns true once, then false', async () => {
          const keep = await store.interviews.create(makeInterview({ title: 'Bleibt' }));
          expect(await store.interviews.delete(interview.id)).toBe(true);
          expect(await store.interviews.findById(interview.id)).toBeNull();
          expect(await store.interviews.delete(interview.id)).toBe(false);
          expect(await store.interviews.delete(uuid())).toBe(false);
          const rest = await store.interviews.list({ access: { kind: 'all' } }, { limit: 10, offset: 0 }, 'title');
          expect(rest).toEqual({ items: [keep], total: 1 });
          expect(await store.interviews.update(interview.id, { title: 'x' }, at(9))).toEqual({ ok: false, reason: 'not-found' });
        });
      });
    });

    describe('groups, consent, review and audit', () => {
      let curator: User;
      let interview: Interview;
      let mediumId: string;

      beforeEach(async () => {
        curator = await store.users.create(makeUser({ email: 'curator@example.org', role: 'curator' }));
        interview = await store.interviews.create(makeInterview({ createdBy: curator.id }));
        mediumId = uuid();
        await store.media.create({
          id: mediumId, interviewId: interview.id, part: 1, kind: 'audio', status: 'ready', progress: 100, originalFilename: 'a.m4a',
          originalPath: `originals/${interview.id}/${mediumId}/original.m4a`, sha256: '0'.repeat(64), sizeBytes: 1,
          technical: { container: 'mov,mp4', durationSec: 60, bitRate: null, audio: { codec: 'aac', channels: 1, sampleRate: 48000 }, video: null, playableMime: 'audio/mp4' },
          derivatives: {}, error: null, renditionRedaction: '', createdBy: null, createdAt: at(0), updatedAt: at(0),
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
          id: uuid(), interviewId: interview.id, narrator: 'Horst Krüger', scope: ['archive', 'research'] as ConsentScope[], givenOn: '2019-05-17',
          method: 'signed_form' as const, scan: null, embargoUntil: null, onWithdrawal: 'keep_archive' as const, notes: null, authorId: curator.id, createdAt: at(1),
        };
        const first = await store.consents.append(base, null);
        expect(first).toEqual({ ok: true, record: { ...base, version: 1 } });
        const second = await store.consents.append({ ...base, scope: ['archive'], createdAt: at(2) }, 1);
        expect(second.ok && second.record.version).toBe(2);
        expect(await store.consents.append({ ...base, createdAt: at(3) }, 1)).toEqual({ ok: false, current: 2 });
        expect(await store.consents.append({ ...base, createdAt: at(3) }, null)).toEqual({ ok: false, current: 2 });
        expect((await store.consents.currentForInterview(interview.id)).map((c) => [c.version, c.scope])).toEqual([[2, ['archive']]]);
        expect((await store.consents.history(base.id)).map((c) => c.version)).toEqual([2, 1]);
        expect((await store.consents.find(base.id, 1))?.scope).toEqual(['archive', 'research']);
        expect((await store.consents.find(base.id))?.version).toBe(2);
      });

      it('invitations are found by token or code hash, revoked once; restrictions and corrections keep their state', async () => {
        const invitation: ReviewInvitation = {
          id: uuid(), interviewId: interview.id, narrator: 'Horst Krüger', tokenHash: 'a'.repeat(64), codeHash: 'b'.repeat(64),
          createdBy: curator.id, createdAt: at(1), expiresAt: at(100), revokedAt: null, lastUsedAt: null,
        };
        await store.review.createInvitation(invitation);
        expect(await store.review.findInvitationByTokenHash('a'.repeat(64))).toEqual(invitation);
        expect(await store.review.findInvitationByCodeHash('b'.repeat(64))).toEqual(invitation);
        expect(await store.review.findInvitationByTokenHash('c'.repeat(64))).toBeNull();
        await store.review.touchInvitation(invitation.id, at(2));
        expect(await store.review.revokeInvitation(invitation.id, at(3))).toBe(true);
        expect(await store.review.revokeInvitation(invitation.id, at(4))).toBe(false);
        expect(await store.review.listInvitations(interview.id)).toEqual([{ ...invitation, lastUsedAt: at(2), revokedAt: at(3) }]);

        const restriction: Restriction = {
          id: uuid(), interviewId: interview.id, mediaId: mediumId, start: 3, end: 6.5, reason: 'Kollegen', quote: 'Der Steiger …', status: 'active',
          createdByKind: 'narrator', createdById: invitation.id, createdAt: at(5), liftedAt: null, liftedBy: null,
        };
        await store.review.addRestriction(restriction);
        expect(await store.review.listRestrictions({ mediaId: mediumId })).toEqual([restriction]);
        expect(await store.review.liftRestriction(restriction.id, at(6), curator.id)).toBe(true);
        expect(await store.review.liftRestriction(restriction.id, at(7), curator.id)).toBe(false);
        expect(await store.review.listRestrictions({ interviewId: interview.id })).toEqual([]);
        expect(await store.review.listRestrictions({ interviewId: interview.id, includeLifted: true })).toEqual([{ ...restriction, status: 'lifted', liftedAt: at(6), liftedBy: curator.id }]);

        const correction: Correction = {
          id: uuid(), interviewId: interview.id, mediaId: mediumId, segmentNo: 2, segmentStart: 6, original: 'Wende', proposed: 'Wende 1990', note: null,
          status: 'open', invitationId: invitation.id, createdAt: at(8), decidedBy: null, decidedAt: null, decisionNote: null, transcriptVersion: null,
        };
        await store.review.addCorrection(correction);
        const decided = { status: 'accepted' as const, decidedBy: curator.id, decidedAt: at(9), decisionNote: 'danke', transcriptVersion: 4 };
        expect(await store.review.decideCorrection(correction.id, decided)).toBe(true);
        expect(await store.review.decideCorrection(correction.id, { ...decided, status: 'rejected' })).toBe(false);
        expect(await store.review.listCorrections(interview.id)).toEqual([{ ...correction, ...decided }]);

        const decision: ReviewDecision = { id: uuid(), interviewId: interview.id, invitationId: invitation.id, decision: 'approve', visibility: 'public', message: null, receiptNo: '20261124-ABCD', createdAt: at(10) };
        const later: ReviewDecision = { ...decision, id: uuid(), decision: 'withdraw', visibility: null, receiptNo: '20261125-EFGH', createdAt: at(11) };
        await store.review.addDecision(decision);
        await store.review.addDecision(later);
        expect(await store.review.listDecisions(interview.id)).toEqual([later, decision]);
      });

      it('the audit log appends with increasing ids, filters, pages newest first, and outlives the interview', async () => {
        for (let i = 0; i < 3; i++) {
          await store.audit.append({
            at: at(i), actorKind: i === 2 ? 'system' : 'user', actorId: i === 2 ? null : curator.id, actorLabel: 'curator@example.org',
            interviewId: interview.id, action: i === 0 ? 'interview.create' : 'interview.status', entity: 'interview', entityId: interview.id,
            before: i === 0 ? null : { status: 'draft' }, after: { status: 'ready_for_review', n: i },
          });
        }
        await store.interviews.delete(interview.id);
        const page = await store.audit.list({ interviewId: interview.id }, { limit: 2, offset: 0 });
        expect(page.total).toBe(3);
        expect(page.items.map((e) => (e.after as { n: number }).n)).toEqual([2, 1]);
        expect(page.items[0]!.id).toBeGreaterThan(page.items[1]!.id);
        expect((await store.audit.list({ action: 'interview.create' }, { limit: 10, offset: 0 })).items).toHaveLength(1);
        expect((await store.audit.list({ actorId: curator.id }, { limit: 10, offset: 0 })).total).toBe(2);
        expect((await store.audit.list({ interviewId: interview.id }, { limit: 10, offset: 2 })).items[0]!.before).toBeNull();
      });
    });

    // ------------------------------------------------------------------------------- typed store errors
    describe('store errors', () => {
      it('a duplicate key on create is a DuplicateKeyError (a StoreError), for every unique key', async () => {
        const user = await store.users.create(makeUser({ email: 'einmal@example.org' }));
        await expect(store.users.create(makeUser({ email: 'EINMAL@example.org' }))).rejects.toBeInstanceOf(DuplicateKeyError);
        await expect(store.users.create({ ...makeUser(), id: user.id })).rejects.toBeInstanceOf(DuplicateKeyError);
        await store.groups.create({ id: uuid(), name: 'Forschung', createdAt: at(1) });
        const dup = await store.groups.create({ id: uuid(), name: 'Forschung', createdAt: at(2) }).catch((e: unknown) => e);
        expect(dup).toBeInstanceOf(DuplicateKeyError);
        expect(dup).toBeInstanceOf(StoreError);
        expect((dup as StoreError).kind).toBe('duplicate-key');
        const interview = await store.interviews.create(makeInterview());
        await expect(store.interviews.create({ ...makeInterview(), id: interview.id })).rejects.toBeInstanceOf(DuplicateKeyError);
        const medium = {
          id: uuid(), interviewId: interview.id, part: 1, kind: 'audio' as const, status: 'ready' as const, progress: 100, originalFilename: 'a.m4a',
          originalPath: 'originals/x/a.m4a', sha256: '0'.repeat(64), sizeBytes: 1,
          technical: { container: 'mov,mp4', durationSec: 60, bitRate: null, audio: { codec: 'aac', channels: 1, sampleRate: 48000 }, video: null, playableMime: 'audio/mp4' },
          derivatives: {}, error: null, renditionRedaction: '', createdBy: null, createdAt: at(0), updatedAt: at(0),
        };
        await store.media.create(medium);
        // two uploads picked the same part number: the unique (interview, part) decides
        await expect(store.media.create({ ...medium, id: uuid() })).rejects.toBeInstanceOf(DuplicateKeyError);
        const decision: ReviewDecision = { id: uuid(), interviewId: interview.id, invitationId: null, decision: 'approve', visibility: 'public', message: null, receiptNo: '20261201-ABCD', createdAt: at(3) };
        await store.review.addDecision(decision);
        await expect(store.review.addDecision(decision)).rejects.toBeInstanceOf(DuplicateKeyError);
        expect(await store.review.listDecisions(interview.id)).toHaveLength(1);
        const restriction: Restriction = {
          id: uuid(), interviewId: interview.id, mediaId: medium.id, start: 1, end: 2, reason: null, quote: null, status: 'active',
          createdByKind: 'user', createdById: null, createdAt: at(4), liftedAt: null, liftedBy: null,
        };
        await store.review.addRestriction(restriction);
        await expect(store.review.addRestriction(restriction)).rejects.toBeInstanceOf(DuplicateKeyError);
        const invitation: ReviewInvitation = {
          id: uuid(), interviewId: interview.id, narrator: 'Horst Krüger', tokenHash: 'd'.repeat(64), codeHash: 'e'.repeat(64),
          createdBy: null, createdAt: at(5), expiresAt: at(100), revokedAt: null, lastUsedAt: null,
        };
        await store.review.createInvitation(invitation);
        await expect(store.review.createInvitation(invitation)).rejects.toBeInstanceOf(DuplicateKeyError);
      });
    });

    // --------------------------------------------------------------- operations (units of work) and keyed audit
    describe('operations', () => {
      const op = (key: string, createdAt = at(1)) => ({
        key, kind: 'review.decide', payload: { decision: { id: uuid(), n: 1 }, list: [1, 'zwei', null] }, status: 'pending' as const, error: null,
        createdAt, finishedAt: null,
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
        expect(await store.operations.find('b')).toMatchObject({ status: 'failed', error: '{"type":"conflict"}', finishedAt: at(4) });
      });

      it('listUnfinished gives pending operations created before the given instant, oldest first, up to the limit', async () => {
        await store.operations.begin(op('late', at(30)));
        await store.operations.begin(op('early', at(10)));
        await store.operations.begin(op('middle', at(20)));
        await store.operations.begin(op('finished', at(5)));
        await store.operations.finish('finished', { status: 'done' }, at(6));
        expect((await store.operations.listUnfinished(at(25), 10)).map((o) => o.key)).toEqual(['early', 'middle']);
        expect((await store.operations.listUnfinished(at(59), 2)).map((o) => o.key)).toEqual(['early', 'middle']);
        expect((await store.operations.listUnfinished(at(10), 10))).toEqual([]);
      });

      it('an audit event appended with a key is stored once; appends without a key never collide', async () => {
        const event = {
          at: at(1), actorKind: 'narrator' as const, actorId: null, actorLabel: 'Zeitzeuge', interviewId: null, action: 'review.approve',
          entity: 'review_decision', entityId: null, before: null, after: { n: 1 },
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
      const mediaId = '5d1c3a9e-0000-4000-8000-000000000001';
      const interviewId = '5d1c3a9e-0000-4000-8000-0000000000aa';
      const sha = (c: string) => c.repeat(64);
      const event = (overrides: Partial<FixityEvent>): FixityEvent => ({
        id: uuid(), at: at(0), type: 'fixity check', algorithm: 'SHA-256', outcome: 'pass', path: `originals/${interviewId}/${mediaId}/original.wav`,
        fileKind: 'original', mediaId, interviewId, expectedSha256: sha('a'), actualSha256: sha('a'), agent: 'contract', runId: null, detail: null,
        ...overrides,
      });

      it('replaces baselines under a file or directory prefix, leaving siblings alone', async () => {
        const dir = `renditions/${mediaId}/hls/`;
        await store.fixity.replaceBaselines(mediaId, dir, [
          { path: `${dir}master.m3u8`, sha256: sha('1'), sizeBytes: 10, recordedAt: at(1) },
          { path: `${dir}a/seg-1.m4s`, sha256: sha('2'), sizeBytes: 20, recordedAt: at(1) },
        ]);
        await store.fixity.replaceBaselines(mediaId, `renditions/${mediaId}/download.m4a`, [{ path: `renditions/${mediaId}/download.m4a`, sha256: sha('3'), sizeBytes: 30, recordedAt: at(1) }]);
        // a sibling whose name starts like the prefix is not under it
        await store.fixity.replaceBaselines(mediaId, `renditions/${mediaId}/hls-old.txt`, [{ path: `renditions/${mediaId}/hls-old.txt`, sha256: sha('4'), sizeBytes: 1, recordedAt: at(1) }]);
        // ordered by path, compared as code points ("-" before "/")
        expect((await store.fixity.listBaselines(mediaId)).map((b) => b.path)).toEqual([
          `renditions/${mediaId}/download.m4a`, `renditions/${mediaId}/hls-old.txt`, `${dir}a/seg-1.m4s`, `${dir}master.m3u8`,
        ]);
        await store.fixity.replaceBaselines(mediaId, dir, [{ path: `${dir}master.m3u8`, sha256: sha('5'), sizeBytes: 11, recordedAt: at(2) }]);
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
        const failed = event({ at: at(2), outcome: 'fail', actualSha256: sha('b'), runId: 'run-2', detail: 'not repaired' });
        const rendition = event({ at: at(2), path: `renditions/${mediaId}/download.m4a`, fileKind: 'rendition', outcome: 'missing', actualSha256: null, runId: 'run-2' });
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
        await store.fixity.replaceBaselines(mediaId, `renditions/${mediaId}/download.m4a`, [{ path: `renditions/${mediaId}/download.m4a`, sha256: sha('c'), sizeBytes: 3, recordedAt: at(4) }]);
        expect(await store.fixity.listProblems()).toEqual([]);
        expect(await store.fixity.lastChecked(`renditions/${mediaId}/download.m4a`)).toBeNull();
        expect((await store.fixity.listEvents({}, { limit: 10, offset: 0 })).total).toBe(5);
      });
    });
  });
}
