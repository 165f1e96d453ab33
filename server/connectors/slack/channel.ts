import type { Provisioner, ProvisioningTarget } from '../../domain/ports';
import { SlackRefusal, type SlackCall } from './call';
import { explainChannelRefusal } from './refusals';
import type { SlackUsers } from './users';

/**
 * `slackChannel` resources (originId: the channel id): grant invites the person, revoke
 * removes them. Accessbot must be a member of a private channel, and of a public one to
 * invite. Inviting a member or removing a non-member succeeds, so retries are harmless.
 */
export class SlackChannelConnector implements Provisioner {
  constructor(
    private readonly call: SlackCall,
    private readonly users: SlackUsers,
  ) {}

  grant(t: ProvisioningTarget) {
    return this.change(
      t,
      async (channel, user) => {
        await this.call('conversations.invite', { channel, users: user });
      },
      'already_in_channel',
    );
  }

  revoke(t: ProvisioningTarget) {
    return this.change(
      t,
      async (channel, user) => {
        await this.call('conversations.kick', { channel, user });
      },
      'not_in_channel',
    );
  }

  private async change(
    t: ProvisioningTarget,
    act: (channel: string, user: string) => Promise<void>,
    alreadyDone: string,
  ): Promise<void> {
    const channel = t.resource.originId;
    try {
      await act(channel, await this.users.idOf(t.user.email));
    } catch (err) {
      if (!(err instanceof SlackRefusal)) throw err;
      if (err.method.startsWith('conversations.') && err.code === alreadyDone) return;
      throw new Error(explainChannelRefusal(err, channel, t.user.email), { cause: err });
    }
  }
}
