import { App, ExpressReceiver, LogLevel, webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { Router } from 'express';
import type { Logger } from 'pino';
import { renderSlack } from '../../cards/render-slack';
import type { Chat } from '../core/chat';
import { publishHome, registerHome } from './home';
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
    ...(o.apiUrl && { clientOptions: { slackApiUrl: apiBase(o.apiUrl) } }),
  });
  app.command('/access', async ({ ack, command, respond, client }) => {
    await ack();
    const reply = await o.chat.message(
      slackTurn(command.team_id, command.user_id, client),
      command.text,
    );
    await respond({ response_type: 'ephemeral', ...renderSlack(reply) });
  });
  // Every card button: its action_id is the card's verb, its value the action's data; what the
  // card's inputs hold comes in the state and joins the data, as Teams sends it.
  app.action(/^[A-Za-z]+#\d+$/, async ({ ack, body, action, respond, client }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action)) {
      return;
    }
    const verb = action.action_id.split('#')[0];
    const container = (body.container ?? {}) as { channel_id?: string; message_ts?: string };
    const turn = {
      ...slackTurn(body.team?.id ?? body.user.team_id ?? '', body.user.id, client),
      // The clicked message is replaced below: the outbox need not refresh it too.
      ...(container.channel_id &&
        container.message_ts && {
          clicked: { conversationId: container.channel_id, messageId: container.message_ts },
        }),
    };
    const reply = await o.chat.action(turn, verb, {
      ...inputsOf(body.state?.values ?? body.view?.state.values),
      ...parsed(action.value),
    });
    // A click on the Home has no message to replace (and no response_url): the Home is
    // published again, with the answer on top.
    if (body.view?.type === 'home') return publishHome(o.chat, turn, client, reply);
    await respond({ replace_original: true, ...renderSlack(reply) });
  });
  registerHome(app, o.chat);
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

/** A button's data; what cannot be read reaches the chat layer as nothing, which says so. */
function parsed(value: string | undefined): Record<string, unknown> {
  try {
    const data: unknown = JSON.parse(value ?? '{}');
    return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

type StateValue = {
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_date?: string | null;
  selected_options?: Array<{ value: string }>;
};

/** The values of a message's inputs, by input id (the block id our renderer gave them). */
function inputsOf(values: Record<string, Record<string, StateValue>> | undefined) {
  const inputs: Record<string, string> = {};
  for (const [blockId, elements] of Object.entries(values ?? {})) {
    for (const v of Object.values(elements)) {
      const value =
        v.value ??
        v.selected_option?.value ??
        v.selected_date ??
        (v.selected_options ? String(v.selected_options.length > 0) : undefined);
      if (value != null) inputs[blockId] = value;
    }
  }
  return inputs;
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
