import { AccessPackage, Catalog, CatalogRole, Policy } from '../../db/entities';
import { createHarness, packageWithPolicy, failure, type Harness } from '../support/domain';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

test('General always exists, once, and cannot be deleted or renamed', async () => {
  const generals = await h.db.dataSource.manager.findBy(Catalog, { isGeneral: true });
  expect(generals.map((c) => c.name)).toEqual(['General']);
  expect((await failure(h.services.catalogs.delete(h.api, generals[0].id))).code).toBe('conflict');
  expect(
    (await failure(h.services.catalogs.update(h.api, generals[0].id, { name: 'Default' }))).details
      .field,
  ).toBe('name');
});

test('the creator of a catalog becomes its first owner', async () => {
  const creator = await h.user('Catalog Creator');
  await h.services.directory.setCatalogCreator(h.api, creator.id, true);
  const catalog = await h.services.catalogs.create(await h.actor(creator), {
    name: 'Marketing',
    description: '',
    enabled: true,
  });
  const roles = await h.db.dataSource.manager.findBy(CatalogRole, { catalogId: catalog.id });
  expect(roles).toEqual([{ catalogId: catalog.id, userId: creator.id, role: 'catalogOwner' }]);
});

test('catalog names are unique, case-insensitively', async () => {
  await h.services.catalogs.create(h.api, { name: 'Finance', description: '', enabled: true });
  const e = await failure(
    h.services.catalogs.create(h.api, { name: 'finance', description: '', enabled: true }),
  );
  expect(e.code).toBe('conflict');
});

test('a package without a catalog goes into General', async () => {
  const pkg = await h.services.packages.create(h.api, {
    name: 'Default placed',
    description: '',
    hidden: false,
  });
  const general = await h.services.catalogs.general();
  expect(pkg.catalogId).toBe(general.id);
});

test('packages cannot move between catalogs', async () => {
  const { pkg } = await packageWithPolicy(h, { requestorScope: 'none' });
  const other = await h.services.catalogs.create(h.api, {
    name: 'Elsewhere',
    description: '',
    enabled: true,
  });
  const e = await failure(h.services.packages.update(h.api, pkg.id, { catalogId: other.id }));
  expect(e.details.field).toBe('catalogId');
  expect((await h.services.packages.get(pkg.id)).catalogId).toBe(pkg.catalogId);
});

test('a resource role must come from the package catalog', async () => {
  const a = await packageWithPolicy(h, { requestorScope: 'none' });
  const b = await packageWithPolicy(h, { requestorScope: 'none' });
  const e = await failure(
    h.services.packages.addResourceRole(h.api, a.pkg.id, b.resource.roles[0].id),
  );
  expect(e.details.field).toBe('resourceRoleId');
});

test('a package is deletable only with no active assignments; deletion cancels its open requests', async () => {
  const approver = await h.user('Deletion Approver');
  const requester = await h.user('Deletion Requester');
  const assignee = await h.user('Deletion Assignee');
  const { pkg, policy } = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  const assignment = await h.services.assignments.assignDirectly(h.api, {
    userId: assignee.id,
    packageId: pkg.id,
    policyId: policy.id,
  });
  const { request } = await h.services.requests.submit(await h.actor(requester), {
    packageId: pkg.id,
    justification: 'x',
  });

  const e = await failure(h.services.packages.delete(h.api, pkg.id));
  expect(e.code).toBe('conflict');
  expect(e.message).toMatch(/1 active assignment/);
  expect((await h.services.requests.get(h.api, request.id)).state).toBe('pendingApproval');

  await h.services.assignments.remove(h.api, assignment.id);
  await h.services.packages.delete(h.api, pkg.id);
  expect((await failure(h.services.packages.get(pkg.id))).code).toBe('notFound');
  expect((await h.services.requests.get(h.api, request.id)).state).toBe('canceled');
  const row = await h.db.dataSource.manager.findOneByOrFail(AccessPackage, { id: pkg.id });
  expect(row.deletedAt).not.toBeNull();
  expect((await h.db.dataSource.manager.findOneByOrFail(Policy, { id: policy.id })).enabled).toBe(
    false,
  );
});

test('a catalog can be deleted only when empty', async () => {
  const { catalog, pkg, resource } = await packageWithPolicy(h, { requestorScope: 'none' });
  expect((await failure(h.services.catalogs.delete(h.api, catalog.id))).code).toBe('conflict');
  await h.services.packages.delete(h.api, pkg.id);
  await h.services.resources.remove(h.api, resource.id);
  await h.services.catalogs.delete(h.api, catalog.id);
  const left = await h.db.dataSource.manager.findOneBy(Catalog, { id: catalog.id });
  // The deleted package's history keeps the row, disabled and renamed.
  expect(left?.enabled).toBe(false);
});

test('resource types: built-in roles, declared roles required for webhooks', async () => {
  const { catalog } = await packageWithPolicy(h, { requestorScope: 'none' });
  const e1 = await failure(
    h.services.resources.add(h.api, catalog.id, {
      type: 'webhook',
      originId: 'https://hooks.example/x',
      displayName: 'X',
      description: '',
      attributes: {},
    }),
  );
  expect(e1.details.field).toBe('roles');
  const e2 = await failure(
    h.services.resources.add(h.api, catalog.id, {
      type: 'slackChannel',
      originId: 'C1',
      displayName: '#c1',
      description: '',
      attributes: {},
      roles: [{ name: 'admin', description: '' }],
    }),
  );
  expect(e2.details.field).toBe('roles');
  const twice = await failure(
    h.services.resources.add(h.api, catalog.id, {
      type: 'webhook',
      originId: 'https://hooks.example/y',
      displayName: 'Y',
      description: '',
      attributes: {},
      roles: [
        { name: 'deployer', description: '' },
        { name: 'deployer', description: '' },
      ],
    }),
  );
  expect(twice.details.field).toBe('roles');
  expect(twice.message).toMatch(/role names must differ/);
  const channel = await h.services.resources.add(h.api, catalog.id, {
    type: 'slackChannel',
    originId: 'C2',
    displayName: '#c2',
    description: '',
    attributes: {},
  });
  expect(channel.roles.map((r) => r.name)).toEqual(['member']);
});

test('a catalog patch changes only the fields it names', async () => {
  const catalog = await h.services.catalogs.create(h.api, {
    name: 'Patchable',
    description: 'Keep me',
    enabled: true,
  });
  await h.services.catalogs.update(h.api, catalog.id, { enabled: false });
  await h.services.catalogs.update(h.api, catalog.id, { name: 'Patched' });
  const after = await h.services.catalogs.get(catalog.id);
  expect([after.name, after.description, after.enabled]).toEqual(['Patched', 'Keep me', false]);
});
