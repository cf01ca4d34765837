import crypto from 'node:crypto';
import type { Logger } from '../logger.js';
import { Problem } from '../http/problem.js';
import type { Store } from '../store/repositories.js';
import type { ApiToken, Session, User } from '../store/types.js';
import { apiTokenPrefix, randomToken, safeEqual, sha256, verifyPassword } from './secrets.js';
import { msg } from '../i18n/messages.js';

export interface AuthServiceOptions {
  sessionTtlHours: number;
  now?: () => Date;
  logger: Logger;
}

export interface PublicApiToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export const publicToken = (t: ApiToken): PublicApiToken => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: t.createdAt,
  lastUsedAt: t.lastUsedAt,
  expiresAt: t.expiresAt,
  revokedAt: t.revokedAt,
});

// Sliding sessions: refreshing expiry on every request would write on every read; once an hour is plenty.
const touchIntervalMs = 60 * 60 * 1000;

export class AuthService {
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    private readonly options: AuthServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** The groups a user belongs to, for `restricted` interviews. */
  groupIdsOf(user: User): Promise<string[]> {
    return this.store.groups.groupIdsOf(user.id);
  }

  private expiry(from: Date): string {
    return new Date(from.getTime() + this.options.sessionTtlHours * 3600_000).toISOString();
  }

  /** Checks credentials and opens a session; the raw cookie value is returned once and stored only hashed. */
  async login(email: string, password: string, userAgent: string | null) {
    const user = await this.store.users.findByEmail(email);
    const valid = await verifyPassword(user?.passwordHash ?? null, password);
    if (!user || !valid || user.disabled) {
      this.options.logger.info({ email: email.toLowerCase(), known: Boolean(user) }, 'login failed');
      throw new Problem('invalid-credentials');
    }
    const cookieValue = randomToken();
    const now = this.now();
    const session: Session = {
      id: sha256(cookieValue),
      userId: user.id,
      csrfToken: randomToken(),
      createdAt: now.toISOString(),
      expiresAt: this.expiry(now),
      lastSeenAt: now.toISOString(),
      userAgent: userAgent?.slice(0, 300) ?? null,
    };
    await this.store.sessions.create(session);
    this.options.logger.info({ userId: user.id }, 'login');
    return { cookieValue, session, user };
  }

  async logout(sessionId: string): Promise<void> {
    await this.store.sessions.delete(sessionId);
  }

  async resolveSession(cookieValue: string): Promise<{ user: User; session: Session } | null> {
    const session = await this.store.sessions.findById(sha256(cookieValue));
    if (!session) return null;
    const now = this.now();
    if (session.expiresAt <= now.toISOString()) {
      await this.store.sessions.delete(session.id);
      return null;
    }
    const user = await this.store.users.findById(session.userId);
    if (!user || user.disabled) return null;
    if (now.getTime() - Date.parse(session.lastSeenAt) > touchIntervalMs) {
      await this.store.sessions.touch(session.id, now.toISOString(), this.expiry(now));
    }
    return { user, session };
  }

  async resolveApiToken(raw: string): Promise<{ user: User; token: ApiToken } | null> {
    if (!raw.startsWith(apiTokenPrefix)) return null;
    const token = await this.store.apiTokens.findByHash(sha256(raw));
    if (!token || !safeEqual(token.tokenHash, sha256(raw))) return null;
    const now = this.now().toISOString();
    if (token.revokedAt || (token.expiresAt && token.expiresAt <= now)) return null;
    const user = await this.store.users.findById(token.userId);
    if (!user || user.disabled) return null;
    // last-use is informational; minute precision keeps scripts from writing on every call
    if (!token.lastUsedAt || token.lastUsedAt.slice(0, 16) !== now.slice(0, 16))
      await this.store.apiTokens.touch(token.id, now);
    return { user, token };
  }

  async createApiToken(userId: string, name: string, expiresInDays?: number) {
    const raw = apiTokenPrefix + randomToken();
    const now = this.now();
    const token: ApiToken = {
      id: crypto.randomUUID(),
      userId,
      name,
      tokenHash: sha256(raw),
      prefix: raw.slice(0, apiTokenPrefix.length + 6),
      createdAt: now.toISOString(),
      lastUsedAt: null,
      expiresAt: expiresInDays ? new Date(now.getTime() + expiresInDays * 86400_000).toISOString() : null,
      revokedAt: null,
    };
    await this.store.apiTokens.create(token);
    this.options.logger.info({ userId, tokenId: token.id }, 'api token created');
    return { token: raw, record: token };
  }

  async listApiTokens(userId: string): Promise<PublicApiToken[]> {
    return (await this.store.apiTokens.listByUser(userId)).map(publicToken);
  }

  async revokeApiToken(userId: string, tokenId: string): Promise<void> {
    const revoked = await this.store.apiTokens.revoke(tokenId, userId, this.now().toISOString());
    if (!revoked) throw new Problem('not-found', { detail: msg('auth.noSuchToken') });
    this.options.logger.info({ userId, tokenId }, 'api token revoked');
  }

  async sweepExpiredSessions(): Promise<number> {
    return this.store.sessions.deleteExpired(this.now().toISOString());
  }
}
