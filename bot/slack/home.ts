import type { webApi } from '@slack/bolt';
import { renderSlackHome } from '../../cards/render-slack-home';
import type { Chat, ChatReply, ChatTurn } from '../core/chat';

/**
 * Publishes the person's App Home as it is now (their access, their open requests, what waits
 * for their decision); `after`: the answer to their click on it, shown on top. Changes reach
 * it afterwards through the outbox.
 */
export async function publishHome(
  chat: Chat,
  turn: ChatTurn,
  client: webApi.WebClient,
  after?: ChatReply,
): Promise<void> {
  const { blocks } = renderSlackHome(await chat.home(turn, after));
  await client.views.publish({
    user_id: turn.user.platformUserId,
    view: { type: 'home', blocks: blocks as unknown as webApi.KnownBlock[] },
  });
}
