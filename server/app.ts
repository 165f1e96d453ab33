import express, { type ErrorRequestHandler, type Router } from 'express';
import type { DataSource } from 'typeorm';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

export interface AppOptions {
  dataSource: DataSource;
  logger: Logger;
  metrics: Metrics;
  /** Mounted in order. Each parses its own body: Slack's router needs the raw bytes to verify. */
  routers?: Array<[path: string, router: Router]>;
}

export function createApp({
  dataSource,
  logger,
  metrics,
  routers = [],
}: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Nothing here answers conditional requests, and hashing every body (a card per click)
  // costs CPU on the busiest path.
  app.set('etag', false);
  app.use(metrics.middleware);

  app.get('/healthz', async (_req, res) => {
    try {
      await dataSource.query('SELECT 1');
      res.json({ status: 'ok' });
    } catch (err) {
      logger.error({ err }, 'health check: database unavailable');
      res.status(503).json({ status: 'unavailable' });
    }
  });

  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  for (const [path, router] of routers) app.use(path, router);

  app.use((req, res) => {
    res.status(404).json({
      error: { code: 'notFound', message: `No route for ${req.method} ${req.path}` },
    });
  });
  app.use(errorHandler(logger));
  return app;
}

/** Last resort for errors the routers did not answer themselves. */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    // Body parsers mark client mistakes (bad JSON, too large) with a 4xx status and `expose`.
    const clientError = typeof err?.status === 'number' && err.status >= 400 && err.status < 500;
    if (clientError && err.expose) {
      res.status(err.status).json({ error: { code: 'badRequest', message: String(err.message) } });
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'Internal error' } });
  };
}
