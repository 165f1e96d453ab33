import type { Clock } from '../../server/domain/clock';

/** At most `max` sends in any `windowMs`. */
export interface Limit {
  max: number;
  windowMs: number;
}

/** Teams' limits per bot per conversation, and per app per tenant (PLATFORM.md). */
export const TEAMS_LIMITS = {
  conversation: [
    { max: 7, windowMs: 1_000 },
    { max: 8, windowMs: 2_000 },
    { max: 60, windowMs: 30_000 },
    { max: 1_800, windowMs: 3_600_000 },
  ],
  tenant: [{ max: 30, windowMs: 1_000 }],
} satisfies Record<string, Limit[]>;

/**
 * Slack (PLATFORM.md): `chat.postMessage` about one message per second per channel, and
 * Web API methods limited per workspace by tier (chat.update is tier 3, 50+ a minute with
 * bursts); beyond that Slack answers 429 with Retry-After, which the dispatcher honours.
 */
export const SLACK_LIMITS = {
  conversation: [{ max: 1, windowMs: 1_000 }],
  tenant: [{ max: 20, windowMs: 1_000 }],
} satisfies Record<string, Limit[]>;

/**
 * Slack's `views.publish` (App Home) is Tier 4 (100+ a minute per workspace) with its own
 * budget; one publish a second per person is plenty, since waiting changes fold into one.
 */
export const SLACK_HOME_LIMITS = {
  user: [{ max: 1, windowMs: 1_000 }],
  tenant: [{ max: 100, windowMs: 60_000 }],
} satisfies Record<string, Limit[]>;

/**
 * What a sender keeps to. A send is counted when it leaves and the platform counts it when it
 * arrives: sends that leave within a window of `windowMs + jitterMs` arrive within the
 * platform's `windowMs` whenever network delays differ by less than `jitterMs`. So the window
 * is widened rather than the count cut, which keeps whole bursts (a 60-approver fan-out) fast.
 */
export function withHeadroom<K extends string>(limits: Record<K, Limit[]>, jitterMs = 150) {
  const widened = {} as Record<K, Limit[]>;
  for (const key of Object.keys(limits) as K[]) {
    widened[key] = limits[key].map((l) => ({ ...l, windowMs: l.windowMs + jitterMs }));
  }
  return widened;
}

/**
 * Sliding windows per key (a conversation, a tenant). `delay` says how long to wait before a
 * send under all the given keys would stay within every limit; `record` counts a send. Kept in
 * process: each replica keeps to the limits itself, and a 429 from the platform (with its
 * Retry-After) covers what several replicas together exceed.
 */
export class RateLimiter {
  private readonly sent = new Map<string, number[]>();

  constructor(private readonly clock: Clock) {}

  delay(keys: Array<{ key: string; limits: Limit[] }>): number {
    const now = this.clock.now().getTime();
    let wait = 0;
    for (const { key, limits } of keys) {
      const times = this.sent.get(key) ?? [];
      for (const { max, windowMs } of limits) {
        const inWindow = times.filter((t) => t > now - windowMs);
        // The oldest send still counted must leave the window first.
        if (inWindow.length >= max) {
          wait = Math.max(wait, inWindow[inWindow.length - max] + windowMs - now);
        }
      }
    }
    return wait;
  }

  record(keys: string[]): void {
    const now = this.clock.now().getTime();
    for (const key of keys) {
      // Nothing older than the longest window matters.
      const times = (this.sent.get(key) ?? []).filter((t) => t > now - 3_600_000);
      times.push(now);
      this.sent.set(key, times);
    }
  }
}
