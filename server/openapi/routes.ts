// GET /api/openapi.json — the OpenAPI 3.1 description of every route (server/openapi/operations.ts).
import { Router } from 'express';
import { openApiDocument } from './document.js';

export function openApiRoutes(): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json(openApiDocument());
  });
  return router;
}
