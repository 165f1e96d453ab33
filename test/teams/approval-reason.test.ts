import { packageWithPolicy } from '../support/domain';
import { createTeamsHarness, type TeamsHarness } from '../support/teams/harness';

// Teams checks a required reason in the card itself; a click that comes without one anyway
// (an older client, a crafted invoke) gets the reason card, whose button decides with it.

let t: TeamsHarness;
beforeAll(async () => {
  t = await createTeamsHarness();
});
afterAll(() => t.close());

const text = (card: Record<string, unknown>) => JSON.stringify(card);

test('a decision without the reason the policy wants asks for it, then decides with it', async () => {
  const approver = t.member('Careful Approver', 'careful@woodgrove.example');
  await t.install(approver);
  const approverUser = (await t.services.directory.findUserByEmail('careful@woodgrove.example'))!;
  const requester = await t.user('Teams Requester');
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approverUser.id }],
    approverJustificationRequired: true,
  });
  const { request } = await t.services.requests.submit(await t.actor(requester), {
    packageId: pkg.id,
    justification: 'audit',
  });

  const asked = await t.click(approver, 'deny', { requestId: request.id, reason: '' });
  expect(text(asked)).toContain('Reason (required)');
  const actions = asked.actions as Array<{ verb: string; data: Record<string, unknown> }>;
  expect(actions.map((a) => [a.verb, a.data])).toEqual([['deny', { requestId: request.id }]]);
  expect((await t.services.requests.get(t.api, request.id)).state).toBe('pendingApproval');

  const decided = await t.click(approver, 'deny', { requestId: request.id, reason: 'no budget' });
  expect(text(decided)).toContain('Denied');
  expect(await t.services.requests.get(t.api, request.id)).toMatchObject({
    state: 'denied',
    decisionReason: 'no budget',
  });
});
