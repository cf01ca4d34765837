// Shared helpers of the repository contract: ids, a fixed clock and factories for complete records.
import crypto from 'node:crypto';
import type { Store } from '../../server/store/repositories.js';
import type { ApiToken, Collection, Interview, Session, User } from '../../server/store/types.js';

/** Hands a part of the contract the running test's store (a fresh, empty one per test). */
export type StoreOf = () => Store;

export const uuid = (): string => crypto.randomUUID();

/** Fixed instants, minutes apart, so that ordering assertions never depend on the clock. */
export const at = (minute: number): string => new Date(Date.UTC(2024, 2, 1, 10, minute, 0)).toISOString();

export function makeUser(overrides: Partial<User> = {}): User {
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

export function makeSession(userId: string, overrides: Partial<Session> = {}): Session {
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

export function makeToken(userId: string, overrides: Partial<ApiToken> = {}): ApiToken {
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

export function makeCollection(overrides: Partial<Collection> = {}): Collection {
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

export function makeInterview(overrides: Partial<Interview> = {}): Interview {
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
