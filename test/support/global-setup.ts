import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataSource, migrate } from '../../db/data-source';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embedded-postgres';
import { ADMIN_URL_ENV, TEMPLATE_DATABASE, databaseUrl, withClient } from './database';

export interface TestServer {
  embedded?: EmbeddedDatabase;
  tmpDir?: string;
}

// Only globalSetup and globalTeardown share this process; workers get the URL through env.
export const TEST_SERVER_KEY = '__accessbotTestServer';

export default async function globalSetup() {
  const server: TestServer = {};
  (globalThis as Record<string, unknown>)[TEST_SERVER_KEY] = server;

  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    server.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accessbot-test-'));
    server.embedded = await startEmbeddedPostgres({
      dir: path.join(server.tmpDir, 'postgres'),
      port: await freePort(),
      persistent: false,
    });
    adminUrl = server.embedded.url;
  }
  process.env[ADMIN_URL_ENV] = adminUrl;
  await createTemplate(adminUrl);
}

async function createTemplate(adminUrl: string) {
  await withClient(adminUrl, async (admin) => {
    // A template cannot be dropped; an earlier run on a shared server may have left one behind.
    const earlier = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      TEMPLATE_DATABASE,
    ]);
    if (earlier.rowCount) {
      await admin.query(
        `ALTER DATABASE ${TEMPLATE_DATABASE} WITH IS_TEMPLATE false ALLOW_CONNECTIONS true`,
      );
      await admin.query(`DROP DATABASE ${TEMPLATE_DATABASE} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  });

  const dataSource = createDataSource({
    url: databaseUrl(adminUrl, TEMPLATE_DATABASE),
    poolSize: 2,
  });
  await dataSource.initialize();
  try {
    await migrate(dataSource);
  } finally {
    await dataSource.destroy();
  }

  // Closed to connections, so that no stray session can make a clone fail.
  await withClient(adminUrl, (admin) =>
    admin.query(
      `ALTER DATABASE ${TEMPLATE_DATABASE} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`,
    ),
  );
}
