import type { User } from '../../db/entities';
import type { Actor } from '../../server/domain/actor';
import {
  ADMIN_EMAIL,
  createHarness,
  failure,
  packageWithPolicy,
  type Harness,
} from '../support/domain';

// The chat commands call these reads with the clicking user as actor: each must answer only
// the people the issue lists, and refuse everyone else without leaking the request.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

async function admin(): Promise<User> {
  return (
    (await h.services.directory.findUserByEmail(ADMIN_EMAIL)) ??
    (await h.user('Admin', { email: ADMIN_EMAIL }))
  );
}

async function people() {
  const n = Math.random().toString(36).slice(2, 7);
  const user = (name: string) => h.user(`${name} ${n}`);
  const [requester, approver, groupApprover, owner, manager, stranger, otherApprover] =
    await Promise.all(
      ['Requester', 'Approver', 'Group Approver', 'Owner', 'Manager', 'Stranger', 'Other'].map(
        user,
      ),
    );
  const group = await h.services.directory.createGroup(h.api, {
    name: `Approvers ${n}`,
    description: '',
  });
  await h.services.directory.addGroupMember(h.api, group.id, groupApprover.id);
  const fixture = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }, { groupId: group.id }],
  });
  await h.services.catalogs.setRole(h.api, fixture.catalog.id, owner.id, 'catalogOwner', true);
  await h.services.catalogs.setRole(h.api, fixture.catalog.id, manager.id, 'packageManager', true);
  // An approver, but of another package: no business with this request.
  await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: [{ userId: otherApprover.id }],
  });
  const { request } = await h.services.requests.submit(await h.actor(requester), {
    packageId: fixture.pkg.id,
    justification: 'quarterly report',
  });
  return { requester, approver, groupApprover, owner, manager, stranger, otherApprover, request };
}

async function allowed(read: (actor: Actor) => Promise<unknown>, who: User) {
  try {
    await read(await h.actor(who));
    return true;
  } catch (e) {
    expect((e as { code: string }).code).toBe('forbidden');
    return false;
  }
}

test('a request is readable by its requester, approvers, catalog owners and managers, admins', async () => {
  const p = await people();
  const byId = (a: Actor) => h.services.requests.get(a, p.request.id);
  const byNumber = (a: Actor) => h.services.requests.getByNumber(a, p.request.number);
  const expected: Array<[User, boolean]> = [
    [p.requester, true],
    [p.approver, true],
    [p.groupApprover, true],
    [p.owner, true],
    [p.manager, true],
    [await admin(), true],
    [p.stranger, false],
    [p.otherApprover, false],
  ];
  for (const read of [byId, byNumber]) {
    const seen = [];
    for (const [who] of expected) seen.push([who, await allowed(read, who)]);
    expect(seen).toEqual(expected);
  }
  // The refusal does not say what the request is about.
  const refused = await failure(byId(await h.actor(p.stranger)));
  expect(refused.message).not.toContain('quarterly');
  expect(await h.services.requests.get(h.api, p.request.id)).toMatchObject({ id: p.request.id });
});

test('an assignment is readable by its user, the approver who granted it, owners, admins', async () => {
  const p = await people();
  const decided = await h.services.decisions.decide(await h.actor(p.approver), p.request.id, {
    decision: 'approve',
  });
  const read = (a: Actor) => h.services.assignments.get(a, decided.assignmentId!);
  const expected: Array<[User, boolean]> = [
    [p.requester, true],
    [p.approver, true],
    [p.owner, true],
    [p.manager, true],
    [await admin(), true],
    [p.stranger, false],
    [p.otherApprover, false],
  ];
  const seen = [];
  for (const [who] of expected) seen.push([who, await allowed(read, who)]);
  expect(seen).toEqual(expected);
});

test('a listing without a package is for administrators only', async () => {
  const p = await people();
  expect((await failure(h.services.requests.list(await h.actor(p.owner), {}))).code).toBe(
    'forbidden',
  );
  const all = await h.services.requests.list(await h.actor(await admin()), { limit: 1000 });
  expect(all.map((r) => r.id)).toContain(p.request.id);
});

test('fallback approvers see the request of a requester who is its only named approver', async () => {
  const n = Math.random().toString(36).slice(2, 7);
  const lead = await h.user(`Team Lead ${n}`);
  const owner = await h.user(`Fallback Owner ${n}`);
  const fixture = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: [{ userId: lead.id }],
  });
  await h.services.catalogs.setRole(h.api, fixture.catalog.id, owner.id, 'catalogOwner', true);
  const { request } = await h.services.requests.submit(await h.actor(lead), {
    packageId: fixture.pkg.id,
    justification: 'my own team',
  });
  const pendingIds = async (u: User) =>
    (await h.services.requests.pendingFor(await h.actor(u))).map((r) => r.id);
  expect(await pendingIds(owner)).toContain(request.id);
  expect(await pendingIds(await admin())).toContain(request.id);
  expect(await pendingIds(lead)).not.toContain(request.id);
  // And the one pendingFor offers can really decide it.
  const decided = await h.services.decisions.decide(await h.actor(owner), request.id, {
    decision: 'approve',
  });
  expect(decided.state).toBe('delivering');
  expect(await pendingIds(await admin())).not.toContain(request.id);
});
