// Prometheus metrics: process defaults plus request latency by route template (never by raw URL: ids would explode cardinality).
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  middleware: RequestHandler;
  searchUp: Gauge;
  loginFailures: Counter;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  // event-loop lag sampled every 100 ms, not prom-client's 10 ms: 100 timer wake-ups a second were most of an in-process
  // worker's idle CPU during a transcode (bench/ingest); lag histograms at 0.1 s resolution are enough for alerts
  collectDefaultMetrics({ register: registry, prefix: 'schichtbuch_', eventLoopMonitoringPrecision: 100 });
  const duration = new Histogram({
    name: 'schichtbuch_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const searchUp = new Gauge({
    name: 'schichtbuch_search_up',
    help: '1 when Meilisearch answers its health check',
    registers: [registry],
  });
  const loginFailures = new Counter({
    name: 'schichtbuch_login_failures_total',
    help: 'Rejected login attempts',
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      end({ method: req.method, route: routeLabel(req.baseUrl, req.route?.path), status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware, searchUp, loginFailures };
}

const uuidSegment = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The route pattern of a request, never its values: routers mounted at `/interviews/:id/…` see the matched ids in
 * `baseUrl`, so any segment that is not a fixed word of the API (uuids, grants, tokens, numbers) becomes `:param`.
 * Unmatched requests share one label, so scanners cannot grow the series either.
 */
export function routeLabel(baseUrl: string, routePath: unknown): string {
  if (routePath === undefined || routePath === null) return 'unmatched';
  const pattern = `${baseUrl}${Array.isArray(routePath) ? routePath.join('|') : String(routePath)}`;
  return pattern
    .split('/')
    .map((seg) =>
      seg.startsWith(':') ||
      seg === '' ||
      (/^[a-z][a-z0-9._|*-]{0,40}$/i.test(seg) && !uuidSegment.test(seg) && !/\d{3,}/.test(seg))
        ? seg
        : ':param',
    )
    .join('/');
}
