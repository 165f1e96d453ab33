import type { Router } from 'express';
import type { Logger } from 'pino';
import { renderSlack } from '../cards/render-slack';
import { renderSlackHome } from '../cards/render-slack-home';
import { renderTeamsCard } from '../cards/render-teams';
import type { Config } from '../server/config';
import type { Clock } from '../server/domain/clock';
import type { Services } from '../server/domain/services';
import { runInBackground } from '../server/work/background';
import { ChatService } from './core/chat-service';
import { Dispatcher } from './core/dispatcher';
import { deliveryRenderer } from './core/render-delivery';
import { slackMode } from './slack/mode';
import { createSlackRouter, slackWebClient } from './slack/router';
import { createSlackSocket } from './slack/socket-mode';
import { SlackTransport } from './slack/transport';
import { createTeamsAdapter } from './teams/adapter';
import { UNAUTHENTICATED_WARNING } from './teams/loopback-guard';
import { createTeamsRouter } from './teams/router';
import { TeamsTransport } from './teams/transport';

export interface ChatLayer {
  routers: Array<[path: string, router: Router]>;
  /** Starts delivering the outbox, and connects to Slack in Socket Mode. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The chat layer of one process: Teams on /api/messages, Slack when it is configured (over
 * HTTP on /slack/events, or over a socket in Socket Mode; see slackMode), and the outbox
 * dispatcher.
 */
export function createChatLayer(deps: {
  config: Config;
  services: Services;
  clock: Clock;
  logger: Logger;
  databaseUrl: string;
}): ChatLayer {
  const { config, services, clock, logger } = deps;
  const authenticated = Boolean(config.microsoftAppId);
  if (!authenticated) logger.warn(UNAUTHENTICATED_WARNING);
  const adapter = createTeamsAdapter(config);
  const chat = new ChatService({
    services,
    clock,
    logger: logger.child({ component: 'chat' }),
    publicUrl: config.publicUrl,
    allowedTenants: { teams: config.allowedTenants, slack: config.allowedTeams },
  });
  const slackClient = config.slackBotToken ? slackWebClient({ ...config, logger }) : null;
  const dispatcher = new Dispatcher({
    deliveries: services.deliveries,
    transports: {
      teams: new TeamsTransport(adapter, config.microsoftAppId ?? ''),
      ...(slackClient && { slack: new SlackTransport(slackClient) }),
    },
    render: deliveryRenderer(
      services,
      clock,
      {
        teams: (reply) => renderTeamsCard(reply.card, reply.data),
        slack: (reply) => ({ ...renderSlack(reply) }),
      },
      { slack: (cards) => renderSlackHome(cards) },
    ),
    clock,
    logger: logger.child({ component: 'dispatcher' }),
  });
  let stopOutbox: () => Promise<void> = async () => undefined;
  const slackDeps = {
    botToken: config.slackBotToken ?? '',
    apiUrl: config.slackApiUrl,
    chat,
    events: services.inboundEvents,
    logger,
  };
  const mode = slackMode(config);
  if (config.slackBotToken && mode === 'off') {
    logger.warn(
      'SLACK_BOT_TOKEN without SLACK_SIGNING_SECRET or SLACK_APP_TOKEN: Accessbot posts to Slack but hears nothing from it',
    );
  }
  if (mode === 'socket' && config.slackSigningSecret) {
    logger.info('Slack in Socket Mode: SLACK_SIGNING_SECRET is not used');
  }
  // Socket Mode needs no route: the app opens the connection to Slack.
  const socket =
    mode === 'socket' ? createSlackSocket({ ...slackDeps, appToken: config.slackAppToken! }) : null;
  const slack: Array<[string, Router]> =
    mode === 'http'
      ? [['/slack', createSlackRouter({ ...slackDeps, signingSecret: config.slackSigningSecret! })]]
      : [];
  return {
    routers: [
      ['/api/messages', createTeamsRouter({ adapter, chat, logger, authenticated })],
      ...slack,
    ],
    async start() {
      stopOutbox = runInBackground(dispatcher, 'outbox', deps.databaseUrl, logger);
      if (socket) await socket.start();
    },
    async stop() {
      await socket?.stop();
      await stopOutbox();
    },
  };
}
