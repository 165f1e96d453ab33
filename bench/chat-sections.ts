import type { Client } from 'pg';
import { systemClock } from '../server/domain/clock';
import type { Services } from '../server/domain/services';
import { FakeSlack } from '../test/support/slack/fake-slack';
import { FakeConnector } from '../test/support/teams/fake-connector';
import { requestsNeeded, seedChatDecisionData, type DecisionOptions } from './chat-decisions';
import { printTeamsDecisions, printTeamsFanout } from './chat-report';
import { benchSlowSlack } from './slack-ack-bench';
import { benchSlackDecisions } from './slack-decisions-bench';
import { benchSlackFanout } from './slack-fanout-bench';
import { printSlackDecisions, printSlackFanout, printSlowSlack } from './slack-report';
import { out, seconds } from './stats';
import { benchFanout } from './teams-fanout-bench';
import { benchTeamsDecisions } from './teams-decisions-bench';

/**
 * The chat sections of `npm run bench`, one per platform: decisions by button clicks next to
 * the express + pg floor, and a 60-approver fan-out (Slack also: acks while Slack is slow).
 * Each runs now, logs as it goes, and returns its report for the summary.
 */

export interface ChatSectionContext {
  services: Services;
  db: Client;
  dbUrl: string;
  approver: { id: string; email: string; displayName: string };
  options: DecisionOptions;
  fanoutApprovers: number;
}

export interface Section {
  failures: number;
  print(): void;
}

/** The slow-Slack run: clicks and commands, each answered by Slack only after 2 s. */
const SLOW = { clicks: 60, commands: 60, ratePerSecond: 40, delayMs: 2_000 };

const verified = (problem: string | null, failed: string, ok: string) =>
  out(problem ? `${failed}: ${problem}` : ok);

export async function teamsSection(ctx: ChatSectionContext): Promise<Section> {
  let t = process.hrtime.bigint();
  const data = await seedChatDecisionData(ctx.db, requestsNeeded(ctx.options), 'teams');
  const connector = await new FakeConnector().start();
  try {
    const base = { ...ctx, clock: systemClock };
    const decisions = await benchTeamsDecisions({ ...base, connectorUrl: connector.url, data });
    verified(
      decisions.problem,
      'TEAMS DECISIONS NOT RECORDED',
      `Teams decisions verified: ${data.botRequestIds.length} clicked and ` +
        `${data.floorRequestIds.length} floor requests each approved once, with one audit event`,
    );
    out(`Teams decisions timed in ${seconds(t)} s`);
    t = process.hrtime.bigint();
    const fanout = await benchFanout({ ...base, connector, approvers: ctx.fanoutApprovers });
    verified(
      fanout.problem,
      'FAN-OUT INCOMPLETE',
      `fan-out verified: ${fanout.approvers} approval cards posted (${fanout.postSeconds.toFixed(1)} s, ` +
        `after ${fanout.leftover} earlier sends) and all updated`,
    );
    out(`fan-out run in ${seconds(t)} s`);
    return {
      failures: (decisions.problem ? 1 : 0) + (fanout.problem ? 1 : 0),
      print: () => {
        printTeamsDecisions(decisions, ctx.options);
        out();
        printTeamsFanout(fanout);
      },
    };
  } finally {
    await connector.stop();
  }
}

export async function slackSection(ctx: ChatSectionContext): Promise<Section> {
  let t = process.hrtime.bigint();
  const needed = requestsNeeded(ctx.options);
  const data = await seedChatDecisionData(ctx.db, needed + SLOW.clicks, 'slack');
  const slack = await new FakeSlack().start();
  try {
    const base = { ...ctx, clock: systemClock, slack };
    const decisions = await benchSlackDecisions({ ...base, data });
    verified(
      decisions.problem,
      'SLACK DECISIONS NOT RECORDED',
      `Slack decisions verified: ${needed} clicked and ${needed} floor requests each approved ` +
        `once, with one audit event`,
    );
    out(`Slack decisions timed in ${seconds(t)} s`);
    t = process.hrtime.bigint();
    const slow = await benchSlowSlack({
      ...base,
      ...SLOW,
      requestIds: data.botRequestIds.slice(needed, needed + SLOW.clicks),
    });
    verified(
      slow.problem,
      'SLOW SLACK: NOT ALL ANSWERED',
      `slow Slack verified: ${slow.clicks} clicks approved once each and ${slow.commands} commands answered`,
    );
    out(`slow Slack run in ${seconds(t)} s`);
    t = process.hrtime.bigint();
    const fanout = await benchSlackFanout({ ...base, approvers: ctx.fanoutApprovers });
    verified(
      fanout.problem,
      'SLACK FAN-OUT INCOMPLETE',
      `Slack fan-out verified: ${fanout.approvers} approval messages posted ` +
        `(${fanout.postSeconds.toFixed(1)} s, after ${fanout.leftover} earlier sends) and all updated`,
    );
    out(`Slack fan-out run in ${seconds(t)} s`);
    return {
      failures: [decisions.problem, slow.problem, fanout.problem].filter(Boolean).length,
      print: () => {
        printSlackDecisions(decisions, ctx.options);
        out();
        printSlowSlack(slow);
        out();
        printSlackFanout(fanout);
      },
    };
  } finally {
    await slack.stop();
  }
}
