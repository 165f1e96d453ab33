import type { Logger } from 'pino';
import type { InboundEvents } from '../../../server/domain/inbound-events';
import type { Chat } from '../../core/chat';

/** What every Slack listener may use, whatever carries Slack's requests (HTTP or a socket). */
export interface SlackDeps {
  chat: Chat;
  /** Remembers event ids, so that an event Slack delivers again is acted on once. */
  events: Pick<InboundEvents, 'firstDelivery'>;
  logger: Logger;
}
