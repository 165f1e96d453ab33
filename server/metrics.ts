import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { WORK_KINDS, type Backlog } from './lifecycle/backlog';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  middleware: RequestHandler;
}

/**
 * A registry per app rather than prom-client's global one, so tests can build several apps.
 * `backlog` reads the lifecycle's due work when /metrics is scraped.
 */
export function createMetrics(backlog?: () => Promise<Backlog>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  if (backlog) registerBacklog(registry, backlog);

  const middleware: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer();
    res.on('finish', () => {
      // The route pattern, not the URL: a label per user id or request id would grow forever.
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };

  return { registry, httpDuration, middleware };
}

function registerBacklog(registry: Registry, read: () => Promise<Backlog>) {
  // One read per scrape, shared by the gauges that collect during it.
  let reading: Promise<Backlog> | null = null;
  const current = () => {
    reading ??= read().finally(() => setImmediate(() => (reading = null)));
    return reading;
  };
  new Gauge({
    name: 'accessbot_lifecycle_due',
    help: 'Lifecycle work due now and not yet done, by kind.',
    labelNames: ['work'] as const,
    registers: [registry],
    async collect() {
      const b = await current();
      for (const work of WORK_KINDS) this.set({ work }, b.due[work]);
    },
  });
  new Gauge({
    name: 'accessbot_lifecycle_lag_seconds',
    help: 'How long the oldest due item of each kind has waited.',
    labelNames: ['work'] as const,
    registers: [registry],
    async collect() {
      const b = await current();
      for (const work of WORK_KINDS) this.set({ work }, b.lagSeconds[work]);
    },
  });
  new Gauge({
    name: 'accessbot_scheduler_jobs_running',
    help: 'Scheduler jobs locked by a scheduler now.',
    registers: [registry],
    async collect() {
      this.set((await current()).jobsRunning);
    },
  });
  new Gauge({
    name: 'accessbot_scheduler_jobs_failed',
    help: 'Scheduler jobs whose last run failed.',
    registers: [registry],
    async collect() {
      this.set((await current()).jobsFailed);
    },
  });
}
