import type { User } from '../../db/entities';
import { MAX_POLICIES_PER_PACKAGE } from '../../server/domain/policies';
import {
  createHarness,
  packageWithPolicy,
  policy,
  withSeparateConnections,
  type Harness,
} from '../support/domain';

// Each test starts everything at once on separate connections, then checks in SQL the
// invariant that a read-then-write would break.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const ROUNDS = 8;
const USERS = 6;

let users: User[];
let approver: User;
beforeAll(async () => {
  approver = await h.user('Race Approver');
  users = [];
  for (let i = 0; i < USERS; i++) users.push(await h.user(`Race Requester ${i}`));
});

/** Active assignments and open requests left on deleted packages: both must be zero. */
async function orphans() {
  const [row] = await h.db.dataSource.query(`
    SELECT (SELECT count(*)::int FROM assignments a JOIN access_packages p ON p.id = a.package_id
             WHERE p.deleted_at IS NOT NULL AND a.state IN ('scheduled', 'delivering', 'delivered'))
             AS assignments,
           (SELECT count(*)::int FROM access_requests r JOIN access_packages p ON p.id = r.package_id
             WHERE p.deleted_at IS NOT NULL
               AND r.state IN ('pendingApproval', 'approved', 'scheduled', 'delivering'))
             AS requests`);
  return row as { assignments: number; requests: number };
}

const outcomes = (results: PromiseSettledResult<unknown>[]) =>
  results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code: string }).code));

test('deleting a package while it is requested and auto-approved leaves no access on it', async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const { pkg } = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvalRequired: false,
    });
    const results = await withSeparateConnections(h, USERS + 1, async (services) => {
      const actors = await Promise.all(users.map((u) => h.actor(u)));
      return Promise.allSettled([
        services.packages.delete(h.api, pkg.id),
        ...actors.map((a) =>
          services.requests.submit(a, { packageId: pkg.id, justification: 'x' }),
        ),
      ]);
    });
    const [deleted, ...submits] = outcomes(results);
    // Either the delete came first and every submit found no package, or some submit got
    // access first and the delete was refused for it.
    if (deleted === 'ok') expect(submits.filter((s) => s === 'ok')).toEqual([]);
    else expect(deleted).toBe('conflict');
    for (const s of submits) expect(['ok', 'notFound']).toContain(s);
  }
  expect(await orphans()).toEqual({ assignments: 0, requests: 0 });
});

test('deleting a package while its requests are approved leaves no access on it', async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const { pkg } = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvers: [{ userId: approver.id }],
    });
    const pending: Array<{ id: string }> = [];
    for (const u of users) {
      pending.push(
        (
          await h.services.requests.submit(await h.actor(u), {
            packageId: pkg.id,
            justification: 'x',
          })
        ).request,
      );
    }
    const results = await withSeparateConnections(h, USERS + 1, async (services) => {
      const actor = await h.actor(approver);
      return Promise.allSettled([
        services.packages.delete(h.api, pkg.id),
        ...pending.map((r) => services.decisions.decide(actor, r.id, { decision: 'approve' })),
      ]);
    });
    const [deleted, ...decisions] = outcomes(results);
    if (deleted === 'ok') expect(decisions.filter((d) => d === 'ok')).toEqual([]);
    else expect(deleted).toBe('conflict');
    // A decision that lost to the delete finds the request canceled, or the package gone.
    for (const d of decisions) expect(['ok', 'alreadyDecided', 'notFound']).toContain(d);
  }
  expect(await orphans()).toEqual({ assignments: 0, requests: 0 });
});

test('a role added or removed while requests are approved reaches every new assignment', async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const { pkg, resource } = await packageWithPolicy(h, {
      requestorScope: 'allMembers',
      approvers: [{ userId: approver.id }],
    });
    const owner = resource.roles.find((r) => r.name === 'owner')!;
    const member = resource.roles.find((r) => r.name === 'member')!;
    const pending: Array<{ id: string }> = [];
    for (const u of users) {
      const { request } = await h.services.requests.submit(await h.actor(u), {
        packageId: pkg.id,
        justification: 'x',
      });
      pending.push(request);
    }
    await withSeparateConnections(h, USERS + 1, async (services) => {
      const actor = await h.actor(approver);
      const change =
        round % 2
          ? services.packages.addResourceRole(h.api, pkg.id, owner.id)
          : services.packages.removeResourceRole(h.api, pkg.id, member.id);
      const results = await Promise.allSettled([
        change,
        ...pending.map((r) => services.decisions.decide(actor, r.id, { decision: 'approve' })),
      ]);
      expect(outcomes(results)).toEqual(results.map(() => 'ok'));
    });
    // Each new assignment is to be granted exactly the roles the package has now.
    const [mismatch] = await h.db.dataSource.query(
      `SELECT (SELECT count(*)::int FROM assignments a
                 JOIN access_package_resource_roles pr ON pr.package_id = a.package_id
                WHERE a.package_id = $1 AND NOT EXISTS (
                  SELECT 1 FROM fulfillments f WHERE f.assignment_id = a.id
                     AND f.resource_role_id = pr.resource_role_id AND f.action = 'grant')) AS missing,
              (SELECT count(*)::int FROM fulfillments f JOIN assignments a ON a.id = f.assignment_id
                WHERE a.package_id = $1 AND f.action = 'grant' AND NOT EXISTS (
                  SELECT 1 FROM access_package_resource_roles pr
                   WHERE pr.package_id = a.package_id AND pr.resource_role_id = f.resource_role_id))
                AS stale`,
      [pkg.id],
    );
    expect(mismatch).toEqual({ missing: 0, stale: 0 });
  }
});

test('deleting a package during direct assignments leaves no access on it', async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const { pkg, policy: direct } = await packageWithPolicy(h, {
      requestorScope: 'none',
      approvalRequired: false,
    });
    const results = await withSeparateConnections(h, USERS + 1, (services) =>
      Promise.allSettled([
        services.packages.delete(h.api, pkg.id),
        ...users.map((u) =>
          services.assignments.assignDirectly(h.api, {
            userId: u.id,
            packageId: pkg.id,
            policyId: direct.id,
          }),
        ),
      ]),
    );
    const [deleted, ...assigned] = outcomes(results);
    if (deleted === 'ok') expect(assigned.filter((a) => a === 'ok')).toEqual([]);
    else expect(deleted).toBe('conflict');
  }
  expect(await orphans()).toEqual({ assignments: 0, requests: 0 });
});

test(`concurrent policy creations never exceed ${MAX_POLICIES_PER_PACKAGE} per package`, async () => {
  const { pkg } = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvalRequired: false,
  });
  const attempts = MAX_POLICIES_PER_PACKAGE + 5;
  const results = await withSeparateConnections(h, attempts, (services) =>
    Promise.allSettled(
      Array.from({ length: attempts }, (_, i) =>
        services.policies.create(
          h.api,
          pkg.id,
          policy({ name: `Policy ${i}`, requestorScope: 'allMembers', approvalRequired: false }),
        ),
      ),
    ),
  );
  const codes = outcomes(results);
  // One policy existed already.
  expect(codes.filter((c) => c === 'ok')).toHaveLength(MAX_POLICIES_PER_PACKAGE - 1);
  expect(codes.filter((c) => c === 'conflict')).toHaveLength(
    attempts - MAX_POLICIES_PER_PACKAGE + 1,
  );
  const [{ n }] = await h.db.dataSource.query(
    `SELECT count(*)::int AS n FROM policies WHERE package_id = $1 AND deleted_at IS NULL`,
    [pkg.id],
  );
  expect(n).toBe(MAX_POLICIES_PER_PACKAGE);
});
