import { z } from 'zod';
import { pageOffset } from '../../domain/fields';
import { AuditEvent } from '../../../db/entities';
import { auditEventDto, auditEventListJson } from '../dto/audit-event';
import { list, route } from '../route';

const SUBJECT_TYPES = [
  'catalog',
  'resource',
  'accessPackage',
  'policy',
  'request',
  'assignment',
  'user',
  'group',
] as const;

export const auditEventRoutes = [
  route({
    method: 'get',
    path: '/auditEvents',
    summary: 'Read the audit trail, newest first, optionally about one subject',
    tag: 'Audit',
    query: z
      .object({
        subjectType: z.enum(SUBJECT_TYPES).optional(),
        subjectId: z.uuid().optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        offset: pageOffset,
      })
      .strict(),
    success: { status: 200, description: 'The audit events' },
    response: auditEventListJson,
    // The trail is append-only and has no service; only administrators hold the API token.
    handler: async ({ services, query }) => {
      const events = await services.ctx.db.manager.find(AuditEvent, {
        where: {
          ...(query.subjectType && { subjectType: query.subjectType }),
          ...(query.subjectId && { subjectId: query.subjectId }),
        },
        order: { id: 'DESC' },
        take: query.limit,
        skip: query.offset,
      });
      return list(events.map(auditEventDto));
    },
  }),
];
