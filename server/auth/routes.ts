import { Router, type Response } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import type { Config } from '../config.js';
import { Problem, sendProblem } from '../http/problem.js';
import { parseRequest } from '../http/validate.js';
import { publicUser } from '../users/service.js';
import { requireUser, sessionCookie } from './middleware.js';
import { createTokenSchema, loginSchema, tokenIdParams } from './schemas.js';
import type { LoginGuard } from './login-guard.js';
import type { AuthService } from './service.js';
import { msg } from '../i18n/messages.js';

export function authRoutes(auth: AuthService, config: Config, guard: LoginGuard): Router {
  const router = Router();

  // Failed logins per client address are limited (ten times LOGIN_RATE_LIMIT: a whole Spring School class shares one
  // NAT address); per account there is no lock anyone could trigger, but a growing delay (LoginGuard).
  const perAddress = rateLimit({
    windowMs: config.LOGIN_RATE_WINDOW_MINUTES * 60_000,
    limit: config.LOGIN_RATE_LIMIT * 10,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    handler: (req: import('express').Request, res: Response) => {
      const retryAfter = String(res.getHeader('Retry-After') ?? Math.ceil(config.LOGIN_RATE_WINDOW_MINUTES * 60));
      sendProblem(req, res, new Problem('rate-limited', { headers: { 'Retry-After': retryAfter } }));
    },
  });

  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.cookieSecure,
    path: '/',
  };

  router.post('/login', perAddress, async (req, res) => {
    const { email, password } = parseRequest(req, 'body', loginSchema);
    const wait = guard.waitMs(email);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new Problem('rate-limited', {
        headers: { 'Retry-After': String(seconds) },
        detail: msg('auth.loginThrottled', { seconds }),
        extra: { retryAfter: seconds },
      });
    }
    let opened;
    try {
      opened = await auth.login(email, password, req.get('user-agent') ?? null);
    } catch (err) {
      if (err instanceof Problem && err.type === 'invalid-credentials') guard.recordFailure(email, req.ip ?? 'unknown');
      throw err;
    }
    guard.recordSuccess(email);
    const { cookieValue, session, user } = opened;
    res.cookie(sessionCookie, cookieValue, { ...cookieOptions, expires: new Date(session.expiresAt) });
    res.json({ user: publicUser(user), csrfToken: session.csrfToken, expiresAt: session.expiresAt });
  });

  router.post('/logout', requireUser, async (req, res) => {
    if (req.viewer.kind === 'user' && req.viewer.via === 'session') await auth.logout(req.viewer.sessionId);
    res.clearCookie(sessionCookie, cookieOptions);
    res.status(204).end();
  });

  router.get('/me', requireUser, (req, res) => {
    if (req.viewer.kind !== 'user') throw new Problem('unauthenticated');
    res.json({
      user: publicUser(req.viewer.user),
      csrfToken: req.viewer.via === 'session' ? req.viewer.csrfToken : null,
      via: req.viewer.via,
    });
  });

  router.get('/tokens', requireUser, async (req, res) => {
    if (req.viewer.kind !== 'user') throw new Problem('unauthenticated');
    res.json({ items: await auth.listApiTokens(req.viewer.user.id) });
  });

  router.post('/tokens', requireUser, async (req, res) => {
    if (req.viewer.kind !== 'user') throw new Problem('unauthenticated');
    const input = parseRequest(req, 'body', createTokenSchema);
    const { token, record } = await auth.createApiToken(req.viewer.user.id, input.name, input.expiresInDays);
    res.status(201).json({
      token,
      id: record.id,
      name: record.name,
      prefix: record.prefix,
      createdAt: record.createdAt,
      expiresAt: record.expiresAt,
      note: 'Das Token wird nur jetzt angezeigt. / The token is shown only now.',
    });
  });

  router.delete('/tokens/:id', requireUser, async (req, res) => {
    if (req.viewer.kind !== 'user') throw new Problem('unauthenticated');
    const { id } = parseRequest(req, 'params', tokenIdParams);
    await auth.revokeApiToken(req.viewer.user.id, id);
    res.status(204).end();
  });

  return router;
}
