// RFC 7807 problem details. Every error a client sees is one of these; stack traces stay in the log.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { moduleLogger } from '../logger.js';
import { localeOf, type Locale } from './locale.js';
import { ConflictError, DuplicateKeyError, NotFoundError, StoreUnavailableError } from '../store/errors.js';
import { OperationFailedError } from '../store/unit-of-work.js';
import { localize, messages, msg, type Text } from '../i18n/messages.js';

export interface FieldError {
  /** Dotted path into the request part, e.g. `body.place.lat` or `query.page`. */
  field: string;
  /** A catalog text (server/i18n/messages.ts) is sent in the reader's language. */
  message: string | Text;
}

/** Problem types: the slug becomes `type: /problems/<slug>`, served as documentation by `problemDocsRoute`. */
export const problemTypes = {
  validation: { status: 422, title: messages['problem.validation'] },
  'bad-request': { status: 400, title: messages['problem.bad-request'] },
  unauthenticated: { status: 401, title: messages['problem.unauthenticated'] },
  'invalid-credentials': { status: 401, title: messages['problem.invalid-credentials'] },
  'review-link': { status: 401, title: messages['problem.review-link'] },
  'consent-required': { status: 409, title: messages['problem.consent-required'] },
  forbidden: { status: 403, title: messages['problem.forbidden'] },
  csrf: { status: 403, title: messages['problem.csrf'] },
  'not-found': { status: 404, title: messages['problem.not-found'] },
  'method-not-allowed': { status: 405, title: messages['problem.method-not-allowed'] },
  conflict: { status: 409, title: messages['problem.conflict'] },
  'precondition-failed': { status: 412, title: messages['problem.precondition-failed'] },
  'payload-too-large': { status: 413, title: messages['problem.payload-too-large'] },
  'unsupported-media-type': { status: 415, title: messages['problem.unsupported-media-type'] },
  unprocessable: { status: 422, title: messages['problem.unprocessable'] },
  'rate-limited': { status: 429, title: messages['problem.rate-limited'] },
  internal: { status: 500, title: messages['problem.internal'] },
  'search-unavailable': { status: 503, title: messages['problem.search-unavailable'] },
  unavailable: { status: 503, title: messages['problem.unavailable'] },
  'store-unavailable': { status: 503, title: messages['problem.store-unavailable'] },
  // tus: the client's Upload-Offset is not where the stored upload ends (HEAD it and continue from there)
  'upload-offset-mismatch': { status: 409, title: messages['problem.upload-offset-mismatch'] },
  // invitation links and letters are made from PUBLIC_URL only
  'public-url-required': { status: 409, title: messages['problem.public-url-required'] },
  'storage-full': { status: 507, title: messages['problem.storage-full'] },
  'storage-read-only': { status: 507, title: messages['problem.storage-read-only'] },
} satisfies Record<string, { status: number; title: Text }>;

export type ProblemType = keyof typeof problemTypes;

export interface ProblemOptions {
  detail?: string | Text;
  errors?: FieldError[];
  status?: number;
  headers?: Record<string, string>;
  /** Extra members (RFC 7807 extension members), e.g. `retryAfter`. */
  extra?: Record<string, unknown>;
}

/** Throw this from services and routes; the error handler renders it as application/problem+json. */
export class Problem extends Error {
  readonly status: number;
  constructor(
    readonly type: ProblemType,
    readonly options: ProblemOptions = {},
  ) {
    super(typeof options.detail === 'string' ? options.detail : (options.detail?.en ?? type));
    this.name = 'Problem';
    this.status = options.status ?? problemTypes[type].status;
  }

  body(locale: Locale, instance?: string): Record<string, unknown> {
    const detail = this.options.detail;
    return {
      type: `/problems/${this.type}`,
      title: problemTypes[this.type].title[locale],
      status: this.status,
      ...(detail !== undefined ? { detail: localize(detail, locale) } : {}),
      ...(instance ? { instance } : {}),
      ...(this.options.errors
        ? { errors: this.options.errors.map((e) => ({ ...e, message: localize(e.message, locale) })) }
        : {}),
      ...this.options.extra,
    };
  }
}

