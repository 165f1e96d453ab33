import { LogLevel, WebClient, type Logger as WebApiLogger } from '@slack/web-api';
import type { Logger } from 'pino';

export interface SlackClientOptions {
  slackBotToken?: string;
  /** SLACK_API_URL: the Web API elsewhere (tests, enterprise proxies). */
  slackApiUrl?: string;
  /** Per request; unset, a request may wait as long as Slack takes. */
  timeoutMs?: number;
  /** Unset: the client's own console logger, errors only. */
  logger?: Logger;
}

/**
 * A Web API client that retries nothing itself: its callers decide (the outbox on its
 * schedule, the connectors through `withRetries`). The client's own retries would sleep on real
 * timers for up to half an hour and pause every other call of the client on a 429.
 */
export function slackWebClient(o: SlackClientOptions): WebClient {
  return new WebClient(o.slackBotToken, {
    ...(o.slackApiUrl && { slackApiUrl: slackApiBase(o.slackApiUrl) }),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    ...(o.timeoutMs && { timeout: o.timeoutMs }),
    ...(o.logger ? { logger: webApiLogger(o.logger) } : { logLevel: LogLevel.ERROR }),
  });
}

/** The client's log lines as pino's; its debug lines (request bodies) stay below info. */
const webApiLogger = (logger: Logger) => slackLogger(logger.child({ component: 'slack-web-api' }));

/** Slack's logger interface (the Web API client's and Bolt's) over pino. */
export function slackLogger(log: Logger): WebApiLogger {
  return {
    debug: (...m) => log.debug(m.join(' ')),
    info: (...m) => log.info(m.join(' ')),
    warn: (...m) => log.warn(m.join(' ')),
    error: (...m) => log.error(m.join(' ')),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}

/** The WebClient wants the Web API's base with one trailing slash. */
export const slackApiBase = (url: string) => `${url.replace(/\/+$/, '')}/`;
