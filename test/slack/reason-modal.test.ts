import { pendingRequest as requestOf } from '../support/domain';
import { createSlackHarness, type SlackHarness } from '../support/slack/harness';
import { slackOutbox, slackPerson } from '../support/slack/people';
import { click, submit } from '../support/slack/payloads';

// When a request's policy wants the approver's reason, Approve and Deny in Slack ask for it
// in a modal; its submission decides through the same chat action, and the approval message
// in the approver's DMs is updated in place. Without that rule, the buttons decide at once.

type Json = Record<string, unknown>;
let t: SlackHarness;
let deliver: () => Promise<void>;
beforeAll(async () => {
  t = await createSlackHarness();
  deliver = slackOutbox(t);
});
afterAll(() => t.close());

let people = 0;
const person = (name: string) => slackPerson(t, `UR${++people}`, name);

/** A pending request whose approval card the outbox has posted to each approver's DMs. */
async function pendingRequest(reasonRequired: boolean, approverCount = 1) {
  const requester = await person('Asking Person');
  const approvers = [];
  for (let i = 0; i < approverCount; i++) approvers.push(await person(`Approver ${i + 1}`));
  const { request } = await requestOf(t, requester, approvers, {
    approverJustificationRequired: reasonRequired,
    justification: 'month end',
  });
  await deliver();
  return { request, approvers };
}

/** The approval message the outbox posted to an approver: where it is, and its blocks. */
async function approvalMessage(requestId: string, approver: { id: string; slackId: string }) {
  const [m] = (await t.db.dataSource.query(
    `SELECT conversation_id, message_id FROM chat_messages
      WHERE platform = 'slack' AND subject_id = $1 AND recipient_user_id = $2`,
    [requestId, approver.id],
  )) as Array<{ conversation_id: string; message_id: string }>;
  const post = t.slack.calls.find(
    (c) => c.method === 'chat.postMessage' && c.body.channel === approver.slackId,
  )!;
  const buttons = (post.body.blocks as Json[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Array<{ action_id: string; value: string }>);
  const button = (verb: string) => buttons.find((b) => b.action_id.startsWith(`${verb}#`))!;
  return {
    channel: m.conversation_id,
    ts: m.message_id,
    blocks: post.body.blocks as Json[],
    button,
  };
}

const lastOpened = () => t.slack.views('views.open').at(-1)!.body;
const updatesOf = (ts: string) =>
  t.slack.calls.filter((c) => c.method === 'chat.update' && c.body.ts === ts);
const isCurrent = async (ts: string) => {
  const [row] = await t.db.dataSource.query(
    `SELECT m.version = r.version AS current FROM chat_messages m
       JOIN access_requests r ON r.id = m.subject_id WHERE m.message_id = $1`,
    [ts],
  );
  return (row as { current: boolean }).current;
};

test.each(['approve', 'deny'] as const)(
  '%s with a required reason: a modal asks for it, its submission decides and updates the DM',
  async (verb) => {
    const { request, approvers } = await pendingRequest(true);
    const [approver] = approvers;
    const dm = await approvalMessage(request.id, approver);
    // Slack would not make a message's input required: the reason is not asked inline.
    expect(dm.blocks.filter((b) => b.type === 'input')).toEqual([]);

    const responses = t.slack.responses.length;
    const { triggerId, sent } = click(t, approver.slackId, dm.button(verb), {
      channel: dm.channel,
      ts: dm.ts,
    });
    await sent.expect(200);
    const opened = lastOpened();
    expect(opened.trigger_id).toBe(triggerId);
    const form = opened.view as Json;
    expect(form).toMatchObject({
      title: { text: verb === 'approve' ? 'Approve request' : 'Deny request' },
      submit: { text: verb === 'approve' ? 'Approve' : 'Deny' },
    });
    expect(JSON.parse(String(form.private_metadata))).toEqual({
      verb,
      data: { requestId: request.id },
      clicked: { conversationId: dm.channel, messageId: dm.ts },
    });
    // Nothing decided, and the message left as it is, until the reason comes.
    expect(t.slack.responses).toHaveLength(responses);
    expect((await t.services.requests.get(t.api, request.id)).state).toBe('pendingApproval');

    const blank = await submit(t, approver.slackId, form, { reason: '  ' }).expect(200);
    expect(blank.body).toEqual({
      response_action: 'errors',
      errors: { reason: 'This policy needs a reason from the approver.' },
    });
    expect((await t.services.requests.get(t.api, request.id)).state).toBe('pendingApproval');

    const done = await submit(t, approver.slackId, form, { reason: 'checked with the team' });
    expect(done.status).toBe(200);
    expect(done.body.response_action).toBe('update');
    const outcome = verb === 'approve' ? 'Approved' : 'Denied';
    expect(JSON.stringify(done.body.view)).toContain(outcome);
    expect(await t.services.requests.get(t.api, request.id)).toMatchObject({
      state: verb === 'approve' ? 'delivering' : 'denied',
      decidedBy: approver.id,
      decisionReason: 'checked with the team',
    });
    const [updated] = updatesOf(dm.ts);
    expect(updated.body.channel).toBe(dm.channel);
    expect(JSON.stringify(updated.body.blocks)).toContain(outcome);
    expect(JSON.stringify(updated.body.blocks)).toContain('checked with the team');
    // Recorded as current: the outbox does not send the same card over it again.
    expect(await isCurrent(dm.ts)).toBe(true);
    await deliver();
    expect(updatesOf(dm.ts)).toHaveLength(1);
  },
);

test('a reason submitted after someone else decided shows who decided, and changes nothing', async () => {
  const { request, approvers } = await pendingRequest(true, 2);
  const [slow, quick] = approvers;
  const dm = await approvalMessage(request.id, slow);
  await click(t, slow.slackId, dm.button('approve'), {
    channel: dm.channel,
    ts: dm.ts,
  }).sent.expect(200);
  const form = lastOpened().view as Json;
  await t.services.decisions.decide(await t.actor(quick), request.id, {
    decision: 'deny',
    reason: 'not this quarter',
  });

  const late = await submit(t, slow.slackId, form, { reason: 'fine by me' }).expect(200);
  expect(late.body.response_action).toBe('update');
  const said = JSON.stringify(late.body.view);
  expect(said).toContain('Denied');
  expect(said).toContain(quick.displayName);
  expect(await t.services.requests.get(t.api, request.id)).toMatchObject({
    state: 'denied',
    decidedBy: quick.id,
    decisionReason: 'not this quarter',
  });
  expect(JSON.stringify(updatesOf(dm.ts).at(-1)!.body.blocks)).toContain(quick.displayName);
});

test('without a required reason, Approve decides at once, with no modal', async () => {
  const { request, approvers } = await pendingRequest(false);
  const [approver] = approvers;
  const dm = await approvalMessage(request.id, approver);
  const opened = t.slack.views('views.open').length;
  await click(t, approver.slackId, dm.button('approve'), {
    channel: dm.channel,
    ts: dm.ts,
  }).sent.expect(200);
  expect(t.slack.views('views.open')).toHaveLength(opened);
  const replaced = t.slack.responses.at(-1)!;
  expect(replaced.replace_original).toBe(true);
  expect(JSON.stringify(replaced.blocks)).toContain('Approved');
  expect((await t.services.requests.get(t.api, request.id)).decidedBy).toBe(approver.id);
});
