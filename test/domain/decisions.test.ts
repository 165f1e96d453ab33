import { AuditEvent, Assignment, type User } from '../../db/entities';
import {
  ADMIN_EMAIL,
  createHarness,
  packageWithPolicy,
  failure,
  type Harness,
  withSeparateConnections,
} from '../support/domain';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

async function pendingRequest(settings: Parameters<typeof packageWithPolicy>[1]) {
  const requester = await h.user(`Requester ${Math.random().toString(36).slice(2, 7)}`);
  const fixture = await packageWithPolicy(h, settings);
  const { request } = await h.services.requests.submit(await h.actor(requester), {
    packageId: fixture.pkg.id,
    justification: 'needed',
  });
  return { requester, request, ...fixture };
}

test('first decision wins; the late approver is told who decided and when', async () => {
  const alice = await h.user('Alice Approver');
  const bob = await h.user('Bob Approver');
  const { request } = await pendingRequest({
    requestorScope: 'allMembers',
    approvers: [{ userId: alice.id }, { userId: bob.id }],
  });
  await h.services.decisions.decide(await h.actor(alice), request.id, {
    decision: 'deny',
    reason: 'no',
  });
  const late = await failure(
    h.services.decisions.decide(await h.actor(bob), request.id, { decision: 'approve' }),
  );
  expect(late.code).toBe('alreadyDecided');
  expect(late.message).toBe(
    `Request #${request.number} was already denied by Alice Approver at ${h.clock.now().toISOString()}.`,
  );
  const after = await h.services.requests.get(h.api, request.id);
  expect(after.state).toBe('denied');
  expect(after.assignmentId).toBeNull();
  expect(await h.notifications()).toContainEqual({ kind: 'requestDecided', requestId: request.id });

  // Someone who could never decide is refused, without learning who decided.
  const stranger = await h.user('Curious Stranger');
  const refused = await failure(
    h.services.decisions.decide(await h.actor(stranger), request.id, { decision: 'approve' }),
  );
  expect(refused.code).toBe('forbidden');
  expect(refused.message).not.toContain('Alice');
});

test('approvers through a group may decide; non-approvers may not', async () => {
  const member = await h.user('Group Approver');
  const outsider = await h.user('Not An Approver');
  const group = await h.services.directory.createGroup(h.api, {
    name: 'Approvers A',
    description: '',
  });
  await h.services.directory.addGroupMember(h.api, group.id, member.id);
  const { request } = await pendingRequest({
    requestorScope: 'allMembers',
    approvers: [{ groupId: group.id }],
  });

  const refused = await failure(
    h.services.decisions.decide(await h.actor(outsider), request.id, { decision: 'approve' }),
  );
  expect(refused.code).toBe('forbidden');
  expect((await h.services.requests.get(h.api, request.id)).state).toBe('pendingApproval');

  const approved = await h.services.decisions.decide(await h.actor(member), request.id, {
    decision: 'approve',
  });
  expect(approved.state).toBe('delivering');
});

test('an admin who is not a named approver cannot decide', async () => {
  const approver = await h.user('Named Approver');
  const admin =
    (await h.services.directory.findUserByEmail(ADMIN_EMAIL)) ??
    (await h.user('Admin', { email: ADMIN_EMAIL }));
  const { request } = await pendingRequest({
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  const e = await failure(
    h.services.decisions.decide(await h.actor(admin), request.id, { decision: 'approve' }),
  );
  expect(e.code).toBe('forbidden');
});

test('approver justification, when the policy requires it', async () => {
  const approver = await h.user('Strict Approver');
  const { request } = await pendingRequest({
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
    approverJustificationRequired: true,
  });
  const before = await h.db.dataSource.manager.count(AuditEvent);
  const e = await failure(
    h.services.decisions.decide(await h.actor(approver), request.id, { decision: 'approve' }),
  );
  expect(e.code).toBe('invalid');
  expect(e.details.field).toBe('reason');
  expect(await h.db.dataSource.manager.count(AuditEvent)).toBe(before);
  expect((await h.services.requests.get(h.api, request.id)).state).toBe('pendingApproval');
  const ok = await h.services.decisions.decide(await h.actor(approver), request.id, {
    decision: 'approve',
    reason: 'on the project',
  });
  expect(ok.decisionReason).toBe('on the project');
});

test('a requester never decides their own request; catalog owners and admins are the fallback', async () => {
  const selfApprover = await h.user('Self Approver');
  const owner = await h.user('Catalog Owner');
  const fixture = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: [{ userId: selfApprover.id }],
  });
  await h.services.catalogs.setRole(h.api, fixture.catalog.id, owner.id, 'catalogOwner', true);
  const { request } = await h.services.requests.submit(await h.actor(selfApprover), {
    packageId: fixture.pkg.id,
    justification: 'me',
  });
  // The owner (and any administrator) is asked instead of the requester.
  const asked = (await h.notifications()).find(
    (n) => n.kind === 'approvalRequested' && n.requestId === request.id,
  );
  expect(asked).toMatchObject({ approverIds: expect.arrayContaining([owner.id]) });
  expect(asked).not.toMatchObject({ approverIds: expect.arrayContaining([selfApprover.id]) });
  const own = await failure(
    h.services.decisions.decide(await h.actor(selfApprover), request.id, { decision: 'approve' }),
  );
  expect(own.code).toBe('forbidden');
  expect(own.message).toMatch(/your own request/);
  const decided = await h.services.decisions.decide(await h.actor(owner), request.id, {
    decision: 'approve',
  });
  expect(decided.decidedBy).toBe(owner.id);
});

