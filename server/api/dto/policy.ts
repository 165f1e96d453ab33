import type { PolicyView } from '../../domain/policies';
import type { Expiration } from '../../domain/policy-settings';
import { iso } from './dates';

const expirationDto = (e: Expiration) =>
  e.type === 'onDate' ? { type: e.type, date: iso(e.date) } : e;

export const policyDto = (p: PolicyView) => ({
  id: p.id,
  accessPackageId: p.packageId,
  name: p.name,
  description: p.description,
  enabled: p.enabled,
  requestorScope: p.requestorScope,
  requestors: p.requestors,
  externalDomains: p.externalDomains,
  approvalRequired: p.approvalRequired,
  approvers: p.approvers,
  requestorJustificationRequired: p.requestorJustificationRequired,
  approverJustificationRequired: p.approverJustificationRequired,
  approvalTimeoutDays: p.approvalTimeoutDays,
  expiration: expirationDto(p.expiration),
  allowCustomSchedule: p.allowCustomSchedule,
  extensionAllowed: p.extensionAllowed,
  extensionRequiresApproval: p.extensionRequiresApproval,
  createdAt: iso(p.createdAt),
  updatedAt: iso(p.updatedAt),
});
