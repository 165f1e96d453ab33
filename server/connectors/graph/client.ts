import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type AuthenticationProvider,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import type { Transport } from './transport';
import { retryAfterMs } from '../retry';

export interface RetryLimits {
  /** Retries of a 429, 503 or 504 within one call (the Graph client's RetryHandler). */
  maxRetries: number;
  /**
   * The longest Retry-After waited for within a call; a longer one fails the call at once and
   * the fulfillment worker tries again on its own schedule, rather than hold a worker.
   */
  maxRetryAfterSeconds: number;
  /** The wait before a retry when the answer has no Retry-After. */
  delaySeconds: number;
}

/** Gives each attempt, retries included, its own time limit. */
class TimeoutHandler implements Middleware {
  private next?: Middleware;

  constructor(private readonly timeoutMs: number) {}

  async execute(context: Context): Promise<void> {
    context.options = { ...context.options, signal: AbortSignal.timeout(this.timeoutMs) };
    await this.next!.execute(context);
  }

  setNext(next: Middleware) {
    this.next = next;
  }
}

/**
 * The Graph client with the SDK's default middleware, its retries bounded, and a time limit
 * on every attempt. `apiUrl` is the base with its version (https://graph.microsoft.com/v1.0).
 */
export function createGraphClient(
  apiUrl: string,
  auth: AuthenticationProvider,
  transport: Transport,
  limits: RetryLimits,
): Client {
  const url = new URL(apiUrl);
  const path = url.pathname.replace(/\/+$/, '');
  const version = path.slice(path.lastIndexOf('/') + 1);
  const retry = new RetryHandlerOptions(
    limits.delaySeconds,
    limits.maxRetries,
    (_delay, _attempt, _request, _options, response) =>
      (retryAfterMs(response?.headers.get('retry-after'), new Date()) ?? 0) <=
      limits.maxRetryAfterSeconds * 1000,
  );
  return Client.initWithMiddleware({
    baseUrl: `${url.origin}${path.slice(0, path.lastIndexOf('/'))}`,
    defaultVersion: version,
    // The SDK sends the token only to Graph's own hosts and to these.
    customHosts: new Set([url.hostname]),
    fetchOptions: transport.dispatcher ? ({ dispatcher: transport.dispatcher } as object) : {},
    middleware: [
      new AuthenticationHandler(auth),
      new RetryHandler(retry),
      new RedirectHandler(),
      new TelemetryHandler(),
      new TimeoutHandler(transport.timeoutMs),
      new HTTPMessageHandler(),
    ],
  });
}
