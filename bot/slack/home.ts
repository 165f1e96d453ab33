import type { App, webApi } from '@slack/bolt';
import { renderSlackHome } from '../../cards/render-slack-home';
import type { Chat, ChatReply, ChatTurn } from '../core/chat';
import { slackTurn } from './turn';

/**
 * The App Home: opening the Home tab publishes the person's Home (their access, their open
 * requests, what waits for their decision), registered from the router. Changes reach it
 * afterwards through the outbox; a click on it is answered by publishing it again.
 */
export function registerHome(app: App, chat: Chat): void {
  app.event('app_home_opened', async ({ event, body, context, client }) => {
    // The Messages tab is the conversation with the bot: nothing to publish there.
    if (event.tab !== 'home') return;
    const teamId = context.teamId ?? body.team_id;
    await publishHome(chat, slackTurn(teamId, event.user, client), client);
  });
}

/** Publishes the person's Home as it is now; `after`: the answer to their click on it. */
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
