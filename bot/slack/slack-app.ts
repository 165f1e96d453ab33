import { App, type Receiver } from '@slack/bolt';
import { boltLogger } from './bolt-logger';
import { registerListeners, type SlackDeps } from './listeners';

export interface SlackAppOptions extends Omit<SlackDeps, 'logger'> {
  botToken: string;
  /** SLACK_API_URL: the Web API elsewhere (tests, enterprise proxies). */
  apiUrl?: string;
  logger: SlackDeps['logger'];
}

/** The Bolt app with every listener, on the receiver that carries Slack's requests to it. */
export function createSlackApp(o: SlackAppOptions, receiver: Receiver): App {
  const logger = o.logger.child({ platform: 'slack' });
  const app = new App({
    token: o.botToken,
    receiver,
    logger: boltLogger(logger),
    ...(o.apiUrl && { clientOptions: { slackApiUrl: apiBase(o.apiUrl) } }),
  });
  registerListeners(app, { chat: o.chat, events: o.events, logger });
  return app;
}

/** The WebClient wants the Web API's base with one trailing slash. */
export const apiBase = (url: string) => `${url.replace(/\/+$/, '')}/`;