export function sendProblem(req: Request, res: import('express').Response, problem: Problem): void {
  for (const [name, value] of Object.entries(problem.options.headers ?? {})) res.setHeader(name, value);
  res
    .status(problem.status)
    .type('application/problem+json')
    .send(JSON.stringify(problem.body(localeOf(req), req.originalUrl)));
}

const log = moduleLogger('http');

/** Maps body-parser, multer and unknown errors to problems; never leaks a stack trace. */
export const problemErrorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const problem = toProblem(err);
  if (problem.status >= 500) {
    (req.log ?? log).error({ err }, 'request failed');
  } else {
    (req.log ?? log).debug({ problem: problem.type, detail: problem.message }, 'request rejected');
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendProblem(req, res, problem);
};

/** Disk errors of the media store (ENOSPC, EDQUOT, EROFS): a 507 the uploader understands, not a 500. */
export function storageProblemOf(err: unknown): Problem | null {
  const code = (err as { code?: unknown })?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new Problem('storage-full', {
      detail: msg('http.storageFull'),
    });
  }
  if (code === 'EROFS') {
    return new Problem('storage-read-only', {
      detail: msg('http.storageReadOnly'),
    });
  }
  return null;
}

/** For statuses several problem types share (409), the generic one. */
const genericTypeOf: Partial<Record<number, ProblemType>> = {
  409: 'conflict',
  422: 'validation',
  401: 'unauthenticated',
  507: 'storage-full',
};

export function toProblem(err: unknown): Problem {
  if (err instanceof Problem) return err;
  // typed store errors (server/store/errors.ts) that no service turned into a more specific problem: the engine
  // went away (503, try again), or a write lost a race it cannot retry
  if (err instanceof StoreUnavailableError) {
    return new Problem('store-unavailable', {
      detail: msg('http.tryAgainSoon'),
      headers: { 'Retry-After': '5' },
    });
  }
  if (err instanceof DuplicateKeyError || err instanceof ConflictError) return new Problem('conflict');
  if (err instanceof NotFoundError) return new Problem('not-found');
  // a retry of a use case that was rejected the first time: the same answer again (server/units.ts rejectionOf)
  if (err instanceof OperationFailedError) {
    try {
      const first = JSON.parse(err.error) as {
        type: ProblemType;
        detail: string | Text | null;
        extra: Record<string, unknown> | null;
      };
      if (first.type in problemTypes)
        return new Problem(first.type, {
          ...(first.detail ? { detail: first.detail } : {}),
          ...(first.extra ? { extra: first.extra } : {}),
        });
    } catch {
      /* not ours: a plain conflict */
    }
    return new Problem('conflict');
  }
  const storage = storageProblemOf(err);
  if (storage) return storage;
  const e = err as {
    type?: string;
    status?: number;
    statusCode?: number;
    code?: string;
    expose?: boolean;
    message?: string;
  };
  // body-parser errors carry a `type` and a 4xx status
  if (e?.type === 'entity.too.large') return new Problem('payload-too-large', { detail: e.message ?? '' });
  if (e?.type === 'entity.parse.failed') {
    return new Problem('bad-request', { detail: msg('http.malformedJson') });
  }
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new Problem('unsupported-media-type', { detail: e.message ?? '' });
  }
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && e?.expose !== false) {
    const type =
      genericTypeOf[status] ??
      ((Object.entries(problemTypes).find(([, t]) => t.status === status)?.[0] ?? 'bad-request') as ProblemType);
    return new Problem(type, { status, detail: e.message ?? '' });
  }
  return new Problem('internal');
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new Problem('not-found', { detail: msg('http.noResource', { path: req.path }) }));
};

/** GET /problems/:type — a human-readable description for each problem type URI. */
export const problemDocsRoute: RequestHandler = (req, res, next) => {
  const slug = String(req.params.type);
  if (!(slug in problemTypes)) return next();
  const t = problemTypes[slug as ProblemType];
  res.json({ type: `/problems/${slug}`, status: t.status, title: t.title });
};
