import type { Logger } from 'pino';
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
