import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createTestApp, testPassword, type TestApp } from '../helpers/app.js';

describe('auth: sessions, CSRF, API tokens, users', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('logs in with an httpOnly SameSite session cookie and returns a CSRF token; the password hash is argon2id', async () => {
    const user = await t.services.users.create({
      email: 'kumpel@example.org',
      password: testPassword,
      role: 'contributor',
    });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    const res = await t.request
      .post('/api/auth/login')
      .send({ email: 'Kumpel@Example.org', password: testPassword })
      .expect(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/sb_session=[\w-]{40,}/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(res.body.csrfToken).toMatch(/^[\w-]{40,}$/);
    expect(res.body.user).toMatchObject({ email: 'kumpel@example.org', role: 'contributor' });
    expect(res.body.user.passwordHash).toBeUndefined();
    // the session row holds a digest, never the cookie value
    const raw = /sb_session=([^;]+)/.exec(cookie)?.[1] ?? '';
    expect(t.store.db.prepare('SELECT count(*) FROM sessions WHERE id = ?').pluck().get(raw)).toBe(0);
  });

  it('me → csrf token; mutation without X-CSRF-Token is 403, with it succeeds; logout ends the session', async () => {
    const { agent, csrf } = await t.loginAs('curator');
    const me = await agent.get('/api/auth/me').expect(200);
    expect(me.body.csrfToken).toBe(csrf);
    expect(me.body.via).toBe('session');
    const denied = await agent.post('/api/collections').send({ title: 'Ohne Token' }).expect(403);
    expect(denied.body.type).toBe('/problems/csrf');
    await agent.post('/api/collections').set('X-CSRF-Token', 'falsch').send({ title: 'Falsches Token' }).expect(403);
    await agent.post('/api/collections').set('X-CSRF-Token', csrf).send({ title: 'Mit Token' }).expect(201);
    await agent.post('/api/auth/logout').set('X-CSRF-Token', csrf).expect(204);
    await agent.get('/api/auth/me').expect(401);
  });

  it('wrong password and unknown account both answer 401 invalid-credentials; disabled accounts cannot log in', async () => {
    const a = await t.request
      .post('/api/auth/login')
      .send({ email: 'kumpel@example.org', password: 'falsch-falsch-falsch' })
      .expect(401);
    const b = await t.request
      .post('/api/auth/login')
      .send({ email: 'niemand@example.org', password: 'falsch-falsch-falsch' })
      .expect(401);
    expect(a.body).toEqual(b.body);
    expect(a.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('personal API tokens: shown once, stored hashed, work without CSRF, revocable', async () => {
    const { agent, csrf, userId } = await t.loginAs('contributor');
    const created = await agent
      .post('/api/auth/tokens')
      .set('X-CSRF-Token', csrf)
      .send({ name: 'Import-Skript' })
      .expect(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^sbt_[\w-]{43}$/);
    const list = await agent.get('/api/auth/tokens').expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(t.store.db.prepare('SELECT count(*) FROM api_tokens WHERE token_hash = ?').pluck().get(token)).toBe(0);

    const me = await t.request.get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toMatchObject({ via: 'token', csrfToken: null, user: { id: userId } });
    // no CSRF token needed with a bearer token
    await t.request
      .post('/api/interviews')
      .set('Authorization', `Bearer ${token}`)
      .send({ title: 'Per Skript angelegt' })
      .expect(201);

    await agent.delete(`/api/auth/tokens/${created.body.id}`).set('X-CSRF-Token', csrf).expect(204);
    const revoked = await t.request.get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
    expect(revoked.body.type).toBe('/problems/unauthenticated');
    await agent.delete(`/api/auth/tokens/${created.body.id}`).set('X-CSRF-Token', csrf).expect(404);
  });

  it('expired API tokens are refused', async () => {
    const user = await t.services.users.create({
      email: 'alt@example.org',
      password: testPassword,
      role: 'contributor',
    });
    const { token, record } = await t.services.auth.createApiToken(user.id, 'kurz', 1);
    t.store.db.prepare('UPDATE api_tokens SET expires_at = ? WHERE id = ?').run('2000-01-01T00:00:00.000Z', record.id);
    await t.request.get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('expired sessions are refused and removed', async () => {
    const { agent, userId } = await t.loginAs('contributor');
    t.store.db.prepare('UPDATE sessions SET expires_at = ? WHERE user_id = ?').run('2000-01-01T00:00:00.000Z', userId);
    await agent.get('/api/auth/me').expect(401);
    expect(t.store.db.prepare('SELECT count(*) FROM sessions WHERE user_id = ?').pluck().get(userId)).toBe(0);
  });

  it('admins manage users; disabling ends sessions; the last admin cannot be demoted', async () => {
    const admin = await t.loginAs('admin');
    const created = await admin.agent
      .post('/api/users')
      .set('X-CSRF-Token', admin.csrf)
      .send({
        email: 'neu@example.org',
        password: 'ein-langes-passwort',
        role: 'curator',
        displayName: 'Neue Kuratorin',
      })
      .expect(201);
    expect(created.body).toMatchObject({ email: 'neu@example.org', role: 'curator', disabled: false });
    const dup = await admin.agent
      .post('/api/users')
      .set('X-CSRF-Token', admin.csrf)
      .send({ email: 'NEU@example.org', password: 'ein-langes-passwort', role: 'curator' })
      .expect(409);
    expect(dup.body.errors[0].field).toBe('body.email');

    const curator = await t.request
      .post('/api/auth/login')
      .send({ email: 'neu@example.org', password: 'ein-langes-passwort' })
      .expect(200);
    const curatorCookie = String(curator.headers['set-cookie']).split(';')[0] ?? '';
    await admin.agent
      .patch(`/api/users/${created.body.id}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ disabled: true })
      .expect(200);
    await t.request.get('/api/auth/me').set('Cookie', curatorCookie).expect(401);

    // other admins may exist from earlier tests: demote them all but one, then the last refuses
    const admins = t.store.db.prepare(`SELECT id FROM users WHERE role = 'admin'`).pluck().all() as string[];
    for (const id of admins.filter((id) => id !== admin.userId)) {
      await admin.agent.patch(`/api/users/${id}`).set('X-CSRF-Token', admin.csrf).send({ role: 'curator' }).expect(200);
    }
    const last = await admin.agent
      .patch(`/api/users/${admin.userId}`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ role: 'curator' })
      .expect(409);
    expect(last.body.type).toBe('/problems/conflict');
  });

  it('first admin comes from ADMIN_EMAIL/ADMIN_PASSWORD only when no active admin exists', async () => {
    const fresh = await createTestApp();
    try {
      const first = await fresh.services.users.ensureFirstAdmin('chefin@example.org', 'ein-sehr-langes-passwort');
      expect(first?.role).toBe('admin');
      const second = await fresh.services.users.ensureFirstAdmin('zweiter@example.org', 'ein-sehr-langes-passwort');
      expect(second).toBeNull();
      expect(fresh.store.db.prepare(`SELECT count(*) FROM users`).pluck().get()).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});

describe('auth: login rate limit', () => {
  it('delays an account after LOGIN_RATE_LIMIT=3 failures (429 + Retry-After), never locks it: the right password from a new address gets in after the wait; other accounts unaffected', async () => {
    const t = await createTestApp({ LOGIN_RATE_LIMIT: '3' });
    onTestFinished(() => t.close());
    await t.services.users.create({ email: 'andere@example.org', password: testPassword, role: 'contributor' });
    await t.services.users.create({ email: 'ziel@example.org', password: testPassword, role: 'contributor' });
    for (let n = 0; n < 3; n++) {
      await t.request
        .post('/api/auth/login')
        .set('X-Forwarded-For', `10.0.0.${n}`)
        .send({ email: 'ziel@example.org', password: 'nicht-das-passwort' })
        .expect(401);
    }
    const limited = await t.request
      .post('/api/auth/login')
      .send({ email: 'ziel@example.org', password: testPassword })
      .expect(429);
    expect(limited.body.type).toBe('/problems/rate-limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await t.request.post('/api/auth/login').send({ email: 'andere@example.org', password: testPassword }).expect(200);
    // OWASP: a growing delay, not a lock anyone could trigger from ten forwarded addresses
    await new Promise((r) => setTimeout(r, Number(limited.headers['retry-after']) * 1000 + 50));
    await t.request
      .post('/api/auth/login')
      .set('X-Forwarded-For', '10.9.9.9')
      .send({ email: 'ziel@example.org', password: testPassword })
      .expect(200);
  });
});
