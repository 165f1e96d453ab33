import { ExpressReceiver, webApi } from '@slack/bolt';
import type { Router } from 'express';
import { boltLogger } from './bolt-logger';
import { apiBase, createSlackApp, type SlackAppOptions } from './slack-app';

export interface SlackOptions extends SlackAppOptions {
  signingSecret: string;
  /** Tests: answer Slack only after the listener has finished, so replies are deterministic. */
  processBeforeResponse?: boolean;
}

/**
 * Slack over HTTP on the server's express app: Bolt verifies every request's signature and
 * timestamp (so a replayed command is refused), then the listeners run.
 * Mounted at /slack: events, commands and clicks arrive at POST /slack/events.
 */
export function createSlackRouter(o: SlackOptions): Router {
  const receiver = new ExpressReceiver({
    signingSecret: o.signingSecret,
    endpoints: '/events',
    processBeforeResponse: o.processBeforeResponse ?? false,
    logger: boltLogger(o.logger.child({ platform: 'slack' })),
  });
  createSlackApp(o, receiver);
  return receiver.router as Router;
}

/** The Web API client for sends the dispatcher makes: it retries nothing itself. */
export function slackWebClient(o: { slackBotToken?: string; slackApiUrl?: string }) {
  return new webApi.WebClient(o.slackBotToken, {
    ...(o.slackApiUrl && { slackApiUrl: apiBase(o.slackApiUrl) }),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
}
