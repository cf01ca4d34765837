// Review credentials for narrators: a long random link token (in the URL and the QR code) and a short code for typing
// from a paper letter. Both are stored as SHA-256 only; the code alphabet leaves out look-alikes (0/O, 1/I/L).
import crypto from 'node:crypto';
import { randomToken, sha256 } from '../auth/secrets.js';

const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 10; // 31^10 ≈ 8·10^14: with the redeem rate limit, guessing is hopeless

export function newReviewToken(): string {
  return randomToken(32);
}

export function newShortCode(): string {
  return shortCodeOf(crypto.randomBytes(CODE_LENGTH));
}

/** The link token that follows from a secret seed (a retried invitation hands out the same one). */
export function reviewTokenFrom(seed: Buffer): string {
  return crypto.createHmac('sha256', seed).update('review-token').digest('base64url');
}

/** The short code that follows from a secret seed. */
export function shortCodeFrom(seed: Buffer): string {
  return shortCodeOf(crypto.createHmac('sha256', seed).update('review-code').digest().subarray(0, CODE_LENGTH));
}

function shortCodeOf(bytes: Buffer): string {
  let code = '';
  // 256 % 31 = 8: the bias of a modulo over random bytes is below 4 %, irrelevant for an unguessable code
  for (const b of bytes) code += CODE_ALPHABET[b % CODE_ALPHABET.length];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** What a person may type: lower case, spaces and dashes lead to the same code (look-alikes never occur in it). */
export function normalizeShortCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

export function hashReviewToken(token: string): string {
  return sha256(`review-token:${token}`);
}

export function hashShortCode(code: string): string {
  return sha256(`review-code:${normalizeShortCode(code)}`);
}
