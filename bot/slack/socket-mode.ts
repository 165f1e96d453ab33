import { SocketModeReceiver } from '@slack/bolt';
import { slackApiBase, slackLogger } from '../../server/connectors/slack/web-client';
import { createSlackApp, type SlackAppOptions } from './slack-app';
import { guardEnvelopes } from './socket-envelopes';

export interface SlackSocketOptions extends SlackAppOptions {
  /** SLACK_APP_TOKEN (xapp-…), with the connections:write scope. */
  appToken: string;
}

export interface SlackSocket {
  /** Resolves once Slack has said hello on the socket; rejects on a refused app token. */
  start(): Promise<void>;
  /** Closes the socket; Slack sends nothing more to this process. */
  stop(): Promise<void>;
}

/**
 * Slack over a WebSocket the app opens (Socket Mode): no public URL and no signing secret, as
 * Slack authenticates the connection by the app token. The same listeners as over HTTP; every
 * envelope is acknowledged on the socket with its envelope id.
 */
export function createSlackSocket(o: SlackSocketOptions): SlackSocket {
  const logger = o.logger.child({ platform: 'slack', transport: 'socket' });
  const receiver = new SocketModeReceiver({
    appToken: o.appToken,
    logger: slackLogger(logger),
    ...(o.apiUrl && {
      installerOptions: { clientOptions: { slackApiUrl: slackApiBase(o.apiUrl) } },
    }),
    // An envelope Bolt cannot process would fail the same way again: acknowledge it.
    processEventErrorHandler: async ({ error }) => {
      logger.error({ err: { message: error.message } }, 'Slack envelope failed');
      return true;
    },
  });
  guardEnvelopes(receiver.client, logger);
  const app = createSlackApp(o, receiver);
  let stopped: Promise<void> | undefined;
  return {
    start: async () => {
      await app.start();
      logger.info('Slack Socket Mode connected');
    },
    // Once only: a second disconnect would wait for a close that already happened.
    stop: () => (stopped ??= receiver.client.disconnect()),
  };
}
