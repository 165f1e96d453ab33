import type { EntityManager } from 'typeorm';
import { ACTIVE_STATES_SQL, type AssignmentState, type ResourceType } from '../../db/entities';
import type { DomainContext } from './context';
import { SYSTEM } from './actor';
import { audit } from './audit';
import { enqueue } from './outbox-events';
import { rows } from './sql';
import type { ProvisioningTarget } from './ports';

// While one process works on a row, others leave it alone for this long.
const CLAIM_LEASE_MS = 5 * 60_000;
const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000];
const MAX_ERROR_LENGTH = 1000;

interface ClaimedRow {
  id: string;
  action: 'grant' | 'revoke';
  attempts: number;
  user_id: string;
  email: string;
  resource_role_id: string;
  role_name: string;
  resource_id: string;
  resource_type: ResourceType;
  origin_id: string;
  attributes: Record<string, unknown>;
  retained: boolean;
}

interface Outcome {
  id: string;
  state: 'delivered' | 'failed';
  error: string | null;
  nextAttemptAt: Date | null;
}

/**
 * Turns assignments into grants and revocations, one fulfillment row per resource role,
 * through the Provisioner port. Every row is claimed by a conditional UPDATE first, so two
 * processes never work on the same row at once.
 */
export class FulfillmentService {
  constructor(private readonly ctx: DomainContext) {}

  /** Grant rows for every resource role of the package, for a new assignment. */
  async createForAssignment(em: EntityManager, assignmentId: string, packageId: string) {
    await em.query(
      `INSERT INTO fulfillments (assignment_id, resource_role_id, action, state)
       SELECT $1, resource_role_id, 'grant', 'pending' FROM access_package_resource_roles
        WHERE package_id = $2`,
      [assignmentId, packageId],
    );
  }

  /** A role was added to a package: queue it for every active assignment. */
  async queueGrants(
    em: EntityManager,
    packageId: string,
    resourceRoleId: string,
  ): Promise<string[]> {
    const inserted: Array<{ assignment_id: string }> = await em.query(
      `INSERT INTO fulfillments (assignment_id, resource_role_id, action, state)
       SELECT a.id, $2, 'grant', 'pending' FROM assignments a
        WHERE a.package_id = $1 AND a.state IN ${ACTIVE_STATES_SQL}
       ON CONFLICT (assignment_id, resource_role_id) DO UPDATE
         SET action = 'grant', state = 'pending', attempts = 0, last_error = NULL,
             next_attempt_at = NULL, updated_at = now()
       RETURNING assignment_id`,
      [packageId, resourceRoleId],
    );
    return inserted.map((r) => r.assignment_id);
  }

