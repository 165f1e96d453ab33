import type { User } from '../../db/entities';
import { ConnectorRouter } from '../../server/connectors';
import { DAY } from '../../server/domain/clock';
import { createServices } from '../../server/domain/services';
import {
  ADMIN_EMAIL,
  createHarness,
  failure,
  packageWithPolicy,
  type Harness,
} from '../support/domain';

// A resource whose connector is `manual`: the worker hands each grant and revoke to the
// catalog's owners, and the first of them to answer settles it.

let h: Harness;
let admin: User;
beforeAll(async () => {
  h = await createHarness();
  admin = await h.user('Admin One', { email: ADMIN_EMAIL });
});
afterAll(() => h.close());

const worker = () =>
  createServices({ ...h.services.ctx, provisioner: new ConnectorRouter({}) }).fulfillment;

async function manualAssignment() {
  const n = Math.random().toString(36).slice(2, 8);
  const owner = await h.user(`Task Owner ${n}`);
  const user = await h.user(`Task User ${n}`);
  const fixture = await packageWithPolicy(h, { requestorScope: 'none' });
  await h.services.catalogs.setRole(h.api, fixture.catalog.id, owner.id, 'catalogOwner', true);
  const legacy = await h.services.resources.add(h.api, fixture.catalog.id, {
    type: 'appRole',
    originId: `legacy-${n}`,
    displayName: `Legacy ERP ${n}`,
    description: '',
    attributes: { connector: 'manual' },
    roles: [{ name: 'clerk', description: '' }],
  });
  await h.services.packages.removeResourceRole(h.api, fixture.pkg.id, fixture.resource.roles[0].id);
  await h.services.packages.addResourceRole(h.api, fixture.pkg.id, legacy.roles[0].id);
  const assignment = await h.services.assignments.assignDirectly(h.api, {
    userId: user.id,
    packageId: fixture.pkg.id,
    policyId: fixture.policy.id,
  });
  expect(await worker().runUntilIdle()).toBe(1);
  const [task] = await h.services.assignments.fulfillments(h.api, assignment.id);
  return { owner, user, assignment, task, owned: await h.actor(owner) };
}

const stateOf = async (id: string) => (await h.services.assignments.get(h.api, id)).state;

test('the grant waits for the owners; the first Done delivers the assignment', async () => {
  const { owner, assignment, task, owned } = await manualAssignment();
  expect(task.state).toBe('awaiting');
  expect(await stateOf(assignment.id)).toBe('delivering');
  expect(await h.notifications()).toContainEqual({
    kind: 'taskRequested',
    fulfillmentId: task.id,
    ownerIds: expect.arrayContaining([owner.id, admin.id]),
  });

  const done = await h.services.tasks.complete(owned, task.id, { outcome: 'done', generation: 0 });
  expect(done).toMatchObject({ state: 'delivered', completion: { by: owner.displayName } });
  expect(await stateOf(assignment.id)).toBe('delivered');
  const late = await failure(
    h.services.tasks.complete(await h.actor(admin), task.id, { outcome: 'done', generation: 0 }),
  );
  expect(late.code).toBe('alreadyDecided');
  expect(late.message).toMatch(new RegExp(`already marked done by ${owner.displayName}`));
  expect(await worker().runUntilIdle()).toBe(0);
});

test('Failed needs a reason, fails the assignment, and asks again a day later', async () => {
  const { assignment, task, owned } = await manualAssignment();
  const missing = await failure(
    h.services.tasks.complete(owned, task.id, { outcome: 'failed', generation: 0 }),
  );
  expect(missing.details.field).toBe('reason');
  await h.services.tasks.complete(owned, task.id, {
    outcome: 'failed',
    generation: 0,
    reason: 'ERP is down for maintenance',
  });
  expect(await stateOf(assignment.id)).toBe('deliveryFailed');
  expect(await worker().runUntilIdle()).toBe(0);
  h.clock.advance(DAY);
  expect(await worker().runUntilIdle()).toBe(1);
  const [again] = await h.services.assignments.fulfillments(h.api, assignment.id);
  expect(again.state).toBe('awaiting');
  expect(again.lastError).toBeNull();
});

test('only owners and admins settle a task, and a card older than the task changes nothing', async () => {
  const { user, assignment, task, owned } = await manualAssignment();
  const stranger = await failure(
    h.services.tasks.complete(await h.actor(user), task.id, { outcome: 'done', generation: 0 }),
  );
  expect(stranger.code).toBe('forbidden');
  // Removed while the grant waited: the grant may yet be done by hand, so a revoke follows.
  await h.services.assignments.remove(h.api, assignment.id);
  const stale = await failure(
    h.services.tasks.complete(owned, task.id, { outcome: 'done', generation: 0 }),
  );
  expect(stale.message).toMatch(/out of date/);
  expect(await worker().runUntilIdle()).toBe(1);
  const revoke = (await h.services.tasks.view(task.id))!;
  expect(revoke).toMatchObject({ action: 'revoke', state: 'awaiting', generation: 1 });
  await h.services.tasks.complete(owned, task.id, { outcome: 'done', generation: 1 });
  expect(await stateOf(assignment.id)).toBe('removed');
});
