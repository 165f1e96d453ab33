import express from 'express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp } from '../../server/app';
import { createLogger } from '../../server/logger';
import { createMetrics } from '../../server/metrics';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

function appOn(dataSource: DataSource, routers: Array<[string, express.Router]> = []) {
  return createApp({
    dataSource,
    logger: createLogger('silent'),
    metrics: createMetrics(),
    routers,
  });
}

describe('GET /healthz', () => {
  test('answers ok while the database answers', async () => {
    const res = await request(appOn(db.dataSource)).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('answers 503 once the database is gone', async () => {
    const lost = await createTestDatabase();
    try {
      const app = appOn(lost.dataSource);
      await request(app).get('/healthz').expect(200);
      await lost.dataSource.destroy();
      const res = await request(app).get('/healthz').expect(503);
      expect(res.body).toEqual({ status: 'unavailable' });
    } finally {
      await lost.drop();
    }
  });
});

describe('GET /metrics', () => {
  test('reports request durations by route pattern', async () => {
    const things = express.Router();
    things.get('/things/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    const app = appOn(db.dataSource, [['/api/v1', things]]);
    await request(app).get('/healthz').expect(200);
    await request(app).get('/api/v1/things/42').expect(200);
    await request(app).get('/nowhere').expect(404);

    const res = await request(app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 1',
    );
    expect(res.text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/api/v1/things/:id",status="200"} 1',
    );
    expect(res.text).toContain(
      'http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1',
    );
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });

  test('each app counts only its own requests', async () => {
    const first = appOn(db.dataSource);
    await request(first).get('/healthz').expect(200);
    const res = await request(appOn(db.dataSource)).get('/metrics').expect(200);
    expect(res.text).not.toContain('route="/healthz"');
  });
});

describe('routing', () => {
  test('an unknown route gets a JSON 404', async () => {
    const res = await request(appOn(db.dataSource)).post('/no/such/thing').expect(404);
    expect(res.body).toEqual({
      error: { code: 'notFound', message: 'No route for POST /no/such/thing' },
    });
  });

  test('does not announce express', async () => {
    const res = await request(appOn(db.dataSource)).get('/healthz');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  test('routers receive the raw body and are tried in order', async () => {
    const raw = express.Router();
    raw.post('/echo', express.text({ type: '*/*' }), (req, res) => {
      res.type('text/plain').send(`first:${req.body}`);
    });
    const second = express.Router();
    second.post('/echo', (_req, res) => {
      res.send('second');
    });
    const body = '{"b": 2,  "a": 1}';
    const res = await request(
      appOn(db.dataSource, [
        ['/hooks', raw],
        ['/hooks', second],
      ]),
    )
      .post('/hooks/echo')
      .set('content-type', 'application/json')
      .send(body)
      .expect(200);
    expect(res.text).toBe(`first:${body}`);
  });

  test('a router error becomes a JSON 500 without details', async () => {
    const failing = express.Router();
    failing.get('/boom', async () => {
      throw new Error('secret internals');
    });
    const res = await request(appOn(db.dataSource, [['/x', failing]]))
      .get('/x/boom')
      .expect(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: 'Internal error' } });
  });

  test('a body a router cannot parse is a 400', async () => {
    const json = express.Router();
    json.post('/in', express.json(), (_req, res) => {
      res.sendStatus(204);
    });
    const res = await request(appOn(db.dataSource, [['/x', json]]))
      .post('/x/in')
      .set('content-type', 'application/json')
      .send('{not json')
      .expect(400);
    expect(res.body.error.code).toBe('badRequest');
  });
});
