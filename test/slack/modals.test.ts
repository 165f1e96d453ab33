import { packageWithPolicy } from '../support/domain';
import { createSlackHarness, type SlackHarness } from '../support/slack/harness';
import { slackOutbox, slackPerson } from '../support/slack/people';
import { click, interaction, slash, submit } from '../support/slack/payloads';

// Forms as Slack modals, through the real Bolt app: a Request button or `/access request`
// opens the request form with the payload's trigger; its submission reaches the same chat
// action as Teams, errors coming back beside their inputs. An approver whose policy wants a
// reason is asked for it in a modal, and its submission decides and updates their message.

type Json = Record<string, unknown>;
let t: SlackHarness;
let deliver: () => Promise<void>;
beforeAll(async () => {
  t = await createSlackHarness();
  deliver = slackOutbox(t);
});
afterAll(() => t.close());

let people = 0;
const person = (name: string) => slackPerson(t, `UM${++people}`, name);

const lastView = (method: 'views.open' | 'views.update' = 'views.open') =>
  t.slack.views(method).at(-1)!.body;
const inputIds = (view: Json) =>
  ((view.view as Json).blocks as Json[]).filter((b) => b.type === 'input').map((b) => b.block_id);
const requestsFor = async (packageId: string) =>
  (await t.db.dataSource.query(
    `SELECT state, justification FROM access_requests WHERE package_id = $1`,
    [packageId],
  )) as Array<{ state: string; justification: string | null }>;
const requestOpen = (packageId: string) => ({
  action_id: 'requestOpen#0',
  value: JSON.stringify({ packageId }),
});

test('a Request button opens the form as a modal with its trigger, instead of a message', async () => {
  const requester = await person('Modal Requester');
  const approver = await person('Modal Approver');
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
    allowCustomSchedule: true,
  });
  const responses = t.slack.responses.length;
  const { triggerId, sent } = click(t, requester.slackId, requestOpen(pkg.id));
  await sent.expect(200);
  const opened = lastView();
  expect(opened.trigger_id).toBe(triggerId);
  expect(opened.view).toMatchObject({
    type: 'modal',
    title: { text: 'Request access' },
    submit: { text: 'Submit request' },
  });
  expect(inputIds(opened)).toEqual(['justification', 'start', 'end']);
  expect(JSON.parse(String((opened.view as Json).private_metadata))).toEqual({
    verb: 'requestSubmit',
    data: { packageId: pkg.id },
  });
  // The list the button was on stays as it was: nothing went to its response_url.
  expect(t.slack.responses).toHaveLength(responses);
});

test('/access request <package> opens the same modal', async () => {
  const requester = await person('Command Requester');
  const approver = await person('Command Approver');
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  const { triggerId, sent } = slash(t, requester.slackId, `request ${pkg.name}`);
  await sent.expect(200);
  const opened = lastView();
  expect(opened.trigger_id).toBe(triggerId);
  expect(inputIds(opened)).toEqual(['justification']);
  expect(JSON.stringify(opened.view)).toContain(`Request ${pkg.name}`);
});

test('a submission without the required justification is refused beside it, and nothing is asked', async () => {
  const requester = await person('Terse Requester');
  const approver = await person('Terse Approver');
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  await click(t, requester.slackId, requestOpen(pkg.id)).sent.expect(200);
  const form = lastView().view as Json;
  // Slack only checks that a required input is not empty: spaces get through to us.
  const res = await submit(t, requester.slackId, form, { justification: '   ' }).expect(200);
  expect(res.body).toEqual({
    response_action: 'errors',
    errors: { justification: `"${pkg.name}" needs a business justification.` },
  });
  expect(await requestsFor(pkg.id)).toEqual([]);
});

test('a valid submission asks for the access, shows the receipt, and the approvers get their DMs', async () => {
  const requester = await person('Keen Requester');
  const approver = await person('Keen Approver');
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  await click(t, requester.slackId, requestOpen(pkg.id)).sent.expect(200);
  const res = await submit(t, requester.slackId, lastView().view as Json, {
    justification: 'release week',
  }).expect(200);
  expect(res.body.response_action).toBe('update');
  expect(res.body.view).toMatchObject({
    type: 'modal',
    title: { text: 'Request access' },
    close: { text: 'Close' },
  });
  expect(res.body.view).not.toHaveProperty('submit');
  expect(JSON.stringify(res.body.view)).toContain('Your request went to its approvers');
  expect(await requestsFor(pkg.id)).toEqual([
    { state: 'pendingApproval', justification: 'release week' },
  ]);

  await deliver();
  const dm = t.slack.calls.filter(
    (c) => c.method === 'chat.postMessage' && c.body.channel === approver.slackId,
  );
  expect(dm).toHaveLength(1);
  expect(JSON.stringify(dm[0].body.blocks)).toContain(`Keen Requester asks for ${pkg.name}`);
});

