import type { User } from '../../db/entities';
import { FulfillmentService } from '../../server/domain/fulfillment';
import type { Provisioner, ProvisioningTarget } from '../../server/domain/ports';
import { createServices } from '../../server/domain/services';
import {
  createHarness,
  hourlyPollingWorker,
  packageWithPolicy,
  withSeparateConnections,
  type Harness,
} from '../support/domain';

// Provisioning runs after the change that asked for it, in workers that claim rows. These
// tests hold a connector call open to act in the middle of it, and check rows in SQL after.

const MINUTE = 60_000;

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ poolSize: 6 });
});
afterAll(() => h.close());

/** A connector whose calls wait until released; `started` resolves as the first call begins. */
class HeldProvisioner implements Provisioner {
  readonly calls: string[] = [];
  private release!: () => void;
  private readonly released = new Promise<void>((r) => (this.release = r));
  private began!: () => void;
  readonly started = new Promise<void>((r) => (this.began = r));

  async grant(t: ProvisioningTarget) {
    await this.hold(`grant ${t.user.email}`);
  }

  async revoke(t: ProvisioningTarget) {
    await this.hold(`revoke ${t.user.email}`);
  }

  open() {
    this.release();
  }

  private async hold(call: string) {
    this.calls.push(call);
    this.began();
    await this.released;
  }
}

const workerWith = (provisioner: Provisioner) =>
  createServices({ ...h.services.ctx, provisioner }).fulfillment;

async function assigned(name: string) {
  const user = await h.user(name);
  const fixture = await packageWithPolicy(h, { requestorScope: 'none' });
  const assignment = await h.services.assignments.assignDirectly(h.api, {
    userId: user.id,
    packageId: fixture.pkg.id,
    policyId: fixture.policy.id,
  });
  return { user, assignment, fixture };
}

const rowsOf = (assignmentId: string) =>
  h.db.dataSource.query(
    `SELECT action, state, attempts, claim_token FROM fulfillments WHERE assignment_id = $1`,
    [assignmentId],
  );

const callsFor = (user: User) =>
  h.provisioner.calls.filter((c) => c.user === user.email).map((c) => c.action);

test('a removal while a grant is in flight revokes after it, and the late grant result is not taken for the revocation', async () => {
  const { user, assignment } = await assigned('In Flight');
  const held = new HeldProvisioner();
  const pass = workerWith(held).runOnce();
  await held.started;

  await h.services.assignments.remove(h.api, assignment.id, 'left');
  // The revocation waits for the call under way: no other worker starts it meanwhile.
  expect(await h.services.fulfillment.runOnce()).toBe(0);
  held.open();
  expect(await pass).toBe(1);
  expect(await rowsOf(assignment.id)).toEqual([
    { action: 'revoke', state: 'pending', attempts: 0, claim_token: null },
  ]);

  expect(await h.fulfil()).toBe(1);
  expect(held.calls).toEqual([`grant ${user.email}`]);
  expect(callsFor(user)).toEqual(['revoke']);
  expect(await rowsOf(assignment.id)).toEqual([
    { action: 'revoke', state: 'delivered', attempts: 1, claim_token: null },
  ]);
});

test('a grant that failed may still have been applied, so a removal revokes it', async () => {
  const { user, assignment, fixture } = await assigned('Timed Out');
  h.provisioner.failing.add(fixture.resource.originId);
  try {
    await h.fulfil();
  } finally {
    h.provisioner.failing.delete(fixture.resource.originId);
  }
  expect((await h.services.assignments.get(h.api, assignment.id)).state).toBe('deliveryFailed');
  await h.services.assignments.remove(h.api, assignment.id);
  await h.fulfil();
  expect(callsFor(user)).toEqual(['grant', 'revoke']);
});

test('a grant never attempted has nothing to undo', async () => {
  const { user, assignment } = await assigned('Never Granted');
  await h.services.assignments.remove(h.api, assignment.id);
  expect(await h.fulfil()).toBe(0);
  expect(callsFor(user)).toEqual([]);
  expect(await rowsOf(assignment.id)).toEqual([
    { action: 'revoke', state: 'delivered', attempts: 0, claim_token: null },
  ]);
});

test('a failed grant is retried when its retry falls due, and not before', async () => {
  const { user, assignment, fixture } = await assigned('Retried');
  h.provisioner.failing.add(fixture.resource.originId);
  try {
    expect(await h.fulfil()).toBe(1);
  } finally {
    h.provisioner.failing.delete(fixture.resource.originId);
  }
  h.clock.advance(MINUTE - 1);
  expect(await h.fulfil()).toBe(0);
  h.clock.advance(1);
  expect(await h.fulfil()).toBe(1);
  expect(callsFor(user)).toEqual(['grant', 'grant']);
  expect((await h.services.assignments.get(h.api, assignment.id)).state).toBe('delivered');
});

test('a worker that dies mid-call loses nothing: after its lease another does the work, and its late result is dropped', async () => {
  const { user, assignment } = await assigned('Lost Worker');
  const held = new HeldProvisioner();
  const dying = workerWith(held).runOnce();
  await held.started;
  expect(await h.fulfil()).toBe(0);

  h.clock.advance(5 * MINUTE);
  expect(await h.fulfil()).toBe(1);
  expect(callsFor(user)).toEqual(['grant']);
  held.open();
  await dying;
  expect(await rowsOf(assignment.id)).toEqual([
    { action: 'grant', state: 'delivered', attempts: 2, claim_token: null },
  ]);
});

test('two workers on separate connections do each grant once', async () => {
  const fixture = await packageWithPolicy(h, { requestorScope: 'none' });
  const users: User[] = [];
  for (let i = 0; i < 24; i++) {
    const user = await h.user(`Parallel ${i}`);
    users.push(user);
    await h.services.assignments.assignDirectly(h.api, {
      userId: user.id,
      packageId: fixture.pkg.id,
      policyId: fixture.policy.id,
    });
  }
  const done = await withSeparateConnections(h, 4, (services) => {
    const worker = () => new FulfillmentService(services.ctx, { batch: 3, concurrency: 2 });
    return Promise.all([worker().runUntilIdle(), worker().runUntilIdle()]);
  });
  expect(done[0] + done[1]).toBe(users.length);
  expect(done[0]).toBeGreaterThan(0);
  expect(done[1]).toBeGreaterThan(0);
  const emails = new Set(users.map((u) => u.email));
  expect(h.provisioner.calls.filter((c) => emails.has(c.user))).toHaveLength(users.length);
  const [row] = await h.db.dataSource.query(
    `SELECT count(*)::int AS rows, count(*) FILTER (WHERE f.state = 'delivered' AND f.attempts = 1)::int AS once
       FROM fulfillments f JOIN assignments a ON a.id = f.assignment_id WHERE a.package_id = $1`,
    [fixture.pkg.id],
  );
  expect(row).toEqual({ rows: users.length, once: users.length });
});

test('the background worker provisions what a commit queued, woken by the commit', async () => {
  const { granted, stop } = hourlyPollingWorker(h, 'woken@woodgrove.example');
  try {
    const { user } = await assigned('Woken');
    expect(await granted).toBe(user.email);
  } finally {
    await stop();
  }
});
