// Narrators' credentials are short codes on paper: failed attempts (401) per client address are limited, so that
// guessing codes is hopeless; successful requests do not count (a narrator clicking through their review never hits it).
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { Problem, sendProblem } from '../http/problem.js';
import { msg } from '../i18n/messages.js';

export function reviewCredentialLimiter(limit: number): RequestHandler {
  return rateLimit({
    windowMs: 15 * 60_000,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skip: (req) => !/^Review\s/i.test(req.headers.authorization ?? ''),
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    skipSuccessfulRequests: true,
    keyGenerator: (req) => `review:${ipKeyGenerator(req.ip ?? 'unknown')}`,
    handler: (req, res, _next, options) => {
      const retryAfter = String(Math.ceil(options.windowMs / 1000));
      sendProblem(
        req,
        res,
        new Problem('rate-limited', {
          headers: { 'Retry-After': retryAfter },
          detail: msg('review.tooManyCodes'),
        }),
      );
    },
  });
}
