import type { CardName } from './render-teams';

/** A card to show: which template, and the data its builder made. Platform-neutral. */
export interface CardReply<D = unknown> {
  card: CardName;
  data: D;
}
