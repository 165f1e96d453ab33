import type { EntityManager } from 'typeorm';
import type { Notification } from './ports';

/**
 * Records, in the caller's transaction, that people must be told of a change: the event
 * commits with the change or not at all, and dispatchers deliver it afterwards. Events carry
 * ids only; a delivery renders what is current when it is sent.
 */
export async function enqueue(em: EntityManager, n: Notification): Promise<void> {
  const subjectId =
    'assignmentId' in n ? n.assignmentId : 'fulfillmentId' in n ? n.fulfillmentId : n.requestId;
  const recipients = 'approverIds' in n ? n.approverIds : 'ownerIds' in n ? n.ownerIds : [];
  await em.query(`INSERT INTO outbox_events (kind, subject_id, recipients) VALUES ($1, $2, $3)`, [
    n.kind,
    subjectId,
    recipients,
  ]);
}

/** One notification of a kind per subject, in one statement (no recipients: ids say who). */
export async function enqueueEach(
  em: EntityManager,
  kind: Exclude<Notification, { approverIds: string[] } | { ownerIds: string[] }>['kind'],
  subjectIds: string[],
): Promise<void> {
  if (subjectIds.length === 0) return;
  await em.query(
    `INSERT INTO outbox_events (kind, subject_id, recipients)
     SELECT $1, id, '{}' FROM unnest($2::uuid[]) AS s(id)`,
    [kind, subjectIds],
  );
}
