import { Router } from 'express';
import type { Metrics } from '../http/metrics.js';
import type { SearchEngine } from '../search/engine.js';
import type { Store } from '../store/repositories.js';

export interface ToolVersions {
  ffmpeg: string | null;
  ffprobe: string | null;
}

/** /healthz answers 503 when any part the archive needs is missing, with what is wrong; /metrics is Prometheus text. */
export function healthRoutes(deps: {
  store: Store;
  search: SearchEngine;
  tools: () => Promise<ToolVersions>;
  metrics: Metrics;
  startedAt: Date;
}): Router {
  const router = Router();

  router.get('/healthz', async (_req, res) => {
    const t0 = performance.now();
    const storeCheck = await deps.store
      .ping()
      .then(() => ({ ok: true, kind: deps.store.kind, latencyMs: Math.round((performance.now() - t0) * 10) / 10 }))
      .catch((err: Error) => ({ ok: false, kind: deps.store.kind, error: err.message }));
    const [search, tools] = await Promise.all([deps.search.health(), deps.tools()]);
    const checks = {
      store: storeCheck,
      search: { ok: search.ok, version: search.version ?? null, ...(search.error ? { error: search.error } : {}) },
      ffmpeg: { ok: tools.ffmpeg !== null, version: tools.ffmpeg },
      ffprobe: { ok: tools.ffprobe !== null, version: tools.ffprobe },
    };
    const ok = Object.values(checks).every((c) => c.ok);
    res.status(ok ? 200 : 503).setHeader('Cache-Control', 'no-store').json({
      status: ok ? 'ok' : 'degraded',
      checks,
      uptimeSec: Math.round((Date.now() - deps.startedAt.getTime()) / 1000),
    });
  });

  router.get('/metrics', async (_req, res) => {
    deps.metrics.searchUp.set(deps.search.available ? 1 : 0);
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });

  return router;
}
