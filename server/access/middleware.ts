// The one way a route asks for a permission: a policy function of server/access/policy.ts, called with the viewer.
// Visitors without an account (and narrators, whose link opens one interview only) get 401, accounts without the
// permission 403 — the same answers for every admin area.
import type { RequestHandler } from 'express';
import { Problem } from '../http/problem.js';
import type { Viewer } from './viewer.js';

export function requirePermission(allowed: (viewer: Viewer) => boolean): RequestHandler {
  return (req, _res, next) => {
    if (allowed(req.viewer)) return next();
    next(new Problem(req.viewer.kind === 'user' ? 'forbidden' : 'unauthenticated'));
  };
}
