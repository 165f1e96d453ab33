import { DAY } from '../../server/domain/clock';
import {
  createHarness,
  failure,
  packageWithPolicy,
  withSeparateConnections,
  type Harness,
} from '../support/domain';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

async function expiredPolicy() {
  const approver = await h.user(`Approver ${Math.random().toString(36).slice(2, 7)}`);
  const fixture = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
    expiration: { type: 'onDate', date: new Date(h.clock.now().getTime() + DAY) },
  });
  h.clock.advance(2 * DAY);
  return fixture;
}

test('a policy whose end date has passed can still be renamed and disabled', async () => {
  const { policy } = await expiredPolicy();
  const renamed = await h.services.policies.update(h.api, policy.id, { name: 'Launch (over)' });
  expect(renamed.name).toBe('Launch (over)');
  expect(renamed.expiration).toEqual(policy.expiration);
  const disabled = await h.services.policies.setEnabled(h.api, policy.id, false);
  expect(disabled.enabled).toBe(false);
});

test('a past end date is refused only when the edit sets it', async () => {
  const { policy } = await expiredPolicy();
  const refused = await failure(
    h.services.policies.update(h.api, policy.id, {
      expiration: { type: 'onDate', date: new Date(h.clock.now().getTime() - DAY) },
    }),
  );
  expect(refused.code).toBe('invalid');
  expect(refused.details.field).toBe('expiration.date');
  const moved = await h.services.policies.update(h.api, policy.id, {
    expiration: { type: 'onDate', date: new Date(h.clock.now().getTime() + 30 * DAY) },
  });
  expect(moved.expiration.type).toBe('onDate');
});

test('an edit still has to leave a coherent policy', async () => {
  const { policy } = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvalRequired: false,
  });
  const refused = await failure(
    h.services.policies.update(h.api, policy.id, { approvalRequired: true }),
  );
  expect(refused.details.field).toBe('approvers');
  // Re-enabling is an edit like any other; disabling never is refused.
  await h.services.policies.setEnabled(h.api, policy.id, false);
  expect((await h.services.policies.setEnabled(h.api, policy.id, true)).enabled).toBe(true);
});

test('a policy of a deleted package cannot be re-enabled or edited', async () => {
  const { pkg, policy } = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvalRequired: false,
  });
  await h.services.packages.delete(h.api, pkg.id);
  const refused = await failure(h.services.policies.setEnabled(h.api, policy.id, true));
  expect(refused.code).toBe('conflict');
  expect(refused.message).toContain('was deleted');
  const [row] = await h.db.dataSource.query(`SELECT enabled FROM policies WHERE id = $1`, [
    policy.id,
  ]);
  expect(row.enabled).toBe(false);
});

test('an edit that changes nothing still needs the right to make it', async () => {
  const { pkg, policy } = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvalRequired: false,
  });
  const stranger = await h.actor(await h.user('Idle Stranger'));
  expect((await failure(h.services.policies.update(stranger, policy.id, {}))).code).toBe(
    'forbidden',
  );
  expect((await failure(h.services.packages.update(stranger, pkg.id, {}))).code).toBe('forbidden');
  const events: Array<{ n: number }> = await h.db.dataSource.query(
    `SELECT count(*)::int AS n FROM audit_events WHERE actor_id = $1`,
    [stranger.userId],
  );
  expect(events[0].n).toBe(0);
});

test('two edits at once both land: neither overwrites the other with stale settings', async () => {
  const { policy } = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvalRequired: false,
  });
  await withSeparateConnections(h, 2, async (services) => {
    for (let days = 1; days <= 5; days++) {
      await Promise.all([
        services.policies.update(h.api, policy.id, { description: `Round ${days}` }),
        services.policies.update(h.api, policy.id, { approvalTimeoutDays: days }),
      ]);
      const after = await h.services.policies.get(policy.id);
      expect([after.description, after.approvalTimeoutDays]).toEqual([`Round ${days}`, days]);
    }
  });
});
