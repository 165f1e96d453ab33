import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { createDownloadRouter } from '../../server/downloads/router';
import { createHarness, failure, packageWithPolicy, type Harness } from '../support/domain';

// A CSV asked for in chat is fetched through a link that works for minutes, as the person who
// asked: their rights are checked again when it is opened.

let h: Harness;
let app: express.Express;
beforeAll(async () => {
  h = await createHarness();
  app = express().use('/downloads', createDownloadRouter(h.services, pino({ level: 'silent' })));
});
afterAll(() => h.close());

async function ownerWithAssignee() {
  const owner = await h.user(`Owner ${Math.random().toString(36).slice(2, 7)}`);
  const assignee = await h.user(`Assignee ${Math.random().toString(36).slice(2, 7)}`);
  const fixture = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvalRequired: false,
  });
  await h.services.catalogs.setRole(h.api, fixture.catalog.id, owner.id, 'catalogOwner', true);
  await h.services.requests.submit(await h.actor(assignee), {
    packageId: fixture.pkg.id,
    justification: 'x',
  });
  return { owner, assignee, ...fixture };
}

test('a link downloads the CSV as the person who asked, then expires', async () => {
  const { owner, assignee, pkg } = await ownerWithAssignee();
  const token = await h.services.downloads.create(await h.actor(owner), {
    kind: 'assignments',
    query: { packageId: pkg.id },
  });
  const res = await request(app).get(`/downloads/${token}`).expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/csv/);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.text).toContain(assignee.email);
  // Only a hash is stored: the table never holds a usable link.
  const [stored] = await h.db.dataSource.query(
    `SELECT encode(token_hash, 'escape') AS t FROM download_links WHERE user_id = $1`,
    [owner.id],
  );
  expect(stored.t).not.toContain(token);

  h.clock.advance(16 * 60_000);
  const gone = await request(app).get(`/downloads/${token}`).expect(404);
  expect(gone.text).toMatch(/expired or is not valid/);
  expect(await h.services.downloads.prune()).toBeGreaterThanOrEqual(1);
});

test('a link stops working for someone who lost the right to see the rows', async () => {
  const { owner, pkg, catalog } = await ownerWithAssignee();
  const token = await h.services.downloads.create(await h.actor(owner), {
    kind: 'requests',
    query: { packageId: pkg.id },
  });
  await h.services.catalogs.setRole(h.api, catalog.id, owner.id, 'catalogOwner', false);
  const res = await request(app).get(`/downloads/${token}`).expect(403);
  expect(res.text).not.toMatch(/@woodgrove/);
});

test('only those who may see the rows get a link; forged links are refused', async () => {
  const { pkg, assignee } = await ownerWithAssignee();
  expect(
    (
      await failure(
        h.services.downloads.create(await h.actor(assignee), {
          kind: 'assignments',
          query: { packageId: pkg.id },
        }),
      )
    ).code,
  ).toBe('forbidden');
  expect(
    (
      await failure(
        h.services.downloads.create(h.api, { kind: 'requests', query: { packageId: pkg.id } }),
      )
    ).code,
  ).toBe('forbidden');
  for (const forged of ['x'.repeat(43), 'short', `${'a'.repeat(42)}%00`]) {
    const res = await request(app).get(`/downloads/${forged}`).expect(404);
    expect(res.text).toMatch(/expired or is not valid/);
  }
});
