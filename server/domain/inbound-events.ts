import type { DomainContext } from './context';

/**
 * How long a delivery id is remembered. Slack retries an event three times within about five
 * minutes; an hour leaves room for a slow retry while the table stays small.
 */
export const INBOUND_EVENT_MEMORY_MS = 60 * 60_000;

/**
 * Deliveries that a platform may repeat (Slack's Events API retries when it did not get a 200
 * in time). The first delivery of an id wins, across replicas, by the primary key: callers act
 * only when `firstDelivery` says so and still acknowledge the others.
 */
export class InboundEvents {
  constructor(private readonly ctx: DomainContext) {}

  async firstDelivery(source: string, eventId: string): Promise<boolean> {
    const now = this.ctx.clock.now();
    // Pruned in the same statement: no job to schedule, and the delete rides on the index.
    const inserted: unknown[] = await this.ctx.db.query(
      `WITH pruned AS (DELETE FROM inbound_events WHERE received_at < $4)
       INSERT INTO inbound_events (source, event_id, received_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [source, eventId, now, new Date(now.getTime() - INBOUND_EVENT_MEMORY_MS)],
    );
    return inserted.length === 1;
  }
}
