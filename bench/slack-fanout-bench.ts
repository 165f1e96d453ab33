import type { Client } from 'pg';
import pino from 'pino';
import { Dispatcher } from '../bot/core/dispatcher';
import { deliveryRenderer } from '../bot/core/render-delivery';
import { slackWebClient } from '../bot/slack/router';
import { SlackTransport } from '../bot/slack/transport';
import { renderSlack } from '../cards/render-slack';
import type { Clock } from '../server/domain/clock';
import type { Services } from '../server/domain/services';
import type { FakeSlack } from '../test/support/slack/fake-slack';
import { submitFanoutRequest } from './fanout-seed';
import { jsonClient } from './http-load';
import { approveClick, slackSignature } from './slack-clicks';
import { knownSlackUser, startSlackBot } from './slack-decisions-bench';
import type { FanoutResult } from './teams-fanout-bench';
import { elapsed, sleep } from './stats';

export interface SlackFanoutResult extends FanoutResult {
  /** From the click leaving to the clicked message replaced at its response_url. */
  replacedSeconds: number;
  /** 429s while the approval messages were posted. */
  postRefused: number;
}

/**
 * A request whose approvers are a group of `n` Slack users, each with the approval message
 * posted to their DM by the outbox; one clicks Approve, and the dispatcher (real clock, real
 * sleeps) chat.update's every other message through the fake Slack, which enforces the limits
 * of SLACK_LIMITS with 429 and Retry-After.
 */
export async function benchSlackFanout(args: {
  services: Services;
  clock: Clock;
  db: Client;
  slack: FakeSlack;
  approvers: number;
}): Promise<SlackFanoutResult> {
  const { services, db, slack } = args;
  const dispatcher = new Dispatcher({
    deliveries: services.deliveries,
    transports: {
      slack: new SlackTransport(
        slackWebClient({ slackBotToken: 'xoxb-bench', slackApiUrl: `${slack.url}/api` }),
      ),
    },
    render: deliveryRenderer(services, args.clock, { slack: (r) => ({ ...renderSlack(r) }) }),
    clock: args.clock,
    logger: pino({ level: 'silent' }),
  });
  /** Runs the dispatcher until `done` or 30 s; returns the seconds it took. */
  const until = async (done: () => Promise<boolean> | boolean) => {
    const t0 = process.hrtime.bigint();
    while (!(await done()) && elapsed(t0) < 30) {
      if ((await dispatcher.runOnce()) === 0) await sleep(20);
    }
    return elapsed(t0);
  };
  // Whatever earlier sections left in the outbox goes first, so that it is not timed below.
  let leftover = 0;
  for (let n = await dispatcher.runOnce(); n > 0; n = await dispatcher.runOnce()) leftover += n;
  slack.enforceLimits();
  const refusedBefore = slack.limits?.rateLimited ?? 0;

  const { requestId } = await submitFanoutRequest({
    services,
    db,
    platform: 'slack',
    prefix: 'sfanout',
    approvers: args.approvers,
    register: (i, email, displayName) =>
      knownSlackUser(services, slack, `U0FAN${i}`, { email, displayName }),
  });
  const posted = async () =>
    (
      await db.query<{ conversation_id: string; message_id: string }>(
        `SELECT conversation_id, message_id FROM chat_messages WHERE subject_id = $1`,
        [requestId],
      )
    ).rows;
  const postSeconds = await until(async () => (await posted()).length >= args.approvers);
  const messages = await posted();
  const postRefused = (slack.limits?.rateLimited ?? 0) - refusedBefore;
  const base = {
    approvers: args.approvers,
    leftover,
    postSeconds,
    postRefused,
    inReply: 0,
    updates: 0,
  };
  if (messages.length !== args.approvers) {
    return {
      ...base,
      seconds: NaN,
      replacedSeconds: NaN,
      refused: 0,
      problem: `${messages.length} approval messages posted, expected ${args.approvers}`,
    };
  }
  // The workspace's window is empty again, as minutes later.
  await sleep(1_500);

  const clicked = messages.find((m) => m.conversation_id === 'D-U0FAN1')!;
  const others = new Set(messages.map((m) => m.conversation_id));
  others.delete(clicked.conversation_id);
  const callsBefore = slack.calls.length;
  const updated = () =>
    slack.calls
      .slice(callsBefore)
      .filter((c) => c.method === 'chat.update' && others.has(String(c.body.channel))).length;

  const bot = await startSlackBot(services, args.clock, slack);
  const client = jsonClient();
  try {
    const body = approveClick('U0FAN1', requestId, slack.responseUrl('fanout'), {
      channel: clicked.conversation_id,
      ts: clicked.message_id,
    });
    const t0 = process.hrtime.bigint();
    const ack = await client.post(bot.url, body, slackSignature(body));
    let replacedSeconds = NaN;
    let inReply = 0;
    void slack.response('fanout').then((shown) => {
      replacedSeconds = elapsed(t0);
      inReply = /Approved/.test(JSON.stringify(shown)) ? 1 : 0;
    });
    await until(() => updated() >= others.size && inReply === 1);
    const seconds = elapsed(t0);
    const [{ open }] = (
      await db.query<{ open: number }>(
        `SELECT count(*)::int AS open FROM chat_deliveries
          WHERE subject_id = $1 AND action = 'update' AND state <> 'done'`,
        [requestId],
      )
    ).rows;
    const updates = updated();
    const problem =
      ack.status !== 200
        ? `the click was answered ${ack.status}: ${ack.text.slice(0, 200)}`
        : inReply !== 1
          ? 'the clicked message was not replaced with the decision'
          : updates !== others.size
            ? `${updates} of ${others.size} messages updated`
            : open
              ? `${open} update deliveries not done`
              : null;
    return {
      ...base,
      seconds,
      replacedSeconds,
      inReply,
      updates,
      refused: (slack.limits?.rateLimited ?? 0) - refusedBefore - postRefused,
      problem,
    };
  } finally {
    slack.limits = undefined;
    client.close();
    await bot.close();
  }
}
