import type { SlackRefusal } from './call';

// What an admin reads on a failed role: Slack's refusal in words, and what would fix it.

/** Refusals that mean the same for every Slack connector: the app's token or scopes. */
export function explainAppRefusal(r: SlackRefusal): string {
  switch (r.code) {
    case 'missing_scope':
      return (
        `Accessbot's Slack app lacks the ${r.needed ?? 'needed'} scope for ${r.method}: ` +
        'add it under OAuth & Permissions and reinstall the app.'
      );
    case 'not_authed':
    case 'invalid_auth':
    case 'account_inactive':
    case 'token_revoked':
    case 'token_expired':
      return `Slack does not accept Accessbot's bot token (${r.code}): check SLACK_BOT_TOKEN.`;
    case 'ekm_access_denied':
      return 'Slack administrators have suspended changes by apps (ekm_access_denied).';
    default:
      return `Slack refused ${r.method} (${r.code}).`;
  }
}

export function explainChannelRefusal(r: SlackRefusal, channel: string, email: string): string {
  switch (r.code) {
    case 'channel_not_found':
      return `Slack channel ${channel} does not exist, or it is private and Accessbot is not in it.`;
    case 'is_archived':
      return `Slack channel ${channel} is archived: unarchive it, or take it out of the package.`;
    case 'not_in_channel':
      return (
        `Accessbot is not a member of Slack channel ${channel}: add the app to the channel ` +
        '(channel details → Integrations → Add apps).'
      );
    case 'method_not_supported_for_channel_type':
      return `Slack conversation ${channel} is not a channel; only public and private channels can be granted.`;
    case 'cant_invite_self':
    case 'cant_kick_self':
      return `The Slack account of ${email} is Accessbot's own; it cannot be invited to or removed from ${channel}.`;
    case 'cant_invite':
    case 'user_is_restricted':
    case 'user_is_ultra_restricted':
      return `Slack does not let ${email} be invited to channel ${channel} (${r.code}: a guest account, or a channel that allows no invitations).`;
    case 'ura_max_channels':
      return `${email} is a single-channel guest in Slack and already in a channel; Slack allows no more.`;
    case 'cant_kick_from_general':
      return `Slack does not let anyone be removed from the workspace's general channel (${channel}).`;
    case 'restricted_action':
    case 'no_permission':
      return (
        `A Slack workspace setting stops Accessbot from changing who is in channel ${channel} ` +
        `(${r.code}): a workspace admin can allow it under Settings & permissions.`
      );
    case 'user_not_found':
      return `Slack does not know the account it gave for ${email}; it may have been deactivated.`;
    default:
      return explainAppRefusal(r);
  }
}

export function explainUserGroupRefusal(r: SlackRefusal, group: string, email: string): string {
  switch (r.code) {
    case 'no_such_subteam':
    case 'subteam_not_found':
      return `Slack user group ${group} does not exist (or is disabled).`;
    case 'plan_upgrade_required':
      return "This Slack workspace's plan has no user groups.";
    case 'permission_denied':
      return (
        `Slack's workspace settings do not let Accessbot change user group ${group}: allow ` +
        'everyone to modify user groups (Settings & permissions → Permissions → User Groups).'
      );
    case 'invalid_user':
    case 'invalid_users':
    case 'single_channel_guests_cannot_be_added':
    case 'failed_for_some_users':
      return `Slack does not let ${email} be in user group ${group} (${r.code}): guests, bots and people of other workspaces cannot be members.`;
    default:
      return explainAppRefusal(r);
  }
}
