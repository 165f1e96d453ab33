import {
  CardFactory,
  type CloudAdapter,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import type { ClaimedDelivery } from '../../server/domain/deliveries';
import { retryAfterMs } from '../../server/connectors/retry';
import { TEAMS_LIMITS, withHeadroom } from '../core/rate-limiter';
import {
  DeliveryError,
  RETRYABLE_STATUS,
  type ChatTransport,
  type PlatformCard,
} from '../core/transport';

/** Proactive sends through the Bot Connector, to the conversation a user has with the bot. */
export class TeamsTransport implements ChatTransport {
  readonly platform = 'teams';
  readonly limits = withHeadroom(TEAMS_LIMITS);

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async post(to: ClaimedDelivery, card: PlatformCard) {
    const reference = referenceOf(to);
    let messageId = '';
    await this.inConversation(reference, async (turn) => {
      const sent = await turn.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
      messageId = sent?.id ?? '';
    });
    if (!messageId) throw new DeliveryError('Teams returned no message id.', false);
    return { conversationId: reference.conversation.id, messageId };
  }

  async update(to: ClaimedDelivery, card: PlatformCard) {
    const reference = referenceOf(to);
    await this.inConversation(reference, async (turn) => {
      await turn.updateActivity({
        id: to.messageId!,
        type: 'message',
        conversation: reference.conversation,
        attachments: [CardFactory.adaptiveCard(card)],
      });
    });
  }

  private async inConversation(
    reference: ConversationReference,
    send: (turn: TurnContext) => Promise<void>,
  ) {
    try {
      await this.adapter.continueConversationAsync(this.appId, reference, send);
    } catch (err) {
      throw asDeliveryError(err);
    }
  }
}

function referenceOf(to: ClaimedDelivery): ConversationReference {
  const reference = to.conversationReference as Partial<ConversationReference> | null;
  if (!reference?.conversation?.id || !reference.serviceUrl) {
    // Teams lets a bot message only people who have a conversation with it.
    throw new DeliveryError('This person has not opened a chat with Accessbot yet.', false);
  }
  const stored = reference as ConversationReference;
  return to.conversationId && to.conversationId !== stored.conversation.id
    ? { ...stored, conversation: { ...stored.conversation, id: to.conversationId } }
    : stored;
}

interface HttpFailure {
  statusCode?: number;
  response?: { headers?: { get?(name: string): string | undefined } };
}

function asDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const failure = (err ?? {}) as HttpFailure;
  const message = err instanceof Error ? err.message : String(err);
  const status = failure.statusCode;
  // No status: the request never got an answer (a reset, a timeout), which is worth a retry.
  const retryable = status === undefined || RETRYABLE_STATUS.has(status);
  const after = retryAfterMs(failure.response?.headers?.get?.('retry-after'), new Date());
  return new DeliveryError(
    status ? `Teams answered ${status}: ${message}` : message,
    retryable,
    after,
  );
}
