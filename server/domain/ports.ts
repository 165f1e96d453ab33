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
  | { kind: 'assignmentChanged'; assignmentId: string };

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

/** Grants and revokes one resource role. Must be idempotent: a retry may repeat a call. */
export interface Provisioner {
  grant(target: ProvisioningTarget): Promise<void>;
  revoke(target: ProvisioningTarget): Promise<void>;
}
