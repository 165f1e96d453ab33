import { CardFactory, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Chat, ChatReply } from '../core/chat';
import { replies } from '../../cards/builders/replies';
import { chatTurnOf, commandText, UnidentifiedUser } from './turn';

/** Renders a neutral reply as an Adaptive Card for Teams. */
export type TeamsRenderer = (reply: ChatReply) => Record<string, unknown>;

const CARD = 'application/vnd.microsoft.card.adaptive';

/**
 * One Teams activity, routed by type through a table: a message is a command, an
 * `adaptiveCard/action` invoke a card button (answered in the invoke response, which replaces
 * the clicked card), an install the welcome. Anything else gets an explicit answer.
 */
export async function routeActivity(
  turn: TurnContext,
  deps: { chat: Chat; render: TeamsRenderer; logger: Logger },
): Promise<void> {
  try {
    await route(turn, deps);
  } catch (err) {
    if (!(err instanceof UnidentifiedUser)) throw err;
    // Not a person Teams authenticated in a tenant (a bot, a malformed activity): nobody to
    // act for, and nothing to tell them beyond that.
    deps.logger.warn({ type: turn.activity.type }, 'Teams activity without an Entra user');
    const reply = deps.render(replies.unidentified());
    if (turn.activity.type === 'invoke') {
      await answer(turn, 200, { statusCode: 200, type: CARD, value: reply });
    } else if (turn.activity.type === 'message') {
      await turn.sendActivity({ attachments: [CardFactory.adaptiveCard(reply)] });
    }
  }
}

async function route(
  turn: TurnContext,
  deps: { chat: Chat; render: TeamsRenderer; logger: Logger },
): Promise<void> {
  const { activity } = turn;
  const card = (reply: ChatReply) => CardFactory.adaptiveCard(deps.render(reply));
  switch (activity.type) {
    case 'message': {
      // A message with a value is an old-style Action.Submit; our cards only use Execute.
      if (!activity.text && activity.value) return;
      const reply = await deps.chat.message(chatTurnOf(turn), await commandText(turn));
      await turn.sendActivity({ attachments: [card(reply)] });
      return;
    }
    case 'invoke':
      return invoke(turn, deps);
    case 'conversationUpdate':
    case 'installationUpdate': {
      const added =
        activity.type === 'installationUpdate'
          ? activity.action === 'add'
          : (activity.membersAdded ?? []).some((m) => m.id === activity.recipient.id);
      if (!added || activity.conversation.conversationType !== 'personal') return;
      await turn.sendActivity({ attachments: [card(await deps.chat.welcome(chatTurnOf(turn)))] });
      return;
    }
    default:
      deps.logger.debug({ type: activity.type }, 'Teams activity ignored');
  }
}

async function invoke(
  turn: TurnContext,
  deps: { chat: Chat; render: TeamsRenderer },
): Promise<void> {
  const { activity } = turn;
  if (activity.name !== 'adaptiveCard/action') {
    await answer(turn, 200, {
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: replies.unsupportedInvoke(),
    });
    return;
  }
  const value = activity.value as { action?: { verb?: unknown; data?: unknown } } | undefined;
  const verb = typeof value?.action?.verb === 'string' ? value.action.verb : '';
  const replace = await deps.chat.action(chatTurnOf(turn), verb, value?.action?.data);
  // Nothing else is sent in this turn: Teams waits for the invoke response, and what others
  // must see goes through the outbox.
  await answer(turn, 200, { statusCode: 200, type: CARD, value: deps.render(replace) });
}

function answer(turn: TurnContext, status: number, body: unknown) {
  return turn.sendActivity({ type: 'invokeResponse', value: { status, body } });
}
