import { App, type Receiver } from '@slack/bolt';
import { slackApiBase, slackLogger } from '../../server/connectors/slack/web-client';
import { registerListeners, type SlackDeps } from './listeners';

export interface SlackAppOptions extends Omit<SlackDeps, 'logger'> {
  botToken: string;
  /** SLACK_API_URL: the Web API elsewhere (tests, enterprise proxies). */
  apiUrl?: string;
  logger: SlackDeps['logger'];
}

// Long enough to upload a large CSV export, short enough that a stuck call gets an answer.
const LISTENER_CALL_TIMEOUT_MS = 30_000;

/** The Bolt app with every listener, on the receiver that carries Slack's requests to it. */
export function createSlackApp(o: SlackAppOptions, receiver: Receiver): App {
  const logger = o.logger.child({ platform: 'slack' });
  const app = new App({
    token: o.botToken,
    receiver,
    logger: slackLogger(logger),
    // Bolt's conversation store keeps state in process memory; PostgreSQL holds all of ours,
    // and its lookup (a thrown "not found" per click) is work on the busiest path.
    convoStore: false,
    clientOptions: {
      ...(o.apiUrl && { slackApiUrl: slackApiBase(o.apiUrl) }),
      // Someone is waiting for the answer: one quick retry, not the default half hour of them
      // (an upload that fails falls back to the download link).
      retryConfig: { retries: 1, factor: 1, minTimeout: 300, maxTimeout: 300 },
      timeout: LISTENER_CALL_TIMEOUT_MS,
    },
  });
  registerListeners(app, { chat: o.chat, events: o.events, logger });
  return app;
}
