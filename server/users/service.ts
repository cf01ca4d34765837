import crypto from 'node:crypto';
import { Problem } from '../http/problem.js';
import type { Logger } from '../logger.js';
import { isDuplicateKey } from '../store/errors.js';
import type { Store } from '../store/repositories.js';
import type { PageRequest, User } from '../store/types.js';
import { hashPassword } from '../auth/secrets.js';
import type { CreateUserInput, UpdateUserInput } from './schemas.js';
import { msg } from '../i18n/messages.js';

export interface PublicUser {
  id: string;
  email: string;
  displayName: string;
  role: User['role'];
  disabled: boolean;
  createdAt: string;
}

export const publicUser = (u: User): PublicUser => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  role: u.role,
  disabled: u.disabled,
  createdAt: u.createdAt,
});

export class UserService {
  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  async create(input: CreateUserInput): Promise<User> {
    if (await this.store.users.findByEmail(input.email)) throw emailTaken();
    const now = new Date().toISOString();
    const user: User = {
      id: crypto.randomUUID(),
      email: input.email,
      displayName: input.displayName ?? input.email.split('@')[0] ?? input.email,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      disabled: false,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.store.users.create(user);
    } catch (err) {
      // two requests for one address at once: the unique index decides
      if (isDuplicateKey(err)) throw emailTaken();
      throw err;
    }
    this.logger.info({ userId: user.id, role: user.role }, 'user created');
    return user;
  }

  list(page: PageRequest) {
    return this.store.users.list(page);
  }

  async get(id: string): Promise<User> {
    const user = await this.store.users.findById(id);
    if (!user) throw new Problem('not-found');
    return user;
  }

  async update(id: string, input: UpdateUserInput): Promise<User> {
    const user = await this.get(id);
    const losesAdmin =
      user.role === 'admin' &&
      !user.disabled &&
      ((input.role !== undefined && input.role !== 'admin') || input.disabled === true);
    if (losesAdmin && (await this.store.users.countActiveAdmins()) <= 1) {
      throw new Problem('conflict', {
        detail: msg('users.lastAdmin'),
      });
    }
    // A disabled account or a new password ends every open session: before the change too, so that a failure between
    // the two writes never leaves the old sessions open (after it again, for a login that raced the change).
    const endsSessions = input.disabled === true || Boolean(input.password);
    if (endsSessions) await this.store.sessions.deleteByUser(id);
    const updated = await this.store.users.update(
      id,
      {
        role: input.role,
        disabled: input.disabled,
        displayName: input.displayName,
        passwordHash: input.password ? await hashPassword(input.password) : undefined,
      },
      new Date().toISOString(),
    );
    if (!updated) throw new Problem('not-found');
    if (endsSessions) await this.store.sessions.deleteByUser(id);
    this.logger.info({ userId: id, fields: Object.keys(input) }, 'user updated');
    return updated;
  }

  /** At start-up: creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD when no active admin exists. */
  async ensureFirstAdmin(email: string | undefined, password: string | undefined): Promise<User | null> {
    if (!email || !password) return null;
    if ((await this.store.users.countActiveAdmins()) > 0) return null;
    const existing = await this.store.users.findByEmail(email);
    if (existing) {
      return this.store.users.update(existing.id, { role: 'admin', disabled: false }, new Date().toISOString());
    }
    return this.create({ email: email.toLowerCase(), password, role: 'admin', displayName: 'Administrator' });
  }
}

function emailTaken(): Problem {
  return new Problem('conflict', {
    detail: msg('users.emailTaken'),
    errors: [{ field: 'body.email', message: msg('field.emailTaken') }],
  });
}
