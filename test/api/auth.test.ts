import request from 'supertest';
import { createHarness, type Harness } from '../support/domain';
import { apiApp, BASE, LogCapture, TOKEN, TOKENS } from './api-harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('admin API authentication', () => {
  test('a call without a token is refused with 401 and writes nothing', async () => {
    const app = apiApp(h, TOKENS);
    const res = await request(app).post(`${BASE}/catalogs`).send({ name: 'Sneaky' }).expect(401);
    expect(res.body.error.code).toBe('unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await h.services.catalogs.list()).map((c) => c.name)).not.toContain('Sneaky');
  });

  test.each([
    ['a wrong token', `Bearer ${TOKEN}x`],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
    ['another scheme', `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`],
    ['the bare token', TOKEN],
  ])('%s is refused with 401', async (_label, header) => {
    const res = await request(apiApp(h, TOKENS))
      .get(`${BASE}/catalogs`)
      .set('Authorization', header)
      .expect(401);
    expect(res.body).toEqual({
      error: { code: 'unauthorized', message: expect.any(String) },
    });
  });

  test('the right token acts as the API administrator, audited as "api"', async () => {
    const app = apiApp(h, TOKENS);
    const res = await request(app)
      .post(`${BASE}/catalogs`)
      .set('Authorization', `Bearer ${TOKEN}`)
      .send({ name: 'Token catalog' })
      .expect(201);
    expect(res.body.name).toBe('Token catalog');
    const audit = await request(app)
      .get(`${BASE}/auditEvents?subjectType=catalog&subjectId=${res.body.id}`)
      .set('Authorization', `Bearer ${TOKEN}`)
      .expect(200);
    expect(audit.body.value).toEqual([
      expect.objectContaining({
        action: 'catalog.created',
        actorLabel: 'api:default',
        actorId: null,
        channel: 'adminApi',
        apiToken: 'default',
      }),
    ]);
  });

  test('without any token configured every call gets 503, whatever it sends', async () => {
    const app = apiApp(h, []);
    for (const header of [undefined, 'Bearer ', 'Bearer anything', `Bearer ${TOKEN}`]) {
      const call = request(app).get(`${BASE}/catalogs`);
      const res = await (header === undefined ? call : call.set('Authorization', header)).expect(
        503,
      );
      expect(res.body).toEqual({
        error: {
          code: 'notConfigured',
          message: 'Set ADMIN_API_TOKEN or ADMIN_API_TOKENS to use the admin API.',
        },
      });
    }
    const write = await request(app)
      .post(`${BASE}/users`)
      .send({ displayName: 'X', email: 'x@y.example' });
    expect(write.status).toBe(503);
    expect(await h.services.directory.findUserByEmail('x@y.example')).toBeNull();
  });

  test('each named token is audited under its own name, also when it acts for a user', async () => {
    const sync = 'sync-token-0123456789abcdef0123456789';
    const app = apiApp(h, [...TOKENS, { name: 'hr-sync', token: sync }]);
    const as = (token: string) => (t: request.Test) => t.set('Authorization', `Bearer ${token}`);
    const created = await as(sync)(request(app).post(`${BASE}/catalogs`))
      .send({ name: 'Synced catalog' })
      .expect(201);
    const mine = await as(TOKEN)(request(app).post(`${BASE}/catalogs`))
      .send({ name: 'Default catalog' })
      .expect(201);
    const trail = async (id: string) =>
      (
        await as(TOKEN)(
          request(app).get(`${BASE}/auditEvents?subjectType=catalog&subjectId=${id}`),
        ).expect(200)
      ).body.value;
    expect(await trail(created.body.id)).toEqual([
      expect.objectContaining({
        actorLabel: 'api:hr-sync',
        apiToken: 'hr-sync',
        channel: 'adminApi',
      }),
    ]);
    expect(await trail(mine.body.id)).toEqual([
      expect.objectContaining({ actorLabel: 'api:default', apiToken: 'default' }),
    ]);
    await as(`${sync}x`)(request(app).get(`${BASE}/catalogs`)).expect(401);
  });

  test('the OpenAPI document needs no token, even when none is configured', async () => {
    const res = await request(apiApp(h, [])).get(`${BASE}/openapi.json`).expect(200);
    expect(res.body.openapi).toMatch(/^3\.1\./);
  });

  test('unknown routes are answered only after authentication', async () => {
    const app = apiApp(h, TOKENS);
    await request(app).get(`${BASE}/nowhere`).expect(401);
    const res = await request(app)
      .get(`${BASE}/nowhere`)
      .set('Authorization', `Bearer ${TOKEN}`)
      .expect(404);
    expect(res.body.error.code).toBe('notFound');
  });

  test('an unexpected failure is a bare 500, logged without the token or the body', async () => {
    const log = new LogCapture();
    const app = apiApp(h, TOKENS, log);
    const spy = jest
      .spyOn(h.services.catalogs, 'create')
      .mockRejectedValueOnce(new Error('database exploded'));
    try {
      const res = await request(app)
        .post(`${BASE}/catalogs`)
        .set('Authorization', `Bearer ${TOKEN}`)
        .send({ name: 'Secret project Zebra' })
        .expect(500);
      expect(res.body).toEqual({ error: { code: 'internal', message: 'Internal error' } });
    } finally {
      spy.mockRestore();
    }
    expect(log.text).toContain('database exploded');
    expect(log.text).not.toContain(TOKEN);
    expect(log.text).not.toContain('Secret project Zebra');
  });
});
