import type { Client } from 'pg';
import { createSlackRouter } from '../bot/slack/router';
import type { Clock } from '../server/domain/clock';
import type { Services } from '../server/domain/services';
import type { FakeSlack } from '../test/support/slack/fake-slack';
import {
  benchDecisions,
  type ChatDecisionData,
  type DecisionOptions,
  type DecisionResults,
} from './chat-decisions';
import { serveChat } from './chat-server';
import { SIGNING_SECRET, SLACK_TEAM } from './slack-clicks';
import { summarize, type Latency } from './stats';

/**
 * Decisions as Slack sends them: signed `block_actions` posts (an Approve button) to
 * /slack/events on the server's app, through Bolt (which acks before the listener runs) and the
 * chat layer. A click counts as done when its decided message reaches Slack's side at the
 * click's own `response_url` (a ResponseSink, in a process of its own as Slack is): what the
 * person sees. The ack (Bolt's HTTP 200) is timed apart. Web API calls go to the fake Slack.
 */

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
  try {
    const r = await benchDecisions({
      ...args,
      channel: 'slack',
      bot: { kind: 'slack', url: bot.url, userId, shows: DECIDED.source },
    });
    return { ...r, ack: summarize(r.acks) };
  } finally {
    await bot.close();
  }
}
