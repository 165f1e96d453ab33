import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { SlackDeps } from './deps';

/**
 * Slack delivers an Events API event again (X-Slack-Retry-Num over HTTP, retry_attempt over
 * a socket) when our 200 was late, and the retry may reach another replica. Bolt has acked
 * events before global middleware runs, so a repeat is acknowledged and then goes no further.
 * Commands and clicks carry no event id and are never retried; they pass straight through.
 */
export function oncePerEvent({ events, logger }: SlackDeps): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !(await events.firstDelivery('slack', eventId))) {
      logger.info(
        { eventId, retryNum: context.retryNum, retryReason: context.retryReason },
        'Slack event delivered again: already handled',
      );
      return;
    }
    await next();
  };
}
