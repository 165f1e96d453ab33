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
 * A handler's context for one turn. A class, not an object literal spread from the chat's
 * options: on Node 20 an object built by a spread and then given more properties gets a hidden
 * class of its own, on every click, and this one (with its getter) went to dictionary mode.
 */
export class TurnContext implements HandlerContext {
  private childLogger?: Logger;

  constructor(
    readonly services: Services,
    readonly clock: Clock,
    readonly publicUrl: string,
    readonly turn: ChatTurn,
    readonly user: User,
    readonly actor: Actor,
    private readonly parentLogger: Logger,
  ) {}

  /** Made when a handler logs, which few do: a child logger costs on every click. */
  get logger(): Logger {
    return (this.childLogger ??= this.parentLogger.child({ userId: this.user.id }));
  }
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
