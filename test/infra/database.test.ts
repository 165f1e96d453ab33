import { MIGRATIONS } from '../../db/data-source';
import { openDatabase } from '../../server/database';
import { createLogger } from '../../server/logger';
import { ADMIN_URL_ENV, databaseUrl, withClient } from '../support/database';

const adminUrl = process.env[ADMIN_URL_ENV]!;
const name = `accessbot_empty_${process.pid}`;

beforeAll(() => withClient(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`)));
afterAll(() =>
  withClient(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
);

function capturingLogger() {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => lines.push(line) });
  return { logger, messages: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('openDatabase on DATABASE_URL migrates an empty database once', async () => {
  const config = { databaseUrl: databaseUrl(adminUrl, name), dataDir: '/nonexistent' };

  const first = capturingLogger();
  const database = await openDatabase(config, first.logger);
  const rows = await database.dataSource.query('SELECT name FROM catalogs WHERE is_general');
  expect(rows).toEqual([{ name: 'General' }]);
  await database.stop();
  expect(database.dataSource.isInitialized).toBe(false);
  expect(first.messages()).toContainEqual(
    expect.objectContaining({
      msg: 'applied migrations',
      migrations: MIGRATIONS.map((m) => m.name),
    }),
  );

  const second = capturingLogger();
  const again = await openDatabase(config, second.logger);
  await again.stop();
  expect(second.messages()).toContainEqual(
    expect.objectContaining({ msg: 'database schema is up to date', migrations: [] }),
  );
});
