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
import { createSlackRouter, slackWebClient } from './slack/router';
import { SlackTransport } from './slack/transport';
import { createTeamsAdapter } from './teams/adapter';
import { UNAUTHENTICATED_WARNING } from './teams/loopback-guard';
import { createTeamsRouter } from './teams/router';
import { TeamsTransport } from './teams/transport';

export interface ChatLayer {
  routers: Array<[path: string, router: Router]>;
  /** Starts delivering the outbox. */
  start(): void;
  stop(): Promise<void>;
}

/**
 * The chat layer of one process: Teams on /api/messages, Slack's `/access` on /slack/events
 * when it is configured, and the outbox dispatcher.
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
  const slackClient = config.slackBotToken ? slackWebClient(config) : null;
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
  let stop: () => Promise<void> = async () => undefined;
  const slack: Array<[string, Router]> =
    config.slackSigningSecret && config.slackBotToken
      ? [
          [
            '/slack',
            createSlackRouter({
              signingSecret: config.slackSigningSecret,
              botToken: config.slackBotToken,
              apiUrl: config.slackApiUrl,
              chat,
              logger,
            }),
          ],
        ]
      : [];
  return {
    routers: [
      ['/api/messages', createTeamsRouter({ adapter, chat, logger, authenticated })],
      ...slack,
    ],
    start() {
      stop = runInBackground(dispatcher, 'outbox', deps.databaseUrl, logger);
    },
    stop: () => stop(),
  };
}
