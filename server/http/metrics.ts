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
  collectDefaultMetrics({ register: registry, prefix: 'schichtbuch_' });
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
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : req.baseUrl || 'unmatched';
      end({ method: req.method, route: String(route), status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware, searchUp, loginFailures };
}
