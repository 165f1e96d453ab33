/**
 * When access ends under a policy. The domain validates it with a zod schema typed against
 * this; it lives here because requests and assignments store it in their snapshots.
 */
export type Expiration =
  | { type: 'onDate'; date: Date }
  | { type: 'afterDays'; days: number }
  | { type: 'afterHours'; hours: number }
  | { type: 'never' };

/**
 * The settings a request and its assignment keep from their policy at submission time:
 * "policy changes only affect new accesses".
 */
export interface PolicySnapshot {
  policyId: string;
  name: string;
  approvalRequired: boolean;
  requestorJustificationRequired: boolean;
  approverJustificationRequired: boolean;
  approvalTimeoutDays: number;
  expiration: Expiration;
  allowCustomSchedule: boolean;
  extensionAllowed: boolean;
  extensionRequiresApproval: boolean;
}
