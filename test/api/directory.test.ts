import { createApiHarness, type ApiHarness } from './api-harness';

let api: ApiHarness;
beforeAll(async () => {
  api = await createApiHarness();
});
afterAll(() => api.close());

const user = async (name: string, kind = 'internal') =>
  (
    await api
      .post('/users', { displayName: name, email: `${name.toLowerCase()}@woodgrove.example`, kind })
      .expect(201)
  ).body;

describe('users', () => {
  test('are created with a normalised email, read back and listed by email', async () => {
    const res = await api
      .post('/users', { displayName: '  Zoe  ', email: 'Zoe@Woodgrove.Example' })
      .expect(201);
    expect(res.headers.location).toBe(`/api/v1/users/${res.body.id}`);
    expect(res.body).toMatchObject({ displayName: 'Zoe', email: 'zoe@woodgrove.example' });
    expect((await api.get(`/users/${res.body.id}`).expect(200)).body).toEqual(res.body);
    await user('Adam');
    const emails = (await api.get('/users?limit=2').expect(200)).body.value.map(
      (u: { email: string }) => u.email,
    );
    expect(emails).toEqual(['adam@woodgrove.example', 'zoe@woodgrove.example']);
  });

  test('the catalog creator role is granted and revoked, and audited', async () => {
    const carol = await user('Carol');
    await api.put(`/users/${carol.id}/roles/catalogCreator`).expect(204);
    await api.del(`/users/${carol.id}/roles/catalogCreator`).expect(204);
    const trail = (await api.get(`/auditEvents?subjectType=user&subjectId=${carol.id}`).expect(200))
      .body.value;
    expect(trail.map((e: { action: string }) => e.action)).toEqual([
      'role.revoked',
      'role.granted',
      'user.created',
    ]);
    expect(trail[1]).toMatchObject({
      details: { role: 'catalogCreator' },
      actorLabel: 'api:default',
      channel: 'adminApi',
    });
  });

  test('an unknown user is a 404', async () => {
    const res = await api.get('/users/3f0c1a52-8d3e-4c1b-9a57-0d7c2b3e4f51').expect(404);
    expect(res.body.error.code).toBe('notFound');
  });
});

describe('groups', () => {
  test('members are added, listed and removed', async () => {
    const res = await api.post('/groups', { name: 'Engineers' }).expect(201);
    const group = res.body;
    expect(res.headers.location).toBe(`/api/v1/groups/${group.id}`);
    expect(group).toMatchObject({ name: 'Engineers', description: '', source: 'local' });
    expect((await api.get(`/groups/${group.id}`).expect(200)).body).toEqual(group);
    expect((await api.get('/groups').expect(200)).body.value).toContainEqual(group);

    const dana = await user('Dana');
    await api.put(`/groups/${group.id}/members/${dana.id}`).expect(204);
    await api.put(`/groups/${group.id}/members/${dana.id}`).expect(204);
    const members = (await api.get(`/groups/${group.id}/members`).expect(200)).body.value;
    expect(members.map((m: { id: string }) => m.id)).toEqual([dana.id]);

    await api.del(`/groups/${group.id}/members/${dana.id}`).expect(204);
    expect((await api.get(`/groups/${group.id}/members`).expect(200)).body.value).toEqual([]);
    await api.del(`/groups/${group.id}/members/${dana.id}`).expect(404);
  });
});

describe('GET /users/{id}/accessPackages', () => {
  test('is what the user may request, by group membership, searchable and paged', async () => {
    const eve = await user('Eve');
    const approver = await user('Approver');
    const group = (await api.post('/groups', { name: 'Browsers' }).expect(201)).body;
    await api.put(`/groups/${group.id}/members/${eve.id}`).expect(204);
    const catalog = (await api.post('/catalogs', { name: 'Browse' }).expect(201)).body;
    for (const name of ['Sales dashboard', 'Sales forecast', 'Payroll']) {
      const pkg = (await api.post('/accessPackages', { catalogId: catalog.id, name }).expect(201))
        .body;
      await api
        .post('/assignmentPolicies', {
          accessPackageId: pkg.id,
          name: 'Group policy',
          requestorScope: 'specificUsers',
          requestors: name === 'Payroll' ? [{ userId: approver.id }] : [{ groupId: group.id }],
          approvers: [{ userId: approver.id }],
        })
        .expect(201);
    }
    const first = (await api.get(`/users/${eve.id}/accessPackages?limit=1`).expect(200)).body;
    expect(first.value.map((p: { name: string }) => p.name)).toEqual(['Sales dashboard']);
    expect(first.value[0].catalogName).toBe('Browse');
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (
      await api
        .get(
          `/users/${eve.id}/accessPackages?limit=1&cursor=${encodeURIComponent(first.nextCursor)}`,
        )
        .expect(200)
    ).body;
    expect(second.value.map((p: { name: string }) => p.name)).toEqual(['Sales forecast']);
    expect(second.nextCursor).toBeNull();

    const found = (await api.get(`/users/${eve.id}/accessPackages?text=forecast`).expect(200)).body;
    expect(found.value.map((p: { name: string }) => p.name)).toEqual(['Sales forecast']);
  });

  test('a cursor that was not issued is a 400 on cursor', async () => {
    const fred = await user('Fred');
    const res = await api.get(`/users/${fred.id}/accessPackages?cursor=bogus`).expect(400);
    expect(res.body.error).toMatchObject({ code: 'invalid', field: 'cursor' });
  });
});

describe('GET /auditEvents', () => {
  test('pages newest first and rejects an unknown subject type', async () => {
    await user('Gina');
    const [latest] = (await api.get('/auditEvents?limit=1').expect(200)).body.value;
    expect(latest).toMatchObject({ action: 'user.created', subjectType: 'user' });
    const next = (await api.get('/auditEvents?limit=1&offset=1').expect(200)).body.value;
    expect(Number(next[0].id)).toBeLessThan(Number(latest.id));
    const bad = await api.get('/auditEvents?subjectType=planet').expect(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid', field: 'subjectType' });
  });
});
