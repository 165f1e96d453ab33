import type { Actor } from '../../server/domain/actor';
import { DomainError } from '../../server/domain/errors';
import { TASKS } from '../../server/domain/permissions';
import {
  ADMIN_EMAIL,
  createHarness,
  packageWithPolicy,
  policy,
  type Harness,
} from '../support/domain';

// Seed 004, "Roles to perform tasks": User admin, Catalog creator, Catalog owner, Access package manager.
const SEED_TABLE: Record<string, string[]> = {
  createCatalog: ['admin', 'catalogCreator'],
  editCatalog: ['admin', 'catalogOwner'],
  addCatalogOwners: ['admin', 'catalogOwner'],
  manageResourcesInGeneral: ['admin'],
  manageResources: ['admin', 'catalogOwner'],
  createPackageInGeneral: ['admin', 'catalogCreator'],
  createPackage: ['admin', 'catalogOwner'],
  deletePackage: ['admin', 'catalogOwner', 'packageManager'],
  addRemovePackages: ['admin', 'packageManager'],
  manageResourceRoles: ['admin', 'catalogOwner', 'packageManager'],
  directAssign: ['admin', 'catalogOwner', 'packageManager'],
  viewAssignments: ['admin', 'catalogOwner', 'packageManager'],
  viewRequests: ['admin', 'catalogOwner', 'packageManager'],
  viewFulfillmentErrors: ['admin', 'catalogOwner', 'packageManager'],
  cancelRequest: ['admin', 'catalogOwner', 'packageManager'],
  hidePackage: ['admin', 'catalogOwner', 'packageManager'],
};

const ROLES = ['admin', 'catalogCreator', 'catalogOwner', 'packageManager', 'user'] as const;
type RoleName = (typeof ROLES)[number];

let h: Harness;
let actors: Record<RoleName, Actor>;
let fixture: Awaited<ReturnType<typeof packageWithPolicy>>;

beforeAll(async () => {
  h = await createHarness();
  fixture = await packageWithPolicy(h, { requestorScope: 'allMembers', approvalRequired: false });
  const s = h.services;
  const admin = await h.user('Admin1', { email: ADMIN_EMAIL });
  const creator = await h.user('Creator');
  const owner = await h.user('Owner');
  const manager = await h.user('Manager');
  const plain = await h.user('Plain');
  await s.directory.setCatalogCreator(h.api, creator.id, true);
  await s.catalogs.setRole(h.api, fixture.catalog.id, owner.id, 'catalogOwner', true);
  await s.catalogs.setRole(h.api, fixture.catalog.id, manager.id, 'packageManager', true);
  actors = {
    admin: await h.actor(admin),
    catalogCreator: await h.actor(creator),
    catalogOwner: await h.actor(owner),
    packageManager: await h.actor(manager),
    user: await h.actor(plain),
  };
});
afterAll(() => h.close());

/** Runs the operation as every role; returns the roles that were let through. */
async function allowed(
  op: (actor: Actor, role: RoleName) => Promise<unknown>,
): Promise<RoleName[]> {
  const ok: RoleName[] = [];
  for (const role of ROLES) {
    try {
      await op(actors[role], role);
      ok.push(role);
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'forbidden')) throw e;
    }
  }
  return ok;
}

const unique = (role: string) => `${role}-${Math.random().toString(36).slice(2, 8)}`;

test('the permission matrix is the seed table, row for row', () => {
  for (const [task, roles] of Object.entries(SEED_TABLE)) {
    expect([...TASKS[task as keyof typeof TASKS]].sort()).toEqual([...roles].sort());
  }
});

test('create a catalog: admin, catalog creator', async () => {
  expect(
    await allowed((a, r) =>
      h.services.catalogs.create(a, { name: unique(r), description: '', enabled: true }),
    ),
  ).toEqual(['admin', 'catalogCreator']);
});

test('edit a catalog: admin, catalog owner', async () => {
  expect(
    await allowed((a, r) => h.services.catalogs.update(a, fixture.catalog.id, { description: r })),
  ).toEqual(['admin', 'catalogOwner']);
});

test('add catalog owners: admin, catalog owner', async () => {
  const extra = await h.user('Extra owner');
  expect(
    await allowed((a) =>
      h.services.catalogs.setRole(a, fixture.catalog.id, extra.id, 'catalogOwner', true),
    ),
  ).toEqual(['admin', 'catalogOwner']);
});

const resourceInput = (role: string) => ({
  type: 'slackChannel' as const,
  originId: unique(role),
  displayName: unique(role),
  description: '',
  attributes: {},
});

test('add resources to the General catalog: admin only', async () => {
  const general = await h.services.catalogs.general();
  expect(
    await allowed((a, r) => h.services.resources.add(a, general.id, resourceInput(r))),
  ).toEqual(['admin']);
});

test('add resources to a catalog: admin, catalog owner', async () => {
  expect(
    await allowed((a, r) => h.services.resources.add(a, fixture.catalog.id, resourceInput(r))),
  ).toEqual(['admin', 'catalogOwner']);
});

test('create an access package in the General catalog: admin, catalog creator', async () => {
  expect(
    await allowed((a, r) =>
      h.services.packages.create(a, { name: unique(r), description: '', hidden: false }),
    ),
  ).toEqual(['admin', 'catalogCreator']);
});

test('create an access package in a catalog: admin, catalog owner (and managers, by the add/remove row)', async () => {
  expect(
    await allowed((a, r) =>
      h.services.packages.create(a, {
        catalogId: fixture.catalog.id,
        name: unique(r),
        description: '',
        hidden: false,
      }),
    ),
  ).toEqual(['admin', 'catalogOwner', 'packageManager']);
});

