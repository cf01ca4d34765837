// GET /api/audit — the audit log, newest first; admins only.
import { Router } from 'express';
import { z } from 'zod';
import { requirePermission } from '../access/middleware.js';
import { canReadAudit } from '../access/policy.js';
import { pageOf, pageQuery } from '../http/paging.js';
import { parseRequest } from '../http/validate.js';
import type { AuditLog } from './service.js';

export const auditQuery = pageQuery.extend({
  interviewId: z.uuid().optional(),
  action: z
    .string()
    .regex(/^[a-z_.-]{1,60}$/)
    .optional(),
  actorId: z.string().max(64).optional(),
});

export function auditRoutes(audit: AuditLog): Router {
  const router = Router();
  router.use(requirePermission(canReadAudit));
  router.get('/', async (req, res) => {
    const q = parseRequest(req, 'query', auditQuery);
    const result = await audit.list({ interviewId: q.interviewId, action: q.action, actorId: q.actorId }, pageOf(q));
    res.json({ ...result, page: q.page, pageSize: q.pageSize });
  });
  return router;
}
