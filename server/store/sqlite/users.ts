import type { Database } from 'better-sqlite3';
import type { ApiTokenRepository, SessionRepository, UserRepository } from '../repositories.js';
import type { ApiToken, Session, User } from '../types.js';

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  role: User['role'];
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  passwordHash: r.password_hash,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class SqliteUserRepository implements UserRepository {
  constructor(private readonly db: Database) {}

  async create(user: User): Promise<User> {
    this.db
      .prepare(
        `INSERT INTO users (id, email, display_name, role, password_hash, disabled, created_at, updated_at)
      VALUES (@id, @email, @displayName, @role, @passwordHash, @disabled, @createdAt, @updatedAt)`,
      )
      .run({ ...user, disabled: user.disabled ? 1 : 0 });
    return user;
  }

  async findById(id: string): Promise<User | null> {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async findByEmail(email: string): Promise<User | null> {
    const row = this.db.prepare('SELECT * FROM users WHERE email = ? COLLATE NOCASE').get(email) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async list({ limit, offset }: { limit: number; offset: number }) {
    const rows = this.db.prepare('SELECT * FROM users ORDER BY email LIMIT ? OFFSET ?').all(limit, offset) as UserRow[];
    const total = this.db.prepare('SELECT count(*) FROM users').pluck().get() as number;
    return { items: rows.map(toUser), total };
  }

  async update(
    id: string,
    patch: Partial<Pick<User, 'displayName' | 'role' | 'passwordHash' | 'disabled'>>,
    now: string,
  ) {
    const columns: Record<string, unknown> = {};
    if (patch.displayName !== undefined) columns.display_name = patch.displayName;
    if (patch.role !== undefined) columns.role = patch.role;
    if (patch.passwordHash !== undefined) columns.password_hash = patch.passwordHash;
    if (patch.disabled !== undefined) columns.disabled = patch.disabled ? 1 : 0;
    const sets = Object.keys(columns).map((c) => `${c} = @${c}`);
    const info = this.db
      .prepare(`UPDATE users SET ${[...sets, 'updated_at = @now'].join(', ')} WHERE id = @id`)
      .run({ ...columns, now, id });
    return info.changes === 0 ? null : this.findById(id);
  }

  async countActiveAdmins(): Promise<number> {
    return this.db.prepare(`SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0`).pluck().get() as number;
  }
}

interface SessionRow {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  user_agent: string | null;
}

export class SqliteSessionRepository implements SessionRepository {
  constructor(private readonly db: Database) {}

  async create(s: Session): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at, last_seen_at, user_agent)
      VALUES (@id, @userId, @csrfToken, @createdAt, @expiresAt, @lastSeenAt, @userAgent)`,
      )
      .run(s);
  }

  async findById(id: string): Promise<Session | null> {
    const r = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
    return r
      ? {
          id: r.id,
          userId: r.user_id,
          csrfToken: r.csrf_token,
          createdAt: r.created_at,
          expiresAt: r.expires_at,
          lastSeenAt: r.last_seen_at,
          userAgent: r.user_agent,
        }
      : null;
  }

  async touch(id: string, lastSeenAt: string, expiresAt: string): Promise<void> {
    this.db.prepare('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?').run(lastSeenAt, expiresAt, id);
  }

  async delete(id: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
  }

  async deleteByUser(userId: string): Promise<number> {
    return this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
  }

  async deleteExpired(now: string): Promise<number> {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes;
  }
}

interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

const toToken = (r: TokenRow): ApiToken => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  tokenHash: r.token_hash,
  prefix: r.prefix,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

export class SqliteApiTokenRepository implements ApiTokenRepository {
  constructor(private readonly db: Database) {}

  async create(t: ApiToken): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at, last_used_at, expires_at, revoked_at)
      VALUES (@id, @userId, @name, @tokenHash, @prefix, @createdAt, @lastUsedAt, @expiresAt, @revokedAt)`,
      )
      .run(t);
  }

  async findByHash(tokenHash: string): Promise<ApiToken | null> {
    const r = this.db.prepare('SELECT * FROM api_tokens WHERE token_hash = ?').get(tokenHash) as TokenRow | undefined;
    return r ? toToken(r) : null;
  }

  async listByUser(userId: string): Promise<ApiToken[]> {
    return (
      this.db.prepare('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC').all(userId) as TokenRow[]
    ).map(toToken);
  }

  async revoke(id: string, userId: string, at: string): Promise<boolean> {
    return (
      this.db
        .prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL')
        .run(at, id, userId).changes === 1
    );
  }

  async touch(id: string, at: string): Promise<void> {
    this.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at, id);
  }
}
