import { randomUUID } from 'node:crypto';
import {
  createApiHarness,
  requestablePackage,
  type ApiHarness,
  submitRequest,
} from './api-harness';

let api: ApiHarness;
beforeAll(async () => {
  api = await createApiHarness();
});
afterAll(() => api.close());

const TABLES = [
  'users',
  'catalogs',
  'resources',
  'access_packages',
  'policies',
  'policy_principals',
  'access_requests',
  'request_approvers',
  'assignments',
  'fulfillments',
  'audit_events',
];

/** Runs a refused call and shows it left every table as it was: no half-written change. */
async function refused<T>(call: () => Promise<T>): Promise<T> {
  const counts = async () =>
    Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await api.count(t)])));
  const before = await counts();
  const result = await call();
  expect(await counts()).toEqual(before);
  return result;
}

describe('path ids', () => {
  test.each([
    ['get', '/catalogs/not-a-uuid', 'id'],
    ['get', '/accessPackages/123', 'id'],
    ['delete', `/catalogs/${randomUUID()}/owners/nobody`, 'userId'],
    [
      'delete',
      `/accessPackages/${randomUUID()}/resourceRoles/x'; DROP TABLE users;--`,
      'resourceRoleId',
    ],
    ['post', '/assignmentRequests/42/cancel', 'id'],
  ] as const)('%s %s is a 400 naming %s', async (method, path, field) => {
    const call =
      method === 'get' ? api.get(path) : method === 'post' ? api.post(path, {}) : api.del(path);
    const res = await refused(() => call.expect(400));
    expect(res.body).toEqual({
      error: expect.objectContaining({ code: 'invalid', field, message: `${field}: Invalid UUID` }),
    });
  });

  test('an unknown access package is a 404', async () => {
    const id = randomUUID();
    const res = await api.get(`/accessPackages/${id}`).expect(404);
    expect(res.body.error).toMatchObject({
      code: 'notFound',
      message: `Access package ${id} was not found.`,
    });
  });
});

describe('bodies and queries', () => {
  test('malformed JSON is a 400', async () => {
    const res = await refused(() =>
      api
        .post('/catalogs')
        .set('Content-Type', 'application/json')
        .send('{"name": "Broken",')
        .expect(400),
    );
    expect(res.body.error.code).toBe('invalidJson');
  });

  test('a body over 100 KB is a 413', async () => {
    const res = await refused(() =>
      api.post('/catalogs', { name: 'Big', description: 'x'.repeat(110 * 1024) }).expect(413),
    );
    expect(res.body.error.code).toBe('tooLarge');
  });

  test('a body that is not JSON is a 415', async () => {
    const res = await refused(() =>
      api.post('/catalogs').set('Content-Type', 'text/plain').send('name=Plain').expect(415),
    );
    expect(res.body.error.code).toBe('unsupportedMediaType');
  });

  test('an unknown field is a 400 naming it', async () => {
    const res = await refused(() =>
      api.post('/catalogs', { name: 'Extra', owner: 'me' }).expect(400),
    );
    expect(res.body.error).toMatchObject({ code: 'invalid', field: 'owner' });
  });

  test('a missing required field is a 400 naming it', async () => {
    const res = await refused(() => api.post('/users', { displayName: 'No Email' }).expect(400));
    expect(res.body.error).toMatchObject({ code: 'invalid', field: 'email' });
    expect(res.body.error.message).toMatch(/^email: /);
  });

  test.each([
    ['state=bogus', 'state'],
    ['limit=0', 'limit'],
    ['limit=ten', 'limit'],
    ['packageId=nope', 'packageId'],
    ['sort=name', 'sort'],
    ['format=xlsx', 'format'],
  ])('GET /assignmentRequests?%s is a 400 naming %s', async (query, field) => {
    const res = await api.get(`/assignmentRequests?${query}`).expect(400);
    expect(res.body.error).toMatchObject({ code: 'invalid', field });
  });

  test('a duplicate email is a 409', async () => {
    await api.post('/users', { displayName: 'Once', email: 'once@woodgrove.example' }).expect(201);
    const res = await refused(() =>
      api.post('/users', { displayName: 'Twice', email: 'ONCE@woodgrove.example' }).expect(409),
    );
    expect(res.body.error.code).toBe('conflict');
  });
});

