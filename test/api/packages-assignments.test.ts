import { createApiHarness, requestablePackage, type ApiHarness } from './api-harness';

let api: ApiHarness;
beforeAll(async () => {
  api = await createApiHarness();
});
afterAll(() => api.close());

const direct = (setup: Awaited<ReturnType<typeof requestablePackage>>, userId: string) =>
  api.post('/assignments', {
    userId,
    packageId: setup.pkg.id,
    policyId: setup.policy.id,
    reason: 'Onboarding',
  });

describe('access packages', () => {
  test('are listed by catalog and paged', async () => {
    const catalog = (await api.post('/catalogs', { name: 'Paging' }).expect(201)).body;
    for (const name of ['Charlie', 'alpha', 'Bravo']) {
      await api.post('/accessPackages', { catalogId: catalog.id, name }).expect(201);
    }
    const all = (await api.get(`/accessPackages?catalogId=${catalog.id}`).expect(200)).body.value;
    expect(all.map((p: { name: string }) => p.name)).toEqual(['alpha', 'Bravo', 'Charlie']);
    const page = (
      await api.get(`/accessPackages?catalogId=${catalog.id}&limit=1&offset=1`).expect(200)
    ).body.value;
    expect(page.map((p: { name: string }) => p.name)).toEqual(['Bravo']);
  });

  test('hiding a package removes it from browsing but keeps it requestable', async () => {
    const setup = await requestablePackage(api);
    const browse = () =>
      api
        .get(`/users/${setup.requester.id}/accessPackages`)
        .expect(200)
        .then((res) => res.body.value.map((p: { id: string }) => p.id));
    expect(await browse()).toEqual([setup.pkg.id]);
    const hidden = (
      await api.patch(`/accessPackages/${setup.pkg.id}`, { hidden: true }).expect(200)
    ).body;
    expect(hidden).toMatchObject({ hidden: true, name: setup.pkg.name });
    expect(await browse()).toEqual([]);
    await api
      .post('/assignmentRequests', {
        requestorId: setup.requester.id,
        packageId: setup.pkg.id,
        justification: 'Direct link',
      })
      .expect(201);
  });

  test('moving a package to another catalog is a 400 on catalogId', async () => {
    const setup = await requestablePackage(api);
    const other = (await api.post('/catalogs', { name: 'Elsewhere' }).expect(201)).body;
    const res = await api
      .patch(`/accessPackages/${setup.pkg.id}`, { catalogId: other.id })
      .expect(400);
    expect(res.body.error).toMatchObject({ code: 'invalid', field: 'catalogId' });
  });

  test('adding and removing a resource role grants and revokes it for current assignees', async () => {
    const setup = await requestablePackage(api);
    const assigned = (await direct(setup, setup.requester.id).expect(201)).body;
    expect(assigned.state).toBe('delivering');
    const owner = setup.resource.roles.find((r: { name: string }) => r.name === 'owner');

    const added = await api
      .post(`/accessPackages/${setup.pkg.id}/resourceRoles`, { resourceRoleId: owner.id })
      .expect(201);
    expect(added.body).toMatchObject({ roleName: 'owner', grantsQueued: 1 });
    await api.fulfil();
    expect(added.headers.location).toBe(
      `/api/v1/accessPackages/${setup.pkg.id}/resourceRoles/${owner.id}`,
    );
    const duplicate = await api
      .post(`/accessPackages/${setup.pkg.id}/resourceRoles`, { resourceRoleId: owner.id })
      .expect(409);
    expect(duplicate.body.error.code).toBe('conflict');

    const removed = await api
      .del(`/accessPackages/${setup.pkg.id}/resourceRoles/${owner.id}`)
      .expect(200);
    expect(removed.body).toEqual({ revocationsQueued: 1 });
    await api.fulfil();
    const ownerCalls = api.provisioner.calls.filter(
      (c) => c.resource === setup.resource.originId && c.role === 'owner',
    );
    expect(ownerCalls.map((c) => c.action)).toEqual(['grant', 'revoke']);
  });

  test('a package with an active assignment cannot be deleted', async () => {
    const setup = await requestablePackage(api);
    await direct(setup, setup.requester.id).expect(201);
    const res = await api.del(`/accessPackages/${setup.pkg.id}`).expect(409);
    expect(res.body.error.code).toBe('conflict');
    await api.get(`/accessPackages/${setup.pkg.id}`).expect(200);
  });
});

