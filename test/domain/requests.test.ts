import { AccessRequest, AuditEvent } from '../../db/entities';
import { DAY, HOUR } from '../../server/domain/clock';
import { createHarness, packageWithPolicy, policy, failure, type Harness } from '../support/domain';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const count = (entity: typeof AccessRequest | typeof AuditEvent) =>
  h.db.dataSource.manager.count(entity);

describe('the seed 002 tutorial: User1 requests, Admin1 approves, 30 days', () => {
  test('request, approve, deliver, with an audit trail', async () => {
    const admin1 = await h.user('Tutorial Admin1');
    const user1 = await h.user('Tutorial User1');
    const { pkg, policy: pol } = await packageWithPolicy(h, {
      name: 'Internal user policy',
      requestorScope: 'specificUsers',
      requestors: [{ userId: user1.id }],
      approvers: [{ userId: admin1.id }],
      expiration: { type: 'afterDays', days: 30 },
      allowCustomSchedule: true,
    });

    const start = h.clock.now();
    const { request, autoApproved } = await h.services.requests.submit(await h.actor(user1), {
      packageId: pkg.id,
      justification: 'Working on web project',
      start,
      end: new Date(start.getTime() + DAY),
    });
    expect(autoApproved).toBe(false);
    expect(request.state).toBe('pendingApproval');
    expect(request.policyId).toBe(pol.id);
    expect(request.approvalDueAt).toEqual(new Date(start.getTime() + 14 * DAY));
    expect(await h.notifications()).toContainEqual({
      kind: 'approvalRequested',
      requestId: request.id,
      approverIds: [admin1.id],
    });

    const decided = await h.services.decisions.decide(await h.actor(admin1), request.id, {
      decision: 'approve',
      reason: 'Approved access for web project',
    });
    // Provisioning runs after the decision, in the background.
    expect(decided.state).toBe('delivering');
    await h.fulfil();
    expect((await h.services.requests.get(h.api, request.id)).state).toBe('delivered');
    expect(decided.decidedBy).toBe(admin1.id);
    const assignment = await h.services.assignments.get(h.api, decided.assignmentId!);
    expect(assignment.state).toBe('delivered');
    // The requested period (one day) is within the policy's 30 days, so it wins.
    expect(assignment.endAt).toEqual(new Date(start.getTime() + DAY));
    expect(h.provisioner.calls).toContainEqual({
      action: 'grant',
      user: user1.email,
      resource: expect.stringMatching(/^group-/),
      role: 'member',
    });
    const trail = await h.db.dataSource.manager.find(AuditEvent, {
      where: [{ subjectId: request.id }, { subjectId: assignment.id }],
      order: { id: 'ASC' },
    });
    expect(trail.map((e) => e.action)).toEqual([
      'request.submitted',
      'request.approved',
      'assignment.created',
      'assignment.delivered',
    ]);
  });
});

