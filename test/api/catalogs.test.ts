import { createApiHarness, type ApiHarness } from './api-harness';

let api: ApiHarness;
beforeAll(async () => {
  api = await createApiHarness();
});
afterAll(() => api.close());

const newUser = async (name: string) =>
  (await api.post('/users', { displayName: name, email: `${name}@woodgrove.example` }).expect(201))
    .body;

describe('catalogs', () => {
  test('create, read and delete', async () => {
    const res = await api
      .post('/catalogs', { name: 'Marketing', description: 'Campaign resources' })
      .expect(201);
    const catalog = res.body;
    expect(res.headers.location).toBe(`/api/v1/catalogs/${catalog.id}`);
    expect(catalog).toMatchObject({ name: 'Marketing', enabled: true, isGeneral: false });
    expect(Date.parse(catalog.createdAt)).not.toBeNaN();
    expect((await api.get(`/catalogs/${catalog.id}`).expect(200)).body).toEqual(catalog);

    await api.del(`/catalogs/${catalog.id}`).expect(204);
    await api.get(`/catalogs/${catalog.id}`).expect(404);
  });

  test('a PATCH changes what it names and nothing else', async () => {
    const catalog = (
      await api.post('/catalogs', { name: 'Legal', description: 'Contracts' }).expect(201)
    ).body;
    // No field may fall back to its default: disabling keeps the description, renaming a
    // disabled catalog does not enable it again.
    const disabled = (await api.patch(`/catalogs/${catalog.id}`, { enabled: false }).expect(200))
      .body;
    expect(disabled).toMatchObject({ enabled: false, description: 'Contracts' });
    const renamed = (await api.patch(`/catalogs/${catalog.id}`, { name: 'Counsel' }).expect(200))
      .body;
    expect(renamed).toMatchObject({ name: 'Counsel', enabled: false, description: 'Contracts' });
  });

  test('the General catalog keeps its name and cannot be deleted', async () => {
    const general = (await api.get('/catalogs').expect(200)).body.value[0];
    expect(general).toMatchObject({ name: 'General', isGeneral: true });
    const rename = await api.patch(`/catalogs/${general.id}`, { name: 'Default' }).expect(400);
    expect(rename.body.error).toMatchObject({ code: 'invalid', field: 'name' });
    const del = await api.del(`/catalogs/${general.id}`).expect(409);
    expect(del.body.error.code).toBe('conflict');
  });

  test('a duplicate name is a 409', async () => {
    await api.post('/catalogs', { name: 'Finance' }).expect(201);
    const res = await api.post('/catalogs', { name: 'Finance' }).expect(409);
    expect(res.body.error.code).toBe('conflict');
  });

  test('owners and access package managers are granted, listed and revoked', async () => {
    const catalog = (await api.post('/catalogs', { name: 'Roles' }).expect(201)).body;
    const owner = await newUser('owner');
    const manager = await newUser('manager');
    await api.put(`/catalogs/${catalog.id}/owners/${owner.id}`).expect(204);
    await api.put(`/catalogs/${catalog.id}/packageManagers/${manager.id}`).expect(204);
    const members = (await api.get(`/catalogs/${catalog.id}/members`).expect(200)).body.value;
    expect(
      members.map((m: { role: string; user: { email: string } }) => [m.role, m.user.email]),
    ).toEqual([
      ['catalogOwner', 'owner@woodgrove.example'],
      ['packageManager', 'manager@woodgrove.example'],
    ]);

    await api.del(`/catalogs/${catalog.id}/owners/${owner.id}`).expect(204);
    const again = await api.del(`/catalogs/${catalog.id}/owners/${owner.id}`).expect(404);
    expect(again.body.error.code).toBe('notFound');
    const left = (await api.get(`/catalogs/${catalog.id}/members`).expect(200)).body.value;
    expect(left.map((m: { role: string }) => m.role)).toEqual(['packageManager']);
  });
});

describe('resources', () => {
  test('are added with their roles, listed, and removed while unused', async () => {
    const catalog = (await api.post('/catalogs', { name: 'Engineering' }).expect(201)).body;
    const added = await api
      .post(`/catalogs/${catalog.id}/resources`, {
        type: 'webhook',
        originId: 'https://ci.example/hooks/access',
        displayName: 'CI system',
        roles: [{ name: 'deployer' }, { name: 'viewer' }],
      })
      .expect(201);
    expect(added.body.roles.map((r: { name: string }) => r.name).sort()).toEqual([
      'deployer',
      'viewer',
    ]);
    const listed = (await api.get(`/catalogs/${catalog.id}/resources`).expect(200)).body.value;
    expect(listed).toEqual([
      expect.objectContaining({ id: added.body.id, displayName: 'CI system' }),
    ]);

    const fetched = (await api.get(added.headers.location.replace('/api/v1', '')).expect(200)).body;
    expect(fetched).toEqual(added.body);

    await api.del(`/resources/${added.body.id}`).expect(204);
    expect((await api.get(`/catalogs/${catalog.id}/resources`).expect(200)).body.value).toEqual([]);
    await api.get(`/resources/${added.body.id}`).expect(404);
  });

  test('a role a resource type does not have is a 400 on roles', async () => {
    const catalog = (await api.post('/catalogs', { name: 'Channels' }).expect(201)).body;
    const before = await api.count('resources');
    const res = await api
      .post(`/catalogs/${catalog.id}/resources`, {
        type: 'slackChannel',
        originId: 'C123',
        displayName: '#general',
        roles: [{ name: 'admin' }],
      })
      .expect(400);
    expect(res.body.error).toMatchObject({ code: 'invalid', field: 'roles' });
    expect(await api.count('resources')).toBe(before);
  });

  test('listing the resources of an unknown catalog is a 404', async () => {
    await api.get('/catalogs/00000000-0000-4000-8000-000000000000/resources').expect(404);
  });
});