describe('policies', () => {
  test.each([
    [{ approvalTimeoutDays: 15 }, 'approvalTimeoutDays'],
    [{ expiration: { type: 'afterDays', days: 3661 } }, 'expiration.days'],
    [{ expiration: { type: 'afterYears', years: 1 } }, 'expiration.type'],
    [{ requestors: [] }, 'requestors'],
  ])('%j is refused with a 400 naming %s', async (settings, field) => {
    const { pkg, requester, approver } = await requestablePackage(api);
    const res = await refused(() =>
      api
        .post('/assignmentPolicies', {
          accessPackageId: pkg.id,
          name: 'Out of range',
          requestorScope: 'specificUsers',
          requestors: [{ userId: requester.id }],
          approvers: [{ userId: approver.id }],
          ...settings,
        })
        .expect(400),
    );
    expect(res.body.error).toMatchObject({ code: 'invalid', field });
  });

  test('a policy for an unknown package is a 404', async () => {
    const res = await refused(() =>
      api
        .post('/assignmentPolicies', {
          accessPackageId: randomUUID(),
          name: 'Orphan',
          requestorScope: 'none',
        })
        .expect(404),
    );
    expect(res.body.error.code).toBe('notFound');
  });

  test('a PATCH is checked field by field and then as a whole, leaving the policy as it was', async () => {
    const { policy } = await requestablePackage(api);
    const tooLong = await refused(() =>
      api.patch(`/assignmentPolicies/${policy.id}`, { approvalTimeoutDays: 15 }).expect(400),
    );
    expect(tooLong.body.error.field).toBe('approvalTimeoutDays');
    const noApprovers = await refused(() =>
      api.patch(`/assignmentPolicies/${policy.id}`, { approvers: [] }).expect(400),
    );
    expect(noApprovers.body.error.field).toBe('approvers');
    expect((await api.get(`/assignmentPolicies/${policy.id}`).expect(200)).body).toEqual(policy);
  });
});

