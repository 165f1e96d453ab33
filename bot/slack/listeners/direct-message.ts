import type { App } from '@slack/bolt';
import { renderSlack } from '../../../cards/render-slack';
import { answer } from '../modals';
import { unescaped } from '../text';
import { slackTurn } from '../turn';
import type { SlackDeps } from './deps';

/**
 * A message in the person's DM with the app is a command, as `/access` takes it: people expect
 * to type to the bot. Edits, joins and other bots' messages carry a subtype or a bot id and are
 * not commands; Bolt already drops the app's own messages. A message brings no trigger, so a
 * form is posted as its card, whose button then opens the modal where one is needed.
 */
export function registerDirectMessages(app: App, { chat, logger }: SlackDeps) {
  app.message(async ({ message, body, say, client }) => {
    if (message.channel_type !== 'im' || message.subtype !== undefined) return;
    if (message.bot_id || !message.user || message.text === undefined) return;
    const teamId = message.team ?? body.team_id;
    const reply = await chat.message(
      slackTurn(teamId, message.user, client),
      unescaped(message.text),
    );
    await answer(reply, {
      client,
      userId: message.user,
      show: (shown) => say(renderSlack(shown)),
      logger,
    });
  });
}
