import { PerformanceObserver, constants } from 'node:perf_hooks';

/**
 * Full (mark-compact) garbage collections of the heap of the thread that watches (the
 * servers'), by when they started. On a 2-core machine one such collection keeps both cores
 * for about 100 ms, PostgreSQL waits, and whether one fell in a side's fixed-rate rounds
 * decides that side's p99. The report counts them per side.
 */
const starts: number[] = [];
let observer: PerformanceObserver | undefined;

export function watchFullGcs() {
  if (observer) return;
  observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { kind } = ((entry as { detail?: unknown }).detail ?? {}) as { kind?: number };
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) starts.push(entry.startTime);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
}

/**
 * A full collection before a side's round. The two sides leave old-generation garbage at their
 * own rates (the bare Express floor more a call than the bot), and without this, one side's
 * garbage started collections in the other's rounds. Each round now starts from a collected
 * heap and pays only for what it makes itself; a collection that causes still counts. Each
 * thread collects its own heap (decision-load.ts asks the servers' thread for theirs).
 */
export function collectBeforeRound() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('The bench needs node --expose-gc (npm run bench gives it).');
  gc();
}

/** A span of time on performance.now(), the clock the collections are timed by. */
export type Window = [from: number, to: number];

/** Collections that started within any of the windows (read late: entries arrive queued). */
export const fullGcsIn = (windows: Window[]) =>
  starts.filter((t) => windows.some(([from, to]) => t >= from && t <= to)).length;
