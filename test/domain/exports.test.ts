import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import type { AccessRequest } from '../../db/entities';
import type { Actor } from '../../server/domain/actor';
import { DomainError } from '../../server/domain/errors';
import { exportAssignments, exportRequests, type ExportPages } from '../../server/domain/exports';
import { insertAssignments, insertRequests, notExactlyOnce, tally } from '../support/bulk-rows';
import { newClient } from '../support/database';
import { ADMIN_EMAIL, createHarness, packageWithPolicy, type Harness } from '../support/domain';

let h: Harness;
// A second connection, outside the services' pool: the concurrent writer.
let writer: Client;
let userId: string;

beforeAll(async () => {
  h = await createHarness();
  writer = await newClient(h.db.url);
  userId = (await h.user('Seeded requester')).id;
});
afterAll(async () => {
  await writer.end();
  await h.close();
});

async function freshPackage() {
  const f = await packageWithPolicy(h, { requestorScope: 'allMembers', approvalRequired: false });
  return { ...f, owner: { packageId: f.pkg.id, userId, policyId: f.policy.id } };
}

async function drain<T>(pages: ExportPages<T>): Promise<T[][]> {
  const all: T[][] = [];
  for await (const page of pages) all.push(page);
  return all;
}

describe('keyset pages', () => {
  test('requests: each row there at the start is read once while another connection inserts', async () => {
    const { owner } = await freshPackage();
    const other = await freshPackage();
    const before = await insertRequests(writer, owner, 95);
    await insertRequests(writer, other.owner, 20);

    const pages = await exportRequests(
      h.services.ctx,
      h.api,
      { packageId: owner.packageId },
      { pageSize: 10 },
    );
    const seen: number[] = [];
    const inserted: number[] = [];
    let pageCount = 0;
    // Each insert is in flight while the next page is queried, and done before the one after.
    let during = insertRequests(writer, owner, 3);
    for await (const page of pages) {
      pageCount++;
      seen.push(...page.map((r) => r.number));
      inserted.push(...(await during));
      during = insertRequests(writer, owner, 3);
    }
    inserted.push(...(await during));

    expect(pageCount).toBeGreaterThanOrEqual(10);
    expect(inserted).toHaveLength(3 * (pageCount + 1));
    expect(notExactlyOnce(before, seen)).toEqual([]);
    expect([...tally(seen).values()].filter((n) => n > 1)).toEqual([]);
    // Nothing from the other package; the only extras are rows inserted during the export.
    const known = new Set([...before, ...inserted]);
    expect(seen.filter((n) => !known.has(n))).toEqual([]);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
  });

  test('assignments: rows sharing a created_at, or a millisecond of it, are each read once', async () => {
    const { owner } = await freshPackage();
    // Four instants a microsecond apart, about 24 rows on each: ties span pages of 10, and a
    // cursor rounded to milliseconds would skip or repeat rows.
    const instant = `timestamptz '2020-03-01 12:00:00.123' + (g % 4) * interval '1 microsecond'`;
    const before = await insertAssignments(writer, owner, 95, instant);

    const pages = await exportAssignments(
      h.services.ctx,
      h.api,
      { packageId: owner.packageId },
      { pageSize: 10 },
    );
    const seen: string[] = [];
    const inserted: string[] = [];
    // Newcomers land on both sides of the cursor: at the same instants (ordered by their
    // random ids among the ties) and now, ahead of the first page.
    let during = insertAssignments(writer, owner, 4, instant);
    for await (const page of pages) {
      seen.push(...page.map((a) => a.id));
      inserted.push(...(await during));
      during = insertAssignments(writer, owner, 2, seen.length % 20 ? instant : 'now()');
    }
    inserted.push(...(await during));

    expect(seen.length).toBeGreaterThanOrEqual(95);
    expect(notExactlyOnce(before, seen)).toEqual([]);
    expect([...tally(seen).values()].filter((n) => n > 1)).toEqual([]);
    const known = new Set([...before, ...inserted]);
    expect(seen.filter((id) => !known.has(id))).toEqual([]);
  });

  test('state filters; a limit caps the rows across pages; offset skips from the start', async () => {
    const { owner } = await freshPackage();
    const numbers = await insertRequests(writer, owner, 30);
    const canceled = numbers.filter((n) => n % 3 === 0);
    await writer.query(`UPDATE access_requests SET state = 'canceled' WHERE number = ANY($1)`, [
      canceled,
    ]);
    const newest = [...numbers].sort((a, b) => b - a);
    const run = async (query: object) =>
      drain(
        await exportRequests(
          h.services.ctx,
          h.api,
          { packageId: owner.packageId, ...query },
          { pageSize: 10 },
        ),
      );

    const byState = (await run({ state: 'canceled' })).flat();
    expect(byState.map((r) => r.number).sort()).toEqual([...canceled].sort());
    expect(new Set(byState.map((r) => r.state))).toEqual(new Set(['canceled']));

    const limited = await run({ limit: 25 });
    expect(limited.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(limited.flat().map((r) => r.number)).toEqual(newest.slice(0, 25));

    const window = (await run({ limit: 12, offset: 5 })).flat();
    expect(window.map((r) => r.number)).toEqual(newest.slice(5, 17));
  });

  test('a page is read only when asked for, so the export never holds more than one', async () => {
    const { owner } = await freshPackage();
    await insertRequests(writer, owner, 25, 'before');
    const pages = await exportRequests(
      h.services.ctx,
      h.api,
      { packageId: owner.packageId },
      { pageSize: 10 },
    );
    const first = await pages.next();
    // Had the export read ahead, the second page would still show the old text.
    await writer.query(`UPDATE access_requests SET justification = 'after' WHERE package_id = $1`, [
      owner.packageId,
    ]);
    const second = await pages.next();
    const texts = (r: IteratorResult<AccessRequest[]>) =>
      new Set((r.done ? [] : r.value).map((x) => x.justification?.split(' ')[0]));
    expect(texts(first)).toEqual(new Set(['before']));
    expect(texts(second)).toEqual(new Set(['after']));
    await pages.return();
    expect((await pages.next()).done).toBe(true);
  });
});

describe('rights: the same as the listings, checked before any row', () => {
  type Outcome = 'ok' | string;
  const outcome = async (call: () => Promise<unknown>): Promise<Outcome> => {
    try {
      await call();
      return 'ok';
    } catch (e) {
      if (e instanceof DomainError) return e.code;
      throw e;
    }
  };

  test('admins, catalog owners and package managers; others are refused', async () => {
    const f = await freshPackage();
    const s = h.services;
    const owner = await h.user(`Owner ${randomUUID().slice(0, 6)}`);
    const manager = await h.user(`Manager ${randomUUID().slice(0, 6)}`);
    await s.catalogs.setRole(h.api, f.catalog.id, owner.id, 'catalogOwner', true);
    await s.catalogs.setRole(h.api, f.catalog.id, manager.id, 'packageManager', true);
    const admin = await h.user('Admin1', { email: ADMIN_EMAIL });
    const actors: Record<string, Actor> = {
      api: h.api,
      admin: await h.actor(admin),
      owner: await h.actor(owner),
      manager: await h.actor(manager),
      plain: await h.actor(await h.user(`Plain ${randomUUID().slice(0, 6)}`)),
    };
    const pkg = { packageId: f.pkg.id };
    const unknown = { packageId: randomUUID() };
    const table: Record<string, Record<string, Outcome>> = {};
    for (const [name, actor] of Object.entries(actors)) {
      const pairs = {
        requests: [
          () => s.requests.list(actor, pkg),
          () => exportRequests(h.services.ctx, actor, pkg),
        ],
        allRequests: [
          () => s.requests.list(actor, {}),
          () => exportRequests(h.services.ctx, actor, {}),
        ],
        unknownPackage: [
          () => s.requests.list(actor, unknown),
          () => exportRequests(h.services.ctx, actor, unknown),
        ],
        assignments: [
          () => s.assignments.list(actor, pkg),
          () => exportAssignments(h.services.ctx, actor, pkg),
        ],
      } as const;
      for (const [what, [list, exported]] of Object.entries(pairs)) {
        const listed = await outcome(list);
        // The refusal comes from the call itself: there are no pages to read.
        expect([what, name, await outcome(exported)]).toEqual([what, name, listed]);
        (table[what] ??= {})[name] = listed;
      }
    }
    expect(table).toEqual({
      requests: { api: 'ok', admin: 'ok', owner: 'ok', manager: 'ok', plain: 'forbidden' },
      allRequests: {
        api: 'ok',
        admin: 'ok',
        owner: 'forbidden',
        manager: 'forbidden',
        plain: 'forbidden',
      },
      unknownPackage: {
        api: 'notFound',
        admin: 'notFound',
        owner: 'notFound',
        manager: 'notFound',
        plain: 'notFound',
      },
      assignments: { api: 'ok', admin: 'ok', owner: 'ok', manager: 'ok', plain: 'forbidden' },
    });
  });
});
