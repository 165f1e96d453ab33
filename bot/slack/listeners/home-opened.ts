import type { App } from '@slack/bolt';
import { publishHome } from '../home';
import { slackTurn } from '../turn';
import type { SlackDeps } from './deps';

/** Opening the Home tab publishes the person's Home; a click on it publishes it again. */
export function registerHomeOpened(app: App, { chat }: SlackDeps) {
  app.event('app_home_opened', async ({ event, body, context, client }) => {
    // The Messages tab is the conversation with the bot: nothing to publish there.
    if (event.tab !== 'home') return;
    const teamId = context.teamId ?? body.team_id;
    await publishHome(chat, slackTurn(teamId, event.user, client), client);
  });
}
