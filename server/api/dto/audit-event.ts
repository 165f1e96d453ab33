import type { AuditEvent } from '../../../db/entities';
import { iso } from './dates';

export const auditEventDto = (e: AuditEvent) => ({
  id: e.id,
  at: iso(e.at),
  actorId: e.actorId,
  actorLabel: e.actorLabel,
  channel: e.channel,
  apiToken: e.apiToken,
  onBehalfOfUser: e.apiToken !== null && e.actorId !== null,
  action: e.action,
  subjectType: e.subjectType,
  subjectId: e.subjectId,
  details: e.details,
});