test('bad submissions get a clear answer, change nothing, and are never a 5xx', async () => {
  const requester = await person('Odd Requester');
  const approver = await person('Odd Approver');
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  await click(t, requester.slackId, requestOpen(pkg.id)).sent.expect(200);
  const form = lastView().view as Json;
  const typed = { justification: 'fine reasons' };
  const said = (body: Json) => JSON.stringify(body.view);

  for (const metadata of [
    'not json',
    JSON.stringify({ verb: 'requestSubmit' }),
    'x'.repeat(3001),
  ]) {
    const res = await submit(t, requester.slackId, { ...form, private_metadata: metadata }, typed);
    expect(res.status).toBe(200);
    expect(said(res.body)).toContain('sent something I cannot read');
  }
  const unknownVerb = JSON.stringify({ verb: 'grantEverything', data: { packageId: pkg.id } });
  const old = await submit(t, requester.slackId, { ...form, private_metadata: unknownVerb }, typed);
  expect(said(old.body)).toContain('older version of Accessbot');
  const badId = JSON.stringify({ verb: 'requestSubmit', data: { packageId: 'nope' } });
  const unreadable = await submit(
    t,
    requester.slackId,
    { ...form, private_metadata: badId },
    typed,
  );
  expect(said(unreadable.body)).toContain('sent something I cannot read');

  // Not even a view, or no JSON at all.
  const noView = await interaction(t, {
    type: 'view_submission',
    team: { id: 'T1' },
    user: { id: requester.slackId },
  });
  expect(noView.status).toBe(400);
  const garbage = await t.post('payload=%7Bnot-json');
  expect(garbage.status).toBe(400);

  expect(await requestsFor(pkg.id)).toEqual([]);
});

test('a form gone stale while open gets its reason, not a failure', async () => {
  const requester = await person('Slow Requester');
  const approver = await person('Slow Approver');
  const { pkg, policy } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  await click(t, requester.slackId, requestOpen(pkg.id)).sent.expect(200);
  const form = lastView().view as Json;
  await t.services.policies.update(t.api, policy.id, { enabled: false });
  const res = await submit(t, requester.slackId, form, { justification: 'still want it' }).expect(
    200,
  );
  expect(res.body.response_action).toBe('update');
  expect(JSON.stringify(res.body.view)).toContain('none of its policies includes you');
  expect(await requestsFor(pkg.id)).toEqual([]);
});

test('an expired trigger is told to the person, not left silent', async () => {
  const requester = await person('Late Requester');
  const approver = await person('Late Approver');
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  t.slack.refuseNext('views.open', 'expired_trigger_id');
  await click(t, requester.slackId, requestOpen(pkg.id)).sent.expect(200);
  const told = t.slack.responses.at(-1)!;
  expect(told).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  expect(JSON.stringify(told.blocks)).toContain('could not be opened in time');
});

test('in a DM, which brings no trigger, the form comes as a message whose button opens the modal', async () => {
  const requester = await person('Typing Requester');
  const approver = await person('Typing Approver');
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  const opened = t.slack.views('views.open').length;
  await t
    .event({
      type: 'message',
      channel: `D-${requester.slackId}`,
      channel_type: 'im',
      user: requester.slackId,
      team: 'T1',
      text: `request ${pkg.name}`,
      ts: '1700000000.5',
    })
    .expect(200);
  const posted = t.slack.callsOf('chat.postMessage').at(-1)!;
  expect(posted.channel).toBe(`D-${requester.slackId}`);
  expect(t.slack.views('views.open')).toHaveLength(opened);
  const button = ((posted.blocks as Json[]).flatMap((b) => (b.elements as Json[]) ?? []) as Json[])
    .map((e) => ({ action_id: String(e.action_id), value: String(e.value) }))
    .find((e) => e.action_id.startsWith('requestSubmit#'))!;
  expect(JSON.parse(button.value)).toEqual({ packageId: pkg.id });

  // The required justification is not in a message: the click opens the form as a modal.
  const { triggerId, sent } = click(t, requester.slackId, button, {
    channel: `D-${requester.slackId}`,
    ts: '1700000000.6',
  });
  await sent.expect(200);
  const form = lastView();
  expect(form.trigger_id).toBe(triggerId);
  expect(inputIds(form)).toEqual(['justification']);
  const res = await submit(t, requester.slackId, form.view as Json, {
    justification: 'typed to the bot',
  }).expect(200);
  expect(JSON.stringify(res.body.view)).toContain('Your request went to its approvers');
  expect(await requestsFor(pkg.id)).toEqual([
    { state: 'pendingApproval', justification: 'typed to the bot' },
  ]);
});
