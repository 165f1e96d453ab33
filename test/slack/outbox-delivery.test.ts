import { createHarness, packageWithPolicy, type Harness } from '../support/domain';
import { testOutbox } from '../support/outbox';
import type { FakeSlack } from '../support/slack/fake-slack';
import { slackSide } from '../support/slack/harness';
import { chatFor } from '../support/teams/harness';

// The outbox delivers to Slack too: the approval card is posted to the approver's direct
// messages, and replaced (chat.update) when the request is decided, whoever decided where;
// a 429 holds the send back for Slack's Retry-After.

let h: Harness;
let slack: FakeSlack;
let deliver: () => Promise<void>;

beforeAll(async () => {
  h = await createHarness();
  const side = await slackSide(h, chatFor(h));
  slack = side.slack;
  ({ deliver } = testOutbox(h, { slack: side.outbox }));
});
afterAll(async () => {
  await slack.stop();
  await h.close();
});

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
