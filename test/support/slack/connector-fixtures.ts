import type { ResourceType } from '../../../db/entities';
import { slackConnectors } from '../../../server/connectors/slack';
import type { WithLock } from '../../../server/connectors/lock';
import type { ProvisioningTarget } from '../../../server/domain/ports';
import type { FakeSlack, SlackPerson } from './fake-slack';

/** Slack connectors on the fake, with the waits they would make recorded instead of made. */
export function connectorsOn(
  slack: FakeSlack,
  o: { withLock?: WithLock; now?: () => number; timeoutMs?: number } = {},
) {
  const slept: number[] = [];
  const connectors = slackConnectors({
    slackBotToken: 'xoxb-test',
    slackApiUrl: `${slack.url}/api`,
    withLock: o.withLock ?? ((_key, fn) => fn()),
    timeoutMs: o.timeoutMs,
    retry: { sleep: async (ms) => void slept.push(ms) },
    now: o.now,
  });
  return { ...connectors, slept };
}

export const person = (id: string, name: string): SlackPerson => ({
  id,
  teamId: 'T1',
  name,
  email: `${name.toLowerCase()}@woodgrove.example`,
  emailConfirmed: true,
});

export const target = (
  type: ResourceType,
  originId: string,
  email: string,
): ProvisioningTarget => ({
  user: { id: `u-${email}`, email },
  resource: { id: `r-${originId}`, type, originId, attributes: {} },
  role: { id: `role-${originId}`, name: 'member' },
  actionId: `f-${originId}.0`,
});
