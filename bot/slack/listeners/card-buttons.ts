import type { App } from '@slack/bolt';
import { answer } from '../modals';
import { inputsOf, parsed } from '../payload';
import { slackTurn } from '../turn';
import type { SlackDeps } from './deps';

/**
 * Every card button: its action_id is the card's verb, its value the action's data; what the
 * card's inputs hold comes in the state and joins the data, as Teams sends it. The answer
 * replaces the clicked message, or opens as a modal when it is a form.
 */
export function registerCardButtons(app: App, { chat, logger }: SlackDeps) {
  app.action(/^[A-Za-z]+#\d+$/, async ({ ack, body, action, respond, client }) => {
    const receivedAt = performance.now();
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action)) {
      return;
    }
    const verb = action.action_id.split('#')[0];
    const container = (body.container ?? {}) as {
      channel_id?: string;
      message_ts?: string;
      is_ephemeral?: boolean;
    };
    const turn = {
      ...slackTurn(body.team?.id ?? body.user.team_id ?? '', body.user.id, client),
      // The clicked message is replaced below: the outbox need not refresh it too.
      ...(container.channel_id &&
        container.message_ts && {
          clicked: { conversationId: container.channel_id, messageId: container.message_ts },
        }),
    };
    const reply = await chat.action(turn, verb, {
      ...inputsOf(body.state?.values),
      ...parsed(action.value),
    });
    await answer(reply, {
      client,
      userId: body.user.id,
      show: (surface) => respond({ replace_original: true, ...surface }),
      trigger: {
        id: body.trigger_id,
        receivedAt,
        respond,
        // An ephemeral message cannot be updated later: only a real one is remembered.
        clicked: container.is_ephemeral ? undefined : turn.clicked,
      },
      logger,
    });
  });
}
