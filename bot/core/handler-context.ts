import type { Logger } from 'pino';
import type { User } from '../../db/entities';
import type { Actor } from '../../server/domain/actor';
import type { Clock } from '../../server/domain/clock';
import type { Services } from '../../server/domain/services';
import type { ChatTurn } from './chat';

/** What every command and card handler gets: the domain, and who is acting. */
export interface HandlerContext {
  services: Services;
  clock: Clock;
  logger: Logger;
  /** Where people reach this server, for links. */
  publicUrl: string;
  turn: ChatTurn;
  user: User;
  actor: Actor;
}

/**
 * The clicker's card was replaced in the response to their click with a render of `version`:
 * recorded, so that the outbox does not send the same card again.
 */
export async function shownInReply(ctx: HandlerContext, version: number): Promise<void> {
  const clicked = ctx.turn.clicked;
  if (!clicked) return;
  await ctx.services.deliveries.shownInReply(
    ctx.turn.user.platform,
    clicked.conversationId,
    clicked.messageId,
    version,
  );
}
