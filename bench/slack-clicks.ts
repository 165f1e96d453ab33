import { signatureHeaders } from '../test/support/slack/signature';
import { jsonClient } from './http-load';

/**
 * Slack's side of a click, as the load generator sends it: the signed form of an Approve
 * click, and the post that waits for the decided message. Nothing here loads Bolt, so that
 * the load generator's thread (decision-load.ts) stays small.
 */

export const SIGNING_SECRET = 'accessbot-bench-signing-secret';
export const SLACK_TEAM = 'T0BENCH';

/** Headers of a form signed as Slack signs it, now. */
export const slackSignature = (body: Buffer): Record<string, string> => ({
  'content-type': 'application/x-www-form-urlencoded',
  ...signatureHeaders(body, Math.floor(Date.now() / 1000), SIGNING_SECRET),
});

/**
 * The form Slack posts for a click on Approve of `requestId`'s approval message (as
 * render-slack builds the button), answering to `responseUrl`.
 */
export function approveClick(
  userId: string,
  requestId: string,
  responseUrl: string,
  message = { channel: `D-${userId}`, ts: '1700000000.000001' },
): Buffer {
  const payload = {
    type: 'block_actions',
    team: { id: SLACK_TEAM, domain: 'woodgrove' },
    user: { id: userId, team_id: SLACK_TEAM, username: userId },
    api_app_id: 'A0BENCH',
    trigger_id: `trigger-${requestId}`,
    response_url: responseUrl,
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: message.channel,
      is_ephemeral: false,
    },
    actions: [
      {
        type: 'button',
        action_id: 'approve#0',
        block_id: 'actions',
        value: JSON.stringify({ requestId }),
        text: { type: 'plain_text', text: 'Approve' },
        action_ts: '1700000000.000002',
      },
    ],
    state: { values: {} },
  };
  return Buffer.from(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
}

/**
 * One click: post it signed, note the ack, then wait for the decided message at the click's
 * response_url. Returns what was wrong (null: approved).
 */
export function slackClicker(
  botUrl: string,
  responseOf: (id: string) => Promise<string>,
  acks: number[],
) {
  const client = jsonClient();
  const send = async (id: string, body: Buffer, expect: RegExp) => {
    const t0 = process.hrtime.bigint();
    const res = await client.post(botUrl, body, slackSignature(body));
    acks.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (res.status !== 200) return `Slack post answered ${res.status}: ${res.text.slice(0, 200)}`;
    const shown = await responseOf(id);
    return expect.test(shown) ? null : `response_url got ${shown.slice(0, 300)}`;
  };
  return { send, close: () => client.close() };
}
