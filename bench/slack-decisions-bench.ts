import type { Client } from 'pg';
import { createSlackRouter } from '../bot/slack/router';
import type { Clock } from '../server/domain/clock';
import type { Services } from '../server/domain/services';
import type { FakeSlack } from '../test/support/slack/fake-slack';
import { signatureHeaders } from '../test/support/slack/signature';
import {
  benchDecisions,
  type ChatDecisionData,
  type DecisionOptions,
  type DecisionResults,
} from './chat-decisions';
import { serveChat } from './chat-server';
import { jsonClient } from './http-load';
import { ResponseSink } from './slack-response-sink';
import { summarize, type Latency } from './stats';

/**
 * Decisions as Slack sends them: signed `block_actions` posts (an Approve button) to
 * /slack/events on the server's app, through Bolt (which acks before the listener runs) and the
 * chat layer. A click counts as done when its decided message reaches Slack's side at the
 * click's own `response_url` (a ResponseSink, in a process of its own as Slack is): what the
 * person sees. The ack (Bolt's HTTP 200) is timed apart. Web API calls go to the fake Slack.
 */

const SIGNING_SECRET = 'accessbot-bench-signing-secret';
export const SLACK_TEAM = 'T0BENCH';

/** What the decided message shows. */
const DECIDED = /Approved/;

export interface SlackDecisionResults extends DecisionResults {
  /** Bot clicks of both modes: from the post leaving to Bolt's HTTP 200. */
  ack: Latency;
}

/** The bot over HTTP as deployed: the server's app with the Slack router at /slack. */
export async function startSlackBot(services: Services, clock: Clock, slack: FakeSlack) {
  const bot = await serveChat(services, clock, (chat, logger) => [
    '/slack',
    createSlackRouter({
      signingSecret: SIGNING_SECRET,
      botToken: 'xoxb-bench',
      apiUrl: `${slack.url}/api`,
      chat,
      events: services.inboundEvents,
      logger,
    }),
  ]);
  return { url: `${bot.url}/events`, close: bot.close };
}

/** Headers of a form signed as Slack signs it, now. */
export const slackSignature = (body: Buffer): Record<string, string> => ({
  'content-type': 'application/x-www-form-urlencoded',
  ...signatureHeaders(body, Math.floor(Date.now() / 1000), SIGNING_SECRET),
});

/** A Slack user already known to Accessbot (and to the fake), as after their first message. */
export async function knownSlackUser(
  services: Services,
  slack: FakeSlack,
  id: string,
  person: { email: string; displayName: string },
) {
  slack.add({
    id,
    teamId: SLACK_TEAM,
    name: person.displayName,
    email: person.email,
    emailConfirmed: true,
  });
  await services.directory.resolvePlatformUser({
    platform: 'slack',
    tenantId: SLACK_TEAM,
    platformUserId: id,
    email: person.email,
    displayName: person.displayName,
  });
}

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

export async function benchSlackDecisions(args: {
  services: Services;
  clock: Clock;
  db: Client;
  dbUrl: string;
  slack: FakeSlack;
  approver: { id: string; email: string; displayName: string };
  data: ChatDecisionData;
  options: DecisionOptions;
}): Promise<SlackDecisionResults> {
  const userId = 'U0APPROVER';
  await knownSlackUser(args.services, args.slack, userId, args.approver);
  const bot = await startSlackBot(args.services, args.clock, args.slack);
  // The load generator's own work (building each form) is done ahead; signing is per send.
  const sink = await new ResponseSink(DECIDED).start();
  const clicks = new Map(
    args.data.botRequestIds.map((requestId) => [
      requestId,
      approveClick(userId, requestId, sink.url(requestId)),
    ]),
  );
  const acks: number[] = [];
  const clicker = slackClicker(bot.url, (id) => sink.response(id), acks);
  const click = (requestId: string) => clicker.send(requestId, clicks.get(requestId)!, DECIDED);
  try {
    const r = await benchDecisions({ ...args, channel: 'slack', click });
    return { ...r, ack: summarize(acks.slice(args.options.warmup)) };
  } finally {
    clicker.close();
    sink.stop();
    await bot.close();
  }
}
