import { z } from 'zod';
import { ASSIGNMENT_STATES, type Assignment, type Fulfillment } from '../../../db/entities';
import { iso } from './dates';
import { scheduleJson } from './request';
import { dateTime, listOf, named, uuid } from './schemas';

export const assignmentJson = named(
  'Assignment',
  z
    .object({
      id: uuid,
      userId: uuid,
      packageId: uuid,
      policyId: uuid,
      state: z.enum(ASSIGNMENT_STATES),
      schedule: scheduleJson,
      endedAt: dateTime.nullable(),
      endReason: z.string().nullable(),
      createdAt: dateTime,
      updatedAt: dateTime,
    })
    .strict(),
);
export type AssignmentDto = z.output<typeof assignmentJson>;
export const assignmentListJson = listOf(assignmentJson);

export const assignmentDto = (a: Assignment): AssignmentDto => ({
  id: a.id,
  userId: a.userId,
  packageId: a.packageId,
  policyId: a.policyId,
  state: a.state,
  schedule: { start: iso(a.startAt), end: iso(a.endAt) },
  endedAt: iso(a.endedAt),
  endReason: a.endReason,
  createdAt: iso(a.createdAt),
  updatedAt: iso(a.updatedAt),
});

export interface RoleName {
  roleName: string;
  resourceId: string;
  resourceName: string;
}

export const fulfillmentJson = named(
  'Fulfillment',
  z
    .object({
      id: uuid,
      assignmentId: uuid,
      resourceRoleId: uuid,
      // Looked up beside the row, and null if the role is gone.
      roleName: z.string().nullable(),
      resourceId: uuid.nullable(),
      resourceName: z.string().nullable(),
      action: z.enum(['grant', 'revoke']),
      state: z.enum(['pending', 'awaiting', 'delivered', 'failed']),
      attempts: z.int().min(0),
      lastError: z.string().nullable(),
      nextAttemptAt: dateTime.nullable(),
      updatedAt: dateTime,
    })
    .strict(),
);
export type FulfillmentDto = z.output<typeof fulfillmentJson>;
export const fulfillmentListJson = listOf(fulfillmentJson);

export const fulfillmentDto = (f: Fulfillment, role: RoleName | undefined): FulfillmentDto => ({
  id: f.id,
  assignmentId: f.assignmentId,
  resourceRoleId: f.resourceRoleId,
  roleName: role?.roleName ?? null,
  resourceId: role?.resourceId ?? null,
  resourceName: role?.resourceName ?? null,
  action: f.action,
  state: f.state,
  attempts: f.attempts,
  lastError: f.lastError,
  nextAttemptAt: iso(f.nextAttemptAt),
  updatedAt: iso(f.updatedAt),
});
