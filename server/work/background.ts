import type { Logger } from 'pino';
import type { Services } from '../domain/services';
import { startScheduler } from '../lifecycle/scheduler';
import { CHANNELS, listenFor } from './wakeups';
import { WorkLoop, type Worker } from './work-loop';

/** Runs a worker in this process, woken by its channel's notifications; returns its stop. */
export function runInBackground(
  worker: Worker,
  channel: keyof typeof CHANNELS,
  databaseUrl: string,
  logger: Logger,
  pollMs?: number,
): () => Promise<void> {
  const wakeups = listenFor(CHANNELS[channel], databaseUrl, logger);
  const loop = new WorkLoop(worker, wakeups, logger, pollMs);
  loop.start();
  return async () => {
    await loop.stop();
    await wakeups.close();
  };
}

/**
 * What every process does besides serving HTTP and chat: provisioning and the lifecycle
 * scheduler (the outbox dispatcher is the chat layer's). Returns the stop.
 */
export async function startBackgroundWork(
  services: Services,
  databaseUrl: string,
  logger: Logger,
): Promise<() => Promise<void>> {
  // Provisioning never runs in the request that asked for it.
  const stopFulfillment = runInBackground(services.fulfillment, 'fulfillment', databaseUrl, logger);
  const scheduler = await startScheduler({ services, databaseUrl, logger }).catch(async (err) => {
    await stopFulfillment();
    throw err;
  });
  return async () => {
    await scheduler.stop();
    await stopFulfillment();
  };
}
