import { App, ExpressReceiver, LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Router } from 'express';
import type { Logger } from 'pino';
import { renderSlack } from '../../cards/render-slack';
import type { Chat } from '../core/chat';
import { slackTurn } from './turn';

export interface SlackOptions {
  signingSecret: string;
  botToken: string;
  /** SLACK_API_URL: the Web API elsewhere (tests, enterprise proxies). */
  apiUrl?: string;
  chat: Chat;
  logger: Logger;
  /** Tests: answer Slack only after the listener has finished, so replies are deterministic. */
  processBeforeResponse?: boolean;
}

/**
 * Slack over HTTP on the server's express app: Bolt verifies every request's signature and
 * timestamp, each listener acks first (Slack wants an answer within 3 s) and does the work
 * after. `/access` takes exactly the commands Teams takes, through the same chat layer.
 * Mounted at /slack: events and commands arrive at POST /slack/events.
 */
export function createSlackRouter(o: SlackOptions): Router {
  const logger = o.logger.child({ platform: 'slack' });
  const receiver = new ExpressReceiver({
    signingSecret: o.signingSecret,
    endpoints: '/events',
    processBeforeResponse: o.processBeforeResponse ?? false,
    logger: boltLogger(logger),
  });
  const app = new App({
    token: o.botToken,
    receiver,
    logger: boltLogger(logger),
    ...(o.apiUrl && { clientOptions: { slackApiUrl: `${o.apiUrl.replace(/\/+$/, '')}/` } }),
  });
  app.command('/access', async ({ ack, command, respond, client }) => {
    await ack();
    const reply = await o.chat.message(
      slackTurn(command.team_id, command.user_id, client),
      command.text,
    );
    await respond({ response_type: 'ephemeral', ...renderSlack(reply) });
  });
  app.error(async (err) => {
    logger.error({ err: { message: err.message } }, 'Slack listener failed');
  });
  return receiver.router as Router;
}

/** Bolt's logger interface over pino. */
function boltLogger(logger: Logger): BoltLogger {
  return {
    debug: (...m) => logger.debug(m.join(' ')),
    info: (...m) => logger.info(m.join(' ')),
    warn: (...m) => logger.warn(m.join(' ')),
    error: (...m) => logger.error(m.join(' ')),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}
