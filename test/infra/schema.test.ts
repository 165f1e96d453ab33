import { migrate } from '../../db/data-source';
import { ASSIGNMENT_STATES, REQUEST_STATES, RESOURCE_TYPES } from '../../db/entities';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

test('the migrated schema holds the General catalog exactly once', async () => {
  const rows = await db.dataSource.query('SELECT name FROM catalogs WHERE is_general');
  expect(rows).toEqual([{ name: 'General' }]);
});

test('a second general catalog is refused', async () => {
  await expect(
    db.dataSource.query(`INSERT INTO catalogs (name, is_general) VALUES ('Other', true)`),
  ).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '23505' }) });
});

test('migrating again is a no-op', async () => {
  expect(await migrate(db.dataSource)).toEqual([]);
  const rows = await db.dataSource.query(
    'SELECT count(*)::int AS n FROM catalogs WHERE is_general',
  );
  expect(rows).toEqual([{ n: 1 }]);
});

/** The values a CHECK (col IN (...)) constraint of the table allows, read from the catalog. */
async function allowedValues(table: string, column: string): Promise<string[]> {
  const rows: Array<{ def: string }> = await db.dataSource.query(
    `SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
      WHERE c.conrelid = $1::regclass AND c.contype = 'c'`,
    [table],
  );
  const def = rows.map((r) => r.def).find((d) => d.includes(`(${column} = ANY`));
  if (!def) throw new Error(`no CHECK on ${table}.${column}`);
  return [...def.matchAll(/'([^']+)'::text/g)].map((m) => m[1]).sort();
}

test('the database allows exactly the request and assignment states the code knows', async () => {
  expect(await allowedValues('access_requests', 'state')).toEqual([...REQUEST_STATES].sort());
  expect(await allowedValues('assignments', 'state')).toEqual([...ASSIGNMENT_STATES].sort());
});

test('the database allows exactly the resource types the code knows', async () => {
  expect(await allowedValues('resources', 'type')).toEqual([...RESOURCE_TYPES].sort());
});
