import 'reflect-metadata';
import { createChatLayer } from '../bot';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './database';
import { systemClock } from './domain/clock';
import { createLogger } from './logger';
import { tuneHeap } from './heap';
import { createDomain } from './routers';
import { startBackgroundWork } from './work/background';

/**
 * `npm run worker`: delivers the outbox, provisions access and runs the lifecycle scheduler
 * without serving HTTP, for deployments that scale this work apart from the web replicas.
 * Every server process also does it; any number may run side by side, and each delivery,
 * grant and lifecycle change is made by one.
 */
async function main() {
  tuneHeap();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  if (!config.databaseUrl) {
    // The embedded database belongs to the `npm start` process; a worker shares a real one.
    process.stderr.write(
      'npm run worker needs DATABASE_URL: it delivers for servers sharing that database.\n',
    );
    process.exit(1);
  }
  const logger = createLogger(config.logLevel).child({ process: 'worker' });
  // Installed first: a signal while starting waits for the start, then stops in order.
  const stops: Array<() => Promise<void>> = [];
  let starting: Promise<void> = Promise.resolve();
  const stop = async (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'worker stopping');
    await starting.catch(() => undefined);
    for (const s of stops) await s();
    process.exit(0);
  };
  process.once('SIGINT', (s) => void stop(s));
  process.once('SIGTERM', (s) => void stop(s));
  starting = (async () => {
    const database = await openDatabase(config, logger);
    stops.unshift(() => database.stop());
    const services = createDomain(config, database.dataSource, logger);
    const databaseUrl = (database.dataSource.options as { url: string }).url;
    const chat = createChatLayer({ config, services, clock: systemClock, logger, databaseUrl });
    stops.unshift(() => chat.stop());
    await chat.start();
    stops.unshift(await startBackgroundWork(services, databaseUrl, logger));
    logger.info('worker delivering the outbox, provisioning access and running the lifecycle');
  })();
  await starting;
}

main().catch((err) => {
  process.stderr.write(`worker failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
