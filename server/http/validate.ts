// zod at the HTTP edge: parse a request part or throw a 422 problem listing every field, in the reader's language.
import type { Request } from 'express';
import { type z } from 'zod';
import de from 'zod/v4/locales/de.js';
import en from 'zod/v4/locales/en.js';
import { localeOf } from './locale.js';
import { Problem, type FieldError } from './problem.js';
import { catalogText } from '../i18n/messages.js';

const errorMaps = { de: de().localeError, en: en().localeError };

export type RequestPart = 'body' | 'query' | 'params';

export function parseRequest<S extends z.ZodType>(req: Request, part: RequestPart, schema: S): z.output<S> {
  const result = schema.safeParse(req[part] ?? {}, { error: errorMaps[localeOf(req)] });
  if (result.success) return result.data;
  throw validationProblem(result.error, part, part === 'params' ? 'not-found' : undefined);
}

export function fieldErrors(error: z.ZodError, prefix: string): FieldError[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: catalogText(issue.message) ?? issue.message,
  }));
}

function validationProblem(error: z.ZodError, part: RequestPart, asType?: 'not-found'): Problem {
  const errors = fieldErrors(error, part);
  if (asType === 'not-found') {
    // A malformed id can never name a record: answer like any unknown id, but say which parameter was wrong.
    return new Problem('not-found', { errors });
  }
  return new Problem(part === 'body' ? 'validation' : 'bad-request', { errors, status: part === 'body' ? 422 : 400 });
}
