import { TeamsInfo, TurnContext, type Activity } from 'botbuilder';
import type { ChatTurn } from '../core/chat';

/** The tenant an activity comes from: Teams puts it on the conversation and in channelData. */
export function tenantOf(activity: Activity): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  return activity.conversation?.tenantId ?? channelData?.tenant?.id;
}

/**
 * The person behind a Teams activity: their Entra object id in their tenant (the id Teams
 * authenticated), never a name or an email sent in the payload. The email comes from the
 * Bot Connector's member lookup, and only for someone not seen before.
 */
export function chatTurnOf(turn: TurnContext): ChatTurn {
  const { activity } = turn;
  const aadObjectId = activity.from?.aadObjectId;
  const tenantId = tenantOf(activity);
  if (!aadObjectId || !tenantId) throw new UnidentifiedUser();
  const reference = TurnContext.getConversationReference(activity);
  const replyTo = activity.replyToId;
  return {
    user: {
      platform: 'teams',
      tenantId,
      platformUserId: aadObjectId,
      conversationReference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
      profile: async () => {
        const member = await TeamsInfo.getMember(turn, activity.from.id);
        return {
          email: member.email ?? member.userPrincipalName ?? '',
          displayName: member.name ?? activity.from.name ?? '',
        };
      },
    },
    ...(replyTo && activity.conversation?.id
      ? { clicked: { conversationId: activity.conversation.id, messageId: replyTo } }
      : {}),
  };
}

/** An activity without an Entra user or tenant: not someone the bot can act for. */
export class UnidentifiedUser extends Error {
  constructor() {
    super('The activity names no Entra user and tenant.');
    this.name = 'UnidentifiedUser';
  }
}
