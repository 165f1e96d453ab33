import { z } from 'zod';
import { instant, name, text } from './fields';
import type {
  AccessRequest,
  Expiration,
  ExpirationType,
  Policy,
  PolicySnapshot,
  RequestorScope,
} from '../../db/entities';
import { DAY, HOUR } from './clock';
import { patchOf } from './patch-schema';

const principal = z.union([
  z.object({ userId: z.uuid() }).strict(),
  z.object({ groupId: z.uuid() }).strict(),
]);
export type Principal = z.infer<typeof principal>;

// "All users from the directory … includes users from all subdomains", so a domain is stored
// once and matched against every suffix of the user's domain.
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'not a domain name',
  );

export type { Expiration, PolicySnapshot };

export const expirationSchema: z.ZodType<Expiration, unknown> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('onDate'), date: instant() }),
  z.object({ type: z.literal('afterDays'), days: z.number().int().min(0).max(3660) }),
  z.object({ type: z.literal('afterHours'), hours: z.number().int().min(1).max(87840) }),
  z.object({ type: z.literal('never') }),
]);

export const policyInputSchema = z
  .object({
    name: name(256),
    description: text(2000).default(''),
    enabled: z.boolean().default(true),
    requestorScope: z.enum(['allMembers', 'specificUsers', 'externalDomains', 'none']),
    requestors: z.array(principal).max(500).default([]),
    externalDomains: z.array(domain).max(100).default([]),
    approvalRequired: z.boolean().default(true),
    approvers: z.array(principal).max(100).default([]),
    requestorJustificationRequired: z.boolean().default(true),
    approverJustificationRequired: z.boolean().default(false),
    approvalTimeoutDays: z.number().int().min(1).max(14).default(14),
    expiration: expirationSchema.default({ type: 'afterDays', days: 365 }),
    allowCustomSchedule: z.boolean().default(false),
    extensionAllowed: z.boolean().default(false),
    extensionRequiresApproval: z.boolean().default(true),
  })
  .strict()
  .superRefine((p, ctx) => {
    const need = (cond: boolean, path: string, message: string) => {
      if (cond) ctx.addIssue({ code: 'custom', path: [path], message });
    };
    need(
      p.requestorScope === 'specificUsers' && p.requestors.length === 0,
      'requestors',
      'name at least one user or group who may request',
    );
    need(
      p.requestorScope !== 'specificUsers' && p.requestors.length > 0,
      'requestors',
      'requestors apply only when requestorScope is specificUsers',
    );
    need(
      p.requestorScope === 'externalDomains' && p.externalDomains.length === 0,
      'externalDomains',
      'name at least one external domain',
    );
    need(
      p.requestorScope !== 'externalDomains' && p.externalDomains.length > 0,
      'externalDomains',
      'externalDomains apply only when requestorScope is externalDomains',
    );
    need(
      p.requestorScope !== 'none' && p.approvalRequired && p.approvers.length === 0,
      'approvers',
      'name at least one approver, or set approvalRequired to false',
    );
  });
export type PolicyInput = z.infer<typeof policyInputSchema>;

/** A policy edit: any settings; the merged result is validated as a whole. */
export const policyPatchSchema = patchOf(z.object(policyInputSchema.shape));
export type PolicyPatch = z.infer<typeof policyPatchSchema>;

export function expirationOf(p: Policy): Expiration {
  const type: ExpirationType = p.expirationType;
  switch (type) {
    case 'onDate':
      return { type, date: p.expirationDate! };
    case 'afterDays':
      return { type, days: p.expirationDays! };
    case 'afterHours':
      return { type, hours: p.expirationHours! };
    case 'never':
      return { type };
  }
}

type SnapshotSource = Omit<PolicySnapshot, 'policyId'> & {
  id: string;
  requestorScope: RequestorScope;
};

export function snapshotOf(p: SnapshotSource): PolicySnapshot {
  return {
    policyId: p.id,
    name: p.name,
    approvalRequired: p.requestorScope !== 'none' && p.approvalRequired,
    requestorJustificationRequired: p.requestorJustificationRequired,
    approverJustificationRequired: p.approverJustificationRequired,
    approvalTimeoutDays: p.approvalTimeoutDays,
    expiration: p.expiration,
    allowCustomSchedule: p.allowCustomSchedule,
    extensionAllowed: p.extensionAllowed,
    extensionRequiresApproval: p.extensionRequiresApproval,
  };
}

/** Columns of the policies table for the given settings (principals live in their own table). */
export function policyColumns(input: PolicyInput) {
  const e = input.expiration;
  const direct = input.requestorScope === 'none';
  return {
    name: input.name,
    description: input.description,
    enabled: input.enabled,
    requestorScope: input.requestorScope as RequestorScope,
    externalDomains: [...new Set(input.externalDomains)],
    // A direct-assignment policy has no request settings: nobody requests under it.
    approvalRequired: !direct && input.approvalRequired,
    requestorJustificationRequired: !direct && input.requestorJustificationRequired,
    approverJustificationRequired: !direct && input.approverJustificationRequired,
    approvalTimeoutDays: input.approvalTimeoutDays,
    expirationType: e.type,
    expirationDate: e.type === 'onDate' ? e.date : null,
    expirationDays: e.type === 'afterDays' ? e.days : null,
    expirationHours: e.type === 'afterHours' ? e.hours : null,
    allowCustomSchedule: input.allowCustomSchedule,
    extensionAllowed: input.extensionAllowed,
    extensionRequiresApproval: input.extensionAllowed && input.extensionRequiresApproval,
  };
}

/** The latest end the policy allows for access starting at `start`; null means no limit. */
export function policyEnd(expiration: Expiration, start: Date): Date | null {
  switch (expiration.type) {
    case 'onDate':
      return new Date(expiration.date);
    case 'afterDays':
      return new Date(start.getTime() + expiration.days * DAY);
    case 'afterHours':
      return new Date(start.getTime() + expiration.hours * HOUR);
    case 'never':
      return null;
  }
}

/** End of an assignment: the requested or assigned end when given, else the policy's. */
export function assignmentEnd(expiration: Expiration, start: Date, chosenEnd: Date | null) {
  return chosenEnd ?? policyEnd(expiration, start);
}

/** Access starts at the requested start, or at once when that has come. */
export const accessStart = (requestedStart: Date | null, now: Date) =>
  requestedStart && requestedStart > now ? requestedStart : now;

type Approvable = Pick<
  AccessRequest,
  'number' | 'requestedStart' | 'requestedEnd' | 'policySnapshot'
>;

/**
 * Why approving the request now would give no access at all, or null: the end the requester
 * chose, or the policy's fixed end date, has passed while the request waited.
 */
export function lapseOf(request: Approvable, now: Date): string | null {
  const start = accessStart(request.requestedStart, now);
  const refused = `Request #${request.number} can't be approved and has been canceled:`;
  if (request.requestedEnd && request.requestedEnd <= start) {
    return `${refused} the access it asked for ended on ${request.requestedEnd.toISOString()}.`;
  }
  const snapshot = request.policySnapshot;
  if (snapshot?.expiration.type === 'onDate') {
    const until = new Date(snapshot.expiration.date);
    if (until <= start) {
      return `${refused} policy "${snapshot.name}" gives access only until ${until.toISOString()}.`;
    }
  }
  return null;
}
