import type { EntityManager } from 'typeorm';
import { ACTIVE_STATES_SQL, type AssignmentState } from '../../db/entities';
import { SYSTEM } from './actor';
import { auditRows, auditValues } from './audit';
import type { Clock } from './clock';
import { enqueueEach } from './outbox-events';
import { rows } from './sql';

/** Locks the assignment before its fulfillment rows change; its state as it was. */
export async function lockAssignment(
  em: EntityManager,
  assignmentId: string,
): Promise<{ state: AssignmentState }> {
  const before = await lockAssignments(em, [assignmentId]);
  return { state: before.get(assignmentId)! };
}

/** Locks many, in id order so that two batches sharing assignments cannot deadlock. */
export async function lockAssignments(
  em: EntityManager,
  assignmentIds: string[],
): Promise<Map<string, AssignmentState>> {
  const locked = await rows<{ id: string; state: AssignmentState }>(
    em,
    `SELECT id, state FROM assignments WHERE id = ANY($1) ORDER BY id FOR UPDATE`,
    [assignmentIds],
  );
  return new Map(locked.map((r) => [r.id, r.state]));
}

export type FailedRoles = Array<{ id: string; error: string | null }>;

/** deriveAssignmentStates for one assignment. */
export function deriveAssignmentState(
  em: EntityManager,
  clock: Clock,
  assignmentId: string,
  before: AssignmentState,
  failed: FailedRoles,
): Promise<void> {
  return deriveAssignmentStates(
    em,
    clock,
    new Map([[assignmentId, before]]),
    new Map([[assignmentId, failed]]),
  );
}

/**
 * Active assignments' states from their grant rows, mirrored on the requests that created
 * them; ended assignments keep theirs. Each change is audited (with the roles that failed)
 * and told through the outbox. Set-based: a worker settles hundreds at once.
 */
export async function deriveAssignmentStates(
  em: EntityManager,
  clock: Clock,
  before: Map<string, AssignmentState>,
  failed: Map<string, FailedRoles>,
): Promise<void> {
  const now = clock.now();
  const derived = await rows<{ id: string; state: AssignmentState }>(
    em,
    `UPDATE assignments a SET state = CASE
         WHEN g.total = g.done THEN 'delivered'
         WHEN g.failed = 0 THEN 'delivering'
         WHEN g.done = 0 THEN 'deliveryFailed'
         ELSE 'partiallyDelivered' END,
       updated_at = $2
     FROM (SELECT a.id,
                  count(f.id) FILTER (WHERE f.action = 'grant') AS total,
                  count(f.id) FILTER (WHERE f.action = 'grant' AND f.state = 'delivered') AS done,
                  count(f.id) FILTER (WHERE f.action = 'grant' AND f.state = 'failed') AS failed
             FROM unnest($1::uuid[]) AS a(id)
             LEFT JOIN fulfillments f ON f.assignment_id = a.id
            GROUP BY a.id) g
    WHERE a.id = g.id
      AND a.state IN ('delivering', 'delivered', 'partiallyDelivered', 'deliveryFailed')
    RETURNING a.id, a.state`,
    [[...before.keys()], now],
  );
  if (derived.length === 0) return;
  await em.query(
    `UPDATE access_requests r SET state = d.state, updated_at = $3
       FROM unnest($1::uuid[], $2::text[]) AS d(id, state)
      WHERE r.assignment_id = d.id AND r.type IN ('userAdd', 'adminAdd', 'userExtend')
        AND r.state IN ${ACTIVE_STATES_SQL}`,
    [derived.map((d) => d.id), derived.map((d) => d.state), now],
  );
  const changed = derived.filter((d) => d.state !== before.get(d.id));
  if (changed.length === 0) return;
  const audits = changed.map((d) =>
    auditValues(
      clock,
      SYSTEM,
      `assignment.${d.state}`,
      { type: 'assignment', id: d.id },
      { from: before.get(d.id), failed: failed.get(d.id) ?? [] },
    ),
  );
  await auditRows(em, audits);
  await enqueueEach(
    em,
    'assignmentChanged',
    changed.map((d) => d.id),
  );
}
