import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../db/data-source';

/** Set by global-setup: a superuser URL of the test server, for creating and dropping databases. */
export const ADMIN_URL_ENV = 'ACCESSBOT_TEST_ADMIN_URL';
/** Migrated once per run; every test database is a copy of it, which is much faster. */
export const TEMPLATE_DATABASE = 'accessbot_template';

export interface TestDatabase {
  dataSource: DataSource;
  url: string;
  drop(): Promise<void>;
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function newClient(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

export async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = await newClient(url);
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

let created = 0;

export interface TestDatabaseOptions {
  /** Connections in the data source's pool; raise it for tests of concurrency. */
  poolSize?: number;
}

export async function createTestDatabase({
  poolSize = 4,
}: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = process.env[ADMIN_URL_ENV];
  if (!adminUrl) throw new Error(`${ADMIN_URL_ENV} is not set: is jest's globalSetup configured?`);
  const name = `accessbot_test_${process.pid}_${++created}_${randomBytes(3).toString('hex')}`;
  await withClient(adminUrl, (admin) => cloneTemplate(admin, name));

  const url = databaseUrl(adminUrl, name);
  const dataSource = createDataSource({ url, poolSize, applicationName: 'accessbot-test' });
  const drop = async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await withClient(adminUrl, (admin) =>
      admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    );
  };
  try {
    await dataSource.initialize();
  } catch (err) {
    await drop();
    throw err;
  }
  return { dataSource, url, drop };
}

// Any constant: it only has to be the same in every jest worker.
const CLONE_LOCK_KEY = 47_110_815;
const OBJECT_IN_USE = '55006';
const MAX_ATTEMPTS = 10;

/**
 * PostgreSQL refuses to copy a template while another session is connected to it (55006).
 * The template allows no connections, so only a server-side session such as autovacuum can
 * cause that, and the clone is retried shortly. Clones from different workers also take turns
 * under an advisory lock, although PostgreSQL 18 copies one template concurrently without error.
 */
async function cloneTemplate(admin: Client, name: string) {
  await admin.query('SELECT pg_advisory_lock($1)', [CLONE_LOCK_KEY]);
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
        return;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code !== OBJECT_IN_USE || attempt === MAX_ATTEMPTS) throw err;
        await delay(20 * attempt);
      }
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1)', [CLONE_LOCK_KEY]);
  }
}
