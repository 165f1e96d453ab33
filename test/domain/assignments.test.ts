import { AccessRequest, Fulfillment } from '../../db/entities';
import { DAY, HOUR } from '../../server/domain/clock';
import { assignmentEnd } from '../../server/domain/policy-settings';
import { createHarness, packageWithPolicy, policy, failure, type Harness } from '../support/domain';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('the end of an assignment', () => {
  const start = new Date('2026-03-01T10:00:00Z');
  test.each([
    [{ type: 'afterDays' as const, days: 30 }, null, new Date('2026-03-31T10:00:00Z')],
    [{ type: 'afterHours' as const, hours: 8 }, null, new Date('2026-03-01T18:00:00Z')],
    [
      { type: 'onDate' as const, date: new Date('2026-06-30T00:00:00Z') },
      null,
      new Date('2026-06-30T00:00:00Z'),
    ],
    [{ type: 'never' as const }, null, null],
    [
      { type: 'afterDays' as const, days: 30 },
      new Date('2026-03-05T00:00:00Z'),
      new Date('2026-03-05T00:00:00Z'),
    ],
  ])('%j with chosen end %s ends at %s', (expiration, chosen, expected) => {
    expect(assignmentEnd(expiration, start, chosen)).toEqual(expected);
  });
});

test('direct assignment: under a direct-assignment policy, with the policy end, superseding a pending request', async () => {
  const approver = await h.user('DA Approver');
  const user = await h.user('Directly Assigned');
  const fixture = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
    expiration: { type: 'afterDays', days: 10 },
  });
  const direct = await h.services.policies.create(
    h.api,
    fixture.pkg.id,
    policy({
      name: 'Admin only',
      requestorScope: 'none',
      expiration: { type: 'afterHours', hours: 4 },
    }),
  );
  const { request } = await h.services.requests.submit(await h.actor(user), {
    packageId: fixture.pkg.id,
    justification: 'x',
  });

  const assignment = await h.services.assignments.assignDirectly(h.api, {
    userId: user.id,
    packageId: fixture.pkg.id,
    policyId: direct.id,
    reason: 'onboarding',
  });
  expect(assignment.state).toBe('delivering');
  await h.fulfil();
  expect((await h.services.assignments.get(h.api, assignment.id)).state).toBe('delivered');
  expect(assignment.endAt!.getTime() - assignment.startAt.getTime()).toBe(4 * HOUR);
  const superseded = await h.services.requests.get(h.api, request.id);
  expect(superseded.state).toBe('canceled');
  expect(superseded.cancelReason).toMatch(/direct assignment/);
  const record = await h.db.dataSource.manager.findOneByOrFail(AccessRequest, {
    assignmentId: assignment.id,
    type: 'adminAdd',
  });
  expect(record.state).toBe('delivered');
  expect(record.justification).toBe('onboarding');

  const again = await failure(
    h.services.assignments.assignDirectly(h.api, {
      userId: user.id,
      packageId: fixture.pkg.id,
      policyId: direct.id,
    }),
  );
  expect(again.code).toBe('conflict');
});

test('direct assignment refuses a policy of another package and an end before the start', async () => {
  const user = await h.user('Wrong Policy');
  const a = await packageWithPolicy(h, { requestorScope: 'none' });
  const b = await packageWithPolicy(h, { requestorScope: 'none' });
  const e1 = await failure(
    h.services.assignments.assignDirectly(h.api, {
      userId: user.id,
      packageId: a.pkg.id,
      policyId: b.policy.id,
    }),
  );
  expect(e1.details.field).toBe('policyId');
  const e2 = await failure(
    h.services.assignments.assignDirectly(h.api, {
      userId: user.id,
      packageId: a.pkg.id,
      policyId: a.policy.id,
      end: new Date(h.clock.now().getTime() - DAY),
    }),
  );
  expect(e2.details.field).toBe('end');
  expect(await h.db.dataSource.manager.countBy(AccessRequest, { targetUserId: user.id })).toBe(0);
});

test('removal revokes what was granted and records an adminRemove request', async () => {
  const user = await h.user('Removed');
  const { pkg, policy } = await packageWithPolicy(h, { requestorScope: 'none' });
  const assignment = await h.services.assignments.assignDirectly(h.api, {
    userId: user.id,
    packageId: pkg.id,
    policyId: policy.id,
  });
  await h.fulfil();
  const removed = await h.services.assignments.remove(h.api, assignment.id, 'left the project');
  expect(removed.state).toBe('removed');
  await h.fulfil();
  expect(removed.endReason).toBe('left the project');
  expect(h.provisioner.calls.filter((c) => c.user === user.email).map((c) => c.action)).toEqual([
    'grant',
    'revoke',
  ]);
  const rows = await h.db.dataSource.manager.findBy(Fulfillment, { assignmentId: assignment.id });
  expect(rows.map((r) => [r.action, r.state])).toEqual([['revoke', 'delivered']]);
  expect(
    await h.db.dataSource.manager.countBy(AccessRequest, {
      assignmentId: assignment.id,
      type: 'adminRemove',
    }),
  ).toBe(1);
  const twice = await failure(h.services.assignments.remove(h.api, assignment.id));
  expect(twice.code).toBe('conflict');
});