  /**
   * Turns grants into revocations: for one whole assignment, or for one role of a package
   * across its active assignments. A grant never delivered has nothing to undo.
   */
  async queueRevocations(
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
              state = CASE WHEN f.state = 'delivered' THEN 'pending' ELSE 'delivered' END,
              attempts = 0, last_error = NULL, next_attempt_at = NULL, updated_at = now()
        WHERE f.action = 'grant' AND ${where}
        RETURNING f.assignment_id, f.state`,
      params,
    );
    return [...new Set(updated.filter((r) => r.state === 'pending').map((r) => r.assignment_id))];
  }

  /** Works off the due rows of the given assignments; returns their resulting states. */
  async deliver(assignmentIds: string[]): Promise<Map<string, AssignmentState>> {
    const states = new Map<string, AssignmentState>();
    for (const id of new Set(assignmentIds)) states.set(id, await this.deliverOne(id));
    return states;
  }

  private async deliverOne(assignmentId: string): Promise<AssignmentState> {
    const now = this.ctx.clock.now();
    const claimed: ClaimedRow[] = await this.ctx.db.query(
      `WITH claimed AS (
         UPDATE fulfillments f SET attempts = attempts + 1, next_attempt_at = $2, updated_at = $3
          WHERE f.assignment_id = $1 AND f.state IN ('pending', 'failed')
            AND (f.next_attempt_at IS NULL OR f.next_attempt_at <= $3)
            AND EXISTS (SELECT 1 FROM assignments a WHERE a.id = $1 AND a.state <> 'scheduled')
          RETURNING f.*)
       SELECT c.id, c.action, c.attempts, a.user_id, u.email, c.resource_role_id,
              rr.name AS role_name, r.id AS resource_id, r.type AS resource_type, r.origin_id,
              r.attributes,
              -- Another active assignment of the same user still holds this role: keep it.
              (c.action = 'revoke' AND EXISTS (
                 SELECT 1 FROM fulfillments o JOIN assignments oa ON oa.id = o.assignment_id
                  WHERE o.resource_role_id = c.resource_role_id AND o.action = 'grant'
                    AND o.state = 'delivered' AND oa.user_id = a.user_id AND oa.id <> a.id
                    AND oa.state IN ${ACTIVE_STATES_SQL})) AS retained
         FROM claimed c
         JOIN assignments a ON a.id = c.assignment_id
         JOIN users u ON u.id = a.user_id
         JOIN resource_roles rr ON rr.id = c.resource_role_id
         JOIN resources r ON r.id = rr.resource_id
        ORDER BY r.display_name, rr.name`,
      [assignmentId, new Date(now.getTime() + CLAIM_LEASE_MS), now],
    );
    const outcomes: Outcome[] = [];
    for (const row of claimed) outcomes.push(await this.perform(row));
    return this.settle(assignmentId, outcomes);
  }

  /** Calls the connector; the outcome is recorded with the assignment's new state. */
  private async perform(row: ClaimedRow): Promise<Outcome> {
    const target: ProvisioningTarget = {
      user: { id: row.user_id, email: row.email },
      resource: {
        id: row.resource_id,
        type: row.resource_type,
        originId: row.origin_id,
        attributes: row.attributes,
      },
      role: { id: row.resource_role_id, name: row.role_name },
    };
    try {
      if (!row.retained) await this.ctx.provisioner[row.action](target);
      return { id: row.id, state: 'delivered', error: null, nextAttemptAt: null };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const now = this.ctx.clock.now();
      const delay = RETRY_DELAYS_MS[Math.min(row.attempts - 1, RETRY_DELAYS_MS.length - 1)];
      this.ctx.logger.warn(
        {
          fulfillmentId: row.id,
          action: row.action,
          resourceType: row.resource_type,
          err: message,
        },
        'fulfillment failed',
      );
      return {
        id: row.id,
        state: 'failed',
        error: message.slice(0, MAX_ERROR_LENGTH),
        nextAttemptAt: new Date(now.getTime() + delay),
      };
    }
  }

  /**
   * Derives an active assignment's state from its grant rows, and mirrors it on the request
   * that created it. Ended assignments keep their state.
   */
  private async settle(assignmentId: string, outcomes: Outcome[]): Promise<AssignmentState> {
    const state = await this.ctx.db.transaction(async (em) => {
      const [before] = await em.query(`SELECT state FROM assignments WHERE id = $1 FOR UPDATE`, [
        assignmentId,
      ]);
      if (outcomes.length) {
        await em.query(
          `UPDATE fulfillments f SET state = o.state, last_error = o.error,
                  next_attempt_at = o.next_attempt_at, updated_at = $5
             FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])
                  AS o(id, state, error, next_attempt_at)
            WHERE f.id = o.id`,
          [
            outcomes.map((o) => o.id),
            outcomes.map((o) => o.state),
            outcomes.map((o) => o.error),
            outcomes.map((o) => o.nextAttemptAt),
            this.ctx.clock.now(),
          ],
        );
      }
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
        [assignmentId, this.ctx.clock.now()],
      );
      const state: AssignmentState = row?.state ?? before.state;
      if (row) {
        await em.query(
          `UPDATE access_requests SET state = $2, updated_at = $3
            WHERE assignment_id = $1 AND type IN ('userAdd', 'adminAdd', 'userExtend')
              AND state IN ${ACTIVE_STATES_SQL}`,
          [assignmentId, state, this.ctx.clock.now()],
        );
      }
      if (state !== before.state) {
        await audit(
          em,
          this.ctx.clock,
          SYSTEM,
          `assignment.${state}`,
          {
            type: 'assignment',
            id: assignmentId,
          },
          {
            from: before.state,
            failed: outcomes
              .filter((o) => o.state === 'failed')
              .map((o) => ({ id: o.id, error: o.error })),
          },
        );
      }
      if (state !== before.state) await enqueue(em, { kind: 'assignmentChanged', assignmentId });
      return state;
    });
    return state;
  }
}
