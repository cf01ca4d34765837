import type { Request, Response } from 'express';
import { Problem } from './problem.js';
import { msg } from '../i18n/messages.js';

/** Weak ETag from a record's version counter: `W/"v3"` (transcripts use their own prefix, `W/"t3"`). */
export function setVersionEtag(res: Response, version: number, prefix = 'v'): void {
  res.setHeader('ETag', `W/"${prefix}${version}"`);
}

/** Reads `If-Match: W/"v3"` (or `"v3"`); undefined when absent. Unparseable values are a 412, not a silent overwrite. */
export function expectedVersion(req: Request, prefix = 'v'): number | undefined {
  const header = req.get('if-match');
  if (header === undefined || header.trim() === '*') return undefined;
  const match = new RegExp(`^(?:W/)?"${prefix}(\\d+)"$`).exec(header.trim());
  if (!match) throw new Problem('precondition-failed', { detail: msg('http.badIfMatch') });
  return Number(match[1]);
}
