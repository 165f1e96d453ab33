import { createHarness, pendingRequest, type Harness } from '../support/domain';
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

/** A request `slackId` must approve, from a requester on Teams; nothing delivered yet. */
async function pendingFor(slackId: string, name: string) {
  const approver = await h.user(`${name} Approver`);
  await h.services.directory.resolvePlatformUser({
    platform: 'slack',
    tenantId: 'T1',
    platformUserId: slackId,
    email: approver.email,
    displayName: approver.displayName,
  });
  const requester = await h.user(`${name} Requester`);
  const { pkg, request } = await pendingRequest(h, requester, [approver], {
    justification: 'needs it',
  });
  return { approver, pkg, request };
}

test('the approval card goes to the Slack approver, and follows the decision despite a 429', async () => {
  const { approver, pkg, request } = await pendingFor('UAPP', 'Slack');
  await deliver();
  const [posted] = slack.calls.filter((c) => c.method === 'chat.postMessage');
  expect(posted.body.channel).toBe('UAPP');
  expect(JSON.stringify(posted.body.blocks)).toContain(`Slack Requester asks for ${pkg.name}`);

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

test('a post whose answer was lost is found on the next attempt, not posted twice', async () => {
  const { approver, request } = await pendingFor('ULOST', 'Lost Answer');
  const postsTo = () => slack.callsOf('chat.postMessage').filter((b) => b.channel === 'ULOST');
  // Slack posts it, and the connection drops before its answer comes back.
  slack.loseNextAnswer('chat.postMessage');
  await deliver();
  expect(postsTo()).toHaveLength(1);
  const [delivery] = await h.db.dataSource.query(
    `SELECT d.id, d.state FROM chat_deliveries d JOIN user_identities i ON i.id = d.identity_id
      WHERE d.action = 'post' AND d.subject_id = $1 AND i.platform_user_id = 'ULOST'`,
    [request.id],
  );
  expect(delivery.state).toBe('pending');
  expect(postsTo()[0].metadata).toEqual({
    event_type: 'accessbot_card',
    event_payload: { delivery: delivery.id },
  });

  h.clock.advance(60_000);
  await deliver();
  expect(postsTo()).toHaveLength(1);
  expect(slack.callsOf('conversations.history').at(-1)).toMatchObject({
    channel: 'D-ULOST',
    include_all_metadata: 'true',
  });
  const [message] = await h.db.dataSource.query(
    `SELECT conversation_id, message_id FROM chat_messages
      WHERE subject_id = $1 AND recipient_user_id = $2`,
    [request.id, approver.id],
  );
  expect(message).toEqual({
    conversation_id: 'D-ULOST',
    message_id: expect.stringMatching(/^1700000000\.\d+$/),
  });
  // The message Slack made on the first attempt is the one kept, and later updated.
  await h.services.decisions.decide(await h.actor(approver), request.id, { decision: 'deny' });
  await deliver();
  const update = slack.callsOf('chat.update').find((b) => b.channel === 'D-ULOST')!;
  expect(update.ts).toBe(message.message_id);
  expect(JSON.stringify(update.blocks)).toContain('Denied');
});

test('when Slack refuses to show the DM, the retried card is posted again rather than lost', async () => {
  const { approver, request } = await pendingFor('USCOPE', 'Scopeless');
  slack.loseNextAnswer('chat.postMessage');
  await deliver();
  slack.refuseNext('conversations.history', 'missing_scope', { needed: 'im:history' });
  h.clock.advance(60_000);
  await deliver();
  expect(slack.callsOf('chat.postMessage').filter((b) => b.channel === 'USCOPE')).toHaveLength(2);
  const [message] = await h.db.dataSource.query(
    `SELECT conversation_id FROM chat_messages WHERE subject_id = $1 AND recipient_user_id = $2`,
    [request.id, approver.id],
  );
  expect(message).toEqual({ conversation_id: 'D-USCOPE' });
});

test("Slack's answers are read as the connectors read them: 'not now' is retried, a refusal is final", async () => {
  const stateOf = async (requestId: string) => {
    const [d] = await h.db.dataSource.query(
      `SELECT d.state, d.due_at, d.last_error FROM chat_deliveries d
        JOIN user_identities i ON i.id = d.identity_id
       WHERE d.action = 'post' AND d.subject_id = $1 AND i.platform = 'slack'`,
      [requestId],
    );
    return d as { state: string; due_at: Date; last_error: string | null };
  };
  // A code Slack uses for its own trouble: asked again.
  const busy = await pendingFor('UBUSY', 'Busy');
  slack.refuseNext('chat.postMessage', 'service_unavailable');
  await deliver();
  expect(await stateOf(busy.request.id)).toMatchObject({
    state: 'pending',
    last_error: 'Slack could not do chat.postMessage (service_unavailable).',
  });
  // A 503 with Retry-After: not before Slack said.
  h.clock.advance(60_000);
  slack.failNext(503, 20, 'chat.postMessage');
  const before = h.clock.now().getTime();
  await deliver();
  const waiting = await stateOf(busy.request.id);
  expect(waiting.state).toBe('pending');
  expect(new Date(waiting.due_at).getTime() - before).toBeGreaterThanOrEqual(20_000);
  h.clock.advance(20_000);
  await deliver();
  expect((await stateOf(busy.request.id)).state).toBe('done');

  // A refusal asking again would not change: failed for good, saying why.
  const gone = await pendingFor('UGONE', 'Gone');
  slack.refuseNext('chat.postMessage', 'channel_not_found');
  await deliver();
  expect(await stateOf(gone.request.id)).toMatchObject({
    state: 'failed',
    last_error: 'Slack refused chat.postMessage: channel_not_found.',
  });
});
