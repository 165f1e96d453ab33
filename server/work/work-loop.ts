import type { Logger } from 'pino';
import type { Wakeups } from './wakeups';

/** One pass over due work; how many items it took (0: nothing is due). */
export interface Worker {
  name: string;
  runOnce(): Promise<number>;
}

/**
 * Runs a worker until stopped: pass after pass while there is work, then sleeps until a
 * commit wakes it (LISTEN/NOTIFY) or `pollMs` passes (retries fall due with no commit at all).
 */
export class WorkLoop {
  private running: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private woken = false;

  constructor(
    private readonly worker: Worker,
    private readonly wakeups: Wakeups,
    private readonly logger: Logger,
    private readonly pollMs = 2_000,
  ) {}

  start(): void {
    const unsubscribe = this.wakeups.onWake(() => {
      this.woken = true;
      this.wake?.();
    });
    this.running = this.loop().finally(unsubscribe);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  private async loop() {
    while (!this.stopping) {
      this.woken = false;
      let claimed = 0;
      try {
        claimed = await this.worker.runOnce();
      } catch (err) {
        this.logger.error({ err, worker: this.worker.name }, 'pass failed');
      }
      if (claimed > 0 || this.woken || this.stopping) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }
}
