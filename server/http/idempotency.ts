// The `Idempotency-Key` request header (IETF httpapi draft): a client that may send a request again (a weak
// connection, a double click) sends the same key, and the use case runs once (server/store/unit-of-work.ts).
import type { Request } from 'express';
import { Problem } from './problem.js';
import { msg } from '../i18n/messages.js';

const KEY_SHAPE = /^[\x21-\x7e]{1,200}$/;

/** The header's key, or undefined when the client sent none; a malformed one is a 400. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const raw = req.get('Idempotency-Key');
  if (raw === undefined) return undefined;
  // a structured-field string ("…") or a bare token: both are accepted
  const key = raw.trim().replace(/^"(.*)"$/, '$1');
  if (!KEY_SHAPE.test(key)) {
    throw new Problem('bad-request', {
      detail: msg('http.badIdempotencyKey'),
      errors: [{ field: 'header.idempotency-key', message: msg('field.invalid') }],
    });
  }
  return key;
}
