import type { App } from '@slack/bolt';
import { answer } from '../modals';
import { respondWith } from '../respond';
import { unescaped } from '../text';
import { slackTurn } from '../turn';
import type { SlackDeps } from './deps';

/**
 * `/access`: exactly the commands Teams takes, answered privately in the channel it was typed
 * in; a form opens as a modal with the command's trigger.
 */
export function registerAccessCommand(app: App, { chat, logger }: SlackDeps) {
  app.command('/access', async ({ ack, command, client }) => {
    const receivedAt = performance.now();
    await ack();
    const reply = await chat.message(
      slackTurn(command.team_id, command.user_id, client),
      unescaped(command.text),
    );
    await answer(reply, {
      client,
      userId: command.user_id,
      show: respondWith(command.response_url, { response_type: 'ephemeral' }),
      trigger: { id: command.trigger_id, receivedAt },
      logger,
    });
  });
}
