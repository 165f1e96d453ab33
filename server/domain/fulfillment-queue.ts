import type { EntityManager } from 'typeorm';
import { ACTIVE_STATES_SQL } from '../../db/entities';
import { rows } from './sql';

/*
 * What must be granted or revoked, written in the transaction of the change that needs it;
 * workers do the connector calls after commit (FulfillmentService.runDue). A row given a new
 * action gets a new generation, and keeps a claim in flight: the new action waits for the call
 * under way, and that call's result, of the old generation, is not recorded as the new one's.
 */

/** Grant rows for every resource role of the package, for a new assignment. */
export async function queueForAssignment(
  em: EntityManager,
  assignmentId: string,
  packageId: string,
) {
  await em.query(
    `INSERT INTO fulfillments (assignment_id, resource_role_id, action, state)
     SELECT $1, resource_role_id, 'grant', 'pending' FROM access_package_resource_roles
      WHERE package_id = $2`,
    [assignmentId, packageId],
  );
}

/** A role was added to a package: queue it for every active assignment. */
export async function queueGrants(
  em: EntityManager,
  packageId: string,
  resourceRoleId: string,
): Promise<string[]> {
  const inserted = await rows<{ assignment_id: string }>(
    em,
    `INSERT INTO fulfillments (assignment_id, resource_role_id, action, state)
     SELECT a.id, $2, 'grant', 'pending' FROM assignments a
      WHERE a.package_id = $1 AND a.state IN ${ACTIVE_STATES_SQL}
     ON CONFLICT (assignment_id, resource_role_id) DO UPDATE
       SET action = 'grant', state = 'pending', attempts = 0, last_error = NULL,
           next_attempt_at = NULL, generation = fulfillments.generation + 1, updated_at = now()
     RETURNING assignment_id`,
    [packageId, resourceRoleId],
  );
  return inserted.map((r) => r.assignment_id);
}

/**
 * Turns grants into revocations: for whole assignments, or for one role of a package across
 * its active assignments. Whenever a grant may have happened (it was delivered, or a call was
 * made, even one that failed or is still running) the revocation is sent: revoking is
 * idempotent, and a grant that timed out at our end may have been applied at the other.
 * Only a grant never attempted has nothing to undo.
 */
export async function queueRevocations(
  em: EntityManager,
  scope: { assignmentIds: string[] } | { packageId: string; resourceRoleId: string },
): Promise<string[]> {
  const [where, params] =
    'assignmentIds' in scope
      ? ['f.assignment_id = ANY($1)', [scope.assignmentIds]]
      : [
          `f.resource_role_id = $2 AND f.assignment_id IN
             (SELECT id FROM assignments WHERE package_id = $1 AND state IN ${ACTIVE_STATES_SQL})`,
          [scope.packageId, scope.resourceRoleId],
        ];
  const updated = await rows<{ assignment_id: string; state: string }>(
    em,
    `UPDATE fulfillments f
        SET action = 'revoke',
            state = CASE WHEN f.state = 'delivered' OR f.attempts > 0 THEN 'pending'
                         ELSE 'delivered' END,
            attempts = 0, last_error = NULL, next_attempt_at = NULL,
            generation = f.generation + 1, updated_at = now()
      WHERE f.action = 'grant' AND ${where}
      RETURNING f.assignment_id, f.state`,
    params,
  );
  return [...new Set(updated.filter((r) => r.state === 'pending').map((r) => r.assignment_id))];
}
