import request from 'supertest';
import type { Method } from '../../server/api/route';
import { API_ROUTES } from '../../server/api/routes';
import { BASE, createApiHarness, TOKEN, type ApiHarness } from './api-harness';
import { replyKey, ResponseChecker, unchecked } from './response-check';

// Every JSON route is called for real, in one story, and each reply is validated against the
// schema the served document declares for it. The last tests show that the checks can fail.

let api: ApiHarness;
let checker: ResponseChecker;
beforeAll(async () => {
  api = await createApiHarness();
  checker = new ResponseChecker((await request(api.app).get(`${BASE}/openapi.json`)).body);
});
afterAll(() => api.close());

type Call = { params?: Record<string, string>; query?: string; body?: object };

/** Calls `path` (OpenAPI style) with `params` filled in, expects `status`, checks the reply. */
async function call(method: Method, path: string, status: number, opts: Call = {}) {
  const url =
    path.replace(/\{(\w+)\}/g, (_, name: string) => opts.params![name]) +
    (opts.query ? `?${opts.query}` : '');
  const sent = {
    get: () => api.get(url),
    post: () => api.post(url, opts.body),
    put: () => api.put(url),
    patch: () => api.patch(url, opts.body ?? {}),
    delete: () => api.del(url),
  }[method]();
  const res = await sent.expect(status);
  checker.check(method, path, res);
  return res.body;
}

const FAR_FUTURE = '2099-01-01T00:00:00.000Z';
// Filled in by the story as it goes; later steps use what earlier ones made.
const made: Record<string, { id: string; [field: string]: unknown }> = {};
const id = (name: string) => made[name].id;

const user = (name: string) =>
  call('post', '/users', 201, {
    body: { displayName: name, email: `${name.toLowerCase()}@woodgrove.example` },
  });

test('catalogs and their members', async () => {
  await call('get', '/catalogs', 200);
  made.catalog = await call('post', '/catalogs', 201, { body: { name: 'Checked' } });
  const params = { id: id('catalog') };
  await call('get', '/catalogs/{id}', 200, { params });
  await call('patch', '/catalogs/{id}', 200, { params, body: { description: 'Typed replies' } });
  made.owner = await user('Owen');
  await api.put(`/catalogs/${id('catalog')}/owners/${id('owner')}`).expect(204);
  const members = await call('get', '/catalogs/{id}/members', 200, { params });
  expect(members.value).toHaveLength(1);
});

test('resources and access packages with their roles', async () => {
  const catalog = { id: id('catalog') };
  made.resource = await call('post', '/catalogs/{id}/resources', 201, {
    params: catalog,
    body: {
      type: 'm365Group',
      originId: 'group-checked',
      displayName: 'Checked group',
      attributes: { mailNickname: 'checked' },
    },
  });
  await call('get', '/catalogs/{id}/resources', 200, { params: catalog });
  await call('get', '/resources/{id}', 200, { params: { id: id('resource') } });

  made.pkg = await call('post', '/accessPackages', 201, {
    body: { catalogId: id('catalog'), name: 'Checked package' },
  });
  const pkg = { id: id('pkg') };
  await call('get', '/accessPackages', 200, { query: `catalogId=${id('catalog')}` });
  await call('get', '/accessPackages/{id}', 200, { params: pkg });
  await call('patch', '/accessPackages/{id}', 200, {
    params: pkg,
    body: { description: 'For checks' },
  });
  const roles = made.resource.roles as Array<{ id: string; name: string }>;
  for (const role of roles) {
    await call('post', '/accessPackages/{id}/resourceRoles', 201, {
      params: pkg,
      body: { resourceRoleId: role.id },
    });
  }
  const owner = roles.find((r) => r.name === 'owner')!;
  await call('delete', '/accessPackages/{id}/resourceRoles/{resourceRoleId}', 200, {
    params: { id: id('pkg'), resourceRoleId: owner.id },
  });
  await call('get', '/accessPackages/{id}/resourceRoles', 200, { params: pkg });
});

