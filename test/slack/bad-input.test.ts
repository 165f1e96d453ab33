import { approvalCard } from '../../cards/builders/request-cards';
import { renderSlack } from '../../cards/render-slack';
import { pendingRequest } from '../support/domain';
import { createSlackHarness, slackSignature, type SlackHarness } from '../support/slack/harness';
import { buttonClick, buttonFor } from '../support/slack/payloads';
import { slackPerson } from '../support/slack/people';

// Slack clicks that are forged, stale, replayed, unreadable or not the clicker's to make: each
// gets a clear answer or a refusal, never a 5xx, and the database is as it was.

let t: SlackHarness;
beforeAll(async () => {
  t = await createSlackHarness();
});
afterAll(() => t.close());

type Button = Record<string, unknown>;

let people = 0;
/** A request waiting for a Slack approver, and the Approve button of its card. */
async function waiting() {
  const n = ++people;
  const approver = await slackPerson(t, `UAPP${n}`, `Bad Input Approver ${n}`);
  const requester = await slackPerson(t, `UREQ${n}`, `Bad Input Requester ${n}`);
  const { request } = await pendingRequest(t, requester, [approver], { justification: 'audit' });
  const [view] = await t.services.requestViews.many([request.id]);
  const approve = buttonFor(
    renderSlack(approvalCard(view, { now: t.clock.now() })).blocks,
    'approve',
  );
  return { approver, requestId: request.id, approve };
}

/** What a decision leaves in the database: the request's state, and what was recorded of it. */
const recorded = async (requestId: string) =>
  (
    await t.db.dataSource.query(
      `SELECT r.state,
              (SELECT count(*)::int FROM audit_events a
                WHERE a.subject_id = r.id::text AND a.action IN ('request.approved', 'request.denied')) AS decisions,
              (SELECT count(*)::int FROM assignments s
                WHERE s.user_id = r.target_user_id AND s.package_id = r.package_id) AS assignments
         FROM access_requests r WHERE r.id = $1`,
      [requestId],
    )
  )[0] as { state: string; decisions: number; assignments: number };

const untouched = { state: 'pendingApproval', decisions: 0, assignments: 0 };

/** The form body Slack would post for a click by `userId` on `button` in their DM, unsigned. */
const clickBody = (userId: string, button: Button) =>
  buttonClick(t.slack, userId, button, { channel: 'D1', ts: '1.000' });

const lastResponse = () => JSON.stringify(t.slack.responses.at(-1));

test('a click with a bad signature or a timestamp over 300 s old is refused, and nothing changes', async () => {
  const { approver, requestId, approve } = await waiting();
  const body = clickBody(approver.slackId, approve);
  const answered = t.slack.responses.length;

  await t.post(body, { secret: 'not-the-signing-secret' }).expect(401);
  await t.post(body, { age: 301 }).expect(401);
  // Signed for another body: the signature covers every byte.
  const other = slackSignature(clickBody(approver.slackId, approve), Math.floor(Date.now() / 1000));
  await t.post(body, { headers: other }).expect(401);

  expect(t.slack.responses).toHaveLength(answered);
  expect(await recorded(requestId)).toEqual(untouched);
});

test('a replayed click, the same signed request again, decides nothing a second time', async () => {
  const { approver, requestId, approve } = await waiting();
  const body = clickBody(approver.slackId, approve);
  const headers = slackSignature(body, Math.floor(Date.now() / 1000));

  await t.post(body, { headers }).expect(200);
  const decided = await recorded(requestId);
  expect(decided).toEqual({ state: 'delivering', decisions: 1, assignments: 1 });

  await t.post(body, { headers }).expect(200);
  expect(lastResponse()).toContain(`already approved by ${approver.displayName}`);
  expect(await recorded(requestId)).toEqual(decided);
});

test('a click by someone who is not an approver is told so, and nothing changes', async () => {
  const { requestId, approve } = await waiting();
  const stranger = await slackPerson(t, 'USTRANGER', 'Curious Stranger');
  await t.post(clickBody(stranger.slackId, approve)).expect(200);
  expect(lastResponse()).toMatch(/Only the approvers named by the policy/);
  expect(await recorded(requestId)).toEqual(untouched);
});

test.each<[string, (b: Button) => Button, RegExp]>([
  [
    'a verb this version does not have',
    (b) => ({ ...b, action_id: 'grantEverything#0' }),
    /older version of Accessbot/,
  ],
  [
    'an action id of no card',
    (b) => ({ ...b, action_id: 'approve-it-now' }),
    /older version of Accessbot/,
  ],
  ['a value that is not JSON', (b) => ({ ...b, value: '{not json' }), /cannot read/],
  [
    'a value naming no request',
    (b) => ({ ...b, value: '{"requestId":"not-a-uuid"}' }),
    /cannot read/,
  ],
])('a click on %s is answered, and nothing changes', async (_label, change, said) => {
  const { approver, requestId, approve } = await waiting();
  await t.post(clickBody(approver.slackId, change(approve))).expect(200);
  expect(lastResponse()).toMatch(said);
  expect(await recorded(requestId)).toEqual(untouched);
});

test('unreadable click payloads get a 4xx or a clear answer, never a 5xx', async () => {
  const { approver, requestId, approve } = await waiting();
  const payload = (p: Record<string, unknown>) =>
    new URLSearchParams({ payload: JSON.stringify(p) }).toString();
  const base = JSON.parse(
    new URLSearchParams(clickBody(approver.slackId, approve)).get('payload')!,
  );
  for (const body of [
    'payload=%7Bnot-json',
    'payload=',
    payload({ ...base, actions: 'not a list' }),
    payload({ ...base, actions: [{ type: 'button', block_id: 'b1' }] }),
    payload({ ...base, user: undefined }),
    // No listener takes a type Slack has not sent before: Bolt answers 404 after its 3 s window.
    payload({ ...base, type: 'something_new' }),
  ]) {
    const res = await t.post(body);
    expect(res.status).toBeLessThan(500);
  }
  expect(await recorded(requestId)).toEqual(untouched);
});