describe('requests', () => {
  test('a request for an unknown package is a 404', async () => {
    const { requester } = await requestablePackage(api);
    const res = await refused(() =>
      api
        .post('/assignmentRequests', {
          requestorId: requester.id,
          packageId: randomUUID(),
          justification: 'x',
        })
        .expect(404),
    );
    expect(res.body.error.code).toBe('notFound');
  });

  test('a missing justification is a 400 on the justification field', async () => {
    const { requester, pkg } = await requestablePackage(api);
    const res = await refused(() =>
      api.post('/assignmentRequests', { requestorId: requester.id, packageId: pkg.id }).expect(400),
    );
    expect(res.body.error).toMatchObject({ code: 'invalid', field: 'justification' });
  });

  test('a second request while one is pending is a 409 naming the first', async () => {
    const { requester, pkg } = await requestablePackage(api);
    const body = { requestorId: requester.id, packageId: pkg.id, justification: 'Need it' };
    const first = (await api.post('/assignmentRequests', body).expect(201)).body;
    const res = await refused(() => api.post('/assignmentRequests', body).expect(409));
    expect(res.body.error).toMatchObject({ code: 'conflict', requestNumber: first.number });
  });

  test('several policies without a choice is a 400 listing the choices', async () => {
    const { requester, approver, pkg, policy } = await requestablePackage(api);
    const second = (
      await api
        .post('/assignmentPolicies', {
          accessPackageId: pkg.id,
          name: 'Second',
          requestorScope: 'specificUsers',
          requestors: [{ userId: requester.id }],
          approvers: [{ userId: approver.id }],
        })
        .expect(201)
    ).body;
    const res = await refused(() =>
      api
        .post('/assignmentRequests', {
          requestorId: requester.id,
          packageId: pkg.id,
          justification: 'x',
        })
        .expect(400),
    );
    expect(res.body.error.field).toBe('policyId');
    expect(res.body.error.choices.map((c: { id: string }) => c.id).sort()).toEqual(
      [policy.id, second.id].sort(),
    );
  });

  test('only a named approver may decide, and never the requester', async () => {
    const { requester, pkg } = await requestablePackage(api);
    const outsider = (
      await api.post('/users', {
        displayName: 'Outsider',
        email: `outsider.${pkg.id}@woodgrove.example`,
      })
    ).body;
    const request = await submitRequest(api, requester.id, pkg.id);
    for (const approverId of [outsider.id, requester.id]) {
      const res = await refused(() =>
        api
          .post(`/assignmentRequests/${request.id}/decision`, { approverId, decision: 'approve' })
          .expect(403),
      );
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await api.get(`/assignmentRequests/${request.id}`).expect(200)).body.state).toBe(
      'pendingApproval',
    );
  });

  test('deciding a request its requester withdrew is a 409 saying who canceled it', async () => {
    const { requester, approver, pkg } = await requestablePackage(api);
    const request = await submitRequest(api, requester.id, pkg.id);
    // Requesters withdraw from chat; the API has no "act as requester" cancel.
    const requesterActor = await api.services.directory.actorFor(requester.id, {
      channel: 'teams',
    });
    await api.services.requests.cancel(requesterActor, request.id, 'Not needed any more');

    const res = await refused(() =>
      api
        .post(`/assignmentRequests/${request.id}/decision`, {
          approverId: approver.id,
          decision: 'approve',
        })
        .expect(409),
    );
    expect(res.body.error).toEqual({
      code: 'alreadyDecided',
      message: expect.stringContaining(`already canceled by ${requester.displayName}`),
      outcome: { state: 'canceled', by: requester.displayName, at: api.clock.now().toISOString() },
    });
  });

  test('deciding a request the API canceled is a 409 with the reason, and nothing is assigned', async () => {
    const { requester, approver, pkg } = await requestablePackage(api);
    const request = await submitRequest(api, requester.id, pkg.id);
    const canceled = (
      await api
        .post(`/assignmentRequests/${request.id}/cancel`, { reason: 'Duplicate of #1' })
        .expect(200)
    ).body;
    expect(canceled).toMatchObject({
      state: 'canceled',
      cancellation: { by: null, at: api.clock.now().toISOString(), reason: 'Duplicate of #1' },
    });

    const res = await refused(() =>
      api
        .post(`/assignmentRequests/${request.id}/decision`, {
          approverId: approver.id,
          decision: 'deny',
        })
        .expect(409),
    );
    expect(res.body.error).toMatchObject({
      code: 'alreadyDecided',
      message: expect.stringContaining('Duplicate of #1'),
      outcome: { state: 'canceled', by: null },
    });
    const again = await refused(() =>
      api.post(`/assignmentRequests/${request.id}/cancel`).expect(409),
    );
    expect(again.body.error.code).toBe('alreadyDecided');
    const trail = (
      await api.get(`/auditEvents?subjectType=request&subjectId=${request.id}`).expect(200)
    ).body.value;
    expect(trail[0]).toMatchObject({
      action: 'request.canceled',
      actorLabel: 'api:default',
      channel: 'adminApi',
    });
  });

  test('a second decision is a 409 naming the first approver', async () => {
    const { requester, approver, pkg } = await requestablePackage(api);
    const request = await submitRequest(api, requester.id, pkg.id);
    const decide = (decision: string) =>
      api.post(`/assignmentRequests/${request.id}/decision`, { approverId: approver.id, decision });
    await decide('deny').expect(200);
    const res = await refused(() => decide('approve').expect(409));
    expect(res.body.error).toMatchObject({
      code: 'alreadyDecided',
      outcome: { state: 'denied', by: approver.displayName },
    });
  });
});
