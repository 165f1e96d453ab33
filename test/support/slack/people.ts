import pino from 'pino';
import { Dispatcher } from '../../../bot/core/dispatcher';
import { deliveryRenderer } from '../../../bot/core/render-delivery';
import { slackWebClient } from '../../../bot/slack/router';
import { SlackTransport } from '../../../bot/slack/transport';
import { renderSlack } from '../../../cards/render-slack';
import { renderSlackHome } from '../../../cards/render-slack-home';
import type { SlackHarness } from './harness';

/**
 * Someone Slack knows, with a verified email, already registered (as their first message
 * would have done): the Accessbot user, with their Slack user id.
 */
export async function slackPerson(t: SlackHarness, slackId: string, name: string) {
  const email = `${slackId.toLowerCase()}@woodgrove.example`;
  t.slack.add({ id: slackId, teamId: 'T1', name, email, emailConfirmed: true });
  const user = await t.user(name, { email });
  await t.services.directory.resolvePlatformUser({
    platform: 'slack',
    tenantId: 'T1',
    platformUserId: slackId,
    email,
    displayName: name,
  });
  return { ...user, slackId };
}

/** The outbox to the fake Slack (cards and Homes), run until nothing is due, on the test clock. */
export function slackOutbox(t: SlackHarness): () => Promise<void> {
  const dispatcher = new Dispatcher({
    deliveries: t.services.deliveries,
    transports: {
      slack: new SlackTransport(
        slackWebClient({ slackBotToken: 'xoxb-test', slackApiUrl: `${t.slack.url}/api` }),
      ),
    },
    render: deliveryRenderer(
      t.services,
      t.clock,
      { slack: (r) => ({ ...renderSlack(r) }) },
      { slack: renderSlackHome },
    ),
    clock: t.clock,
    logger: pino({ level: 'silent' }),
    sleep: async (ms) => t.clock.advance(ms),
    random: () => 0.5,
  });
  return async () => {
    while ((await dispatcher.runOnce()) > 0);
  };
}
