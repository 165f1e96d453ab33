import type { Platform } from '../../db/entities';
import type { ClaimedDelivery } from '../../server/domain/deliveries';
import type { Limit } from './rate-limiter';

/** A card ready for one platform (an Adaptive Card, or Block Kit blocks). */
export type PlatformCard = Record<string, unknown>;

/**
 * What a platform adapter does for the dispatcher, and nothing more: post a card to a person,
 * replace a posted one, and where the platform has one, publish a person's Home. Each call
 * either resolves or throws a DeliveryError.
 */
export interface ChatTransport {
  readonly platform: Platform;
  readonly limits: { conversation: Limit[]; tenant: Limit[] };
  post(
    to: ClaimedDelivery,
    card: PlatformCard,
  ): Promise<{ conversationId: string; messageId: string }>;
  update(to: ClaimedDelivery, card: PlatformCard): Promise<void>;
  /** Platforms with a per-person Home (Slack's App Home): replaces it whole. */
  readonly home?: {
    readonly limits: { user: Limit[]; tenant: Limit[] };
    publish(to: ClaimedDelivery, view: PlatformCard): Promise<void>;
  };
}

/**
 * Why a send failed, as the dispatcher needs to know it: retry (after the platform's
 * Retry-After, when it gave one) or give up.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** HTTP statuses worth retrying: limits, and the gateway errors Teams documents. */
export const RETRYABLE_STATUS = new Set([408, 412, 429, 500, 502, 503, 504]);
