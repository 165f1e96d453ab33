import type { App } from '@slack/bolt';
import { renderSlack } from '../../../cards/render-slack';
import { slackTurn } from '../turn';
import type { SlackDeps } from './deps';

/**
 * Every card button: its action_id is the card's verb, its value the action's data; what the
 * card's inputs hold comes in the state and joins the data, as Teams sends it. The answer
 * replaces the clicked message.
 */
export function registerCardButtons(app: App, { chat }: SlackDeps) {
  app.action(/^[A-Za-z]+#\d+$/, async ({ ack, body, action, respond, client }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action)) {
      return;
    }
    const verb = action.action_id.split('#')[0];
    const container = (body.container ?? {}) as { channel_id?: string; message_ts?: string };
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
    await respond({ replace_original: true, ...renderSlack(reply) });
  });
}

/** A button's data; what cannot be read reaches the chat layer as nothing, which says so. */
function parsed(value: string | undefined): Record<string, unknown> {
  try {
    const data: unknown = JSON.parse(value ?? '{}');
    return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

type StateValue = {
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_date?: string | null;
  selected_options?: Array<{ value: string }>;
};

/** The values of a message's inputs, by input id (the block id our renderer gave them). */
function inputsOf(values: Record<string, Record<string, StateValue>> | undefined) {
  const inputs: Record<string, string> = {};
  for (const [blockId, elements] of Object.entries(values ?? {})) {
    for (const v of Object.values(elements)) {
      const value =
        v.value ??
        v.selected_option?.value ??
        v.selected_date ??
        (v.selected_options ? String(v.selected_options.length > 0) : undefined);
      if (value != null) inputs[blockId] = value;
    }
  }
  return inputs;
}