test('expiry ends assignments whose end has passed, and only those', async () => {
  const soon = await h.user('Expires Soon');
  const later = await h.user('Expires Later');
  const { pkg, policy } = await packageWithPolicy(h, {
    requestorScope: 'none',
    expiration: { type: 'afterDays', days: 2 },
  });
  const a1 = await h.services.assignments.assignDirectly(h.api, {
    userId: soon.id,
    packageId: pkg.id,
    policyId: policy.id,
  });
  h.clock.advance(DAY);
  const a2 = await h.services.assignments.assignDirectly(h.api, {
    userId: later.id,
    packageId: pkg.id,
    policyId: policy.id,
  });
  h.clock.advance(DAY);
  await h.fulfil();
  const expired = await h.services.assignments.expireDue();
  await h.fulfil();
  expect(expired).toContain(a1.id);
  expect(expired).not.toContain(a2.id);
  expect((await h.services.assignments.get(h.api, a1.id)).state).toBe('expired');
  expect((await h.services.assignments.get(h.api, a2.id)).state).toBe('delivered');
  expect(h.provisioner.calls.filter((c) => c.user === soon.email).map((c) => c.action)).toEqual([
    'grant',
    'revoke',
  ]);
  expect(await h.services.assignments.expireDue()).not.toContain(a1.id);
});

test('a failing connector leaves the assignment partially delivered, with the error per role', async () => {
  const user = await h.user('Partial');
  const fixture = await packageWithPolicy(h, { requestorScope: 'none' });
  const broken = await h.services.resources.add(h.api, fixture.catalog.id, {
    type: 'slackChannel',
    originId: `C-broken-${Date.now()}`,
    displayName: '#broken',
    description: '',
    attributes: {},
  });
  await h.services.packages.addResourceRole(h.api, fixture.pkg.id, broken.roles[0].id);
  h.provisioner.failing.add(broken.originId);
  try {
    const assignment = await h.services.assignments.assignDirectly(h.api, {
      userId: user.id,
      packageId: fixture.pkg.id,
      policyId: fixture.policy.id,
    });
    await h.fulfil();
    expect((await h.services.assignments.get(h.api, assignment.id)).state).toBe(
      'partiallyDelivered',
    );
    const rows = await h.services.assignments.fulfillments(h.api, assignment.id);
    const failed = rows.find((r) => r.resourceRoleId === broken.roles[0].id)!;
    expect(failed.state).toBe('failed');
    expect(failed.lastError).toMatch(/connector down/);
    expect(failed.nextAttemptAt!.getTime()).toBeGreaterThan(h.clock.now().getTime());
    const request = await h.db.dataSource.manager.findOneByOrFail(AccessRequest, {
      assignmentId: assignment.id,
    });
    expect(request.state).toBe('partiallyDelivered');
  } finally {
    h.provisioner.failing.delete(broken.originId);
  }
});

test('adding a role to a package grants it to existing assignees; removing it revokes it', async () => {
  const user = await h.user('Existing Assignee');
  const fixture = await packageWithPolicy(h, { requestorScope: 'none' });
  const assignment = await h.services.assignments.assignDirectly(h.api, {
    userId: user.id,
    packageId: fixture.pkg.id,
    policyId: fixture.policy.id,
  });
  const owners = fixture.resource.roles.find((r) => r.name === 'owner')!;
  expect(await h.services.packages.addResourceRole(h.api, fixture.pkg.id, owners.id)).toEqual({
    grantsQueued: 1,
  });
  await h.fulfil();
  expect(h.provisioner.calls).toContainEqual({
    action: 'grant',
    user: user.email,
    resource: fixture.resource.originId,
    role: 'owner',
  });
  expect(await h.services.packages.removeResourceRole(h.api, fixture.pkg.id, owners.id)).toEqual({
    revocationsQueued: 1,
  });
  await h.fulfil();
  expect(h.provisioner.calls).toContainEqual({
    action: 'revoke',
    user: user.email,
    resource: fixture.resource.originId,
    role: 'owner',
  });
  expect((await h.services.assignments.get(h.api, assignment.id)).state).toBe('delivered');
});

test('a role another active assignment still grants is not revoked', async () => {
  const user = await h.user('Two Packages');
  const first = await packageWithPolicy(h, { requestorScope: 'none' });
  const second = await h.services.packages.create(h.api, {
    catalogId: first.catalog.id,
    name: 'Second package sharing a role',
    description: '',
    hidden: false,
  });
  const member = first.resource.roles.find((r) => r.name === 'member')!;
  await h.services.packages.addResourceRole(h.api, second.id, member.id);
  const secondPolicy = await h.services.policies.create(
    h.api,
    second.id,
    policy({ requestorScope: 'none' }),
  );
  const a1 = await h.services.assignments.assignDirectly(h.api, {
    userId: user.id,
    packageId: first.pkg.id,
    policyId: first.policy.id,
  });
  await h.services.assignments.assignDirectly(h.api, {
    userId: user.id,
    packageId: second.id,
    policyId: secondPolicy.id,
  });
  await h.fulfil();
  await h.services.assignments.remove(h.api, a1.id);
  await h.fulfil();
  expect(h.provisioner.calls.filter((c) => c.user === user.email).map((c) => c.action)).toEqual([
    'grant',
    'grant',
  ]);
});
