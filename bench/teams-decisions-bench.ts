import type { Client } from 'pg';
import { createTeamsAdapter } from '../bot/teams/adapter';
import { createTeamsRouter } from '../bot/teams/router';
import type { Clock } from '../server/domain/clock';
import type { Services } from '../server/domain/services';
import { cardAction, teamsMember } from '../test/support/teams/activities';
import type { Member } from '../test/support/teams/fake-connector';
import {
  benchDecisions,
  type ChatDecisionData,
  type DecisionOptions,
  type DecisionResults,
} from './chat-decisions';
import { serveChat } from './chat-server';

/**
 * Decisions as Teams sends them: `adaptiveCard/action` invokes over HTTP to /api/messages,
 * through the real CloudAdapter and chat layer, next to the floor (chat-decisions.ts).
 */

/** The bot as deployed without an app id: /api/messages on the server's app. */
export async function startBot(services: Services, clock: Clock) {
  const adapter = createTeamsAdapter({ microsoftAppType: 'MultiTenant' });
  return serveChat(services, clock, (chat, logger) => [
    '/api/messages',
    createTeamsRouter({ adapter, chat, logger, authenticated: false }),
  ]);
}

/** What botbuilder would store as the conversation reference of a member's personal chat. */
export function referenceOf(member: Member, serviceUrl: string): Record<string, unknown> {
  const activity = cardAction(member, serviceUrl, 'refresh', {});
  return JSON.parse(
    JSON.stringify({
      activityId: activity.id,
      user: activity.from,
      bot: activity.recipient,
      conversation: activity.conversation,
      channelId: activity.channelId,
      locale: activity.locale,
      serviceUrl: activity.serviceUrl,
    }),
  ) as Record<string, unknown>;
}

/** A Teams member already known to Accessbot, as after their first message to the bot. */
export async function knownMember(
  services: Services,
  serviceUrl: string,
  name: string,
  email: string,
): Promise<Member> {
  const member = teamsMember(name, email);
  await services.directory.resolvePlatformUser({
    platform: 'teams',
    tenantId: member.tenantId,
    platformUserId: member.aadObjectId,
    email,
    displayName: name,
    conversationReference: referenceOf(member, serviceUrl),
  });
  return member;
}

export async function benchTeamsDecisions(args: {
  services: Services;
  clock: Clock;
  db: Client;
  dbUrl: string;
  connectorUrl: string;
  approver: { id: string; email: string; displayName: string };
  data: ChatDecisionData;
  options: DecisionOptions;
}): Promise<DecisionResults> {
  const member = await knownMember(
    args.services,
    args.connectorUrl,
    args.approver.displayName,
    args.approver.email,
  );
  const bot = await startBot(args.services, args.clock);
  // The load generator's own work (building and serialising each activity) is done ahead.
  const activities = new Map(
    args.data.botRequestIds.map((requestId) => [
      requestId,
      Buffer.from(JSON.stringify(cardAction(member, args.connectorUrl, 'approve', { requestId }))),
    ]),
  );
  try {
    return await benchDecisions({
      ...args,
      channel: 'teams',
      bot: { kind: 'teams', url: bot.url, activities },
    });
  } finally {
    await bot.close();
  }
}
