import { WebClient } from '@slack/web-api';

export interface SlackClientOptions {
  slackBotToken?: string;
  /** SLACK_API_URL: the Web API elsewhere (tests, enterprise proxies). */
  slackApiUrl?: string;
  /** Per request; unset, a request may wait as long as Slack takes. */
  timeoutMs?: number;
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
  });
}

/** The WebClient wants the Web API's base with one trailing slash. */
export const slackApiBase = (url: string) => `${url.replace(/\/+$/, '')}/`;
