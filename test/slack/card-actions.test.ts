import { createHmac } from 'node:crypto';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { ChatService } from '../../bot/core/chat-service';
import { createSlackRouter } from '../../bot/slack/router';
import { approvalCard } from '../../cards/builders/request-cards';
import { renderSlack } from '../../cards/render-slack';
import { createHarness, packageWithPolicy, type Harness } from '../support/domain';
import { FakeSlack } from '../support/slack/fake-slack';

// Buttons of a card rendered for Slack, clicked as Slack sends clicks (a signed block_actions
// payload with the inputs' state): the same handlers as Teams, the message replaced in place.

const SECRET = 'slack-signing-secret-for-tests';
let h: Harness;
let slack: FakeSlack;
let app: express.Express;

beforeAll(async () => {
  h = await createHarness();
  slack = await new FakeSlack().start();
  const logger = pino({ level: 'silent' });
  const chat = new ChatService({
    services: h.services,
    clock: h.clock,
    logger,
    publicUrl: 'http://accessbot.test',
    allowedTenants: [],
  });
  const router = createSlackRouter({
    signingSecret: SECRET,
    botToken: 'xoxb-test',
    apiUrl: `${slack.url}/api`,
    chat,
    logger,
    processBeforeResponse: true,
  });
  app = express().use('/slack', router);
});
afterAll(async () => {
  await slack.stop();
  await h.close();
});

let n = 0;
function signed(payload: Record<string, unknown>) {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return request(app)
    .post('/slack/events')
    .set('content-type', 'application/x-www-form-urlencoded')
    .set('x-slack-request-timestamp', String(ts))
    .set('x-slack-signature', signature)
    .send(body);
}

/** A click on `button` of `blocks` by `userId`, with the reason input filled in. */
function click(userId: string, button: Record<string, unknown>, reason = '') {
  const id = `c${++n}`;
  return signed({
    type: 'block_actions',
    team: { id: 'T1', domain: 'woodgrove' },
    user: { id: userId, team_id: 'T1', username: userId },
    api_app_id: 'A1',
    trigger_id: `trigger-${id}`,
    response_url: slack.responseUrl(id),
    container: { type: 'message', message_ts: '1.000', channel_id: 'D1', is_ephemeral: false },
    actions: [
      {
        type: 'button',
        action_id: button.action_id,
        block_id: 'b1',
        value: button.value,
        text: button.text,
        action_ts: '1.001',
      },
    ],
    state: { values: { reason: { reason: { type: 'plain_text_input', value: reason } } } },
  });
}

async function person(id: string, name: string) {
  slack.add({
    id,
    teamId: 'T1',
    name,
    email: `${id.toLowerCase()}@woodgrove.example`,
    emailConfirmed: true,
  });
  // First contact registers them (users.info), as a first message would.
  const user = await h.user(name, { email: `${id.toLowerCase()}@woodgrove.example` });
  await h.services.directory.resolvePlatformUser({
    platform: 'slack',
    tenantId: 'T1',
    platformUserId: id,
    email: user.email,
    displayName: name,
  });
  return user;
}

test('Approve from a Slack card decides, with the reason typed in it; others are told no', async () => {
  const approver = await person('UAPPROVER', 'Slack Approver');
  const requester = await person('UREQ', 'Slack Requester');
  const { pkg } = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  const { request: r } = await h.services.requests.submit(await h.actor(requester), {
    packageId: pkg.id,
    justification: 'quarter close',
  });
  const [view] = await h.services.requestViews.many([r.id]);
  const { blocks } = renderSlack(approvalCard(view, { now: h.clock.now() }));
  const buttons = blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Record<string, unknown>[]);
  const approve = buttons.find((b) => String(b.action_id).startsWith('approve#'))!;

  await click('UREQ', approve).expect(200);
  expect(JSON.stringify(slack.responses.at(-1))).toContain('cannot decide your own request');
  expect((await h.services.requests.get(h.api, r.id)).state).toBe('pendingApproval');

  // The approver's card, as the outbox would have posted it to their direct messages.
  await h.db.dataSource.query(
    `INSERT INTO chat_messages (platform, conversation_id, message_id, recipient_user_id,
                                subject_type, subject_id, card, version)
     VALUES ('slack', 'D1', '1.000', $1, 'request', $2, 'approval', 0)`,
    [approver.id, r.id],
  );
  await click('UAPPROVER', approve, 'fine by me').expect(200);
  // Replaced in the click's answer: recorded as current, so the outbox leaves it alone.
  const [shown] = await h.db.dataSource.query(
    `SELECT m.version = r.version AS current FROM chat_messages m
       JOIN access_requests r ON r.id = m.subject_id WHERE m.message_id = '1.000'`,
  );
  expect(shown).toEqual({ current: true });
  const replaced = slack.responses.at(-1)!;
  expect(replaced.replace_original).toBe(true);
  expect(JSON.stringify(replaced.blocks)).toContain('Approved');
  expect(await h.services.requests.get(h.api, r.id)).toMatchObject({
    state: 'delivering',
    decidedBy: approver.id,
    decisionReason: 'fine by me',
  });

  // A forged value (not a request id) is answered, and changes nothing.
  await click('UAPPROVER', { ...approve, value: '{"requestId":"not-a-uuid"}' }).expect(200);
  expect(JSON.stringify(slack.responses.at(-1))).toMatch(/older version|cannot read/);
});
