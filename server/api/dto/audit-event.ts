import { z } from 'zod';
import type { AuditEvent } from '../../../db/entities';
import { CHANNELS, type Channel } from '../../domain/actor';
import { iso } from './dates';
import { dateTime, listOf, named, uuid } from './schemas';

export const auditEventJson = named(
  'AuditEvent',
  z
    .object({
      id: z.string().regex(/^\d+$/).describe('A bigint, as a string; later events have larger ids'),
      at: dateTime,
      actorId: uuid.nullable().describe('The user who acted, or on whose behalf a token acted'),
      actorLabel: z.string().describe("An email, or 'system', 'scheduler', 'api:<token name>'"),
      channel: z.enum(CHANNELS),
      apiToken: z.string().nullable().describe('The name of the admin API token used, if any'),
      onBehalfOfUser: z.boolean().describe('A token acted for the user in actorId'),
      action: z.string(),
      subjectType: z.string(),
      subjectId: z.string(),
      details: z.record(z.string(), z.unknown()),
    })
    .strict(),
);
export type AuditEventDto = z.output<typeof auditEventJson>;
export const auditEventListJson = listOf(auditEventJson);

export const auditEventDto = (e: AuditEvent): AuditEventDto => ({
  id: e.id,
  at: iso(e.at),
  actorId: e.actorId,
  actorLabel: e.actorLabel,
  // The column is text, and its CHECK constraint admits exactly CHANNELS.
  channel: e.channel as Channel,
  apiToken: e.apiToken,
  onBehalfOfUser: e.apiToken !== null && e.actorId !== null,
  action: e.action,
  subjectType: e.subjectType,
  subjectId: e.subjectId,
  details: e.details,
});