describe('submitting', () => {
  test('justification required by the policy: refused, nothing written', async () => {
    const u = await h.user('No Reason');
    const { pkg } = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvalRequired: false,
    });
    const before = [await count(AccessRequest), await count(AuditEvent)];
    const e = await failure(
      h.services.requests.submit(await h.actor(u), { packageId: pkg.id, justification: '   ' }),
    );
    expect(e.code).toBe('invalid');
    expect(e.details.field).toBe('justification');
    expect([await count(AccessRequest), await count(AuditEvent)]).toEqual(before);
  });

  test('unknown package is a clear not-found', async () => {
    const u = await h.user('Lost');
    const e = await failure(
      h.services.requests.submit(await h.actor(u), {
        packageId: '00000000-0000-4000-8000-000000000000',
      }),
    );
    expect(e.code).toBe('notFound');
    expect(e.message).toMatch(/Access package .* was not found/);
  });

  test('out of every policy scope: forbidden', async () => {
    const insider = await h.user('Insider');
    const outsider = await h.user('Outsider');
    const { pkg } = await packageWithPolicy(h, {
      requestorScope: 'specificUsers',
      requestors: [{ userId: insider.id }],
      approvalRequired: false,
    });
    const e = await failure(
      h.services.requests.submit(await h.actor(outsider), {
        packageId: pkg.id,
        justification: 'x',
      }),
    );
    expect(e.code).toBe('forbidden');
  });

  test('several policies apply: the user must choose, and may only choose one that applies', async () => {
    const u = await h.user('Chooser');
    const { pkg, policy: first } = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvalRequired: false,
    });
    const second = await h.services.policies.create(
      h.api,
      pkg.id,
      policy({ name: 'Second', requestorScope: 'allMembers', approvalRequired: false }),
    );
    const other = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvalRequired: false,
    });

    const e = await failure(
      h.services.requests.submit(await h.actor(u), { packageId: pkg.id, justification: 'x' }),
    );
    expect(e.code).toBe('invalid');
    expect(e.details.field).toBe('policyId');
    expect((e.details.choices as Array<{ id: string }>).map((c) => c.id).sort()).toEqual(
      [first.id, second.id].sort(),
    );

    const wrong = await failure(
      h.services.requests.submit(await h.actor(u), {
        packageId: pkg.id,
        policyId: other.policy.id,
        justification: 'x',
      }),
    );
    expect(wrong.details.field).toBe('policyId');

    const { request } = await h.services.requests.submit(await h.actor(u), {
      packageId: pkg.id,
      policyId: second.id,
      justification: 'x',
    });
    expect(request.policyId).toBe(second.id);
  });

  test('a requested period needs a policy that allows it, and stays within its limit', async () => {
    const u = await h.user('Scheduler');
    const fixed = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvalRequired: false,
    });
    const now = h.clock.now();
    const e1 = await failure(
      h.services.requests.submit(await h.actor(u), {
        packageId: fixed.pkg.id,
        justification: 'x',
        end: new Date(now.getTime() + DAY),
      }),
    );
    expect(e1.details.field).toBe('end');

    const flexible = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvalRequired: false,
      allowCustomSchedule: true,
      expiration: { type: 'afterDays', days: 7 },
    });
    const e2 = await failure(
      h.services.requests.submit(await h.actor(u), {
        packageId: flexible.pkg.id,
        justification: 'x',
        end: new Date(now.getTime() + 8 * DAY),
      }),
    );
    expect(e2.details.field).toBe('end');
    expect(e2.message).toMatch(/at the latest/);
    const e3 = await failure(
      h.services.requests.submit(await h.actor(u), {
        packageId: flexible.pkg.id,
        justification: 'x',
        start: new Date(now.getTime() - 3 * DAY),
      }),
    );
    expect(e3.details.field).toBe('start');
    const e4 = await failure(
      h.services.requests.submit(await h.actor(u), {
        packageId: flexible.pkg.id,
        justification: 'x',
        start: new Date(now.getTime() + 2 * DAY),
        end: new Date(now.getTime() + DAY),
      }),
    );
    expect(e4.details.field).toBe('end');
  });

  test('a future start schedules the assignment; it starts when due', async () => {
    const u = await h.user('Later');
    const { pkg } = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvalRequired: false,
      allowCustomSchedule: true,
    });
    const start = new Date(h.clock.now().getTime() + 2 * DAY);
    const { request } = await h.services.requests.submit(await h.actor(u), {
      packageId: pkg.id,
      justification: 'x',
      start,
    });
    expect(request.state).toBe('scheduled');
    const assignment = await h.services.assignments.get(h.api, request.assignmentId!);
    expect(assignment.state).toBe('scheduled');
    expect(assignment.startAt).toEqual(start);
    const grantsBefore = h.provisioner.calls.filter((c) => c.user === u.email).length;
    expect(grantsBefore).toBe(0);

    expect(await h.services.assignments.startDue()).not.toContain(assignment.id);
    h.clock.set(start);
    expect(await h.services.assignments.startDue()).toContain(assignment.id);
    await h.fulfil();
    expect((await h.services.assignments.get(h.api, assignment.id)).state).toBe('delivered');
    expect((await h.services.requests.get(h.api, request.id)).state).toBe('delivered');
    expect(h.provisioner.calls.filter((c) => c.user === u.email)).toHaveLength(1);
  });

  test('no duplicates: a pending request or an active assignment blocks another request', async () => {
    const approver = await h.user('Dup Approver');
    const u = await h.user('Dup');
    const { pkg } = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvers: [{ userId: approver.id }],
    });
    const { request } = await h.services.requests.submit(await h.actor(u), {
      packageId: pkg.id,
      justification: 'x',
    });
    const before = await count(AccessRequest);
    const pending = await failure(
      h.services.requests.submit(await h.actor(u), { packageId: pkg.id, justification: 'again' }),
    );
    expect(pending.code).toBe('conflict');
    expect(pending.message).toContain(`#${request.number}`);
    expect(await count(AccessRequest)).toBe(before);

    await h.services.decisions.decide(await h.actor(approver), request.id, { decision: 'approve' });
    const assigned = await failure(
      h.services.requests.submit(await h.actor(u), { packageId: pkg.id, justification: 'again' }),
    );
    expect(assigned.code).toBe('conflict');
    expect(assigned.message).toMatch(/already have access/);
  });

  test('concurrent duplicate submissions: exactly one request is created', async () => {
    const approver = await h.user('Race Approver');
    const u = await h.user('Double Clicker');
    const { pkg } = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvers: [{ userId: approver.id }],
    });
    const actor = await h.actor(u);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        h.services.requests.submit(actor, { packageId: pkg.id, justification: 'x' }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason.code).toBe('conflict');
    }
  });

  test('a hidden package is not listed but can be requested by direct link', async () => {
    const u = await h.user('Linker');
    const { pkg } = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvalRequired: false,
    });
    await h.services.packages.setHidden(h.api, pkg.id, true);
    const page = await h.services.browse.browse(u, { text: pkg.name });
    expect(page.items).toHaveLength(0);
    const { request } = await h.services.requests.submit(await h.actor(u), {
      packageId: pkg.id,
      justification: 'link',
    });
    expect(request.state).toBe('delivering');
  });

  test('a disabled catalog cannot be requested from', async () => {
    const u = await h.user('Disabled Catalog');
    const { pkg, catalog } = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvalRequired: false,
    });
    await h.services.catalogs.update(h.api, catalog.id, { enabled: false });
    const e = await failure(
      h.services.requests.submit(await h.actor(u), { packageId: pkg.id, justification: 'x' }),
    );
    expect(e.code).toBe('forbidden');
    expect(e.message).toMatch(/catalog is disabled/);
  });
});

