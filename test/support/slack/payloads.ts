import type { FakeSlack } from './fake-slack';
import type { PostOptions, SlackHarness } from './harness';

type Json = Record<string, unknown>;

// Interactivity payloads as Slack posts them (form body `payload=<json>`), signed by the harness.

let n = 0;
const signed = (t: Pick<SlackHarness, 'post'>, payload: Json) =>
  t.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());

/** The fields of `/access <text>` from `userId`, as Slack sends them (HTTP form or socket). */
export const slashCommand = (slack: FakeSlack, userId: string, text: string, id: string) => ({
  token: 'legacy',
  team_id: 'T1',
  team_domain: 'woodgrove',
  channel_id: 'C1',
  user_id: userId,
  user_name: userId,
  command: '/access',
  text,
  response_url: slack.responseUrl(id),
  trigger_id: `trigger-${id}`,
  api_app_id: 'A1',
});

/** `/access <text>` from `userId`, with its trigger_id and response_url, signed (or not, as asked). */
export function slash(t: SlackHarness, userId: string, text: string, opts?: PostOptions) {
  const id = `cmd${++n}`;
  return {
    triggerId: `trigger-${id}`,
    responseUrl: t.slack.responseUrl(id),
    sent: t.post(new URLSearchParams(slashCommand(t.slack, userId, text, id)).toString(), opts),
  };
}

/**
 * A click on a button (`verb#i` with its data) in a message, ephemeral or a DM at `ts`, with
 * what the message's inputs hold (`typed`, by input id).
 */
export function click(
  t: SlackHarness,
  userId: string,
  button: { action_id: string; value: string },
  message: { channel: string; ts: string; ephemeral?: boolean } = {
    channel: 'C1',
    ts: '9.000',
    ephemeral: true,
  },
  typed: Record<string, string> = {},
) {
  const id = `click${++n}`;
  return {
    triggerId: `trigger-${id}`,
    sent: signed(t, {
      type: 'block_actions',
      team: { id: 'T1', domain: 'woodgrove' },
      user: { id: userId, team_id: 'T1', username: userId },
      api_app_id: 'A1',
      trigger_id: `trigger-${id}`,
      response_url: t.slack.responseUrl(id),
      container: {
        type: 'message',
        message_ts: message.ts,
        channel_id: message.channel,
        is_ephemeral: message.ephemeral === true,
      },
      actions: [{ type: 'button', block_id: 'b1', action_ts: '1.001', ...button }],
      state: {
        values: Object.fromEntries(
          Object.entries(typed).map(([id, value]) => [
            id,
            { [id]: { type: 'plain_text_input', value } },
          ]),
        ),
      },
    }),
  };
}

/** Values typed into a view's inputs, as Slack reports them in view.state, by block id. */
export function stateOf(view: Json, typed: Record<string, string | null>) {
  const values: Record<string, Record<string, Json>> = {};
  for (const b of (view.blocks as Json[]).filter((x) => x.type === 'input')) {
    const id = String(b.block_id);
    const element = b.element as Json;
    const v = typed[id] ?? null;
    const kind = String(element.type);
    values[id] = {
      [String(element.action_id)]:
        kind === 'static_select'
          ? { type: kind, selected_option: v === null ? null : { value: v } }
          : kind === 'datepicker'
            ? { type: kind, selected_date: v }
            : { type: kind, value: v },
    };
  }
  return { values };
}

/** The submission of a view we opened, by `userId`, with what they typed. */
export function submit(
  t: Pick<SlackHarness, 'post'>,
  userId: string,
  view: Json,
  typed: Record<string, string | null>,
) {
  return signed(t, {
    type: 'view_submission',
    team: { id: 'T1', domain: 'woodgrove' },
    user: { id: userId, name: userId, team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: `trigger-submit${++n}`,
    view: { id: 'V1', team_id: 'T1', hash: 'h1', ...view, state: stateOf(view, typed) },
  });
}

/** Any interactivity payload, as given. */
export const interaction = (t: SlackHarness, payload: Json) => signed(t, payload);
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
