import type { CardReply } from './reply';
import { renderSlack } from './render-slack';
import { fitBlocks } from './slack-limits';

type Json = Record<string, unknown>;

/** A Slack App Home view: the Home's cards one under another, divided, fitted to a Home. */
export function renderSlackHome(parts: CardReply[]): { type: 'home'; blocks: Json[] } {
  const blocks = parts.flatMap((part, i) => [
    ...(i > 0 ? [{ type: 'divider' }] : []),
    ...renderSlack(part, 'home').blocks,
  ]);
  return { type: 'home', blocks: fitBlocks(blocks, 'home') };
}
