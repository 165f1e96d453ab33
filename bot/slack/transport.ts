import type { webApi } from '@slack/bolt';
import type { ClaimedDelivery } from '../../server/domain/deliveries';
import { SLACK_HOME_LIMITS, SLACK_LIMITS, withHeadroom } from '../core/rate-limiter';
import { SlackRefusal, slackError } from '../../server/connectors/slack/call';
import { Transient } from '../../server/connectors/retry';
import { DeliveryError, type ChatTransport, type PlatformCard } from '../core/transport';

// Marks the app's cards in Slack, each with the id of the delivery that posted it.
const CARD_EVENT = 'accessbot_card';
// A retry comes within minutes of the post it repeats: it is among the DM's latest messages.
const RECENT_MESSAGES = 50;

/**
 * Posts and replaces cards in the person's direct messages with the app. The client must be
 * made with `rejectRateLimitedCalls` and no retries: the dispatcher decides when to try again,
 * so that a 429's Retry-After holds back every send to that workspace, not one call.
 */
export class SlackTransport implements ChatTransport {
  readonly platform = 'slack';
  readonly limits = withHeadroom(SLACK_LIMITS);
  /** The App Home: views.publish replaces a person's Home whole. */
  readonly home = {
    limits: withHeadroom(SLACK_HOME_LIMITS),
    publish: async (to: ClaimedDelivery, view: PlatformCard) => {
      const { blocks } = view as { blocks: webApi.KnownBlock[] };
      await this.call('views.publish', () =>
        this.client.views.publish({ user_id: to.platformUserId, view: { type: 'home', blocks } }),
      );
    },
  };

  constructor(private readonly client: webApi.WebClient) {}

  async post(to: ClaimedDelivery, card: PlatformCard) {
    // Tried before: the earlier post may have reached Slack with its answer lost, or its
    // dispatcher died before recording it. Slack takes no idempotency key; the delivery's id
    // in the message's metadata finds it instead.
    if (to.attempts > 1) {
      // Slack refusing the lookup (a scope taken away) must not stop the card: posted again.
      const earlier = await this.findPosted(to).catch((err: DeliveryError) => {
        if (err.retryable) throw err;
        return null;
      });
      if (earlier) return earlier;
    }
    const { text, blocks } = card as { text: string; blocks: webApi.KnownBlock[] };
    const sent = await this.call('chat.postMessage', () =>
      // A user id as the channel: the app's direct messages with them.
      this.client.chat.postMessage({
        channel: to.platformUserId,
        text,
        blocks,
        metadata: { event_type: CARD_EVENT, event_payload: { delivery: to.id } },
      }),
    );
    if (!sent.channel || !sent.ts) throw new DeliveryError('Slack returned no message ts.', false);
    return { conversationId: sent.channel, messageId: sent.ts };
  }

  async update(to: ClaimedDelivery, card: PlatformCard) {
    const { text, blocks } = card as { text: string; blocks: webApi.KnownBlock[] };
    await this.call('chat.update', () =>
      this.client.chat.update({ channel: to.conversationId!, ts: to.messageId!, text, blocks }),
    );
  }

  /** The message an earlier attempt of this delivery posted, among the DM's latest. */
  private async findPosted(to: ClaimedDelivery) {
    const { channel } = await this.call('conversations.open', () =>
      this.client.conversations.open({ users: to.platformUserId }),
    );
    if (!channel?.id) return null;
    const { messages = [] } = await this.call('conversations.history', () =>
      this.client.conversations.history({
        channel: channel.id!,
        limit: RECENT_MESSAGES,
        include_all_metadata: true,
      }),
    );
    const posted = messages.find(
      (m) =>
        m.metadata?.event_type === CARD_EVENT &&
        (m.metadata.event_payload as { delivery?: unknown } | undefined)?.delivery === to.id,
    );
    return posted?.ts ? { conversationId: channel.id, messageId: posted.ts } : null;
  }

  private async call<T>(method: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      throw asDeliveryError(method, err);
    }
  }
}

/** The connectors' reading of a Web API failure (slackError), as the dispatcher needs it. */
function asDeliveryError(method: string, err: unknown): DeliveryError {
  const e = slackError(method, err);
  if (e instanceof Transient) return new DeliveryError(e.message, true, e.retryAfterMs);
  if (e instanceof SlackRefusal) return new DeliveryError(e.message, false);
  // Not an answer from Slack at all: a bug of ours or a reset; worth another try.
  return new DeliveryError(`Slack unreachable: ${e.message}`, true);
}
