import 'reflect-metadata';
import http from 'node:http';
import type { Express } from 'express';
import { createApp } from './app';
import { createHttpServer } from './http-server';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase } from './database';
import { createLogger, type Logger } from './logger';
import { systemClock } from './domain/clock';
import { lifecycleBacklog } from './lifecycle/backlog';
import { createMetrics } from './metrics';
import { tuneHeap } from './heap';
import { buildRouters } from './routers';

// Long enough for in-flight requests, short enough for an orchestrator's grace period.
const FORCE_CLOSE_AFTER_MS = 5_000;

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

async function start(config: Config, logger: Logger): Promise<() => Promise<void>> {
  const database = await openDatabase(config, logger);
  const shutdownHooks: Array<() => Promise<void>> = [];
  try {
    const { dataSource } = database;
    const onShutdown = (hook: () => Promise<void>) => shutdownHooks.unshift(hook);
    const routers = await buildRouters({ config, logger, dataSource, onShutdown });
    const metrics = createMetrics(() => lifecycleBacklog(dataSource, systemClock));
    const app = createApp({ dataSource, logger, metrics, routers });
    const server = await listen(app, config.port);
    logger.info({ port: config.port }, 'listening');
    return async () => {
      await close(server);
      for (const hook of shutdownHooks) await hook();
      await database.stop();
    };
  } catch (err) {
    for (const hook of shutdownHooks) await hook();
    await database.stop();
    throw err;
  }
}

function listen(app: Express, port: number): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const server = createHttpServer(app);
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** Stops accepting connections; keep-alive and slow clients get FORCE_CLOSE_AFTER_MS. */
function close(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    const force = setTimeout(() => server.closeAllConnections(), FORCE_CLOSE_AFTER_MS);
    server.close((err) => {
      clearTimeout(force);
      if (err) reject(err);
      else resolve();
    });
  });
}

function main() {
  tuneHeap();
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    started
      .then((stop) => stop())
      .then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (err) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  // Installed before the database opens: a signal during startup then also shuts down in order,
  // and openDatabase sees that this process owns shutdown.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = start(config, logger);
  started.catch((err) => {
    logger.fatal({ err }, 'startup failed');
    process.exit(1);
  });
}

main();
