// GET /api/admin/warnings — what an admin should look at now: repeated failed logins per account (LoginGuard) and the
// media store (full, read-only). Admins only; the same events are in the log and (logins) in the audit log.
import { Router } from 'express';
import { requirePermission } from '../access/middleware.js';
import { canReadAdminWarnings } from '../access/policy.js';
import type { LoginGuard } from '../auth/login-guard.js';
import type { StorageMonitor } from '../media/storage.js';

export function adminRoutes(deps: { guard: LoginGuard; storage: StorageMonitor }): Router {
  const router = Router();
  router.use(requirePermission(canReadAdminWarnings));
  router.get('/warnings', async (_req, res) => {
    const storage = await deps.storage.check();
    const loginFailures = deps.guard.report();
    const warnings = [
      ...(storage.ok ? [] : [{ kind: 'storage', severity: 'critical', detail: storage.error, storage }]),
      ...loginFailures.map((f) => ({
        kind: 'login-failures',
        severity: 'warning',
        detail: `${f.failures} failed logins for ${f.email} from ${f.addresses} address(es)`,
        loginFailures: f,
      })),
    ];
    res.json({ warnings, storage, loginFailures });
  });
  return router;
}
