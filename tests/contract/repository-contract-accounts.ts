// The repository contract, part: accounts — users, sessions and API tokens.
// Each describe takes the running test's fresh store from storeOf (opened in repository-contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../server/store/repositories.js';
import type { User } from '../../server/store/types.js';
import { at, makeSession, makeToken, makeUser, type StoreOf, uuid } from './repository-contract-helpers.js';

/** Users, sessions and API tokens. */
export function describeAccountsContract(storeOf: StoreOf): void {
  // ---------------------------------------------------------------------------------------------- users
  describe('users', () => {
    let store: Store;
    beforeEach(() => {
      store = storeOf();
    });

    it('create returns the user; findById round-trips every field', async () => {
      const user = makeUser({
        email: 'juergen.moeller@example.org',
        displayName: 'Jürgen Möller',
        role: 'curator',
        disabled: true,
        createdAt: at(1),
        updatedAt: at(2),
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
      const emails = [
        'dora@example.org',
        'anna@example.org',
        'carl@example.org',
        'bert@example.org',
        'emil@example.org',
      ];
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
      const user = makeUser({
        email: 'karl@example.org',
        displayName: 'Karl',
        role: 'contributor',
        createdAt: at(1),
        updatedAt: at(1),
      });
      await store.users.create(user);

      const renamed = await store.users.update(user.id, { displayName: 'Karl Krüger' }, at(5));
      expect(renamed).toEqual({ ...user, displayName: 'Karl Krüger', updatedAt: at(5) });

      const all = await store.users.update(user.id, { role: 'admin', passwordHash: 'new-hash', disabled: true }, at(6));
      expect(all).toEqual({
        ...user,
        displayName: 'Karl Krüger',
        role: 'admin',
        passwordHash: 'new-hash',
        disabled: true,
        updatedAt: at(6),
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
    let store: Store;
    beforeEach(() => {
      store = storeOf();
    });

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
    let store: Store;
    beforeEach(() => {
      store = storeOf();
    });

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
}
