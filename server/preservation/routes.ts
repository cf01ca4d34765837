// Admin routes of preservation: the bag download of an interview, and the fixity state (the UI's alert).
//   GET /api/interviews/:id/bag.zip        the interview's BagIt bag as a ZIP (admins; unredacted preservation copy)
//   GET /api/preservation/fixity           open fixity problems and the latest checks (admins)
import { Router } from 'express';
import { z } from 'zod';
import { requirePermission } from '../access/middleware.js';
import { canManagePreservation } from '../access/policy.js';
import { Problem } from '../http/problem.js';
import { parseRequest } from '../http/validate.js';
import type { AuditLog } from '../audit/service.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/repositories.js';
import { bagFolderName, planInterviewBag } from './bag-export.js';
import { streamBagZip } from './bag-zip.js';
import { openFixityProblems } from './fixity.js';

export const bagParams = z.object({ id: z.uuid() });
/** `consent=1` (or true) puts the consent records into the bag too. */
export const bagQuery = z.looseObject({ consent: z.enum(['1', 'true', '0', 'false']).optional() });

export function preservationRoutes(deps: {
  store: Store;
  uploadsDir: string;
  audit: AuditLog;
  logger: Logger;
  sourceOrganization: string;
}): Router {
  const { store, uploadsDir, audit, logger } = deps;
  const router = Router();

  router.get('/interviews/:id/bag.zip', requirePermission(canManagePreservation), async (req, res) => {
    const { id } = parseRequest(req, 'params', bagParams);
    const interview = await store.interviews.findById(id);
    if (!interview) throw new Problem('not-found');
    const withConsent = req.query.consent === '1' || req.query.consent === 'true';
    const plan = await planInterviewBag(store, uploadsDir, id, {
      withConsent,
      sourceOrganization: deps.sourceOrganization,
    });
    const name = bagFolderName(interview);
    await audit.record(req.viewer, {
      interviewId: id,
      action: 'preservation.bag-download',
      entity: 'interview',
      entityId: id,
      after: { bag: name, withConsent },
    });
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}.zip"; filename*=UTF-8''${encodeURIComponent(name)}.zip`,
    );
    res.setHeader('Cache-Control', 'no-store');
    await streamBagZip(name, plan.entries, plan.info, res, logger.child({ interviewId: id })).catch(() => undefined);
  });

  router.get('/preservation/fixity', requirePermission(canManagePreservation), async (_req, res) => {
    const problems = await openFixityProblems(store);
    const recent = await store.fixity.listEvents({}, { limit: 20, offset: 0 });
    res.json({ problems, recent: recent.items, totalEvents: recent.total });
  });

  return router;
}
