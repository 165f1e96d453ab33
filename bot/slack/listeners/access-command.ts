import type { App } from '@slack/bolt';
import { showReply } from '../show-reply';
import { unescaped } from '../text';
import { slackTurn } from '../turn';
import type { SlackDeps } from './deps';

/** `/access`: exactly the commands Teams takes, answered privately in the channel it was typed in. */
export function registerAccessCommand(app: App, { chat, logger }: SlackDeps) {
  app.command('/access', async ({ ack, command, respond, client }) => {
    await ack();
    const reply = await chat.message(
      slackTurn(command.team_id, command.user_id, client),
      unescaped(command.text),
    );
    await showReply(
      client,
      command.user_id,
      reply,
      (surface) => respond({ response_type: 'ephemeral', ...surface }),
      logger,
    );
  });
}
