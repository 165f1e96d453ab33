import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import type { ApiToken } from '../config';
import { apiTokenActor } from '../domain/actor';
import type { Services } from '../domain/services';
import { bearerAuth, tokenNameOf } from './auth';
import { apiErrorHandler } from './error-handler';
import { HttpError } from './http-error';
import { mountRoutes } from './mount';
import { openApiDocument } from './openapi';
import { API_ROUTES } from './routes';

export interface ApiRouterOptions {
  services: Services;
  /** With none, every call but the OpenAPI document is refused. */
  tokens: readonly ApiToken[];
  logger: Logger;
}

/** The admin REST API, mounted at /api/v1. It parses its own JSON: there is no global parser. */
export function createApiRouter({ services, tokens, logger }: ApiRouterOptions): Router {
  const router = express.Router();
  const document = openApiDocument(API_ROUTES);

  router.use((_req, res, next) => {
    res.set('X-Request-Id', randomUUID());
    res.set('Cache-Control', 'no-store');
    next();
  });
  // Public, so that tools can discover the API before they hold a token.
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.use(bearerAuth(tokens));
  router.use(express.json({ limit: '100kb' }));
  mountRoutes(router, API_ROUTES, {
    services,
    actorOf: (res) => apiTokenActor(tokenNameOf(res)),
  });
  router.use((req, _res, next) => {
    next(new HttpError(404, 'notFound', `No admin API route for ${req.method} ${req.path}`));
  });
  router.use(apiErrorHandler(logger.child({ component: 'adminApi' })));
  return router;
}
