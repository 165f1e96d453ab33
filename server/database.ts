import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from '../db/data-source';
import type * as EmbeddedPostgresModule from '../db/embedded-postgres';
import type { EmbeddedDatabase } from '../db/embedded-postgres';
import { redactUrl, type Config } from './config';
import type { Logger } from './logger';

export interface Database {
  dataSource: DataSource;
  /** Closes the pool, then stops the embedded server if this process started one. */
  stop(): Promise<void>;
}

// Beside a system PostgreSQL on 5432, and the same port on every run when it is free.
const EMBEDDED_PORT = 5433;

export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  logger: Logger,
): Promise<Database> {
  const embedded = config.databaseUrl ? undefined : await startEmbedded(config.dataDir, logger);
  const dataSource = createDataSource({ url: config.databaseUrl ?? embedded!.url });
  const stop = async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
  };
  try {
    await dataSource.initialize();
    const applied = await migrate(dataSource);
    logger.info(
      { migrations: applied },
      applied.length > 0 ? 'applied migrations' : 'database schema is up to date',
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { dataSource, stop };
}

async function startEmbedded(dataDir: string, logger: Logger): Promise<EmbeddedDatabase> {
  const { startEmbeddedPostgres, freePort } = loadEmbeddedPostgres();
  const dir = path.resolve(dataDir, 'postgres');
  const port = await choosePort(dir, freePort);
  const db = await startEmbeddedPostgres({
    dir,
    port,
    log: (message) => logger.warn(message),
  }).catch((err: unknown) => {
    // The package rejects with nothing at all when the server does not come up.
    throw err instanceof Error
      ? err
      : new Error(
          `embedded PostgreSQL did not start in ${dir} on port ${port} (its output is above)`,
        );
  });
  logger.info({ dir, url: redactUrl(db.url) }, 'started embedded PostgreSQL');
  return db;
}

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Loaded only when needed: the package is ESM-only (Jest cannot require it) and it installs
 * SIGINT/SIGTERM handlers (async-exit-hook) that stop PostgreSQL and exit at once, under the
 * feet of in-flight requests. Where the process already handles a signal, that handler owns
 * shutdown and stops the database last, so the package's handler is removed. Its `exit` hook
 * stays: it still stops PostgreSQL when the process exits any other way.
 */
function loadEmbeddedPostgres(): typeof EmbeddedPostgresModule {
  const before = new Map(SHUTDOWN_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  // A require rather than import(): the project compiles to CommonJS, where TypeScript's
  // node16 resolution would demand a `.js` suffix that Jest cannot resolve.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const embedded = require('../db/embedded-postgres') as typeof EmbeddedPostgresModule;
  for (const [signal, existing] of before) {
    if (existing.size === 0) continue;
    for (const listener of process.listeners(signal)) {
      if (!existing.has(listener)) process.removeListener(signal, listener);
    }
  }
  return embedded;
}

async function choosePort(dir: string, freePort: () => Promise<number>): Promise<number> {
  if (await isPortFree(EMBEDDED_PORT)) return EMBEDDED_PORT;
  // A server left running by a killed process holds the port only until
  // startEmbeddedPostgres stops it, so the port stays the same from run to run.
  if (leftoverServerPort(dir) === EMBEDDED_PORT) return EMBEDDED_PORT;
  return freePort();
}

/** postmaster.pid holds the pid, the data folder, the start time and the port, a line each. */
function leftoverServerPort(dir: string): number | undefined {
  try {
    return Number(fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[3]);
  } catch {
    return undefined;
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
