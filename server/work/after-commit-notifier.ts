import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { CHANNELS } from './wakeups';

export type Channel = keyof typeof CHANNELS;

/** The payload, which says who notified (the triggers send the table's name, or nothing). */
export const AFTER_COMMIT = 'after commit';

/**
 * Wakes the workers of every process (their LISTEN, wakeups.ts) after a commit that queued work
 * without notifying in its own transaction (db/notify-after-commit.ts). Per channel, one NOTIFY
 * is in flight at a time and the next waits `gapMs` after it; calls meanwhile fold into that
 * next one. So an idle system's first commit is told at once, and a busy process sends a few
 * dozen a second whatever its rate of writes (its workers are busy anyway). A notification
 * lost to a broken connection costs latency only: workers also poll.
 */
export class AfterCommitNotifier {
  private readonly channels = new Map<Channel, { sending: boolean; again: boolean }>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly db: DataSource,
    private readonly logger: Logger,
    private readonly gapMs = 20,
  ) {}

  notify(...channels: Channel[]): void {
    for (const channel of channels) {
      const state = this.channels.get(channel) ?? { sending: false, again: false };
      this.channels.set(channel, state);
      if (state.sending) {
        state.again = true;
        continue;
      }
      state.sending = true;
      const run = this.send(channel, state).finally(() => this.running.delete(run));
      this.running.add(run);
    }
  }

  /** Resolves when every notification asked for so far has been sent (or has failed). */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.all(this.running);
  }

  private async send(channel: Channel, state: { sending: boolean; again: boolean }) {
    try {
      do {
        state.again = false;
        // The database is closed when the process stops: nothing is left to wake.
        if (!this.db.isInitialized) return;
        await this.db
          .query('SELECT pg_notify($1, $2)', [CHANNELS[channel], AFTER_COMMIT])
          .catch((err) =>
            this.logger.warn(
              { channel, err: { message: (err as Error).message } },
              'notify failed',
            ),
          );
        if (state.again) await new Promise((r) => setTimeout(r, this.gapMs).unref());
      } while (state.again);
    } finally {
      // In the same turn as the last look at `again`: a call after it starts a new send.
      state.sending = false;
    }
  }
}
