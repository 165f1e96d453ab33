import type { EntityManager } from 'typeorm';
import { ACTIVE_STATES_SQL, type AssignmentState } from '../../db/entities';
import { SYSTEM } from './actor';
import { audit } from './audit';
import type { Clock } from './clock';
import { enqueue } from './outbox-events';
import { rows } from './sql';

/** Locks the assignment before its fulfillment rows change; its state as it was. */
export async function lockAssignment(
  em: EntityManager,
  assignmentId: string,
): Promise<{ state: AssignmentState }> {
  const [before] = await rows<{ state: AssignmentState }>(
    em,
    `SELECT state FROM assignments WHERE id = $1 FOR UPDATE`,
    [assignmentId],
  );
  return before;
}

/**
 * An active assignment's state from its grant rows, mirrored on the request that created it;
 * ended assignments keep theirs. A change is audited and told through the outbox.
 */
export async function deriveAssignmentState(
  em: EntityManager,
  clock: Clock,
  assignmentId: string,
  before: AssignmentState,
  failed: Array<{ id: string; error: string | null }>,
): Promise<void> {
  const now = clock.now();
  const [row] = await rows<{ state: AssignmentState }>(
    em,
    `UPDATE assignments a SET state = CASE
         WHEN g.total = g.done THEN 'delivered'
         WHEN g.failed = 0 THEN 'delivering'
         WHEN g.done = 0 THEN 'deliveryFailed'
         ELSE 'partiallyDelivered' END,
       updated_at = $2
     FROM (SELECT count(*) FILTER (WHERE action = 'grant') AS total,
                  count(*) FILTER (WHERE action = 'grant' AND state = 'delivered') AS done,
                  count(*) FILTER (WHERE action = 'grant' AND state = 'failed') AS failed
             FROM fulfillments WHERE assignment_id = $1) g
    WHERE a.id = $1 AND a.state IN ('delivering', 'delivered', 'partiallyDelivered', 'deliveryFailed')
    RETURNING a.state`,
    [assignmentId, now],
  );
  if (!row) return;
  await em.query(
    `UPDATE access_requests SET state = $2, updated_at = $3
      WHERE assignment_id = $1 AND type IN ('userAdd', 'adminAdd', 'userExtend')
        AND state IN ${ACTIVE_STATES_SQL}`,
    [assignmentId, row.state, now],
  );
  if (row.state === before) return;
  await audit(
    em,
    clock,
    SYSTEM,
    `assignment.${row.state}`,
    { type: 'assignment', id: assignmentId },
    { from: before, failed },
  );
  await enqueue(em, { kind: 'assignmentChanged', assignmentId });
}
