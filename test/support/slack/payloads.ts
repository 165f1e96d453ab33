import type { FakeSlack } from './fake-slack';

let n = 0;

/** `/access <text>` typed by `userId` of workspace T1, as Slack posts a slash command. */
export function slashCommand(slack: FakeSlack, userId: string, text: string): string {
  const id = `slash${++n}`;
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T1',
    team_domain: 'woodgrove',
    channel_id: `D-${userId}`,
    user_id: userId,
    user_name: userId,
    command: '/access',
    text,
    response_url: slack.responseUrl(id),
    trigger_id: `trigger-${id}`,
    api_app_id: 'A1',
  }).toString();
}

/** Where a clicked button sits: the message's channel and ts. */
export interface SlackMessageRef {
  channel: string;
  ts: string;
  ephemeral?: boolean;
}

/**
 * A click by `userId` on `button` (a Block Kit button as rendered) of the message `on`, as
 * Slack posts a block_actions payload, with the message's inputs' state (by block id).
 */
export function buttonClick(
  slack: FakeSlack,
  userId: string,
  button: Record<string, unknown>,
  on: SlackMessageRef,
  inputs: Record<string, string> = {},
): string {
  const id = `click${++n}`;
  const payload = {
    type: 'block_actions',
    team: { id: 'T1', domain: 'woodgrove' },
    user: { id: userId, team_id: 'T1', username: userId },
    api_app_id: 'A1',
    trigger_id: `trigger-${id}`,
    response_url: slack.responseUrl(id),
    container: {
      type: 'message',
      message_ts: on.ts,
      channel_id: on.channel,
      is_ephemeral: on.ephemeral ?? false,
    },
    actions: [
      {
        type: 'button',
        action_id: button.action_id,
        block_id: 'actions',
        value: button.value,
        text: button.text,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
    state: {
      values: Object.fromEntries(
        Object.entries(inputs).map(([block, value]) => [
          block,
          { [block]: { type: 'plain_text_input', value } },
        ]),
      ),
    },
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** The buttons of a Block Kit message, in order. */
export const buttonsOf = (blocks: unknown): Array<Record<string, unknown>> =>
  ((blocks ?? []) as Array<Record<string, unknown>>)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Array<Record<string, unknown>>)
    .filter((e) => e.type === 'button');

/** The button whose verb (the action_id before '#') is `verb`. */
export function buttonFor(blocks: unknown, verb: string): Record<string, unknown> {
  const found = buttonsOf(blocks).find((b) => String(b.action_id).split('#')[0] === verb);
  if (!found) throw new Error(`no ${verb} button in ${JSON.stringify(blocks)}`);
  return found;
}
