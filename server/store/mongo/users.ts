import type { ApiTokenRepository, SessionRepository, UserRepository } from '../repositories.js';
import type { ApiToken, Page, PageRequest, Session, User } from '../types.js';
import type { Support } from './support.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = Record<string, any>;

/** E-mail addresses compare case-insensitively through a stored lower-case key (no collations on FerretDB). */
const emailKey = (email: string) => email.toLowerCase();

const toUser = (d: Doc): User => ({
  id: d._id,
  email: d.email,
  displayName: d.displayName,
  role: d.role,
  passwordHash: d.passwordHash,
  disabled: !!d.disabled,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export class MongoUserRepository implements UserRepository {
  constructor(private readonly s: Support) {}
  private get m() {
    return this.s.models.users;
  }

  async create(user: User): Promise<User> {
    const { id, ...rest } = user;
    await this.m.collection.insertOne({ _id: id as never, ...rest, emailKey: emailKey(user.email) });
    return user;
  }

  async findById(id: string): Promise<User | null> {
    const d = await this.m.findById(id).lean<Doc>();
    return d ? toUser(d) : null;
  }

  async findByEmail(email: string): Promise<User | null> {
    const d = await this.m.findOne({ emailKey: emailKey(email) }).lean<Doc>();
    return d ? toUser(d) : null;
  }

  async list({ limit, offset }: PageRequest): Promise<Page<User>> {
    const [docs, total] = await Promise.all([
      this.m.find({}).sort({ emailKey: 1, _id: 1 }).skip(offset).limit(limit).lean<Doc[]>(),
      this.m.countDocuments({}),
    ]);
    return { items: docs.map(toUser), total };
  }

  async update(
    id: string,
    patch: Partial<Pick<User, 'displayName' | 'role' | 'passwordHash' | 'disabled'>>,
    now: string,
  ) {
    return this.s.withLock(`users:${id}`, async () => {
      const set: Doc = { updatedAt: now };
      for (const key of ['displayName', 'role', 'passwordHash', 'disabled'] as const)
        if (patch[key] !== undefined) set[key] = patch[key];
      const r = await this.m.collection.updateOne({ _id: id as never }, { $set: set });
      return r.matchedCount === 0 ? null : this.findById(id);
    });
  }

  async countActiveAdmins(): Promise<number> {
    return this.m.countDocuments({ role: 'admin', disabled: false });
  }
}

const toSession = (d: Doc): Session => ({
  id: d._id,
  userId: d.userId,
  csrfToken: d.csrfToken,
  createdAt: d.createdAt,
  expiresAt: d.expiresAt,
  lastSeenAt: d.lastSeenAt,
  userAgent: d.userAgent ?? null,
});

export class MongoSessionRepository implements SessionRepository {
  constructor(private readonly s: Support) {}
  private get m() {
    return this.s.models.sessions;
  }

  async create(session: Session): Promise<void> {
    const { id, ...rest } = session;
    await this.m.collection.insertOne({ _id: id as never, ...rest });
  }

  async findById(id: string): Promise<Session | null> {
    const d = await this.m.findById(id).lean<Doc>();
    return d ? toSession(d) : null;
  }

  // Without a lock: two touches of one session only race to the same kind of value, and a touch never revives a
  // deleted session (the write-back is an UPDATE of an existing document).
  async touch(id: string, lastSeenAt: string, expiresAt: string): Promise<void> {
    await this.m.collection.updateOne({ _id: id as never }, { $set: { lastSeenAt, expiresAt } });
  }

  async delete(id: string): Promise<void> {
    await this.m.collection.deleteOne({ _id: id as never });
  }

  async deleteByUser(userId: string): Promise<number> {
    return (await this.m.collection.deleteMany({ userId })).deletedCount;
  }

  async deleteExpired(now: string): Promise<number> {
    return (await this.m.collection.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
  }
}

const toToken = (d: Doc): ApiToken => ({
  id: d._id,
  userId: d.userId,
  name: d.name,
  tokenHash: d.tokenHash,
  prefix: d.prefix,
  createdAt: d.createdAt,
  lastUsedAt: d.lastUsedAt ?? null,
  expiresAt: d.expiresAt ?? null,
  revokedAt: d.revokedAt ?? null,
});

export class MongoApiTokenRepository implements ApiTokenRepository {
  constructor(private readonly s: Support) {}
  private get m() {
    return this.s.models.apiTokens;
  }

  async create(token: ApiToken): Promise<void> {
    const { id, ...rest } = token;
    await this.m.collection.insertOne({ _id: id as never, ...rest });
  }

  async findByHash(tokenHash: string): Promise<ApiToken | null> {
    const d = await this.m.findOne({ tokenHash }).lean<Doc>();
    return d ? toToken(d) : null;
  }

  async listByUser(userId: string): Promise<ApiToken[]> {
    return (await this.m.find({ userId }).sort({ createdAt: -1, _id: 1 }).lean<Doc[]>()).map(toToken);
  }

  // revoke and touch both rewrite the token document: under one lock, so a touch can never undo a revocation
  async revoke(id: string, userId: string, at: string): Promise<boolean> {
    return this.s.withLock(`api_tokens:${id}`, async () => {
      const current = await this.m.findById(id).lean<Doc>();
      if (!current || current.userId !== userId || current.revokedAt) return false;
      return (await this.m.collection.updateOne({ _id: id as never }, { $set: { revokedAt: at } })).matchedCount === 1;
    });
  }

  async touch(id: string, at: string): Promise<void> {
    await this.s.withLock(`api_tokens:${id}`, async () => {
      await this.m.collection.updateOne({ _id: id as never }, { $set: { lastUsedAt: at } });
    });
  }
}
