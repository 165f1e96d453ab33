import type { Client } from 'pg';
import { APPROVER } from './seed';

export interface TeamsDecisionData {
  /** pendingApproval requests approved by clicks on the bot. */
  botRequestIds: string[];
  /** pendingApproval requests for the bare express + pg floor. */
  floorRequestIds: string[];
}

const PACKAGES_PER_SET = 10;

/**
 * A catalog of its own with 2 × 10 packages, each with an approval policy naming the approver,
 * and `count` pendingApproval requests (with their request_approvers row) on each set, each for
 * a distinct user × package: the same shape as the decision benchmark's, apart from it.
 */
export async function seedTeamsDecisionData(db: Client, count: number): Promise<TeamsDecisionData> {
  const packages = 2 * PACKAGES_PER_SET;
  await db.query('BEGIN');
  await db.query(`INSERT INTO catalogs (id, name, description) VALUES
    (md5('catalog:teams')::uuid, 'Teams benchmark', 'Packages for the Teams decision benchmark')`);
  await db.query(`INSERT INTO resources (id, catalog_id, type, origin_id, display_name) VALUES
    (md5('resource:teams')::uuid, md5('catalog:teams')::uuid, 'slackChannel', 'C0TEAMS', '#teams-bench')`);
  await db.query(`INSERT INTO resource_roles (id, resource_id, name) VALUES
    (md5('role:teams')::uuid, md5('resource:teams')::uuid, 'member')`);
  await db.query(`INSERT INTO access_packages (id, catalog_id, name, description)
    SELECT md5('tpackage:' || n)::uuid, md5('catalog:teams')::uuid, 'Teams package ' || n, ''
      FROM generate_series(1, ${packages}) n`);
  await db.query(`INSERT INTO access_package_resource_roles (package_id, resource_role_id)
    SELECT md5('tpackage:' || n)::uuid, md5('role:teams')::uuid FROM generate_series(1, ${packages}) n`);
  await db.query(`INSERT INTO policies (id, package_id, name, requestor_scope, approval_required,
           requestor_justification_required, approver_justification_required, approval_timeout_days,
           expiration_type, expiration_days, allow_custom_schedule, extension_allowed,
           extension_requires_approval)
    SELECT md5('tpolicy:' || n)::uuid, md5('tpackage:' || n)::uuid, 'Teams policy ' || n,
           'allMembers', true, true, false, 14, 'afterDays', 30, false, false, false
      FROM generate_series(1, ${packages}) n`);
  await db.query(
    `INSERT INTO policy_principals (policy_id, relation, user_id)
    SELECT md5('tpolicy:' || n)::uuid, 'approver', $1::uuid FROM generate_series(1, ${packages}) n`,
    [APPROVER],
  );
  const requests = async (set: number) => {
    const r = await db.query<{ request_id: string }>(
      `WITH req AS (
         INSERT INTO access_requests (type, state, requestor_id, target_user_id, package_id, policy_id,
                policy_snapshot, justification, approval_due_at)
         SELECT 'userAdd', 'pendingApproval', x.u, x.u, md5('tpackage:' || x.p)::uuid,
                md5('tpolicy:' || x.p)::uuid,
                jsonb_build_object(
                  'policyId', md5('tpolicy:' || x.p)::uuid, 'name', 'Teams policy ' || x.p,
                  'approvalRequired', true, 'requestorJustificationRequired', true,
                  'approverJustificationRequired', false, 'approvalTimeoutDays', 14,
                  'expiration', jsonb_build_object('type', 'afterDays', 'days', 30),
                  'allowCustomSchedule', false, 'extensionAllowed', false,
                  'extensionRequiresApproval', false),
                'Needed for the benchmark', now() + interval '14 days'
           FROM generate_series(0, $1 - 1) i,
           LATERAL (SELECT md5('user:' || (3 + i / ${PACKAGES_PER_SET}))::uuid AS u,
                           ${set * PACKAGES_PER_SET} + 1 + i % ${PACKAGES_PER_SET} AS p) x
         RETURNING id, number)
       INSERT INTO request_approvers (request_id, user_id)
       SELECT id, $2::uuid FROM req ORDER BY number
       RETURNING request_id`,
      [count, APPROVER],
    );
    return r.rows.map((row) => row.request_id);
  };
  const botRequestIds = await requests(0);
  const floorRequestIds = await requests(1);
  await db.query('COMMIT');
  await db.query('ANALYZE');
  return { botRequestIds, floorRequestIds };
}