test('delete an access package: admin, catalog owner, package manager', async () => {
  const pkgs: Array<{ id: string }> = [];
  for (const role of ROLES) {
    pkgs.push(
      await h.services.packages.create(h.api, {
        catalogId: fixture.catalog.id,
        name: unique(role),
        description: '',
        hidden: false,
      }),
    );
  }
  expect(await allowed((a, r) => h.services.packages.delete(a, pkgs[ROLES.indexOf(r)].id))).toEqual(
    ['admin', 'catalogOwner', 'packageManager'],
  );
});

test('add/remove access packages to/from a catalog: a package manager may, a catalog creator may not', async () => {
  const created = await allowed(async (a, r) => {
    const pkg = await h.services.packages.create(a, {
      catalogId: fixture.catalog.id,
      name: unique(r),
      description: '',
      hidden: false,
    });
    await h.services.packages.delete(a, pkg.id);
  });
  expect(created).toContain('packageManager');
  expect(created).not.toContain('catalogCreator');
  expect(created).not.toContain('user');
});

test('add/remove resource roles of an access package: admin, catalog owner, package manager', async () => {
  const resource = await h.services.resources.add(h.api, fixture.catalog.id, {
    type: 'webhook',
    originId: unique('hook'),
    displayName: 'Build system',
    description: '',
    attributes: {},
    roles: ROLES.map((r) => ({ name: r, description: '' })),
  });
  const roleFor = (r: RoleName) => resource.roles.find((x) => x.name === r)!.id;
  expect(
    await allowed((a, r) => h.services.packages.addResourceRole(a, fixture.pkg.id, roleFor(r))),
  ).toEqual(['admin', 'catalogOwner', 'packageManager']);
  expect(
    await allowed((a, r) =>
      h.services.packages.removeResourceRole(a, fixture.pkg.id, roleFor(r)).catch((e) => {
        // Roles nobody managed to add can't be removed; that is not what this row tests.
        if (e.code === 'notFound') return;
        throw e;
      }),
    ),
  ).toEqual(['admin', 'catalogOwner', 'packageManager']);
});

test('directly assign a user: admin, catalog owner, package manager', async () => {
  const targets = await Promise.all(ROLES.map((r) => h.user(unique(r))));
  expect(
    await allowed((a, r) =>
      h.services.assignments.assignDirectly(a, {
        userId: targets[ROLES.indexOf(r)].id,
        packageId: fixture.pkg.id,
        policyId: fixture.policy.id,
      }),
    ),
  ).toEqual(['admin', 'catalogOwner', 'packageManager']);
});

test('view who has an assignment: admin, catalog owner, package manager', async () => {
  expect(
    await allowed((a) => h.services.assignments.list(a, { packageId: fixture.pkg.id })),
  ).toEqual(['admin', 'catalogOwner', 'packageManager']);
});

test("view an access package's requests: admin, catalog owner, package manager", async () => {
  expect(await allowed((a) => h.services.requests.list(a, { packageId: fixture.pkg.id }))).toEqual([
    'admin',
    'catalogOwner',
    'packageManager',
  ]);
});

test("view a request's fulfillment errors: admin, catalog owner, package manager", async () => {
  const someone = await h.user(unique('assignee'));
  const assignment = await h.services.assignments.assignDirectly(h.api, {
    userId: someone.id,
    packageId: fixture.pkg.id,
    policyId: fixture.policy.id,
  });
  expect(await allowed((a) => h.services.assignments.fulfillments(a, assignment.id))).toEqual([
    'admin',
    'catalogOwner',
    'packageManager',
  ]);
});

test('cancel a pending request: admin, catalog owner, package manager', async () => {
  const approver = await h.user(unique('approver'));
  const gated = await h.services.policies.create(
    h.api,
    fixture.pkg.id,
    policy({
      name: 'Gated',
      requestorScope: 'allMembers',
      approvers: [{ userId: approver.id }],
      requestorJustificationRequired: false,
    }),
  );
  const requesters = await Promise.all(ROLES.map((r) => h.user(unique(r))));
  const requests: Array<{ id: string }> = [];
  for (const u of requesters) {
    requests.push(
      (
        await h.services.requests.submit(await h.actor(u), {
          packageId: fixture.pkg.id,
          policyId: gated.id,
        })
      ).request,
    );
  }
  expect(
    await allowed((a, r) => h.services.requests.cancel(a, requests[ROLES.indexOf(r)].id)),
  ).toEqual(['admin', 'catalogOwner', 'packageManager']);
});

test('hide an access package: admin, catalog owner, package manager', async () => {
  let hidden = false;
  expect(
    await allowed(async (a) => {
      await h.services.packages.setHidden(a, fixture.pkg.id, !hidden);
      hidden = !hidden;
    }),
  ).toEqual(['admin', 'catalogOwner', 'packageManager']);
});

test('add a policy (seed "Basic steps"): admin, catalog owner, package manager', async () => {
  expect(
    await allowed((a, r) =>
      h.services.policies.create(a, fixture.pkg.id, policy({ name: r, requestorScope: 'none' })),
    ),
  ).toEqual(['admin', 'catalogOwner', 'packageManager']);
});

test('edit an access package (seed 003): admin, catalog owner, package manager', async () => {
  expect(
    await allowed((a, r) =>
      h.services.packages.update(a, fixture.pkg.id, { description: `edited by ${r}` }),
    ),
  ).toEqual(['admin', 'catalogOwner', 'packageManager']);
});
