import { createHarness, failure, packageWithPolicy, type Harness } from '../support/domain';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

test('a request view names everyone and everything a card shows, and moves with each change', async () => {
  const approver = await h.user('View Approver');
  const requester = await h.user('View Requester');
  const { pkg, policy } = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  const { request } = await h.services.requests.submit(await h.actor(requester), {
    packageId: pkg.id,
    justification: 'quarter close',
  });
  const before = await h.services.requestViews.get(await h.actor(approver), request.id);
  expect(before).toMatchObject({
    number: request.number,
    state: 'pendingApproval',
    package: { id: pkg.id, name: pkg.name },
    requester: { id: requester.id, displayName: 'View Requester', email: requester.email },
    justification: 'quarter close',
    policyName: policy.name,
    roles: [{ resource: expect.stringMatching(/^Engineering Group/), role: 'member' }],
    decision: null,
    cancellation: null,
    assignment: null,
  });

  await h.services.decisions.decide(await h.actor(approver), request.id, {
    decision: 'approve',
    reason: 'fine',
  });
  const after = await h.services.requestViews.get(await h.actor(requester), request.id);
  expect(after.version).toBeGreaterThan(before.version);
  expect(after.decision).toEqual({ by: 'View Approver', at: h.clock.now(), reason: 'fine' });
  expect(after.assignment).toMatchObject({ state: 'delivering' });
  await h.fulfil();
  const delivered = await h.services.requestViews.get(await h.actor(requester), request.id);
  expect(delivered.version).toBeGreaterThan(after.version);
  expect(delivered.assignment).toMatchObject({ state: 'delivered' });

  const stranger = await h.actor(await h.user('View Stranger'));
  expect((await failure(h.services.requestViews.get(stranger, request.id))).code).toBe('forbidden');
});
