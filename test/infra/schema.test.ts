import { migrate } from '../../db/data-source';
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
