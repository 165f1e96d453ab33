import type { Client } from 'pg';
import type { Clock } from '../server/domain/clock';
import type { Services } from '../server/domain/services';
import type { FakeSlack } from '../test/support/slack/fake-slack';
import { verifyApproved } from './chat-decisions';
import { openLoop, type LoadResult } from './http-load';
import { SLACK_TEAM, approveClick, slackClicker } from './slack-clicks';
import { knownSlackUser, startSlackBot } from './slack-decisions-bench';
import { summarize, type Latency } from './stats';

export interface SlowSlackResult {
  delayMs: number;
  clicks: number;
  commands: number;
  ratePerSecond: number;
  /** From each post leaving to Bolt's HTTP 200, once the app is up (auth.test answered). */
  ack: Latency;
  /** One command's ack sent as the app starts: Bolt waits for its auth.test first. */
  startupAckMs: number;
  /** From each post being due to its answer at the response_url (open loop). */
  done: LoadResult;
  problem: string | null;
}

export const ACK_GOAL_MS = 1_000;

/**
 * Slack slow to answer: the fake Slack answers every Web API call and every response_url post
 * only after `delayMs`. Approve clicks by a known approver and `/access help` from people the
 * bot has not met (so it asks users.info, slowly, after the ack) go out together at a fixed
 * rate; each ack is timed, and every click's decision and every command's answer must arrive.
 */
export async function benchSlowSlack(args: {
  services: Services;
  clock: Clock;
  db: Client;
  slack: FakeSlack;
  approver: { id: string; email: string; displayName: string };
  requestIds: string[];
  commands: number;
  ratePerSecond: number;
  delayMs: number;
}): Promise<SlowSlackResult> {
  const { slack } = args;
  const approverId = 'U0APPROVER';
  await knownSlackUser(args.services, slack, approverId, args.approver);
  const items: Array<{ id: string; body: Buffer; expect: RegExp }> = args.requestIds.map((id) => ({
    id: `slow-${id}`,
    body: approveClick(approverId, id, slack.responseUrl(`slow-${id}`)),
    expect: /Approved/,
  }));
  const command = (i: number) => {
    const user = `U0SLOW${i}`;
    slack.add({
      id: user,
      teamId: SLACK_TEAM,
      name: `Slow ${i}`,
      email: `slow${i}@woodgrove.example`,
      emailConfirmed: true,
    });
    const id = `slow-command-${i}`;
    const body = new URLSearchParams({
      token: 'legacy',
      team_id: SLACK_TEAM,
      team_domain: 'woodgrove',
      channel_id: `D-${user}`,
      user_id: user,
      user_name: user,
      command: '/access',
      text: 'help',
      response_url: slack.responseUrl(id),
      trigger_id: `trigger-${id}`,
      api_app_id: 'A0BENCH',
    }).toString();
    return { id, body: Buffer.from(body), expect: /packages/ };
  };
  // Clicks and commands interleaved.
  for (let i = 1; i <= args.commands; i++)
    items.splice(Math.min(items.length, 2 * i - 1), 0, command(i));
  slack.delayMs = args.delayMs;
  const bot = await startSlackBot(args.services, args.clock, slack);
  const acks: number[] = [];
  const clicker = slackClicker(
    bot.url,
    async (id) => JSON.stringify(await slack.response(id)),
    acks,
  );
  try {
    // Bolt asks auth.test as the app is made and holds every request until it has the answer.
    const probe = command(0);
    const startup = await clicker.send(probe.id, probe.body, probe.expect);
    const startupAckMs = acks.splice(0)[0];
    const done = await openLoop(items, args.ratePerSecond, (it) =>
      clicker.send(it.id, it.body, it.expect),
    );
    const ack = summarize(acks);
    const problem =
      startup !== null
        ? `the command sent at start-up: ${startup}`
        : done.errors > 0
          ? `${done.errors} of ${items.length} not answered as expected: ${done.firstError}`
          : await verifyApproved(args.db, 'slow Slack', args.requestIds, args.approver.id);
    return {
      delayMs: args.delayMs,
      clicks: args.requestIds.length,
      commands: args.commands,
      ratePerSecond: args.ratePerSecond,
      ack,
      startupAckMs,
      done,
      problem,
    };
  } finally {
    slack.delayMs = 0;
    clicker.close();
    await bot.close();
  }
}
