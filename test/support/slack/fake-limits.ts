import { SLACK_LIMITS, type Limit } from '../../../bot/core/rate-limiter';

/**
 * Slack's limits as the dispatcher knows them (SLACK_LIMITS): every chat.* call per workspace,
 * chat.postMessage also per channel. A call beyond them gets a 429 with Retry-After in whole
 * seconds, and is counted.
 */
export class FakeSlackLimits {
  /** Calls answered 429. */
  rateLimited = 0;
  private readonly sent = new Map<string, number[]>();

  constructor(private readonly limits = SLACK_LIMITS) {}

  /** The 429 this call gets, or nothing (and it is counted against the limits). */
  check(method: string, channel: string): { status: number; retryAfter: number } | undefined {
    if (!method.startsWith('chat.')) return undefined;
    const now = Date.now();
    const keys: Array<[string, Limit[]]> = [['workspace', this.limits.tenant]];
    if (method === 'chat.postMessage') keys.push([`channel:${channel}`, this.limits.conversation]);
    for (const [key, limits] of keys) {
      const times = this.sent.get(key) ?? [];
      for (const { max, windowMs } of limits) {
        const recent = times.filter((t) => t > now - windowMs);
        if (recent.length >= max) {
          this.rateLimited += 1;
          return { status: 429, retryAfter: Math.ceil((recent[0] + windowMs - now) / 1000) };
        }
      }
    }
    for (const [key] of keys) {
      const kept = (this.sent.get(key) ?? []).filter((t) => t > now - 3_600_000);
      this.sent.set(key, [...kept, now]);
    }
    return undefined;
  }
}