test('deciding a canceled request says who canceled it', async () => {
  const approver = await h.user('Approver Of Canceled');
  const { request, requester } = await pendingRequest({
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  await h.services.requests.cancel(await h.actor(requester), request.id);
  const e = await failure(
    h.services.decisions.decide(await h.actor(approver), request.id, { decision: 'approve' }),
  );
  expect(e.code).toBe('alreadyDecided');
  expect(e.message).toContain(`already canceled by ${requester.displayName}`);
  expect(await h.db.dataSource.manager.countBy(Assignment, { userId: requester.id })).toBe(0);
});

test('policy edits affect only new requests', async () => {
  const first = await h.user('First Approver');
  const second = await h.user('Second Approver');
  const { request, pkg, policy } = await pendingRequest({
    requestorScope: 'allMembers',
    approvers: [{ userId: first.id }],
    expiration: { type: 'afterDays', days: 30 },
  });
  await h.services.policies.update(h.api, policy.id, {
    approvers: [{ userId: second.id }],
    expiration: { type: 'afterDays', days: 1 },
  });
  const refused = await failure(
    h.services.decisions.decide(await h.actor(second), request.id, { decision: 'approve' }),
  );
  expect(refused.code).toBe('forbidden');
  const approved = await h.services.decisions.decide(await h.actor(first), request.id, {
    decision: 'approve',
  });
  const assignment = await h.services.assignments.get(h.api, approved.assignmentId!);
  expect(assignment.endAt!.getTime() - assignment.startAt.getTime()).toBe(30 * 86_400_000);

  const newcomer = await h.user('Newcomer');
  const { request: fresh } = await h.services.requests.submit(await h.actor(newcomer), {
    packageId: pkg.id,
    justification: 'x',
  });
  expect(fresh.policySnapshot!.expiration).toEqual({ type: 'afterDays', days: 1 });
  await h.services.decisions.decide(await h.actor(second), fresh.id, { decision: 'approve' });
});

test('50 concurrent decisions over separate connections: one winner, one assignment, one decision event', async () => {
  const approvers: User[] = [];
  for (let i = 0; i < 50; i++) approvers.push(await h.user(`Racer ${i}`));
  const group = await h.services.directory.createGroup(h.api, { name: 'Racers', description: '' });
  for (const a of approvers) await h.services.directory.addGroupMember(h.api, group.id, a.id);
  const { request } = await pendingRequest({
    requestorScope: 'allMembers',
    approvers: [{ groupId: group.id }],
  });

  // Every decision runs on its own connection.
  await withSeparateConnections(h, 50, async (services) => {
    const actors = await Promise.all(
      approvers.map((a) => services.directory.actorFor(a.id, { channel: 'teams' })),
    );
    const results = await Promise.allSettled(
      actors.map((actor) => services.decisions.decide(actor, request.id, { decision: 'approve' })),
    );
    const winners = results.filter((r) => r.status === 'fulfilled');
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(49);
    for (const l of losers) expect(l.reason.code).toBe('alreadyDecided');

    const final = await h.services.requests.get(h.api, request.id);
    expect(final.decidedBy).toBe(
      (winners[0] as PromiseFulfilledResult<{ decidedBy: string }>).value.decidedBy,
    );
    const events = await h.db.dataSource.manager.find(AuditEvent, {
      where: [
        { subjectId: request.id, action: 'request.approved' },
        { subjectId: request.id, action: 'request.denied' },
      ],
    });
    expect(events).toHaveLength(1);
    const assignments = await h.db.dataSource.manager.countBy(Assignment, {
      packageId: request.packageId,
    });
    expect(assignments).toBe(1);
  });
});
