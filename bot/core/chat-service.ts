import type { Logger } from 'pino';
import type { Platform } from '../../db/entities';
import { homeCards } from '../../cards/builders/home';
import { replies } from '../../cards/builders/replies';
import { parseProblemCard } from '../../cards/builders/parse-problem';
import { ACTIONS, isActionVerb, type ActionData, type ActionVerb } from '../../cards/verbs';
import type { User } from '../../db/entities';
import type { Clock } from '../../server/domain/clock';
import type { Services } from '../../server/domain/services';
import type { Chat, ChatReply, ChatTurn, ChatUser } from './chat';
import type { Command } from './commands/grammar';
import { parseCommand } from './commands/parse';
import { replyToError } from './error-replies';
import { homeDataOf } from './home';
import { KnownPeople } from './known-people';
import * as admin from './handlers/admin-commands';
import * as actions from './handlers/card-actions';
import { completeTask } from './handlers/task-actions';
import { extendButton, extendCommand } from './handlers/extend';
import * as user from './handlers/user-commands';
import { TurnContext, type HandlerContext } from './handler-context';

export interface ChatOptions {
  services: Services;
  clock: Clock;
  logger: Logger;
  publicUrl: string;
  /** Per platform, the Teams tenants or Slack workspaces whose people may use the bot. */
  allowedTenants: Partial<Record<Platform, readonly string[]>>;
}

type CommandHandlers = {
  [V in Command['verb']]: (
    ctx: HandlerContext,
    c: Extract<Command, { verb: V }>,
  ) => Promise<ChatReply>;
};

// Every verb of the grammar has exactly one handler; the compiler keeps the table complete.
const COMMANDS: CommandHandlers = {
  help: user.help,
  packages: user.packages,
  request: user.request,
  requests: (ctx, c) =>
    c.packageName
      ? admin.packageRequests(ctx, { ...c, packageName: c.packageName })
      : user.myRequests(ctx),
  access: user.access,
  extend: extendCommand,
  cancel: user.cancel,
  approvals: user.approvals,
  assign: admin.assign,
  remove: admin.remove,
  assignments: admin.assignments,
  hide: admin.setHidden,
  unhide: admin.setHidden,
};

type ActionHandlers = {
  [V in ActionVerb]: (ctx: HandlerContext, d: ActionData<V>) => Promise<ChatReply>;
};

/** Every card verb has exactly one handler (a test checks the templates use no other). */
export const ACTION_HANDLERS: ActionHandlers = {
  refresh: actions.refresh,
  approve: (ctx, d) => actions.decide(ctx, 'approve', d),
  deny: (ctx, d) => actions.decide(ctx, 'deny', d),
  packagesSearch: actions.packagesPage,
  packagesPage: actions.packagesPage,
  requestOpen: actions.requestOpen,
  requestSubmit: actions.requestSubmit,
  requestCancel: actions.requestCancel,
  approvalsDecide: actions.approvalsDecide,
  taskDone: (ctx, d) => completeTask(ctx, 'done', d),
  taskFailed: (ctx, d) => completeTask(ctx, 'failed', d),
  extend: extendButton,
};

/** The chat layer for every platform: who is acting, what they asked, and the reply. */
export class ChatService implements Chat {
  private readonly people: KnownPeople;
  private readonly loggers = new Map<Platform, Logger>();

  constructor(private readonly o: ChatOptions) {
    this.people = new KnownPeople(o.clock);
  }

  private loggerOf(platform: Platform): Logger {
    let log = this.loggers.get(platform);
    if (!log) this.loggers.set(platform, (log = this.o.logger.child({ platform })));
    return log;
  }

  welcome(turn: ChatTurn): Promise<ChatReply> {
    return this.handle(turn, user.help);
  }

  message(turn: ChatTurn, text: string): Promise<ChatReply> {
    return this.handle(turn, async (ctx) => {
      const parsed = parseCommand(text);
      if (!parsed.ok) return parseProblemCard(parsed);
      const handler = COMMANDS[parsed.command.verb] as (
        ctx: HandlerContext,
        c: Command,
      ) => Promise<ChatReply>;
      return handler(ctx, parsed.command);
    });
  }

  action(turn: ChatTurn, verb: string, data: unknown): Promise<ChatReply> {
    return this.handle(turn, async (ctx) => {
      if (!isActionVerb(verb)) {
        return replies.oldCard();
      }
      const parsed = ACTIONS[verb].safeParse(data ?? {});
      if (!parsed.success) {
        return replies.unreadableCard();
      }
      const handler = ACTION_HANDLERS[verb] as (
        ctx: HandlerContext,
        d: unknown,
      ) => Promise<ChatReply>;
      return handler(ctx, parsed.data);
    });
  }

  home(turn: ChatTurn, after?: ChatReply): Promise<ChatReply[]> {
    return this.handle(
      turn,
      async (ctx) => homeCards(await homeDataOf(ctx.services, ctx.clock, ctx.actor), after),
      (reply) => [reply],
    );
  }

  /** Identifies the user, runs the handler, and turns every failure into a reply. */
  private async handle<R = ChatReply>(
    turn: ChatTurn,
    run: (ctx: HandlerContext) => Promise<R>,
    asReply: (reply: ChatReply) => R = (reply) => reply as R,
  ): Promise<R> {
    const log = this.loggerOf(turn.user.platform);
    try {
      const allowed = this.o.allowedTenants[turn.user.platform] ?? [];
      if (allowed.length && !allowed.includes(turn.user.tenantId)) {
        log.warn({ tenantId: turn.user.tenantId }, 'activity from a tenant that is not allowed');
        return asReply(replies.tenantNotAllowed());
      }
      const person = await this.identify(turn);
      const actor = this.o.services.identities.actorOf(person, turn.user.platform);
      const { services, clock, publicUrl } = this.o;
      return await run(new TurnContext(services, clock, publicUrl, turn, person, actor, log));
    } catch (err) {
      return asReply(replyToError(err, log));
    }
  }

  private async identify(turn: ChatTurn): Promise<User> {
    const u = turn.user;
    const seen = this.people.get(u);
    if (seen) return seen;
    const user = await this.lookUp(u);
    this.people.remember(u, user);
    return user;
  }

  private async lookUp(u: ChatUser): Promise<User> {
    const { services } = this.o;
    const known = await services.identities.recognise(
      u.platform,
      u.tenantId,
      u.platformUserId,
      u.conversationReference,
    );
    if (known) return known;
    const profile = await u.profile();
    return services.directory.resolvePlatformUser({
      platform: u.platform,
      tenantId: u.tenantId,
      platformUserId: u.platformUserId,
      email: profile.email,
      displayName: profile.displayName,
      ...(u.conversationReference && { conversationReference: u.conversationReference }),
    });
  }
}
