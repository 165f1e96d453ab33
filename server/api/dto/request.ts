import type { AccessRequest } from '../../../db/entities';
import { iso } from './dates';

export const requestDto = (r: AccessRequest) => ({
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
