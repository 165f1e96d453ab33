import type { Logger } from 'pino';
import type { Platform } from '../../db/entities';
import type { Clock } from '../../server/domain/clock';
import type { ClaimedDelivery, DeliveryService } from '../../server/domain/deliveries';
import { inQueues } from '../../server/work/queues';
import { RateLimiter, type Limit } from './rate-limiter';
import { DeliveryError, type ChatTransport, type PlatformCard } from './transport';

/** A card rendered from the current state of its subject, and that state's version. */
export interface Rendered {
  card: PlatformCard;
  version: number;
}

export interface DispatcherOptions {
  deliveries: DeliveryService;
  transports: Partial<Record<Platform, ChatTransport>>;
  /** Null when there is nothing to show any more (the subject is gone). */
  render(delivery: ClaimedDelivery): Promise<Rendered | null>;
  clock: Clock;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  batch?: number;
  leaseMs?: number;
  maxAttempts?: number;
  concurrency?: number;
}

const BASE_DELAY_MS = 1_000;

/** Where a send lands: a posted card's conversation, or the person's chat for a new post. */
const conversationOf = (d: ClaimedDelivery) => `${d.platform}:${d.conversationId ?? d.identityId}`;
const MAX_DELAY_MS = 5 * 60_000;

const limitsOf = (d: ClaimedDelivery, limits: ChatTransport['limits']) => [
  { key: `conversation:${conversationOf(d)}`, limits: limits.conversation },
  { key: `tenant:${d.platform}:${d.tenantId}`, limits: limits.tenant },
];

// A Home has its own budget at the platform (its own method and tier), per person and per
// workspace.
const homeLimitsOf = (d: ClaimedDelivery, limits: { user: Limit[]; tenant: Limit[] }) => [
  { key: `home:${d.platform}:${d.identityId}`, limits: limits.user },
  { key: `home-tenant:${d.platform}:${d.tenantId}`, limits: limits.tenant },
];

/**
 * Sends what the outbox holds: expands events into sends, claims a batch under a lease, renders
 * each card from the database as it is now, keeps to the platform's limits, and records the
 * outcome. Any number of dispatchers may run against one database; a send is claimed by one.
 * Sends to one conversation go in order; different conversations go side by side.
 */
export class Dispatcher {
  readonly name = 'chat dispatcher';
  private readonly limiter: RateLimiter;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly o: DispatcherOptions) {
    this.limiter = new RateLimiter(o.clock);
    this.sleep = o.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = o.random ?? Math.random;
  }

  /** One pass: returns how many sends it claimed (0: nothing was due). */
  async runOnce(): Promise<number> {
    while ((await this.o.deliveries.expandEvents()) > 0);
    const claimed = await this.o.deliveries.claim(this.o.batch ?? 100, this.o.leaseMs ?? 60_000);
    await inQueues(claimed, conversationOf, this.o.concurrency ?? 8, async (queue) => {
      for (const d of queue) await this.deliver(d);
    });
    return claimed.length;
  }

  private async deliver(d: ClaimedDelivery): Promise<void> {
    const log = this.o.logger.child({ delivery: d.id, platform: d.platform, card: d.card });
    const transport = this.o.transports[d.platform];
    if (!transport) {
      await this.o.deliveries.failed(d, `No ${d.platform} adapter is configured.`);
      return;
    }
    try {
      const rendered = await this.o.render(d);
      if (!rendered || (d.action === 'update' && (d.shownVersion ?? 0) >= rendered.version)) {
        await this.o.deliveries.skipped(d);
        return;
      }
      if (d.action === 'publish') {
        if (!transport.home) throw new DeliveryError(`${d.platform} has no Home.`, false);
        await this.withinLimits(homeLimitsOf(d, transport.home.limits));
        await transport.home.publish(d, rendered.card);
        await this.o.deliveries.published(d);
        return;
      }
      await this.withinLimits(limitsOf(d, transport.limits));
      if (d.action === 'post') {
        const message = await transport.post(d, rendered.card);
        await this.o.deliveries.posted(d, { ...message, version: rendered.version });
      } else {
        await transport.update(d, rendered.card);
        await this.o.deliveries.updated(d, rendered.version);
      }
    } catch (err) {
      await this.failed(d, err, log);
    }
  }

  private async withinLimits(keys: Array<{ key: string; limits: Limit[] }>) {
    for (let wait = this.limiter.delay(keys); wait > 0; wait = this.limiter.delay(keys)) {
      await this.sleep(wait);
    }
    this.limiter.record(keys.map((k) => k.key));
  }

  private async failed(d: ClaimedDelivery, err: unknown, log: Logger) {
    const error = err instanceof Error ? err.message : String(err);
    // Anything but a refusal the platform says is final is worth another try: a database
    // hiccup while rendering, a reset connection.
    const retryable = !(err instanceof DeliveryError) || err.retryable;
    if (!retryable || d.attempts >= (this.o.maxAttempts ?? 10)) {
      log.warn({ error, attempts: d.attempts }, 'chat delivery failed for good');
      await this.o.deliveries.failed(d, error);
      return;
    }
    // Full jitter, so that replicas retrying a shared limit spread out; never sooner than the
    // platform asked.
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (d.attempts - 1));
    const backoff = Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
    const asked = err instanceof DeliveryError ? (err.retryAfterMs ?? 0) : 0;
    log.info(
      { error, attempts: d.attempts, delayMs: Math.max(asked, backoff) },
      'chat delivery will be retried',
    );
    await this.o.deliveries.retryLater(d, error, Math.max(asked, backoff));
  }
}