describe('assignment policies', () => {
  test('are listed per package, and a PATCH changes only what it names', async () => {
    const setup = await requestablePackage(api, { approvalTimeoutDays: 7 });
    const listed = (
      await api.get(`/assignmentPolicies?accessPackageId=${setup.pkg.id}`).expect(200)
    ).body.value;
    expect(listed).toEqual([setup.policy]);

    const patched = (
      await api
        .patch(`/assignmentPolicies/${setup.policy.id}`, {
          expiration: { type: 'onDate', date: '2026-06-30T00:00:00Z' },
        })
        .expect(200)
    ).body;
    expect(patched).toMatchObject({
      name: setup.policy.name,
      approvalTimeoutDays: 7,
      approvers: setup.policy.approvers,
      expiration: { type: 'onDate', date: '2026-06-30T00:00:00.000Z' },
    });
  });

  test('listing needs a package id', async () => {
    const res = await api.get('/assignmentPolicies').expect(400);
    expect(res.body.error).toMatchObject({ code: 'invalid', field: 'accessPackageId' });
  });
});

describe('assignments', () => {
  test('direct assignment, fulfillments, removal', async () => {
    const setup = await requestablePackage(api);
    const res = await direct(setup, setup.approver.id).expect(201);
    const assignment = res.body;
    expect(res.headers.location).toBe(`/api/v1/assignments/${assignment.id}`);
    expect(assignment).toMatchObject({
      userId: setup.approver.id,
      packageId: setup.pkg.id,
      policyId: setup.policy.id,
      state: 'delivering',
      endedAt: null,
    });
    await api.fulfil();
    const fulfilled = (await api.get(`/assignments/${assignment.id}`).expect(200)).body;
    expect(fulfilled).toEqual({ ...assignment, state: 'delivered', updatedAt: expect.any(String) });
    const fulfillments = (await api.get(`/assignments/${assignment.id}/fulfillments`).expect(200))
      .body.value;
    expect(fulfillments).toEqual([
      expect.objectContaining({ action: 'grant', state: 'delivered', roleName: 'member' }),
    ]);

    const removed = (await api.post(`/assignments/${assignment.id}/remove`).expect(200)).body;
    expect(removed).toMatchObject({ state: 'removed', endedAt: api.clock.now().toISOString() });
    const twice = await api.post(`/assignments/${assignment.id}/remove`, {}).expect(409);
    expect(twice.body.error.code).toBe('conflict');
    const listed = (
      await api.get(`/assignments?packageId=${setup.pkg.id}&state=removed`).expect(200)
    ).body.value;
    expect(listed.map((a: { id: string }) => a.id)).toEqual([assignment.id]);
  });

  test('a user already assigned cannot request the package again', async () => {
    const setup = await requestablePackage(api);
    await direct(setup, setup.requester.id).expect(201);
    await api.fulfil();
    const before = await api.count('access_requests');
    const res = await api
      .post('/assignmentRequests', {
        requestorId: setup.requester.id,
        packageId: setup.pkg.id,
        justification: 'More',
      })
      .expect(409);
    expect(res.body.error).toMatchObject({ code: 'conflict', assignmentState: 'delivered' });
    expect(await api.count('access_requests')).toBe(before);
  });

  test('a policy of another package is a 400 on policyId', async () => {
    const a = await requestablePackage(api);
    const b = await requestablePackage(api);
    const before = await api.count('assignments');
    const res = await api
      .post('/assignments', { userId: a.requester.id, packageId: a.pkg.id, policyId: b.policy.id })
      .expect(400);
    expect(res.body.error).toMatchObject({ code: 'invalid', field: 'policyId' });
    expect(await api.count('assignments')).toBe(before);
  });

  test('listing assignments needs a package id', async () => {
    const res = await api.get('/assignments').expect(400);
    expect(res.body.error).toMatchObject({ code: 'invalid', field: 'packageId' });
  });
});
