import { z } from 'zod';
import { REQUEST_STATES, type AccessRequest } from '../../../db/entities';
import { iso } from './dates';
import { dateTime, listOf, named, uuid } from './schemas';

// Typed against RequestType by requestDto: a type missing here does not compile.
const REQUEST_TYPES = [
  'userAdd',
  'userExtend',
  'userRemove',
  'adminAdd',
  'adminRemove',
  'systemRemove',
] as const;

/** Requested or granted access: null start means at once, null end means no end. */
export const scheduleJson = z
  .object({ start: dateTime.nullable(), end: dateTime.nullable() })
  .strict();

const step = z
  .object({
    by: uuid
      .nullable()
      .describe('Null when no user acted: the policy, the system or a token alone'),
    at: dateTime,
    reason: z.string().nullable(),
  })
  .strict();

export const requestJson = named(
  'AssignmentRequest',
  z
    .object({
      id: uuid,
      number: z.int().min(1).describe('Short number people can type: `cancel 42`'),
      type: z.enum(REQUEST_TYPES),
      state: z.enum(REQUEST_STATES),
      requestorId: uuid.nullable(),
      targetUserId: uuid,
      packageId: uuid,
      policyId: uuid.nullable(),
      justification: z.string().nullable(),
      schedule: scheduleJson,
      approvalDueAt: dateTime.nullable(),
      decision: step.nullable(),
      cancellation: step.nullable(),
      assignmentId: uuid.nullable(),
      createdAt: dateTime,
      updatedAt: dateTime,
    })
    .strict(),
);
export type RequestDto = z.output<typeof requestJson>;
export const requestListJson = listOf(requestJson);

export const requestDto = (r: AccessRequest): RequestDto => ({
  id: r.id,
  number: r.number,
  type: r.type,
  state: r.state,
  requestorId: r.requestorId,
  targetUserId: r.targetUserId,
  packageId: r.packageId,
  policyId: r.policyId,
  justification: r.justification,
  schedule: { start: iso(r.requestedStart), end: iso(r.requestedEnd) },
  approvalDueAt: iso(r.approvalDueAt),
  // `by` is null when the policy approved automatically or the admin API decided.
  decision: r.decidedAt
    ? { by: r.decidedBy, at: iso(r.decidedAt), reason: r.decisionReason }
    : null,
  cancellation: r.canceledAt
    ? { by: r.canceledBy, at: iso(r.canceledAt), reason: r.cancelReason }
    : null,
  assignmentId: r.assignmentId,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});
