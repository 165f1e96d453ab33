import { z } from 'zod';
import type { PolicyView } from '../../domain/policies';
import { policyInputSchema, type Expiration } from '../../domain/policy-settings';
import { iso } from './dates';
import { dateTime, listOf, named, uuid } from './schemas';

const principalJson = named(
  'Principal',
  z.union([z.object({ userId: uuid }).strict(), z.object({ groupId: uuid }).strict()]),
);

const expirationJson = named(
  'Expiration',
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('onDate'), date: dateTime }).strict(),
    z.object({ type: z.literal('afterDays'), days: z.int().min(0) }).strict(),
    z.object({ type: z.literal('afterHours'), hours: z.int().min(1) }).strict(),
    z.object({ type: z.literal('never') }).strict(),
  ]),
);
type ExpirationDto = z.output<typeof expirationJson>;

export const policyJson = named(
  'Policy',
  z
    .object({
      id: uuid,
      accessPackageId: uuid,
      name: z.string(),
      description: z.string(),
      enabled: z.boolean(),
      requestorScope: z.enum(policyInputSchema.shape.requestorScope.options),
      requestors: z.array(principalJson),
      externalDomains: z.array(z.string()),
      approvalRequired: z.boolean(),
      approvers: z.array(principalJson),
      requestorJustificationRequired: z.boolean(),
      approverJustificationRequired: z.boolean(),
      approvalTimeoutDays: z.int().min(1),
      expiration: expirationJson,
      allowCustomSchedule: z.boolean(),
      extensionAllowed: z.boolean(),
      extensionRequiresApproval: z.boolean(),
      createdAt: dateTime,
      updatedAt: dateTime,
    })
    .strict(),
);
export type PolicyDto = z.output<typeof policyJson>;
export const policyListJson = listOf(policyJson);

const expirationDto = (e: Expiration): ExpirationDto =>
  e.type === 'onDate' ? { type: e.type, date: iso(e.date) } : e;

export const policyDto = (p: PolicyView): PolicyDto => ({
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
