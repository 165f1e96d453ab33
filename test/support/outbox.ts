import pino from 'pino';
import type { CardReply } from '../../cards/reply';
import type { Platform } from '../../db/entities';
import { Dispatcher } from '../../bot/core/dispatcher';
import { deliveryRenderer } from '../../bot/core/render-delivery';
import type { ChatTransport, PlatformCard } from '../../bot/core/transport';
import type { Harness } from './domain';

/** What one platform adds to the outbox: how it sends, and how it renders a card (and a Home). */
export interface OutboxPlatform {
  transport: ChatTransport;
  render(reply: CardReply): PlatformCard;
  home?(cards: CardReply[]): PlatformCard;
}

/**
 * The outbox dispatcher over the platforms given, driven by the test: `deliver` runs it until
 * nothing is due, and waiting for a rate limit moves the test's clock instead of real time.
 */
export function testOutbox(h: Harness, platforms: Partial<Record<Platform, OutboxPlatform>>) {
  const entries = Object.entries(platforms) as Array<[Platform, OutboxPlatform]>;
  const dispatcher = new Dispatcher({
    deliveries: h.services.deliveries,
    transports: Object.fromEntries(entries.map(([p, o]) => [p, o.transport])),
    render: deliveryRenderer(
      h.services,
      h.clock,
      Object.fromEntries(entries.map(([p, o]) => [p, o.render])),
      Object.fromEntries(entries.flatMap(([p, o]) => (o.home ? [[p, o.home]] : []))),
    ),
    clock: h.clock,
    logger: pino({ level: 'silent' }),
    sleep: async (ms) => h.clock.advance(ms),
    random: () => 0.5,
  });
  return {
    dispatcher,
    deliver: async () => {
      while ((await dispatcher.runOnce()) > 0);
    },
  };
}
