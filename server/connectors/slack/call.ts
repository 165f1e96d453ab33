import { ErrorCode, type WebAPICallResult, type WebClient } from '@slack/web-api';
import { Transient, withRetries, type RetryOptions } from '../retry';

/** Slack answered `ok: false` with a code that asking again will not change. */
export class SlackRefusal extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
    /** The scope Slack says is missing, with `missing_scope`. */
    readonly needed?: string,
  ) {
    super(`Slack refused ${method}: ${code}.`);
  }
}

// Slack's own ways of saying "not now": worth asking again.
const TRANSIENT_CODES = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

// HTTP statuses worth asking again besides 5xx: a timeout, a rate limit.
const TRANSIENT_STATUS = new Set([408, 429]);

/** One Web API method call, with the connectors' retry policy; refusals are `SlackRefusal`s. */
export type SlackCall = (method: string, args: Record<string, unknown>) => Promise<SlackAnswer>;
export type SlackAnswer = WebAPICallResult & Record<string, unknown>;

export function slackCall(client: WebClient, retry: RetryOptions = {}): SlackCall {
  return (method, args) =>
    withRetries(async () => {
      try {
        return (await client.apiCall(method, args)) as SlackAnswer;
      } catch (err) {
        throw slackError(method, err);
      }
    }, retry);
}

interface WebApiError {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  headers?: Record<string, string>;
  original?: Error;
  data?: { error?: string; needed?: string };
}

/**
 * What a WebClient failure means, for every caller of the Web API (the connectors, and the
 * chat transport's outbox): `Transient` (ask again, after Retry-After when Slack says), or
 * `SlackRefusal` (asking again changes nothing); anything else comes back as it was.
 */
export function slackError(method: string, err: unknown): Error {
  const e = err as WebApiError;
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      return new Transient(
        `Slack is rate limiting ${method} (retry after ${e.retryAfter} s).`,
        (e.retryAfter ?? 0) * 1000,
      );
    case ErrorCode.HTTPError: {
      const status = e.statusCode ?? 0;
      if (status < 500 && !TRANSIENT_STATUS.has(status)) {
        return new SlackRefusal(method, `http_${status}`);
      }
      const message = `Slack answered HTTP ${status} to ${method}.`;
      const seconds = Number(e.headers?.['retry-after']);
      return new Transient(message, Number.isFinite(seconds) ? seconds * 1000 : undefined);
    }
    case ErrorCode.RequestError: {
      // Where the fetch's DOMException is not an Error of this realm (jest), the client wraps
      // it in a plain Error whose message starts with its name.
      const original = `${e.original?.name} ${e.original?.message}`;
      const timedOut = /TimeoutError|AbortError/.test(original);
      return new Transient(`Slack ${timedOut ? 'did not answer' : 'was unreachable'} (${method}).`);
    }
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      if (TRANSIENT_CODES.has(code))
        return new Transient(`Slack could not do ${method} (${code}).`);
      return new SlackRefusal(method, code, e.data?.needed);
    }
    default:
      return err instanceof Error ? err : new Error(String(err));
  }
}
