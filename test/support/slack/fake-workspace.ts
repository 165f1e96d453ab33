import type { SlackPerson } from './fake-slack';

export interface SlackChannel {
  members: Set<string>;
  archived?: boolean;
  /** The workspace's #general, whose members cannot be removed. */
  general?: boolean;
}

/** The bot's own user id, as auth.test gives it. */
export const BOT_USER_ID = 'UBOT';

/**
 * The people, channels and user groups of the fake's workspace: users.info and lookups by
 * email, and for the Slack connectors invites, kicks and whole-list user group updates,
 * answered with Slack's error codes.
 */
export class FakeSlackWorkspace {
  readonly channels = new Map<string, SlackChannel>();
  /** Member ids by user group id. */
  readonly userGroups = new Map<string, string[]>();

  constructor(private readonly people: Map<string, SlackPerson>) {}

  answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'users.info': {
        const p = this.people.get(String(body.user));
        if (!p) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: p.id,
            team_id: p.teamId,
            name: p.name,
            real_name: p.name,
            is_email_confirmed: p.emailConfirmed,
            profile: { email: p.email, display_name: p.name },
          },
        };
      }
      case 'users.lookupByEmail': {
        const email = String(body.email).toLowerCase();
        const p = [...this.people.values()].find((x) => x.email.toLowerCase() === email);
        if (!p) return { ok: false, error: 'users_not_found' };
        return {
          ok: true,
          user: { id: p.id, team_id: p.teamId, name: p.name, profile: { email: p.email } },
        };
      }
      case 'conversations.invite':
        return this.invite(String(body.channel), String(body.users ?? ''));
      case 'conversations.kick':
        return this.kick(String(body.channel), String(body.user ?? ''));
      case 'usergroups.users.list': {
        const users = this.userGroups.get(String(body.usergroup));
        return users ? { ok: true, users: [...users] } : { ok: false, error: 'no_such_subteam' };
      }
      default:
        return this.updateUserGroup(String(body.usergroup), String(body.users ?? ''));
    }
  }

  private invite(id: string, users: string) {
    const channel = this.channels.get(id);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (channel.archived) return { ok: false, error: 'is_archived' };
    if (!channel.members.has(BOT_USER_ID)) return { ok: false, error: 'not_in_channel' };
    const ids = users.split(',').filter(Boolean);
    if (ids.length === 0) return { ok: false, error: 'no_user' };
    for (const user of ids) {
      if (user === BOT_USER_ID) return { ok: false, error: 'cant_invite_self' };
      if (!this.people.has(user)) return { ok: false, error: 'user_not_found' };
      if (channel.members.has(user)) {
        const errors = [{ user, ok: false, error: 'already_in_channel' }];
        return { ok: false, error: 'already_in_channel', errors };
      }
    }
    for (const user of ids) channel.members.add(user);
    return { ok: true, channel: { id, is_channel: true, is_member: true } };
  }

  private kick(id: string, user: string) {
    const channel = this.channels.get(id);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (user === BOT_USER_ID) return { ok: false, error: 'cant_kick_self' };
    if (channel.general) return { ok: false, error: 'cant_kick_from_general' };
    if (!this.people.has(user)) return { ok: false, error: 'user_not_found' };
    if (!channel.members.delete(user)) return { ok: false, error: 'not_in_channel' };
    return { ok: true };
  }

  private updateUserGroup(id: string, users: string) {
    if (!this.userGroups.has(id)) return { ok: false, error: 'no_such_subteam' };
    const ids = users.split(',').filter(Boolean);
    // Slack will not empty a group: it wants usergroups.disable for that.
    if (ids.length === 0) return { ok: false, error: 'no_users_provided' };
    if (ids.some((u) => !this.people.has(u))) return { ok: false, error: 'invalid_users' };
    this.userGroups.set(id, [...new Set(ids)]);
    return { ok: true, usergroup: { id, users: ids, user_count: ids.length } };
  }
}
