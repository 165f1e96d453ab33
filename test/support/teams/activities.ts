import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Member } from './fake-connector';

export const TENANT = 'tenant-woodgrove';
export const BOT = { id: '28:accessbot', name: 'Accessbot' };

/** A Teams user as the connector knows them (ids shaped as Teams shapes them). */
export function teamsMember(name: string, email: string): Member {
  const aadObjectId = randomUUID();
  return {
    id: `29:${aadObjectId}`,
    aadObjectId,
    name,
    email,
    userPrincipalName: email,
    tenantId: TENANT,
  };
}

function base(member: Member, serviceUrl: string): Partial<Activity> {
  return {
    id: `activity-in-${randomUUID()}`,
    timestamp: new Date(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: member.id, name: member.name, aadObjectId: member.aadObjectId },
    recipient: BOT,
    conversation: {
      id: `a:personal-${member.aadObjectId}`,
      conversationType: 'personal',
      tenantId: TENANT,
      isGroup: false,
      name: '',
    },
    channelData: { tenant: { id: TENANT } },
    locale: 'en-US',
  };
}

/** A message typed into the personal chat with the bot. */
export const message = (member: Member, serviceUrl: string, text: string) =>
  ({ ...base(member, serviceUrl), type: 'message', text }) as Activity;

/** A click on an Action.Execute button of the card `replyToId`, with the card's inputs. */
export const cardAction = (
  member: Member,
  serviceUrl: string,
  verb: string,
  data: Record<string, unknown>,
  replyToId?: string,
) =>
  ({
    ...base(member, serviceUrl),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    ...(replyToId && { replyToId }),
  }) as Activity;

/** The app installed in the user's personal scope. */
export const installed = (member: Member, serviceUrl: string) =>
  ({ ...base(member, serviceUrl), type: 'installationUpdate', action: 'add' }) as Activity;
