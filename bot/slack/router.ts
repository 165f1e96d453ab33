import { App, ExpressReceiver, LogLevel, webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Chat } from '../core/chat';
import { answer, registerDialogs } from './modals';
import { inputsOf, parsed, unreadablePayload } from './payload';
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
    processEventErrorHandler: unreadablePayload(logger),
  });
  const app = new App({
    token: o.botToken,
    receiver,
    logger: boltLogger(logger),
    ...(o.apiUrl && { clientOptions: { slackApiUrl: apiBase(o.apiUrl) } }),
  });
  app.command('/access', async ({ ack, command, respond, client }) => {
    const receivedAt = performance.now();
    await ack();
    const reply = await o.chat.message(
      slackTurn(command.team_id, command.user_id, client),
      command.text,
    );
    await answer(reply, {
      client,
      triggerId: command.trigger_id,
      respond,
      message: { response_type: 'ephemeral' },
      receivedAt,
      logger,
    });
  });
  // Every card button: its action_id is the card's verb, its value the action's data; what the
  // card's inputs hold comes in the state and joins the data, as Teams sends it.
  app.action(/^[A-Za-z]+#\d+$/, async ({ ack, body, action, respond, client }) => {
    const receivedAt = performance.now();
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action)) {
      return;
    }
    const verb = action.action_id.split('#')[0];
    const container = (body.container ?? {}) as {
      channel_id?: string;
      message_ts?: string;
      is_ephemeral?: boolean;
    };
    const turn = {
      ...slackTurn(body.team?.id ?? body.user.team_id ?? '', body.user.id, client),
      // The clicked message is replaced below: the outbox need not refresh it too.
      ...(container.channel_id &&
        container.message_ts && {
          clicked: { conversationId: container.channel_id, messageId: container.message_ts },
        }),
    };
    const reply = await o.chat.action(turn, verb, {
      ...inputsOf(body.state?.values),
      ...parsed(action.value),
    });
    await answer(reply, {
      client,
      triggerId: body.trigger_id,
      respond,
      message: { replace_original: true },
      // An ephemeral message cannot be updated later: only a real one is remembered.
      clicked: container.is_ephemeral ? undefined : turn.clicked,
      receivedAt,
      logger,
    });
  });
  registerDialogs(app, { chat: o.chat, logger });
  app.error(async (err) => {
    logger.error({ err: { message: err.message } }, 'Slack listener failed');
  });
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

/** The WebClient wants the Web API's base with one trailing slash. */
const apiBase = (url: string) => `${url.replace(/\/+$/, '')}/`;

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
