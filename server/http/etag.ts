import type { Request, Response } from 'express';
import { Problem } from './problem.js';

/** Weak ETag from a record's version counter: `W/"v3"`. */
export function setVersionEtag(res: Response, version: number): void {
  res.setHeader('ETag', `W/"v${version}"`);
}

/** Reads `If-Match: W/"v3"` (or `"v3"`); undefined when absent. Unparseable values are a 412, not a silent overwrite. */
export function expectedVersion(req: Request): number | undefined {
  const header = req.get('if-match');
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^(?:W\/)?"v(\d+)"$/.exec(header.trim());
  if (!match) throw new Problem('precondition-failed', { detail: { de: 'If-Match ist kein gültiges ETag.', en: 'If-Match is not a valid ETag.' } });
  return Number(match[1]);
}
