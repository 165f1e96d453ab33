import type { Logger } from 'pino';
import { messageCard } from '../../cards/builders/message';
import { replies } from '../../cards/builders/replies';
import { DomainError } from '../../server/domain/errors';
import type { ChatReply } from './chat';

/**
 * The one mapping from failures to replies, for every platform. Domain errors carry a
 * sentence written for the person who caused them; anything else is a bug: logged, and
 * answered without details.
 */
export function replyToError(err: unknown, logger: Logger): ChatReply {
  if (err instanceof DomainError) {
    const tone = err.code === 'invalid' || err.code === 'alreadyDecided' ? 'warning' : 'error';
    return messageCard(err.message, { tone });
  }
  logger.error({ err }, 'chat handler failed');
  return replies.internalError();
}