describe('canceling', () => {
  test('the requester withdraws; a second cancel says who canceled first', async () => {
    const approver = await h.user('Cancel Approver');
    const u = await h.user('Withdrawer');
    const { pkg } = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvers: [{ userId: approver.id }],
    });
    const { request } = await h.services.requests.submit(await h.actor(u), {
      packageId: pkg.id,
      justification: 'x',
    });
    const canceled = await h.services.requests.cancel(await h.actor(u), request.id, 'not needed');
    expect(canceled.state).toBe('canceled');
    expect(canceled.canceledBy).toBe(u.id);
    expect(await h.notifications()).toContainEqual({
      kind: 'requestCanceled',
      requestId: request.id,
    });

    const again = await failure(h.services.requests.cancel(h.api, request.id));
    expect(again.code).toBe('alreadyDecided');
    expect(again.message).toContain('already canceled by Withdrawer');
  });

  test('somebody else cannot cancel my request', async () => {
    const approver = await h.user('Other Approver');
    const u = await h.user('Mine');
    const stranger = await h.user('Stranger');
    const { pkg } = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvers: [{ userId: approver.id }],
    });
    const { request } = await h.services.requests.submit(await h.actor(u), {
      packageId: pkg.id,
      justification: 'x',
    });
    const e = await failure(h.services.requests.cancel(await h.actor(stranger), request.id));
    expect(e.code).toBe('forbidden');
    expect((await h.services.requests.get(h.api, request.id)).state).toBe('pendingApproval');
  });

  test('approval timeout cancels the request when the deadline passes, not before', async () => {
    const approver = await h.user('Slow Approver');
    const u = await h.user('Waiting');
    const { pkg } = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvers: [{ userId: approver.id }],
      approvalTimeoutDays: 3,
    });
    const { request } = await h.services.requests.submit(await h.actor(u), {
      packageId: pkg.id,
      justification: 'x',
    });
    h.clock.advance(3 * DAY - HOUR);
    expect(await h.services.requests.cancelTimedOut()).not.toContain(request.id);
    h.clock.advance(HOUR);
    // The deadline has passed even before the sweep runs: a decision now is refused.
    const late = await failure(
      h.services.decisions.decide(await h.actor(approver), request.id, { decision: 'approve' }),
    );
    expect(late.code).toBe('alreadyDecided');
    expect(late.message).toMatch(/approval deadline/);
    expect(await h.services.requests.cancelTimedOut()).toContain(request.id);
    const after = await h.services.requests.get(h.api, request.id);
    expect(after.state).toBe('canceled');
    expect(after.cancelReason).toMatch(/approval deadline/);
    // The user may request again.
    const again = await h.services.requests.submit(await h.actor(u), {
      packageId: pkg.id,
      justification: 'x',
    });
    expect(again.request.state).toBe('pendingApproval');
  });
});

