import { Router } from 'express';
import { safeEqual } from '../auth/secrets.js';
import type { Metrics } from '../http/metrics.js';
import type { StorageMonitor } from '../media/storage.js';
import { Problem } from '../http/problem.js';
import type { SearchEngine } from '../search/engine.js';
import type { Store } from '../store/repositories.js';
import { msg } from '../i18n/messages.js';

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
  /** The media store (writable, free space above STORAGE_RESERVE); /healthz is degraded without it. */
  storage?: StorageMonitor;
  /** METRICS_TOKEN; without it /metrics answers loopback requests only. */
  metricsToken?: string | undefined;
}): Router {
  const router = Router();

  router.get('/healthz', async (_req, res) => {
    const t0 = performance.now();
    const storeCheck = await deps.store
      .ping()
      .then(() => ({ ok: true, kind: deps.store.kind, latencyMs: Math.round((performance.now() - t0) * 10) / 10 }))
      .catch((err: Error) => ({ ok: false, kind: deps.store.kind, error: err.message }));
    const [search, tools, storage] = await Promise.all([deps.search.health(), deps.tools(), deps.storage?.check()]);
    const checks = {
      store: storeCheck,
      search: { ok: search.ok, version: search.version ?? null, ...(search.error ? { error: search.error } : {}) },
      ffmpeg: { ok: tools.ffmpeg !== null, version: tools.ffmpeg },
      ffprobe: { ok: tools.ffprobe !== null, version: tools.ffprobe },
      ...(storage ? { storage } : {}),
    };
    const ok = Object.values(checks).every((c) => c.ok);
    res
      .status(ok ? 200 : 503)
      .setHeader('Cache-Control', 'no-store')
      .json({
        status: ok ? 'ok' : 'degraded',
        checks,
        uptimeSec: Math.round((Date.now() - deps.startedAt.getTime()) / 1000),
      });
  });

  router.get('/metrics', async (req, res) => {
    // Only for the monitoring: a bearer token (METRICS_TOKEN), or a request from this machine that no proxy forwarded.
    const token = deps.metricsToken;
    const sent = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const allowed = token ? sent !== undefined && safeEqual(sent, token) : false;
    if (!allowed && !(isLoopback(req.socket.remoteAddress) && isLoopback(req.ip))) {
      throw new Problem(token ? 'unauthenticated' : 'forbidden', {
        detail: msg('http.metricsRefused'),
      });
    }
    deps.metrics.searchUp.set(deps.search.available ? 1 : 0);
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });

  return router;
}

function isLoopback(address: string | undefined): boolean {
  return (
    address !== undefined && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'))
  );
}
