/** A refusal worth retrying soon: the other side is down, busy or slow. */
export class Transient extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface RetryOptions {
  /** Attempts per call before the fulfillment is marked failed (and retried on its schedule). */
  attempts?: number;
  /** Delay before retry n (1-based), unless the other side said when (Retry-After). */
  backoffMs?: (attempt: number) => number;
  /**
   * The longest wait between attempts. A Retry-After beyond it ends the call at once: the
   * fulfillment's own schedule retries later, and a worker's claim (5 min) is not outlived.
   */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** What a Retry-After header asks: delay-seconds or an HTTP date, as milliseconds from `now`. */
export function retryAfterMs(value: string | null | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Calls `fn` until it succeeds, throws something other than `Transient`, or attempts run out. */
export async function withRetries<T>(fn: () => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const attempts = o.attempts ?? 3;
  const maxDelayMs = o.maxDelayMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof Transient) || attempt >= attempts) throw err;
      if (err.retryAfterMs !== undefined && err.retryAfterMs > maxDelayMs) throw err;
      const backoff = (o.backoffMs ?? ((n) => 500 * 2 ** (n - 1)))(attempt);
      await (o.sleep ?? realSleep)(Math.min(err.retryAfterMs ?? backoff, maxDelayMs));
    }
  }
}
