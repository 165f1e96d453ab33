import type { App } from '@slack/bolt';
import { LINK_ACTION } from '../../../cards/render-slack';
import { publishHome } from '../home';
import { answer } from '../modals';
import { inputsOf, parsed } from '../payload';
import { replaceClicked, respondWith } from '../respond';
import { slackTurn } from '../turn';
import type { SlackDeps } from './deps';

/**
 * Every card button: its action_id is the card's verb, its value the action's data; what the
 * card's inputs hold comes in the state (a message's, or the Home view's) and joins the data,
 * as Teams sends it. The answer replaces the clicked message, opens as a modal when it is a
 * form, or, for a click on the Home (no message to replace, no response_url), is shown on top
 * of the Home published again.
 */
export function registerCardButtons(app: App, { chat, logger }: SlackDeps) {
  // Every block action, so that none waits 3 s for an ack and shows the clicker an error:
  // a button of a card from another version is told so by the chat layer, like any unknown verb.
  app.action({ type: 'block_actions' }, async ({ ack, body, action, client }) => {
    const receivedAt = performance.now();
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button') return;
    const verb = /^([A-Za-z]+)#\d+$/.exec(action.action_id)?.[1] ?? action.action_id;
    // A link button opens its URL in Slack; the click is only reported, and nothing is due.
    if (verb === LINK_ACTION || action.url) return;
    const container = (body.container ?? {}) as {
      channel_id?: string;
      message_ts?: string;
      is_ephemeral?: boolean;
    };
    // The clicked message is replaced below: the outbox need not refresh it too.
    const turn = slackTurn(
      body.team?.id ?? body.user.team_id ?? '',
      body.user.id,
      client,
      container.channel_id && container.message_ts
        ? { conversationId: container.channel_id, messageId: container.message_ts }
        : undefined,
    );
    const reply = await chat.action(turn, verb, {
      ...inputsOf(body.state?.values ?? body.view?.state.values),
      ...parsed(action.value),
    });
    const onHome = body.view?.type === 'home';
    await answer(reply, {
      client,
      userId: body.user.id,
      show: onHome
        ? (shown) => publishHome(chat, turn, client, shown)
        : replaceClicked(
            body.response_url,
            {
              channel: container.channel_id,
              ts: container.message_ts,
              ephemeral: container.is_ephemeral,
            },
            client,
            logger,
          ),
      trigger: {
        id: body.trigger_id,
        receivedAt,
        // An ephemeral message cannot be updated later: only a real one is remembered.
        clicked: container.is_ephemeral ? undefined : turn.clicked,
        // Beside the clicked message, which stays as it is.
        ...(!onHome && {
          tell: respondWith(body.response_url, {
            response_type: 'ephemeral',
            replace_original: false,
          }),
        }),
      },
      logger,
    });
  });
}
