import type { webApi } from '@slack/bolt';
import type { ChatTurn } from '../core/chat';

/**
 * The person behind a Slack request: their user id in their workspace (what Slack signed for),
 * never a name or email from the payload. The email is asked of `users.info` only for someone
 * not seen before, and only a verified one counts. `clicked`: the message whose button this is.
 */
export function slackTurn(
  teamId: string,
  userId: string,
  client: webApi.WebClient,
  clicked?: ChatTurn['clicked'],
): ChatTurn {
  return {
    clicked,
    user: {
      platform: 'slack',
      tenantId: teamId,
      platformUserId: userId,
      profile: async () => {
        const user = await infoOf(client, userId);
        const verified = user?.is_email_confirmed === true;
        return {
          email: verified ? (user?.profile?.email ?? '') : '',
          displayName: user?.profile?.display_name || user?.real_name || user?.name || '',
        };
      },
    },
  };
}

async function infoOf(client: webApi.WebClient, userId: string) {
  try {
    return (await client.users.info({ user: userId })).user;
  } catch (err) {
    // Someone Slack does not know (any more) is someone we cannot identify, not a fault.
    if ((err as { data?: { error?: string } }).data?.error === 'user_not_found') return undefined;
    throw err;
  }
}