test('groups, users and policies', async () => {
  made.requester = await user('Rita');
  made.second = await user('Sam');
  made.approver = await user('Abe');
  made.group = await call('post', '/groups', 201, { body: { name: 'Checkers' } });
  const group = { id: id('group') };
  for (const member of ['requester', 'second']) {
    await api.put(`/groups/${id('group')}/members/${id(member)}`).expect(204);
  }
  await call('get', '/groups', 200);
  await call('get', '/groups/{id}', 200, { params: group });
  await call('get', '/groups/{id}/members', 200, { params: group });
  await call('get', '/users', 200);
  await call('get', '/users/{id}', 200, { params: { id: id('requester') } });

  // A group as requestors and an end date: the union's and the expiration's other branches.
  made.policy = await call('post', '/assignmentPolicies', 201, {
    body: {
      accessPackageId: id('pkg'),
      name: 'Checkers may request',
      requestorScope: 'specificUsers',
      requestors: [{ groupId: id('group') }],
      approvers: [{ userId: id('approver') }],
      expiration: { type: 'onDate', date: FAR_FUTURE },
      allowCustomSchedule: true,
    },
  });
  const policy = { id: id('policy') };
  await call('get', '/assignmentPolicies', 200, { query: `accessPackageId=${id('pkg')}` });
  await call('get', '/assignmentPolicies/{id}', 200, { params: policy });
  await call('patch', '/assignmentPolicies/{id}', 200, {
    params: policy,
    body: { description: 'Checked' },
  });
});

test('requests: browsed, submitted, decided, canceled and listed', async () => {
  const page = await call('get', '/users/{id}/accessPackages', 200, {
    params: { id: id('requester') },
  });
  expect(page.value).toHaveLength(1);

  made.request = await call('post', '/assignmentRequests', 201, {
    body: {
      requestorId: id('requester'),
      packageId: id('pkg'),
      justification: 'Checking replies',
      end: '2098-01-01T00:00:00.000Z',
    },
  });
  const request = { id: id('request') };
  await call('get', '/assignmentRequests/{id}', 200, { params: request });
  const decided = await call('post', '/assignmentRequests/{id}/decision', 200, {
    params: request,
    body: { approverId: id('approver'), decision: 'approve', reason: 'Fine' },
  });
  expect(decided.decision).not.toBeNull();
  made.assignment = { id: decided.assignmentId };
  // A late click is an error reply with the outcome that came first.
  const late = await call('post', '/assignmentRequests/{id}/decision', 409, {
    params: request,
    body: { approverId: id('approver'), decision: 'deny', reason: 'Too late' },
  });
  expect(late.error.outcome).toMatchObject({ state: expect.any(String) });

  const other = await call('post', '/assignmentRequests', 201, {
    body: { requestorId: id('second'), packageId: id('pkg'), justification: 'Me too' },
  });
  const canceled = await call('post', '/assignmentRequests/{id}/cancel', 200, {
    params: { id: other.id },
    body: { reason: 'Not needed after all' },
  });
  expect(canceled.cancellation).not.toBeNull();
  const listed = await call('get', '/assignmentRequests', 200);
  expect(listed.value).toHaveLength(2);
});

test('assignments and their fulfillments', async () => {
  const third = await user('Tess');
  made.direct = await call('post', '/assignments', 201, {
    body: { userId: third.id, packageId: id('pkg'), policyId: id('policy'), reason: 'Onboarding' },
  });
  await call('get', '/assignments', 200, { query: `packageId=${id('pkg')}` });
  await call('get', '/assignments/{id}', 200, { params: { id: id('assignment') } });
  const fulfillments = await call('get', '/assignments/{id}/fulfillments', 200, {
    params: { id: id('direct') },
  });
  expect(fulfillments.value.length).toBeGreaterThan(0);
  const removed = await call('post', '/assignments/{id}/remove', 200, {
    params: { id: id('direct') },
    body: { reason: 'Offboarding' },
  });
  expect(removed.endedAt).not.toBeNull();
});

