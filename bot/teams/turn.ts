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
  // Without the activity id: it changes with every message, and storing it would turn every
  // click into a write. Proactive sends need only the conversation and the service url.
  const { activityId: _activityId, ...reference } = TurnContext.getConversationReference(activity);
  const replyTo = activity.replyToId;
  return {
    user: {
      platform: 'teams',
      tenantId,
      platformUserId: aadObjectId,
      // Only the personal chat is where cards for this person go; a channel is everyone's.
      ...(activity.conversation?.conversationType === 'personal' && {
        conversationReference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
      }),
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

const ENTITIES: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
};

interface Mention {
  type: string;
  mentioned?: { id?: string; name?: string };
  text?: string;
}

/**
 * The command a Teams message carries. In a channel the bot's own mention leads it, and people
 * are mentioned as <at>Name</at> with the Teams id in the entities: the bot's mention goes,
 * people become <@entra-object-id|Name> for the grammar, and HTML entities are decoded.
 */
export async function commandText(turn: TurnContext): Promise<string> {
  const { activity } = turn;
  let text = activity.text ?? '';
  for (const entity of (activity.entities ?? []) as Mention[]) {
    if (entity.type !== 'mention' || !entity.text || !entity.mentioned?.id) continue;
    if (entity.mentioned.id === activity.recipient?.id) {
      text = text.replace(entity.text, ' ');
      continue;
    }
    const member = await TeamsInfo.getMember(turn, entity.mentioned.id).catch(() => null);
    const name = (entity.mentioned.name ?? '').replace(/[|>]/g, ' ');
    text = text.replace(
      entity.text,
      member?.aadObjectId ? `<@${member.aadObjectId}|${name}>` : name,
    );
  }
  return text
    .replace(/<\/?at>/g, '')
    .replace(/&(nbsp|amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e])
    .trim();
}
