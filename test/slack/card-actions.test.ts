import { approvalCard } from '../../cards/builders/request-cards';
import { renderSlack } from '../../cards/render-slack';
import { pendingRequest } from '../support/domain';
import { createSlackHarness, type SlackHarness } from '../support/slack/harness';
import { click as clickOn } from '../support/slack/payloads';
import { slackPerson } from '../support/slack/people';

// Buttons of a card rendered for Slack, clicked as Slack sends clicks (a signed block_actions
// payload with the inputs' state): the same handlers as Teams, the message replaced in place.

let t: SlackHarness;
beforeAll(async () => {
  t = await createSlackHarness();
});
afterAll(() => t.close());

/** A click on `button` of an approval message in a DM by `userId`, with the reason typed in. */
const click = (userId: string, button: Record<string, unknown>, reason = '') =>
  clickOn(
    t,
    userId,
    button as { action_id: string; value: string },
    {
      channel: 'D1',
      ts: '1.000',
    },
    { reason },
  ).sent;

const person = (id: string, name: string) => slackPerson(t, id, name);

/** A request of `requesterId` that `approverId` must approve, and its card's Approve button. */
async function pendingApproval(approverId: string, requesterId: string, name: string) {
  const approver = await person(approverId, `${name} Approver`);
  const requester = await person(requesterId, `${name} Requester`);
  const { request } = await pendingRequest(t, requester, [approver], {
    justification: 'quarter close',
  });
  const [view] = await t.services.requestViews.many([request.id]);
  const approve = renderSlack(approvalCard(view, { now: t.clock.now() }))
    .blocks.filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Record<string, unknown>[])
    .find((b) => String(b.action_id).startsWith('approve#'))!;
  return { approver, request, approve };
}

test('Approve from a Slack card decides, with the reason typed in it; others are told no', async () => {
  const { approver, request: r, approve } = await pendingApproval('UAPPROVER', 'UREQ', 'Slack');

  await click('UREQ', approve).expect(200);
  expect(JSON.stringify(t.slack.responses.at(-1))).toContain('cannot decide your own request');
  expect((await t.services.requests.get(t.api, r.id)).state).toBe('pendingApproval');

  // The approver's card, as the outbox would have posted it to their direct messages.
  await t.db.dataSource.query(
    `INSERT INTO chat_messages (platform, conversation_id, message_id, recipient_user_id,
                                subject_type, subject_id, card, version)
     VALUES ('slack', 'D1', '1.000', $1, 'request', $2, 'approval', 0)`,
    [approver.id, r.id],
  );
  await click('UAPPROVER', approve, 'fine by me').expect(200);
  // Replaced in the click's answer: recorded as current, so the outbox leaves it alone.
  const [shown] = await t.db.dataSource.query(
    `SELECT m.version = r.version AS current FROM chat_messages m
       JOIN access_requests r ON r.id = m.subject_id WHERE m.message_id = '1.000'`,
  );
  expect(shown).toEqual({ current: true });
  const replaced = t.slack.responses.at(-1)!;
  expect(replaced.replace_original).toBe(true);
  expect(JSON.stringify(replaced.blocks)).toContain('Approved');
  expect(await t.services.requests.get(t.api, r.id)).toMatchObject({
    state: 'delivering',
    decidedBy: approver.id,
    decisionReason: 'fine by me',
  });

  // A forged value (not a request id) is answered, and changes nothing.
  await click('UAPPROVER', { ...approve, value: '{"requestId":"not-a-uuid"}' }).expect(200);
  expect(JSON.stringify(t.slack.responses.at(-1))).toMatch(/older version|cannot read/);
});

test('when the response_url is spent, the decided card replaces the message by chat.update', async () => {
  const { request: r, approve } = await pendingApproval('UAPPROVER2', 'UREQ2', 'Late');
  const answered = t.slack.responses.length;
  t.slack.expireResponseUrls = true;
  try {
    await click('UAPPROVER2', approve).expect(200);
  } finally {
    t.slack.expireResponseUrls = false;
  }
  expect(t.slack.responses).toHaveLength(answered);
  expect((await t.services.requests.get(t.api, r.id)).state).toBe('delivering');
  const update = t.slack.calls.filter((c) => c.method === 'chat.update').at(-1)!;
  expect(update.body).toMatchObject({ channel: 'D1', ts: '1.000' });
  expect(JSON.stringify(update.body.blocks)).toContain('Approved');
  expect(JSON.stringify(update.body.blocks)).not.toContain('approve#');
});
