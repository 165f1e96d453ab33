import type { Assignment, Fulfillment } from '../../../db/entities';
import { iso } from './dates';

export const assignmentDto = (a: Assignment) => ({
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

export const fulfillmentDto = (f: Fulfillment, role: RoleName | undefined) => ({
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
