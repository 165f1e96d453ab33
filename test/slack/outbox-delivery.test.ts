import pino from 'pino';
import { Dispatcher } from '../../bot/core/dispatcher';
import { deliveryRenderer } from '../../bot/core/render-delivery';
import { slackWebClient } from '../../bot/slack/router';
import { SlackTransport } from '../../bot/slack/transport';
import { renderSlack } from '../../cards/render-slack';
import { createHarness, packageWithPolicy, type Harness } from '../support/domain';
import { FakeSlack } from '../support/slack/fake-slack';

// The outbox delivers to Slack too: the approval card is posted to the approver's direct
// messages, and replaced (chat.update) when the request is decided, whoever decided where;
// a 429 holds the send back for Slack's Retry-After.

let h: Harness;
let slack: FakeSlack;
let dispatcher: Dispatcher;

beforeAll(async () => {
  h = await createHarness();
  slack = await new FakeSlack().start();
  dispatcher = new Dispatcher({
    deliveries: h.services.deliveries,
    transports: {
      slack: new SlackTransport(
        slackWebClient({ slackBotToken: 'xoxb-test', slackApiUrl: `${slack.url}/api` }),
      ),
    },
    render: deliveryRenderer(h.services, h.clock, { slack: (r) => ({ ...renderSlack(r) }) }),
    clock: h.clock,
    logger: pino({ level: 'silent' }),
    sleep: async (ms) => h.clock.advance(ms),
    random: () => 0.5,
  });
});
afterAll(async () => {
  await slack.stop();
  await h.close();
});

const deliver = async () => {
  while ((await dispatcher.runOnce()) > 0);
};

test('the approval card goes to the Slack approver, and follows the decision despite a 429', async () => {
  const approver = await h.user('Slack Approver');
  await h.services.directory.resolvePlatformUser({
    platform: 'slack',
    tenantId: 'T1',
    platformUserId: 'UAPP',
    email: approver.email,
    displayName: approver.displayName,
  });
  const requester = await h.user('Teams Requester');
  const { pkg } = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  const { request } = await h.services.requests.submit(await h.actor(requester), {
    packageId: pkg.id,
    justification: 'needs it',
  });
  await deliver();
  const [posted] = slack.calls.filter((c) => c.method === 'chat.postMessage');
  expect(posted.body.channel).toBe('UAPP');
  expect(JSON.stringify(posted.body.blocks)).toContain(`Teams Requester asks for ${pkg.name}`);

  await h.services.decisions.decide(await h.actor(approver), request.id, {
    decision: 'approve',
  });
  slack.failNext(429, 7);
  const before = h.clock.now().getTime();
  await deliver();
  const [waiting] = await h.db.dataSource.query(
    `SELECT due_at FROM chat_deliveries WHERE action = 'update' AND state = 'pending'`,
  );
  expect(new Date(waiting.due_at).getTime() - before).toBeGreaterThanOrEqual(7000);
  expect(slack.calls.filter((c) => c.method === 'chat.update')).toHaveLength(0);

  h.clock.advance(7000);
  await deliver();
  const [updated] = slack.calls.filter((c) => c.method === 'chat.update');
  // The message the post created (the fake numbers its messages 1700000000.1, .2, …).
  expect(updated.body).toMatchObject({ channel: 'D-UAPP', ts: '1700000000.1' });
  expect(JSON.stringify(updated.body.blocks)).toContain('Approved');
});
