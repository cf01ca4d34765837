// Passwords with argon2id; session ids and API tokens are random and stored only as SHA-256 digests.
import crypto from 'node:crypto';
import argon2 from 'argon2';

// OWASP's argon2id baseline (19 MiB, t=2, p=1): ~30 ms on these 2-core machines, so a login cannot starve the server.
const argonOptions = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, argonOptions);
}

let dummyHash: Promise<string> | undefined;

/** Verifies; with no hash (unknown user) it still spends the same time, so timing does not reveal accounts. */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (hash === null) {
    dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return argon2.verify(hash, password).catch(() => false);
}

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

/** Personal API tokens look like `sbt_<43 chars>` so that secret scanners and people recognise them. */
export const apiTokenPrefix = 'sbt_';
