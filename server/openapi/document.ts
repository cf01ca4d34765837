// Builds the OpenAPI 3.1 description from operations.ts with zod-openapi (which renders zod 4 schemas through zod's
// own JSON Schema conversion). Request parts are rendered as inputs (what a client sends), answers as outputs.
import { z } from 'zod';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import { problemTypes } from '../http/problem.js';
import { operations, type Access, type Answer, type Operation } from './operations.js';

const problemTypeUris = Object.keys(problemTypes).map((slug) => `/problems/${slug}`) as [string, ...string[]];

/** RFC 7807 problem details, as server/http/problem.ts renders them: `type` is one of the archive's problem types. */
export const problemSchema = z
  .looseObject({
    type: z.enum(problemTypeUris).meta({ description: 'A problem type; GET it for its description.' }),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().optional(),
    // imported files add where the error is (line, column)
    errors: z
      .array(
        z.looseObject({
          field: z.string(),
          message: z.string(),
          line: z.number().int().optional(),
          column: z.number().int().optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Problem' });

const accessText: Record<Access, string> = {
  anyone: 'Anyone; answers show what the access rule lets this viewer see (404 when nothing).',
  user: 'A logged-in user (session cookie with X-CSRF-Token, or an API token).',
  staff: 'Curators and admins.',
  admin: 'Admins.',
  narrator: 'The narrator: `Authorization: Review <link token or short code>`.',
  editor: 'Who may edit the interview (its contributor until review starts, curators, admins).',
};

function responses(op: Operation): ZodOpenApiResponsesObject {
  const out: Record<string, unknown> = {};
  for (const answer of op.ok) out[String(answer.status)] = renderAnswer(answer);
  out.default = {
    description:
      'Any error: an RFC 7807 problem (application/problem+json), German by default, English with Accept-Language: en.',
    content: { 'application/problem+json': { schema: problemSchema } },
  };
  return out as ZodOpenApiResponsesObject;
}

function renderAnswer(answer: Answer) {
  const description = answer.description ?? 'OK';
  if ('none' in answer) return { description };
  if ('json' in answer) return { description, content: { 'application/json': { schema: answer.json } } };
  return {
    description,
    content: Object.fromEntries(Object.entries(answer.content).map(([type, schema]) => [type, { schema }])),
  };
}

function operationObject(op: Operation): ZodOpenApiOperationObject {
  const body =
    op.body === undefined
      ? undefined
      : op.body instanceof z.ZodType
        ? { required: true, content: { 'application/json': { schema: op.body } } }
        : {
            required: op.body.required ?? false,
            content: Object.fromEntries(Object.entries(op.body.content).map(([type, schema]) => [type, { schema }])),
          };
  const requestParams = {
    ...(op.params ? { path: op.params } : {}),
    ...(op.query ? { query: op.query } : {}),
    ...(op.headers ? { header: op.headers } : {}),
  };
  return {
    operationId: `${op.method}${op.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    summary: op.summary,
    description: `Who: ${accessText[op.access]}`,
    tags: [op.tag],
    ...(Object.keys(requestParams).length > 0 ? { requestParams } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: responses(op),
    ...(op.access === 'anyone' ? { security: [{}, { bearerAuth: [] }, { sessionCookie: [] }] } : {}),
  };
}

let cached: ReturnType<typeof createDocument> | null = null;

export function openApiDocument(): ReturnType<typeof createDocument> {
  if (cached) return cached;
  const paths: ZodOpenApiPathsObject = {};
  for (const op of operations) {
    const item = (paths[op.path] ??= {}) as Record<string, ZodOpenApiOperationObject>;
    item[op.method] = operationObject(op);
  }
  cached = createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Schichtbuch API',
      version: '1',
      description:
        'Oral-history archive. JSON over HTTP; every error is an RFC 7807 problem whose `type` is listed in `x-problem-types`.',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    security: [{ bearerAuth: [] }, { sessionCookie: [] }, { reviewToken: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'Personal API token `sbt_…` (POST /api/auth/tokens); no CSRF token needed.',
        },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'sb_session',
          description: 'From POST /api/auth/login; mutations also need X-CSRF-Token.',
        },
        reviewToken: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: "`Review <link token or short code>`: the narrator's access to one interview.",
        },
      },
    },
    'x-problem-types': Object.fromEntries(
      Object.entries(problemTypes).map(([slug, t]) => [`/problems/${slug}`, { status: t.status, title: t.title }]),
    ),
  });
  return cached;
}
