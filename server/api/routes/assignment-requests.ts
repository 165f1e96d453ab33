import { z } from 'zod';
import { text } from '../../domain/fields';
import { decisionSchema } from '../../domain/decisions';
import { exportRequests } from '../../domain/exports';
import { MAX_TEXT, requestListSchema, submitRequestSchema } from '../../domain/requests';
import { requestsCsv } from '../csv/requests';
import { requestDto, requestJson, requestListJson } from '../dto/request';
import { idParam } from '../params';
import { created, csvFile, list, ok, route } from '../route';
import { formatParam, optionalLimit } from './export-format';

const tag = 'Assignment requests';

export const assignmentRequestRoutes = [
  route({
    method: 'get',
    path: '/assignmentRequests',
    summary: 'List requests, newest first; format=csv downloads them',
    tag,
    query: requestListSchema.extend({ limit: optionalLimit, format: formatParam }).strict(),
    success: { status: 200, description: 'The requests', csv: true },
    response: requestListJson,
    handler: async ({ services, actor, query }) => {
      const { format, ...filter } = query;
      if (format === 'json') {
        return list((await services.requests.list(actor, filter)).map(requestDto));
      }
      const pages = await exportRequests(services.ctx, actor, filter);
      return csvFile(requestsCsv(services.ctx, pages));
    },
  }),
  route({
    method: 'post',
    path: '/assignmentRequests',
    summary: 'Submit a request on behalf of a user, with every policy rule checked',
    tag,
    body: submitRequestSchema.extend({ requestorId: z.uuid() }),
    success: {
      status: 201,
      description: 'The request (pendingApproval, or on its way if auto-approved)',
    },
    response: requestJson,
    handler: async ({ services, actor, body }) => {
      const { requestorId, ...input } = body;
      // Recorded as the token acting on the requester's behalf, not as the requester.
      const requestor = await services.directory.actorFor(requestorId, actor);
      const { request } = await services.requests.submit(requestor, input);
      return created(`/assignmentRequests/${request.id}`, requestDto(request));
    },
  }),
  route({
    method: 'get',
    path: '/assignmentRequests/{id}',
    summary: 'Get a request',
    tag,
    params: idParam,
    success: { status: 200, description: 'The request' },
    response: requestJson,
    handler: async ({ services, actor, params }) =>
      ok(requestDto(await services.requests.get(actor, params.id))),
  }),
  route({
    method: 'post',
    path: '/assignmentRequests/{id}/cancel',
    summary: 'Cancel a pending request',
    tag,
    params: idParam,
    body: z.object({ reason: text(MAX_TEXT).optional() }).strict(),
    success: { status: 200, description: 'The canceled request' },
    response: requestJson,
    handler: async ({ services, actor, params, body }) =>
      ok(requestDto(await services.requests.cancel(actor, params.id, body.reason))),
  }),
  route({
    method: 'post',
    path: '/assignmentRequests/{id}/decision',
    summary: 'Approve or deny as the named approver; the first decision wins',
    tag,
    params: idParam,
    body: decisionSchema.extend({ approverId: z.uuid() }),
    success: { status: 200, description: 'The decided request' },
    response: requestJson,
    handler: async ({ services, actor, params, body }) => {
      const { approverId, ...decision } = body;
      // The approver's own rights apply: the token vouches for who decides, not for the
      // decision, and the audit trail records the token acting on the approver's behalf.
      const approver = await services.directory.actorFor(approverId, actor);
      return ok(requestDto(await services.decisions.decide(approver, params.id, decision)));
    },
  }),
];
