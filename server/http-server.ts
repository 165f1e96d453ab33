import http, { type RequestListener } from 'node:http';
import type { Socket } from 'node:net';

// Express gives every request and response the app's prototype (app.handle), and then it and
// Node add these properties. On Node 20's V8, a property added after a prototype change makes
// a new hidden class for that one object, every time, and hidden classes live in the old
// generation: an Express echo server promoted 7.8 KB a request, 1.1 KB with the properties
// made up front, and full collections came that much more often. Each is made here with the
// value it would read anyway (undefined, or what the prototype gives): nothing behaves
// differently (test/infra/http-server.test.ts).
const REQUEST_FIELDS = [
  'res',
  'next',
  'baseUrl',
  'originalUrl',
  '_parsedUrl',
  'params',
  'route',
  'body',
  '_eventsCount',
  // When a request goes to Express's final handler (nothing answered, or an error).
  '_parsedOriginalUrl',
  '__onFinished',
];
const RESPONSE_FIELDS = ['locals', 'statusCode', 'statusMessage', '__onFinished'];

/** Makes `fields` own properties of `target`, in this order, with the values they read now. */
function own(target: object, fields: string[]) {
  const t = target as Record<string, unknown>;
  for (const field of fields) {
    const value = t[field];
    t[field] = value;
  }
}

class AppRequest extends http.IncomingMessage {
  constructor(socket: Socket) {
    super(socket);
    own(this, REQUEST_FIELDS);
  }
}

class AppResponse<R extends http.IncomingMessage> extends http.ServerResponse<R> {
  constructor(req: R) {
    super(req);
    own(this, RESPONSE_FIELDS);
  }
}

/** The HTTP server for the app, with requests and responses shaped as Express will use them. */
export function createHttpServer(app: RequestListener): http.Server {
  return http.createServer({ IncomingMessage: AppRequest, ServerResponse: AppResponse }, app);
}
