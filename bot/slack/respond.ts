import type { RespondArguments, RespondFn } from '@slack/bolt';
import { renderSlack } from '../../cards/render-slack';
import type { CardReply } from '../../cards/reply';

/**
 * Shows a reply at the payload's response_url. Bolt's respond returns fetch's Response with
 * its body unread, which keeps the connection busy until collected: read here, each answer
 * leaves its kept-alive connection free for the next.
 */
export const respondWith =
  (respond: RespondFn, how: RespondArguments) =>
  async (reply: CardReply): Promise<void> => {
    const res: unknown = await respond({ ...how, ...renderSlack(reply) });
    if (res instanceof Response) await res.arrayBuffer();
  };