describe('what a user and an approver see', () => {
  test('my requests, my access, a request by its number, and my pending approvals', async () => {
    const approver = await h.user('Queue Approver');
    const group = await h.services.directory.createGroup(h.api, { name: 'Queue', description: '' });
    const viaGroup = await h.user('Queue Member');
    await h.services.directory.addGroupMember(h.api, group.id, viaGroup.id);
    const me = await h.user('Queue Requester');
    const gated = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvers: [{ userId: approver.id }, { groupId: group.id }],
    });
    const open = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvalRequired: false,
    });

    const pending = (
      await h.services.requests.submit(await h.actor(me), {
        packageId: gated.pkg.id,
        justification: 'x',
      })
    ).request;
    const granted = (
      await h.services.requests.submit(await h.actor(me), {
        packageId: open.pkg.id,
        justification: 'x',
      })
    ).request;

    expect((await h.services.requests.listMine(await h.actor(me))).map((r) => r.id).sort()).toEqual(
      [pending.id, granted.id].sort(),
    );
    expect(
      (await h.services.assignments.listMine(await h.actor(me))).map((a) => a.packageId),
    ).toEqual([open.pkg.id]);
    expect((await h.services.requests.getByNumber(h.api, pending.number)).id).toBe(pending.id);
    await expect(
      h.services.requests.getByNumber(h.api, pending.number + 10_000),
    ).rejects.toMatchObject({
      code: 'notFound',
    });

    for (const who of [approver, viaGroup]) {
      expect((await h.services.requests.pendingFor(await h.actor(who))).map((r) => r.id)).toContain(
        pending.id,
      );
    }
    // Never one's own request, and nothing once it is decided.
    expect(await h.services.requests.pendingFor(await h.actor(me))).toEqual([]);
    await h.services.decisions.decide(await h.actor(approver), pending.id, { decision: 'deny' });
    expect(
      (await h.services.requests.pendingFor(await h.actor(viaGroup))).map((r) => r.id),
    ).not.toContain(pending.id);
  });
});
