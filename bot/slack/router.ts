import { ExpressReceiver } from '@slack/bolt';
import type { Router } from 'express';
import { slackLogger, slackWebClient } from '../../server/connectors/slack/web-client';
import { unreadablePayload } from './payload';
import { createSlackApp, type SlackAppOptions } from './slack-app';

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
  const logger = o.logger.child({ platform: 'slack' });
  const receiver = new ExpressReceiver({
    signingSecret: o.signingSecret,
    endpoints: '/events',
    processBeforeResponse: o.processBeforeResponse ?? false,
    logger: slackLogger(logger),
    processEventErrorHandler: unreadablePayload(logger),
  });
  createSlackApp(o, receiver);
  return receiver.router as Router;
}

/** The Web API client for sends the dispatcher makes, the one the connectors use. */
export { slackWebClient };
