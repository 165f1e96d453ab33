import type { Provisioner, ProvisioningTarget } from '../../domain/ports';
import type { WithLock } from '../lock';
import { SlackRefusal, type SlackCall } from './call';
import { explainUserGroupRefusal } from './refusals';
import type { SlackUsers } from './users';

export interface SlackUserGroupDeps {
  call: SlackCall;
  users: SlackUsers;
  /** Across processes: Slack only replaces a group's whole member list. */
  withLock: WithLock;
}

/**
 * `slackUserGroup` resources (originId: the user group id, S…). Slack has no call to add or
 * remove one member: each change reads the members and writes the whole list back, under a
 * lock per group, or two grants at once could each write a list without the other's person.
 * Nothing is written when the person already is (or is not) a member.
 */
export class SlackUserGroupConnector implements Provisioner {
  constructor(private readonly d: SlackUserGroupDeps) {}

  grant(t: ProvisioningTarget) {
    return this.change(t, (members, user) => (members.includes(user) ? null : [...members, user]));
  }

  revoke(t: ProvisioningTarget) {
    return this.change(t, (members, user) => {
      if (!members.includes(user)) return null;
      const rest = members.filter((m) => m !== user);
      // Slack refuses an empty list; disabling the group instead would take its @handle and
      // default channels from everyone, which no single revocation should decide.
      if (rest.length === 0) {
        throw new Error(
          `${t.user.email} is the last member of Slack user group ${t.resource.originId}, ` +
            'and Slack does not let a user group be emptied: add another member, or disable ' +
            'the group in Slack.',
        );
      }
      return rest;
    });
  }

  /** `next` gives the new member list, or null when there is nothing to change. */
  private async change(
    t: ProvisioningTarget,
    next: (members: string[], user: string) => string[] | null,
  ): Promise<void> {
    const usergroup = t.resource.originId;
    try {
      const user = await this.d.users.idOf(t.user.email);
      await this.d.withLock(`slackUserGroup:${usergroup}`, async () => {
        const listed = await this.d.call('usergroups.users.list', { usergroup });
        const members = Array.isArray(listed.users) ? listed.users.map(String) : [];
        const users = next(members, user);
        if (users) {
          await this.d.call('usergroups.users.update', { usergroup, users: users.join(',') });
        }
      });
    } catch (err) {
      if (!(err instanceof SlackRefusal)) throw err;
      throw new Error(explainUserGroupRefusal(err, usergroup, t.user.email), { cause: err });
    }
  }
}
