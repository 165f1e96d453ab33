import { Client } from 'pg';
import type { Logger } from 'pino';

/** Tells a worker that a commit added work, so that it need not poll often. */
export interface Wakeups {
  onWake(listener: () => void): () => void;
  close(): Promise<void>;
}

/** The channels the migrations' triggers notify. */
export const CHANNELS = { outbox: 'accessbot_outbox', fulfillment: 'accessbot_fulfillment' };
const RECONNECT_MS = 1_000;

/**
 * LISTEN on its own connection (a pooled one would lose the subscription when released). A
 * lost connection is re-made; meanwhile the worker's slow poll still finds the work.
 */
export function listenFor(channel: string, url: string, logger: Logger): Wakeups {
  const listeners = new Set<() => void>();
  let client: Client | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const connect = async () => {
    const c = new Client({ connectionString: url });
    c.on('notification', () => listeners.forEach((l) => l()));
    c.on('error', (err) => {
      logger.warn({ channel, err: { message: err.message } }, 'listener lost its connection');
      void c.end().catch(() => undefined);
      if (client === c) client = null;
      if (!closed) timer = setTimeout(() => void connect(), RECONNECT_MS);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      if (closed) return void (await c.end());
      client = c;
      // Work committed while no one listened is found by this wake-up.
      listeners.forEach((l) => l());
    } catch (err) {
      logger.warn({ channel, err: { message: (err as Error).message } }, 'listener cannot connect');
      if (!closed) timer = setTimeout(() => void connect(), RECONNECT_MS);
    }
  };
  void connect();

  return {
    onWake(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