test('the audit trail, including what a token did on behalf of a user', async () => {
  const events = await call('get', '/auditEvents', 200, { query: 'limit=1000' });
  expect(events.value.some((e: { onBehalfOfUser: boolean }) => e.onBehalfOfUser)).toBe(true);
});

test('error replies, from the token check, the body parser, input checks and the domain', async () => {
  const http = request(api.app);
  const check = (method: Method, path: string, res: request.Response) => {
    checker.check(method, path, res);
    return res.body.error;
  };
  expect(check('get', '/catalogs', await http.get(`${BASE}/catalogs`).expect(401)).code).toBe(
    'unauthorized',
  );
  const bad = await call('post', '/catalogs', 400, { body: { name: '' } });
  expect(bad.error).toMatchObject({ code: 'invalid', field: 'name', issues: expect.any(Array) });
  const notJson = await http
    .post(`${BASE}/catalogs`)
    .set('Authorization', `Bearer ${TOKEN}`)
    .set('Content-Type', 'application/json')
    .send('{"name":')
    .expect(400);
  expect(check('post', '/catalogs', notJson).code).toBe('invalidJson');
  const text = await api.post('/catalogs').set('Content-Type', 'text/plain').send('x').expect(415);
  expect(check('post', '/catalogs', text).code).toBe('unsupportedMediaType');
  const missing = await call('get', '/catalogs/{id}', 404, {
    params: { id: '5d0c3f8e-9b1a-4c2d-8e3f-7a6b5c4d3e2f' },
  });
  expect(missing.error).toMatchObject({ code: 'notFound', id: expect.any(String) });
  const duplicate = await call('post', '/catalogs', 409, { body: { name: 'Checked' } });
  expect(duplicate.error.code).toBe('conflict');
});

test('every route with a JSON reply has had one checked', () => {
  // Runs after the story above: a new route fails here until the story calls it.
  expect(unchecked(API_ROUTES, checker.checked)).toEqual([]);
});

describe('the checks can fail', () => {
  const catalog = () => ({ ...made.catalog });

  test('on a field the schema does not declare, as a DTO would send it', () => {
    expect(checker.errors('get', '/catalogs/{id}', 200, catalog())).toEqual([]);
    const errors = checker.errors('get', '/catalogs/{id}', 200, { ...catalog(), owner: 'x' });
    expect(errors).toEqual([expect.stringContaining('must NOT have additional properties')]);
  });

  test('on a missing field, a wrong type, a bad date and a nested item', () => {
    const { name: _, ...nameless } = catalog();
    expect(checker.errors('get', '/catalogs/{id}', 200, nameless)).toEqual([
      expect.stringContaining("must have required property 'name'"),
    ]);
    expect(checker.errors('get', '/catalogs/{id}', 200, { ...catalog(), enabled: 'yes' })).toEqual([
      expect.stringContaining('must be boolean'),
    ]);
    expect(
      checker.errors('get', '/catalogs/{id}', 200, { ...catalog(), createdAt: 'Monday' }),
    ).toEqual([expect.stringContaining('must match format "date-time"')]);
    const list = { value: [catalog(), { ...catalog(), id: 'not-a-uuid' }] };
    expect(checker.errors('get', '/catalogs', 200, list)).toEqual([
      expect.stringMatching(/^\/value\/1\/id must match format "uuid"/),
    ]);
  });

  test('on an error code the document does not list', () => {
    const reply = { error: { code: 'teapot', message: 'No' } };
    expect(checker.errors('get', '/catalogs', 404, reply)).toEqual([
      expect.stringContaining('must be equal to one of the allowed values'),
    ]);
  });

  test('when a route has no checked reply', () => {
    const all = new Set(API_ROUTES.map((r) => replyKey(r.method, r.path, r.success.status)));
    expect(unchecked(API_ROUTES, all)).toEqual([]);
    const json = API_ROUTES.find((r) => r.success.status !== 204)!;
    all.delete(replyKey(json.method, json.path, json.success.status));
    expect(unchecked(API_ROUTES, all)).toEqual([
      replyKey(json.method, json.path, json.success.status),
    ]);
  });
});
