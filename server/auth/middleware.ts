import type { Request, RequestHandler } from 'express';
import { anonymous, principalsOf } from '../access/viewer.js';
import { Problem } from '../http/problem.js';
import type { ReviewInvitation } from '../store/types.js';
import type { AuthService } from './service.js';
import { safeEqual } from './secrets.js';
import { msg } from '../i18n/messages.js';

export const sessionCookie = 'sb_session';

/** Resolves a narrator's review token (server/review); a failure says why, for the narrator's page. */
export type ReviewTokenResolver = (
  raw: string,
) => Promise<{ ok: true; invitation: ReviewInvitation } | { ok: false; problem: Problem }>;

/**
 * Resolves the viewer from a Bearer API token, a narrator's `Review` token or the session cookie. A wrong token is
 * an error, not a silent downgrade to anonymous: scripts and the review page must notice.
 */
export function authenticate(auth: AuthService, resolveReviewToken?: ReviewTokenResolver): RequestHandler {
  return async (req, _res, next) => {
    req.viewer = anonymous;
    const header = req.headers.authorization;
    if (header !== undefined) {
      const review = /^Review\s+(\S+)$/i.exec(header);
      if (review?.[1] && resolveReviewToken) {
        const resolved = await resolveReviewToken(review[1]);
        if (!resolved.ok) return next(resolved.problem);
        req.viewer = { kind: 'narrator', invitation: resolved.invitation };
        return next();
      }
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const resolved = match?.[1] ? await auth.resolveApiToken(match[1]) : null;
      if (!resolved) return next(new Problem('unauthenticated', { detail: msg('auth.badToken') }));
      req.viewer = {
        kind: 'user',
        user: resolved.user,
        principals: principalsOf(resolved.user, await auth.groupIdsOf(resolved.user)),
        via: 'token',
        tokenId: resolved.token.id,
      };
      return next();
    }
    const cookie = req.cookies?.[sessionCookie];
    if (typeof cookie === 'string' && cookie !== '') {
      const resolved = await auth.resolveSession(cookie);
      if (resolved) {
        req.viewer = {
          kind: 'user',
          user: resolved.user,
          principals: principalsOf(resolved.user, await auth.groupIdsOf(resolved.user)),
          via: 'session',
          sessionId: resolved.session.id,
          csrfToken: resolved.session.csrfToken,
        };
      }
    }
    next();
  };
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF: a cookie-authenticated mutation must echo the session's token in X-CSRF-Token. Bearer tokens are not sent
 * by browsers on their own, so they need none. Cross-origin unsafe requests are refused outright (defence in depth).
 */
export function csrfProtection(allowedOrigins: () => string[]): RequestHandler {
  return (req, _res, next) => {
    if (safeMethods.has(req.method)) return next();
    const origin = req.headers.origin;
    if (origin && origin !== 'null' && !allowedOrigins().includes(origin) && origin !== originOf(req)) {
      return next(new Problem('csrf', { detail: msg('auth.crossOrigin', { origin }) }));
    }
    const viewer = req.viewer;
    // Logging in proves itself with the password; an old session cookie must not block signing in again.
    if (viewer.kind === 'user' && viewer.via === 'session' && !isLogin(req)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, viewer.csrfToken)) return next(new Problem('csrf'));
    }
    next();
  };
}

function isLogin(req: Request): boolean {
  return req.method === 'POST' && req.path === '/auth/login';
}

function originOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? ''}`;
}

export const requireUser: RequestHandler = (req, _res, next) => {
  next(req.viewer.kind === 'user' ? undefined : new Problem('unauthenticated'));
};
