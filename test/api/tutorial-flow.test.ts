import { createApiHarness, type ApiHarness } from './api-harness';

// Seed 002, "Tutorial: Manage access to resources in entitlement management", driven through
// the admin API alone; the harness's recording ports stand in for Microsoft Graph and chat.
let api: ApiHarness;
beforeAll(async () => {
  api = await createApiHarness();
});
afterAll(() => api.close());

test('Web project access package: set up, request, approve, deliver, audit, clean up', async () => {
  // Step 1: the administrator-approver and the internal user.
  const admin1 = (
    await api
      .post('/users', { displayName: 'Admin1', email: 'admin1@woodgrove.example' })
      .expect(201)
  ).body;
  const user1 = (
    await api.post('/users', { displayName: 'User1', email: 'user1@woodgrove.example' }).expect(201)
  ).body;
  expect(user1).toMatchObject({ kind: 'internal', domain: 'woodgrove.example' });

  // Step 2: Engineering Group in the default (General) catalog, and the access package.
  const catalogs = (await api.get('/catalogs').expect(200)).body.value;
  const general = catalogs.find((c: { isGeneral: boolean }) => c.isGeneral);
  const group = await api
    .post(`/catalogs/${general.id}/resources`, {
      type: 'm365Group',
      originId: 'engineering-group',
      displayName: 'Engineering Group',
    })
    .expect(201);
  expect(group.headers.location).toBe(`/api/v1/resources/${group.body.id}`);
  const member = group.body.roles.find((r: { name: string }) => r.name === 'member');

  const created = await api
    .post('/accessPackages', {
      name: 'Web project access package',
      description: 'Access package for the Engineering web project',
    })
    .expect(201);
  const pkg = created.body;
  expect(created.headers.location).toBe(`/api/v1/accessPackages/${pkg.id}`);
  expect(pkg.catalogId).toBe(general.id);
  await api
    .post(`/accessPackages/${pkg.id}/resourceRoles`, { resourceRoleId: member.id })
    .expect(201);
  expect((await api.get(`/accessPackages/${pkg.id}/resourceRoles`).expect(200)).body.value).toEqual(
    [expect.objectContaining({ roleName: 'member', resourceName: 'Engineering Group' })],
  );

  // Step 3: Internal user policy: User1 may request, Admin1 approves, access lasts 30 days.
  const policy = (
    await api
      .post('/assignmentPolicies', {
        accessPackageId: pkg.id,
        name: 'Internal user policy',
        description: 'Allows users in this directory to request access to web project resources',
        requestorScope: 'specificUsers',
        requestors: [{ userId: user1.id }],
        approvers: [{ userId: admin1.id }],
        expiration: { type: 'afterDays', days: 30 },
        allowCustomSchedule: true,
        enabled: true,
      })
      .expect(201)
  ).body;
  expect(policy).toMatchObject({
    accessPackageId: pkg.id,
    expiration: { type: 'afterDays', days: 30 },
    approvalRequired: true,
  });

  // Step 4: User1 sees the package and requests it, from today until tomorrow.
  const browse = (await api.get(`/users/${user1.id}/accessPackages`).expect(200)).body;
  expect(browse.value.map((p: { name: string }) => p.name)).toEqual(['Web project access package']);
  const today = api.clock.now().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.parse(today) + 86_400_000).toISOString().slice(0, 10);
  const submitted = await api
    .post('/assignmentRequests', {
      requestorId: user1.id,
      packageId: pkg.id,
      justification: 'Working on web project',
      start: today,
      end: tomorrow,
    })
    .expect(201);
  const request = submitted.body;
  expect(submitted.headers.location).toBe(`/api/v1/assignmentRequests/${request.id}`);
  expect(request).toMatchObject({
    state: 'pendingApproval',
    type: 'userAdd',
    requestorId: user1.id,
    targetUserId: user1.id,
    packageId: pkg.id,
    policyId: policy.id,
    justification: 'Working on web project',
    schedule: { end: `${tomorrow}T00:00:00.000Z` },
    decision: null,
    cancellation: null,
    assignmentId: null,
  });
  expect(request.number).toEqual(expect.any(Number));
  expect(await api.notifications()).toContainEqual({
    kind: 'approvalRequested',
    requestId: request.id,
    approverIds: [admin1.id],
  });

  // Step 5: Admin1 approves with a reason.
  const decided = await api
    .post(`/assignmentRequests/${request.id}/decision`, {
      approverId: admin1.id,
      decision: 'approve',
      reason: 'Approved access for web project',
    })
    .expect(200);
  expect(decided.body).toMatchObject({
    state: 'delivering',
    decision: {
      by: admin1.id,
      at: api.clock.now().toISOString(),
      reason: 'Approved access for web project',
    },
    assignmentId: expect.any(String),
  });

  // Step 6: the request is fulfilled, in the background, and User1 is a member of Engineering Group.
  expect(await api.fulfil()).toBe(1);
  const requests = (await api.get(`/assignmentRequests?packageId=${pkg.id}`).expect(200)).body;
  expect(requests.value).toEqual([expect.objectContaining({ id: request.id, state: 'delivered' })]);
  const assignments = (await api.get(`/assignments?packageId=${pkg.id}`).expect(200)).body.value;
  expect(assignments).toEqual([
    expect.objectContaining({
      id: decided.body.assignmentId,
      userId: user1.id,
      policyId: policy.id,
      state: 'delivered',
      schedule: { start: api.clock.now().toISOString(), end: `${tomorrow}T00:00:00.000Z` },
    }),
  ]);
  expect(api.provisioner.calls).toEqual([
    {
      action: 'grant',
      user: 'user1@woodgrove.example',
      resource: 'engineering-group',
      role: 'member',
    },
  ]);
  const fulfillments = (await api.get(`/assignments/${assignments[0].id}/fulfillments`).expect(200))
    .body.value;
  expect(fulfillments).toEqual([
    expect.objectContaining({
      action: 'grant',
      state: 'delivered',
      roleName: 'member',
      resourceName: 'Engineering Group',
      lastError: null,
    }),
  ]);

  // Every step is in the audit trail, with who did it.
  const trail = (
    await api.get(`/auditEvents?subjectType=request&subjectId=${request.id}`).expect(200)
  ).body.value;
  expect(
    trail.map((e: { action: string; actorLabel: string }) => [e.action, e.actorLabel]),
  ).toEqual([
    ['request.approved', 'admin1@woodgrove.example'],
    ['request.submitted', 'user1@woodgrove.example'],
  ]);
  const all = (await api.get('/auditEvents?limit=1000').expect(200)).body.value;
  expect(all.map((e: { action: string }) => e.action)).toEqual(
    expect.arrayContaining([
      'user.created',
      'resource.added',
      'accessPackage.created',
      'accessPackage.resourceRoleAdded',
      'policy.created',
      'assignment.created',
    ]),
  );

  // Step 7: clean up, in the tutorial's order.
  const removed = await api
    .post(`/assignments/${assignments[0].id}/remove`, { reason: 'Tutorial finished' })
    .expect(200);
  expect(removed.body).toMatchObject({ state: 'removed', endReason: 'Tutorial finished' });
  expect(await api.fulfil()).toBe(1);
  expect(api.provisioner.calls[1]).toEqual({
    action: 'revoke',
    user: 'user1@woodgrove.example',
    resource: 'engineering-group',
    role: 'member',
  });
  await api.del(`/assignmentPolicies/${policy.id}`).expect(204);
  await api.get(`/assignmentPolicies/${policy.id}`).expect(404);
  const roleRemoved = await api
    .del(`/accessPackages/${pkg.id}/resourceRoles/${member.id}`)
    .expect(200);
  expect(roleRemoved.body).toEqual({ revocationsQueued: 0 });
  await api.del(`/accessPackages/${pkg.id}`).expect(204);
  await api.get(`/accessPackages/${pkg.id}`).expect(404);
  // The group was granted once, so it stays on record rather than vanishing from history.
  const kept = await api.del(`/resources/${group.body.id}`).expect(409);
  expect(kept.body.error.code).toBe('conflict');
});
