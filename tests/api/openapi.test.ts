// GET /api/openapi.json describes every route the Express app serves and every problem type; request schemas are the
// routes' own zod schemas. Plus regressions for server bugs schemathesis found (tests/integration/openapi-schemathesis).
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemTypes } from '../../server/http/problem.js';
import { routesOf } from '../../server/http/routes-of.js';
import { createInterviewSchema, patchInterviewSchema } from '../../server/interviews/schemas.js';
import { operations } from '../../server/openapi/operations.js';
import { createTestApp, fullConsent, type TestApp } from '../helpers/app.js';

let t: TestApp;
let doc: {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, { properties?: { type?: { enum?: string[] } } }> };
  'x-problem-types': Record<string, unknown>;
};

beforeAll(async () => {
  t = await createTestApp();
  const res = await t.request
    .get('/api/openapi.json')
    .expect(200)
    .expect('Content-Type', /application\/json/);
  doc = res.body;
});
afterAll(() => t?.close());

/** Routes of the app that /api/openapi.json does not describe, as "METHOD /path". */
function undocumented(app: express.Express): string[] {
  return routesOf(app)
    .filter((r) => {
      const item = doc.paths[r.path];
      if (!item) return true;
      // router.all(): any method described at that path counts
      return r.method === 'ALL' ? Object.keys(item).length === 0 : !(r.method.toLowerCase() in item);
    })
    .map((r) => `${r.method} ${r.path}`);
}

describe('OpenAPI description', () => {
  it('is OpenAPI 3.1 and describes every route of the app (a missing one is named)', () => {
    expect(doc.openapi).toBe('3.1.0');
    const routes = routesOf(t.app);
    expect(routes.length).toBeGreaterThan(60);
    expect(
      undocumented(t.app),
      'routes missing from /api/openapi.json — add an op(...) line to server/openapi/operations.ts',
    ).toEqual([]);
  });

  it('the check names a route that is not described', () => {
    // an app with one route the description knows and one it does not
    const extra = express.Router();
    extra.get('/api/interviews/:id/frobnicate', (_req, res) => void res.end());
    extra.post('/oai', (_req, res) => void res.end());
    const probe = express();
    probe.use(extra);
    expect(undocumented(probe)).toEqual(['GET /api/interviews/{id}/frobnicate']);
  });

  it('describes nothing the app does not serve', () => {
    const served = new Set(routesOf(t.app).map((r) => `${r.method} ${r.path}`));
    const allPaths = new Set(
      routesOf(t.app)
        .filter((r) => r.method === 'ALL')
        .map((r) => r.path),
    );
    const stale = operations
      .filter((o) => !served.has(`${o.method.toUpperCase()} ${o.path}`) && !allPaths.has(o.path))
      .map((o) => `${o.method.toUpperCase()} ${o.path}`);
    expect(stale).toEqual([]);
  });

  it('lists every problem type, and error answers must carry one of them', () => {
    const uris = Object.keys(problemTypes).map((slug) => `/problems/${slug}`);
    expect(Object.keys(doc['x-problem-types']).sort()).toEqual([...uris].sort());
    expect(doc.components.schemas.Problem?.properties?.type?.enum?.sort()).toEqual([...uris].sort());
  });

  it('request schemas are the routes own zod schemas', () => {
    const create = operations.find((o) => o.method === 'post' && o.path === '/api/interviews');
    const patch = operations.find((o) => o.method === 'patch' && o.path === '/api/interviews/{id}');
    expect(create?.body).toBe(createInterviewSchema);
    expect(patch?.body).toBe(patchInterviewSchema);
    const body = (
      doc.paths['/api/interviews']!.post as {
        requestBody: {
          content: {
            'application/json': { schema: { properties: Record<string, unknown>; additionalProperties: boolean } };
          };
        };
      }
    ).requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties).sort()).toEqual(Object.keys(createInterviewSchema.shape).sort());
    expect(body.additionalProperties).toBe(false);
  });
});

describe('server bugs schemathesis found (regressions)', () => {
  it('a method tus does not know (TRACE, PUT) on /api/uploads is a 405 problem, not a 500', async () => {
    const { agent, csrf } = await t.loginAs('contributor');
    for (const url of ['/api/uploads', '/api/uploads/0000000000']) {
      for (const method of ['trace', 'put'] as const) {
        const res = await agent[method](url).set('X-CSRF-Token', csrf).expect(405);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body.type).toBe('/problems/method-not-allowed');
        expect(res.headers.allow).toBe('POST, HEAD, PATCH, DELETE, OPTIONS');
      }
    }
  });

  it('a consent whose embargo is a day that does not exist (0000-00-00, 2019-02-30) is a 422 naming the field, not a 500', async () => {
    const { agent, csrf } = await t.loginAs('curator');
    const interview = (
      await agent
        .post('/api/interviews')
        .set('X-CSRF-Token', csrf)
        .send({ title: 'Einfahrt', people: [{ name: 'Horst Krüger', role: 'narrator' }] })
        .expect(201)
    ).body.id;
    for (const embargoUntil of ['0000-00-00', '2019-02-30']) {
      const res = await agent
        .post(`/api/interviews/${interview}/consents`)
        .set('X-CSRF-Token', csrf)
        .send({ ...fullConsent, embargoUntil })
        .expect(422);
      expect(res.body.type).toBe('/problems/validation');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('body.embargoUntil');
    }
    const ok = await agent
      .post(`/api/interviews/${interview}/consents`)
      .set('X-CSRF-Token', csrf)
      .send({ ...fullConsent, embargoUntil: '2030-01-31' })
      .expect(201);
    expect(ok.body.embargoUntil).toBe('2030-01-31T00:00:00.000Z');
  });
});
