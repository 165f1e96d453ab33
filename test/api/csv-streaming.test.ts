import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Client } from 'pg';
import pino from 'pino';
import { pipeCsv } from '../../server/api/csv/render';
import { EXPORT_PAGE_SIZE } from '../../server/domain/exports';
import { createServices } from '../../server/domain/services';
import { insertAssignments, insertRequests, notExactlyOnce, tally } from '../support/bulk-rows';
import { newClient } from '../support/database';
import {
  apiApp,
  BASE,
  createApiHarness,
  LogCapture,
  requestablePackage,
  TOKEN,
  TOKENS,
  type ApiHarness,
} from './api-harness';
import { csvRecords } from './csv-rows';

let api: ApiHarness;
// A second connection, outside the services' pool: the concurrent writer.
let writer: Client;

beforeAll(async () => {
  api = await createApiHarness();
  writer = await newClient(api.db.url);
});
afterAll(async () => {
  await writer.end();
  await api.close();
});

async function owner() {
  const s = await requestablePackage(api);
  return { packageId: s.pkg.id, userId: s.requester.id, policyId: s.policy.id };
}

/** Inserts batches from the writer until `until` settles: rows written during the download. */
async function insertingDuring<T>(insert: () => Promise<T[]>, until: Promise<unknown>) {
  let done = false;
  const inserted: T[] = [];
  const loop = (async () => {
    do inserted.push(...(await insert()));
    while (!done);
  })();
  try {
    await until;
  } finally {
    done = true;
    await loop;
  }
  return inserted;
}

describe('exports larger than a page, under concurrent inserts', () => {
  test('requests: every row there at the start appears once, none repeated', async () => {
    const o = await owner();
    const before = await insertRequests(writer, o, 2 * EXPORT_PAGE_SIZE + 345);
    const download = api.get(`/assignmentRequests?packageId=${o.packageId}&format=csv`);
    const inserted = await insertingDuring(() => insertRequests(writer, o, 5), download);
    const res = await download;
    expect(res.status).toBe(200);
    const seen = csvRecords(res.text).map((r) => Number(r.number));
    expect(notExactlyOnce(before, seen)).toEqual([]);
    expect([...tally(seen).values()].filter((n) => n > 1)).toEqual([]);
    const known = new Set([...before, ...inserted]);
    expect(seen.filter((n) => !known.has(n))).toEqual([]);
    expect(inserted.length).toBeGreaterThan(0);
  });

  test('assignments: every row there at the start appears once, none repeated', async () => {
    const o = await owner();
    // Half share one instant, so the tie-breaker on id carries pages across the tie.
    const before = [
      ...(await insertAssignments(writer, o, EXPORT_PAGE_SIZE, `timestamptz '2021-06-01 08:00'`)),
      ...(await insertAssignments(writer, o, EXPORT_PAGE_SIZE + 7, `now() - g * interval '1 ms'`)),
    ];
    const download = api.get(`/assignments?packageId=${o.packageId}&format=csv`);
    const inserted = await insertingDuring(() => insertAssignments(writer, o, 5), download);
    const res = await download;
    expect(res.status).toBe(200);
    const seen = csvRecords(res.text).map((r) => r.id);
    expect(notExactlyOnce(before, seen)).toEqual([]);
    expect([...tally(seen).values()].filter((n) => n > 1)).toEqual([]);
    const known = new Set([...before, ...inserted]);
    expect(seen.filter((id) => !known.has(id))).toEqual([]);
  });
});

describe('refusals and failures', () => {
  test('an unknown package is a JSON 404, not a CSV', async () => {
    for (const path of ['/assignmentRequests', '/assignments']) {
      const res = await api.get(`${path}?packageId=${crypto.randomUUID()}&format=csv`).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['content-disposition']).toBeUndefined();
      expect(res.body.error.code).toBe('notFound');
    }
  });

  // A date JavaScript cannot hold makes its row fail to render: a corrupt row, mid-export.
  const insertUnrenderable = (o: { packageId: string; userId: string }) =>
    writer.query(
      `INSERT INTO access_requests (type, state, target_user_id, package_id, justification, requested_end)
       VALUES ('userAdd', 'denied', $1, $2, 'unrenderable', 'infinity')`,
      [o.userId, o.packageId],
    );

  test('a failure before the first row is still a JSON 500', async () => {
    const o = await owner();
    await insertUnrenderable(o);
    const res = await api.get(`/assignmentRequests?packageId=${o.packageId}&format=csv`);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: 'Internal error' } });
  });

  test('a failure after the first byte cuts the download off, and is logged without rows', async () => {
    const o = await owner();
    // Oldest, so it is the last row: on the second page, after the first has been sent.
    await insertUnrenderable(o);
    await insertRequests(writer, o, EXPORT_PAGE_SIZE + 500, 'confidential-reason');
    const log = new LogCapture();
    const services = createServices({ ...api.services.ctx, logger: pino(log) });
    const res = await download(apiApp({ services }, TOKENS, log), o.packageId);

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    // The last chunk of a chunked transfer never came: no client takes this for a whole file.
    expect(res.complete).toBe(false);
    const rows = csvRecords(res.text);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(EXPORT_PAGE_SIZE + 501);
    expect(res.text).not.toContain('unrenderable');

    const failures = log.lines.map((l) => JSON.parse(l)).filter((l) => l.level >= 50);
    expect(failures).toEqual([
      expect.objectContaining({
        msg: 'csv export failed; download cut off',
        export: 'assignment-requests',
        rowsRead: EXPORT_PAGE_SIZE + 500,
        err: expect.objectContaining({ name: 'RangeError' }),
      }),
    ]);
    expect(log.text).not.toContain('confidential-reason');
    expect(log.text).not.toContain(o.userId);
  });
});

/** A raw client: supertest would report a cut-off body as an error and drop what arrived. */
function download(app: http.RequestListener, packageId: string) {
  const server = http.createServer(app).listen(0);
  const { port } = server.address() as AddressInfo;
  const path = `${BASE}/assignmentRequests?packageId=${packageId}&format=csv`;
  return new Promise<{
    status?: number;
    headers: http.IncomingHttpHeaders;
    text: string;
    complete: boolean;
  }>((resolve, reject) => {
    const req = http.get({ port, path, headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => {}); // 'aborted': reported by `complete` below
      res.on('close', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          text: Buffer.concat(chunks).toString(),
          complete: res.complete,
        }),
      );
    });
    req.on('error', reject);
  }).finally(() => server.close());
}

describe('backpressure', () => {
  test('rows are read as the destination takes them; a reader that leaves stops the reading', async () => {
    let pulled = 0;
    let closed = false;
    // Endless, as far as an exporter that reads everything first could tell.
    async function* endless() {
      try {
        for (;;) {
          if (++pulled > 100_000) throw new Error('read far ahead of the reader');
          yield [pulled, 'x'.repeat(100)];
        }
      } finally {
        closed = true;
      }
    }
    const received: Buffer[] = [];
    const reader = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk);
        // Like a client that reads a little and hangs up.
        if (received.length === 3) this.destroy();
        else done();
      },
    });
    const log = new LogCapture();
    const columns = [
      { header: 'n', value: (r: never) => r[0] },
      { header: 'text', value: (r: never) => r[1] },
    ];
    await pipeCsv({ name: 'endless', columns, logger: pino(log) }, endless(), reader);

    expect(closed).toBe(true);
    // Bounded by the streams' buffers (16 records and 16 KiB each), not by the source.
    expect(pulled).toBeLessThan(500);
    expect(JSON.parse(log.lines[0])).toMatchObject({ msg: 'csv export: client went away' });
  });
});
