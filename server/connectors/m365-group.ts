import type { Client } from '@microsoft/microsoft-graph-client';
import type { Provisioner, ProvisioningTarget } from '../domain/ports';
import { createGraphClient, type RetryLimits } from './graph/client';
import { GraphFailure, explain, statusOf } from './graph/errors';
import { AppSignIn, type AppCredentials } from './graph/sign-in';
import type { Transport } from './graph/transport';
import { UserIds } from './graph/users';

export interface M365GroupOptions {
  credentials: AppCredentials;
  /** With its version: https://graph.microsoft.com/v1.0 (or a national cloud's). */
  apiUrl: string;
  transport?: Partial<Transport>;
  retry?: Partial<RetryLimits>;
  /** How long a looked-up object id is reused. */
  userCacheMs?: number;
  now?: () => number;
}

const RELATIONS: Record<string, 'members' | 'owners'> = { member: 'members', owner: 'owners' };
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// What Graph says when adding a member or owner the group already has.
const ALREADY_THERE = 'One or more added object references already exist';

/**
 * Membership of Microsoft 365 (and security) groups through Microsoft Graph, as the app
 * itself: a resource's `originId` is the group's object id, its role `member` or `owner`.
 * Idempotent: adding someone already there, or removing someone not there, is success.
 */
export class M365GroupConnector implements Provisioner {
  private readonly client: Client;
  private readonly users: UserIds;
  private readonly timeoutMs: number;

  constructor(private readonly o: M365GroupOptions) {
    const transport: Transport = { timeoutMs: 10_000, ...o.transport };
    this.timeoutMs = transport.timeoutMs;
    this.client = createGraphClient(
      o.apiUrl,
      new AppSignIn(o.credentials, o.apiUrl, transport),
      transport,
      { maxRetries: 3, maxRetryAfterSeconds: 30, delaySeconds: 3, ...o.retry },
    );
    this.users = new UserIds(this.client, {
      ttlMs: o.userCacheMs ?? 10 * 60_000,
      maxEntries: 5_000,
      timeoutMs: transport.timeoutMs,
      now: o.now ?? Date.now,
    });
  }

  async grant(t: ProvisioningTarget): Promise<void> {
    const { group, relation } = this.parse(t);
    const userId = await this.users.idOf(t.user.email);
    if (!userId) {
      throw new GraphFailure(
        `There is no Microsoft 365 account with the email ${t.user.email}.`,
        false,
      );
    }
    const doing = `add ${t.user.email} as ${t.role.name} of group ${group}`;
    try {
      await this.client
        .api(`/groups/${group}/${relation}/$ref`)
        .post({ '@odata.id': `${this.o.apiUrl.replace(/\/+$/, '')}/directoryObjects/${userId}` });
    } catch (err) {
      if (statusOf(err) === 400 && (err as Error).message.includes(ALREADY_THERE)) return;
      if (statusOf(err) === 404) {
        throw new GraphFailure(
          `Microsoft Graph found no group ${group}, or no account for ${t.user.email}, trying to ${doing}.`,
          false,
        );
      }
      throw explain(err, doing, this.timeoutMs);
    }
  }

  async revoke(t: ProvisioningTarget): Promise<void> {
    const { group, relation } = this.parse(t);
    const userId = await this.users.idOf(t.user.email);
    // An account deleted since the grant is in no group.
    if (!userId) return;
    try {
      await this.client.api(`/groups/${group}/${relation}/${userId}/$ref`).delete();
    } catch (err) {
      // Not a member (or owner) any more, or the group is gone: either way they no longer are.
      if (statusOf(err) === 404) return;
      throw explain(
        err,
        `remove ${t.user.email} as ${t.role.name} of group ${group}`,
        this.timeoutMs,
      );
    }
  }

  private parse(t: ProvisioningTarget) {
    const relation = RELATIONS[t.role.name];
    if (!relation) {
      throw new GraphFailure(
        `A Microsoft 365 group has the roles member and owner, not "${t.role.name}".`,
        false,
      );
    }
    if (!OBJECT_ID.test(t.resource.originId)) {
      throw new GraphFailure(
        `Resource "${t.resource.originId}" needs the group's object id (a GUID) as its originId.`,
        false,
      );
    }
    return { group: t.resource.originId.toLowerCase(), relation };
  }
}
