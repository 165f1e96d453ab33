/** Latency sampling and the small amount of formatting the benchmark report needs. */

export interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(samplesMs: number[]): Latency {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((s, x) => s + x, 0) / sorted.length,
  };
}

/** Runs `op` sequentially: `warmup` untimed calls, then `n` timed ones (milliseconds each). */
export async function timeSequential(
  op: (i: number) => Promise<unknown>,
  opts: { warmup: number; n: number },
): Promise<Latency> {
  for (let i = 0; i < opts.warmup; i++) await op(i);
  const samples: number[] = [];
  for (let i = 0; i < opts.n; i++) {
    const t0 = process.hrtime.bigint();
    await op(i);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return summarize(samples);
}

/**
 * Runs `op` once for each item with at most `concurrency` calls in flight.
 * Returns the wall time in seconds.
 */
export async function runConcurrently<T>(
  items: T[],
  concurrency: number,
  op: (item: T) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await op(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return elapsed(t0);
}

export const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

/** Seconds since `t0` (process.hrtime.bigint()). */
export const elapsed = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/** The same, as the logs print it: "12.3". */
export const seconds = (since: bigint) => elapsed(since).toFixed(1);

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function out(text = '') {
  process.stdout.write(`${text}\n`);
}
