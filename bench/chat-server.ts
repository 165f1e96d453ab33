import type { Router } from 'express';
import pino, { type Logger } from 'pino';
import { ChatService } from '../bot/core/chat-service';
import { createApp } from '../server/app';
import { createHttpServer } from '../server/http-server';
import type { Clock } from '../server/domain/clock';
import type { Services } from '../server/domain/services';
import { createMetrics } from '../server/metrics';
import { listen } from './http-load';

/**
 * A platform's chat router on the server's app as deployed (createApp, with its metrics and
 * error handling, served by createHttpServer), ChatService on the services; `mount` gives the
 * router and where it goes. Answers with the URL of that mount point.
 */
export async function serveChat(
  services: Services,
  clock: Clock,
  mount: (chat: ChatService, logger: Logger) => [path: string, router: Router],
) {
  const logger = pino({ level: 'silent' });
  const chat = new ChatService({
    services,
    clock,
    logger,
    publicUrl: 'http://accessbot.bench',
    allowedTenants: {},
  });
  const [path, router] = mount(chat, logger);
  const app = createApp({
    dataSource: services.ctx.db,
    logger,
    metrics: createMetrics(),
    routers: [[path, router]],
  });
  const server = await listen(app, createHttpServer);
  return { url: `${server.url}${path}`, close: server.close };
}
