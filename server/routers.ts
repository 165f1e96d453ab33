import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { createChatLayer } from '../bot';
import { createApiRouter } from './api/router';
import { connectorsFor } from './connectors';
import { advisoryLock } from './connectors/lock';
import type { Config } from './config';
import { systemClock } from './domain/clock';
import { createServices, type Services } from './domain/services';
import { createDownloadRouter } from './downloads/router';
import { prepareDemo } from './demo/prepare';
import { startBackgroundWork } from './work/background';
import type { Logger } from './logger';

export interface RouterContext {
  config: Config;
  logger: Logger;
  dataSource: DataSource;
  /** Runs after the HTTP server has closed and before the database stops (e.g. a scheduler). */
  onShutdown(hook: () => Promise<void>): void;
}

export function createDomain(config: Config, dataSource: DataSource, logger: Logger): Services {
  return createServices({
    db: dataSource,
    clock: systemClock,
    provisioner: connectorsFor(config, { withLock: advisoryLock(dataSource), logger }),
    admins: new Set(config.admins),
    homeDomains: config.homeDomains,
    logger,
  });
}

/**
 * Everything served besides /healthz and /metrics, mounted in this order: the admin API
 * (/api/v1), CSV downloads for chat, the Bot Framework (/api/messages); later Slack.
 */
export async function buildRouters(
  ctx: RouterContext,
): Promise<Array<[path: string, router: Router]>> {
  const services = createDomain(ctx.config, ctx.dataSource, ctx.logger);
  const tokens = ctx.config.demoData
    ? await prepareDemo(services, ctx.config, ctx.logger)
    : ctx.config.apiTokens;
  const databaseUrl = (ctx.dataSource.options as { url: string }).url;
  const chat = createChatLayer({
    config: ctx.config,
    services,
    clock: systemClock,
    logger: ctx.logger,
    databaseUrl,
  });
  ctx.onShutdown(() => chat.stop());
  await chat.start();
  ctx.onShutdown(await startBackgroundWork(services, databaseUrl, ctx.logger));
  return [
    ['/api/v1', createApiRouter({ services, tokens, logger: ctx.logger })],
    ['/downloads', createDownloadRouter(services, ctx.logger)],
    ...chat.routers,
  ];
}
