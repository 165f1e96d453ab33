import express, { type Router } from 'express';
import type { CloudAdapter } from 'botbuilder';
import type { Logger } from 'pino';
import { renderTeamsCard } from '../../cards/render-teams';
import type { Chat } from '../core/chat';
import { loopbackOnly } from './loopback-guard';
import { routeActivity } from './route-activity';

/** POST /api/messages: Bot Framework activities from Teams, through the CloudAdapter. */
export function createTeamsRouter(deps: {
  adapter: CloudAdapter;
  chat: Chat;
  logger: Logger;
  authenticated: boolean;
}): Router {
  const logger = deps.logger.child({ platform: 'teams' });
  deps.adapter.onTurnError = async (_turn, err) => {
    // The chat layer answers every failure it knows; this is what it did not.
    logger.error({ err: { message: err.message, stack: err.stack } }, 'Teams turn failed');
  };
  const render = (reply: { card: Parameters<typeof renderTeamsCard>[0]; data: unknown }) =>
    renderTeamsCard(reply.card, reply.data);
  const router = express.Router();
  if (!deps.authenticated) router.use(loopbackOnly);
  router.post('/', express.json({ limit: '256kb' }), async (req, res) => {
    await deps.adapter.process(req, res, (turn) =>
      routeActivity(turn, { chat: deps.chat, render, logger }),
    );
  });
  return router;
}
