import type { ResourceType } from '../../db/entities';

/**
 * What the domain tells the chat layer, through the outbox (outbox-events.ts). Notifications
 * carry ids only: a delivery reloads current state and renders it, so a slow or retried
 * delivery never shows stale facts.
 */
export type Notification =
  | { kind: 'approvalRequested'; requestId: string; approverIds: string[] }
  | { kind: 'approvalReminder'; requestId: string; approverIds: string[] }
  | { kind: 'requestDecided'; requestId: string }
  | { kind: 'requestCanceled'; requestId: string }
  | { kind: 'assignmentChanged'; assignmentId: string }
  | { kind: 'assignmentEnded'; assignmentId: string }
  | { kind: 'extensionPrompt'; assignmentId: string }
  | { kind: 'taskRequested'; fulfillmentId: string; ownerIds: string[] }
  | { kind: 'taskChanged'; fulfillmentId: string };

export interface ProvisioningTarget {
  user: { id: string; email: string };
  resource: {
    id: string;
    type: ResourceType;
    originId: string;
    attributes: Record<string, unknown>;
  };
  role: { id: string; name: string };
  /**
   * Names this action (one fulfillment row in one generation): the same id on a retry, a new
   * one when the row is given a new action. Connectors may pass it on as an idempotency key.
   */
  actionId: string;
}

/**
 * What a connector did: nothing to say (done), or handed the action to a person, who says
 * later whether it is done (the manual connector).
 */
export type ProvisionOutcome = void | 'handedToPerson';

/** Grants and revokes one resource role. Must be idempotent: a retry may repeat a call. */
export interface Provisioner {
  grant(target: ProvisioningTarget): Promise<ProvisionOutcome>;
  revoke(target: ProvisioningTarget): Promise<ProvisionOutcome>;
}
