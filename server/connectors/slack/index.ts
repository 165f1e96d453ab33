import type { Logger } from 'pino';
import type { Provisioner } from '../../domain/ports';
import type { WithLock } from '../lock';
import type { RetryOptions } from '../retry';
import { slackCall } from './call';
import { SlackChannelConnector } from './channel';
import { SlackUserGroupConnector } from './user-group';
import { SlackUsers } from './users';
import { slackWebClient } from './web-client';

export interface SlackConnectorOptions {
  slackBotToken: string;
  slackApiUrl?: string;
  withLock: WithLock;
  /** Per request. */
  timeoutMs?: number;
  retry?: RetryOptions;
  now?: () => number;
  logger?: Logger;
}

/** The Slack connectors, sharing one client and one cache of user ids. */
export function slackConnectors(o: SlackConnectorOptions): {
  slackChannel: Provisioner;
  slackUserGroup: Provisioner;
} {
  const client = slackWebClient({ ...o, timeoutMs: o.timeoutMs ?? 10_000 });
  const call = slackCall(client, o.retry);
  const users = new SlackUsers(call, { now: o.now });
  return {
    slackChannel: new SlackChannelConnector(call, users),
    slackUserGroup: new SlackUserGroupConnector({ call, users, withLock: o.withLock }),
  };
}
