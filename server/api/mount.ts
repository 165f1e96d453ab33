import type { Request, Response, Router } from 'express';
import type { Actor } from '../domain/actor';
import type { Services } from '../domain/services';
import { sendCsv } from './csv/render';
import { HttpError } from './http-error';
import { parseInput } from './validation';
import { expressPath, pathParamNames } from './path-params';
import type { Reply, Route } from './route';

/** A table row whose path and params disagree would serve unchecked ids: refuse to start. */
function checkParams(route: Route) {
  const inPath = pathParamNames(route.path).sort();
  const declared = Object.keys(route.params?.shape ?? {}).sort();
  if (inPath.join() !== declared.join()) {
    throw new Error(
      `${route.method.toUpperCase()} ${route.path}: path has {${inPath}} but params declare {${declared}}`,
    );
  }
}

function bodyOf(req: Request): unknown {
  const empty = !req.get('transfer-encoding') && Number(req.get('content-length') ?? 0) === 0;
  if (!empty && req.is('application/json') === false) {
    throw new HttpError(415, 'unsupportedMediaType', 'Send the body as application/json.');
  }
  // No body at all reads as an empty object, so bodies whose fields are all optional may be omitted.
  return req.body ?? {};
}

function send(route: Route, req: Request, res: Response, reply: Reply) {
  switch (reply.kind) {
    case 'json':
      if (reply.location) res.location(`${req.baseUrl}${reply.location}`);
      res.status(route.success.status).json(reply.body);
      return;
    case 'empty':
      res.status(204).end();
      return;
    case 'csv':
      return sendCsv(res, reply.file);
  }
}

/** Registers every row: params, query and body are parsed by its schemas before its handler runs. */
export function mountRoutes(
  router: Router,
  routes: readonly Route[],
  deps: { services: Services; actorOf: (res: Response) => Actor },
) {
  for (const route of routes) {
    checkParams(route);
    router[route.method](expressPath(route.path), async (req, res) => {
      const params = route.params ? parseInput(route.params, req.params, 'path') : {};
      const query = route.query ? parseInput(route.query, req.query, 'query') : {};
      const body = route.body ? parseInput(route.body, bodyOf(req), 'body') : undefined;
      const actor = deps.actorOf(res);
      const reply = await route.handler({ services: deps.services, actor, params, query, body });
      await send(route, req, res, reply);
    });
  }
}
