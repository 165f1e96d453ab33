import { z } from 'zod';
import { text } from '../../domain/fields';
import { assignmentListSchema, directAssignmentSchema } from '../../domain/assignments';
import { exportAssignments } from '../../domain/exports';
import { MAX_TEXT } from '../../domain/requests';
import { assignmentsCsv } from '../csv/assignments';
import {
  assignmentDto,
  assignmentListJson,
  assignmentJson,
  fulfillmentDto,
  fulfillmentListJson,
} from '../dto/assignment';
import { roleNamesById } from '../lookups';
import { idParam } from '../params';
import { created, csvFile, list, ok, route } from '../route';
import { formatParam, optionalLimit } from './export-format';

const tag = 'Assignments';

export const assignmentRoutes = [
  route({
    method: 'get',
    path: '/assignments',
    summary: "List an access package's assignments; format=csv downloads them",
    tag,
    query: assignmentListSchema.extend({ limit: optionalLimit, format: formatParam }).strict(),
    success: { status: 200, description: 'The assignments', csv: true },
    response: assignmentListJson,
    handler: async ({ services, actor, query }) => {
      const { format, ...filter } = query;
      if (format === 'json') {
        return list((await services.assignments.list(actor, filter)).map(assignmentDto));
      }
      const pages = await exportAssignments(services.ctx, actor, filter);
      return csvFile(assignmentsCsv(services.ctx, pages));
    },
  }),
  route({
    method: 'post',
    path: '/assignments',
    summary: "Assign a user directly under one of the package's policies",
    tag,
    body: directAssignmentSchema,
    success: { status: 201, description: 'The new assignment' },
    response: assignmentJson,
    handler: async ({ services, actor, body }) => {
      const assignment = await services.assignments.assignDirectly(actor, body);
      return created(`/assignments/${assignment.id}`, assignmentDto(assignment));
    },
  }),
  route({
    method: 'get',
    path: '/assignments/{id}',
    summary: 'Get an assignment',
    tag,
    params: idParam,
    success: { status: 200, description: 'The assignment' },
    response: assignmentJson,
    handler: async ({ services, actor, params }) =>
      ok(assignmentDto(await services.assignments.get(actor, params.id))),
  }),
  route({
    method: 'get',
    path: '/assignments/{id}/fulfillments',
    summary: 'Per resource role: what was granted or revoked, and any error',
    tag,
    params: idParam,
    success: { status: 200, description: 'The fulfillments' },
    response: fulfillmentListJson,
    handler: async ({ services, actor, params }) => {
      const rows = await services.assignments.fulfillments(actor, params.id);
      const roles = await roleNamesById(
        services.ctx.db,
        rows.map((f) => f.resourceRoleId),
      );
      return list(rows.map((f) => fulfillmentDto(f, roles.get(f.resourceRoleId))));
    },
  }),
  route({
    method: 'post',
    path: '/assignments/{id}/remove',
    summary: 'End an assignment now and revoke its access',
    tag,
    params: idParam,
    body: z.object({ reason: text(MAX_TEXT).optional() }).strict(),
    success: { status: 200, description: 'The removed assignment' },
    response: assignmentJson,
    handler: async ({ services, actor, params, body }) =>
      ok(assignmentDto(await services.assignments.remove(actor, params.id, body.reason))),
  }),
];
