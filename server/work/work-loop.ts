import type { Logger } from 'pino';
import type { Wakeups } from './wakeups';

/** One pass over due work; how many items it took (0: nothing is due). */
export interface Worker {
  name: string;
  runOnce(): Promise<number>;
  /** Passes that may run side by side (default 1). */
  lanes?: number;
}

/**
 * Runs a worker until stopped: pass after pass while there is work, then sleeps until a
 * commit wakes it (LISTEN/NOTIFY) or `pollMs` passes (retries fall due with no commit at all).
 * With several lanes (Worker.lanes), passes run side by side (their claims never overlap: SKIP LOCKED), so
 * one pass's database round trips overlap another's calls out.
 */
export class WorkLoop {
  private running: Promise<unknown> | null = null;
  private stopping = false;
  private readonly lanes: Array<{ woken: boolean; wake: (() => void) | null }>;

  constructor(
    private readonly worker: Worker,
    private readonly wakeups: Wakeups,
    private readonly logger: Logger,
    private readonly pollMs = 2_000,
  ) {
    this.lanes = Array.from({ length: worker.lanes ?? 1 }, () => ({ woken: false, wake: null }));
  }

  start(): void {
    const unsubscribe = this.wakeups.onWake(() => this.wakeAll());
    this.running = Promise.all(this.lanes.map((lane) => this.loop(lane))).finally(unsubscribe);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeAll();
    await this.running;
  }

  private wakeAll() {
    for (const lane of this.lanes) {
      lane.woken = true;
      lane.wake?.();
    }
  }

  private async loop(lane: (typeof this.lanes)[number]) {
    while (!this.stopping) {
      lane.woken = false;
      let claimed = 0;
      try {
        claimed = await this.worker.runOnce();
      } catch (err) {
        this.logger.error({ err, worker: this.worker.name }, 'pass failed');
      }
      if (claimed > 0 || lane.woken || this.stopping) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        lane.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      lane.wake = null;
    }
  }
}
