import express from 'express';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../../server/http-server';

// Express swaps every request's and response's prototype and then adds properties; on Node 20
// each property added after the swap costs a hidden class of its own. createHttpServer makes
// them up front. These tests show that Express then adds none, and behaves as on a bare server.

function app() {
  const a = express();
  const r = express.Router();
  r.post('/things/:id', express.json(), (req, res) => {
    res.json({
      body: req.body,
      params: req.params,
      baseUrl: req.baseUrl,
      originalUrl: req.originalUrl,
      path: req.path,
      locals: typeof res.locals,
      statusCode: res.statusCode,
      route: req.route?.path,
    });
  });
  r.get('/boom', () => {
    throw new Error('boom');
  });
  a.use('/r', r);
  return a;
}

/** Serves `a` on `server`; answers, per request, the own properties added after its arrival. */
async function serve(server: http.Server) {
  const added: string[][] = [];
  const keys = (req: IncomingMessage, res: ServerResponse) => [
    ...Object.keys(req).map((k) => `req.${k}`),
    ...Object.keys(res).map((k) => `res.${k}`),
  ];
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const before = keys(req, res);
    res.on('finish', () => added.push(keys(req, res).filter((k) => !before.includes(k))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, added, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function exercise(url: string) {
  const post = await fetch(`${url}/r/things/42?x=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ a: 1 }),
  });
  const missing = await fetch(`${url}/nowhere`);
  const failing = await fetch(`${url}/r/boom`);
  return {
    post: { status: post.status, body: await post.json() },
    missing: missing.status,
    failing: failing.status,
  };
}

test('Express adds no property to a request or response made by createHttpServer', async () => {
  const s = await serve(createHttpServer(app()));
  try {
    await exercise(s.url);
    expect(s.added).toEqual([[], [], []]);
  } finally {
    await s.close();
  }
});

test('on a bare server Express adds them, so the shaping is what prevents it', async () => {
  const s = await serve(http.createServer(app()));
  try {
    await exercise(s.url);
    expect(s.added[0]).toEqual(expect.arrayContaining(['req.params', 'req.body', 'res.locals']));
  } finally {
    await s.close();
  }
});

test('a request behaves as on a bare server: body, params, paths, status, 404, 500', async () => {
  const shaped = await serve(createHttpServer(app()));
  const bare = await serve(http.createServer(app()));
  try {
    const seen = await exercise(shaped.url);
    expect(seen).toEqual(await exercise(bare.url));
    expect(seen).toEqual({
      post: {
        status: 200,
        body: {
          body: { a: 1 },
          params: { id: '42' },
          baseUrl: '/r',
          originalUrl: '/r/things/42?x=1',
          path: '/things/42',
          locals: 'object',
          statusCode: 200,
          route: '/things/:id',
        },
      },
      missing: 404,
      failing: 500,
    });
  } finally {
    await shaped.close();
    await bare.close();
  }
});
