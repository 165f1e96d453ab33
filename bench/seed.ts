import { createHash } from 'node:crypto';
import type { Client } from 'pg';

/**
 * Set-based data generation: every table is filled by one INSERT … SELECT over
 * generate_series. Ids are md5 hashes of a name ("user:17"), so rows can refer to each other
 * without look-ups, and every "random" choice is a hash of the row number: the same data on
 * every run.
 */

export const BROWSE_SCALE = {
  users: 2000,
  groups: 500,
  /** Groups the benchmark user belongs to. */
  benchUserGroups: 50,
  /** Groups every other user belongs to (before removing duplicates). */
  groupsPerUser: 8,
  catalogs: 20,
  disabledCatalogs: [4, 11, 17],
  packages: 5000,
  policiesPerPackage: 2,
  /** Percent of packages that are hidden / deleted. */
  hiddenPct: 4,
  deletedPct: 2,
  /** Package audiences: allMembers / specificUsers / externalDomains / none, in percent. */
  scopeMix: { allMembers: 15, specificUsers: 75, externalDomains: 5, none: 5 },
  disabledPolicyPct: 5,
  deletedPolicyPct: 1,
  /** Share of specificUsers principals that are groups (the rest are users). */
  groupPrincipalPct: 15,
} as const;

/** uuid of a seeded row, as the SQL below computes it. */
export const idOf = (name: string) => {
  // md5(text)::uuid in PostgreSQL: the 32 hex digits of the digest, hyphenated 8-4-4-4-12.
  const hex = createHash('md5').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

export const BENCH_USER = idOf('user:1');
/** An external user (eu.fabrikam.example) whose browse result is also verified. */
export const EXTERNAL_USER = idOf('user:10');
export const APPROVER = idOf('user:2');

const HELPERS = `
  CREATE FUNCTION pg_temp.h(n bigint, salt int) RETURNS int LANGUAGE sql IMMUTABLE
    AS $$ SELECT (abs(hashint8(n * 7919 + salt)::bigint) % 1000000)::int $$`;

export async function seedBrowseData(db: Client): Promise<Record<string, number>> {
  const s = BROWSE_SCALE;
  const m = s.scopeMix;
  await db.query('BEGIN');
  await db.query(HELPERS);
  const steps: Array<[string, string]> = [
    [
      'users',
      // Every 10th user is external, in one of four domains (sub-domains included).
      `INSERT INTO users (id, display_name, email, domain, kind)
       SELECT md5('user:' || n)::uuid, 'User ' || n, 'user' || n || '@' || d.domain, d.domain,
              CASE WHEN n % 10 = 0 THEN 'external' ELSE 'internal' END
         FROM generate_series(1, ${s.users}) n,
         LATERAL (SELECT CASE WHEN n % 10 = 0
                    THEN (ARRAY['eu.fabrikam.example', 'partner.example', 'contoso.example',
                                'labs.tailspin.example'])[1 + (n / 10 - 1) % 4]
                    ELSE 'woodgrove.example' END AS domain) d`,
    ],
    [
      'groups',
      `INSERT INTO groups (id, name) SELECT md5('group:' || n)::uuid, 'Group ' || n
         FROM generate_series(1, ${s.groups}) n`,
    ],
    [
      'group_members',
      `INSERT INTO group_members (group_id, user_id)
       SELECT md5('group:' || g)::uuid, md5('user:1')::uuid
         FROM generate_series(1, ${s.benchUserGroups}) k,
         LATERAL (SELECT k * ${s.groups / s.benchUserGroups} AS g) x
       UNION
       SELECT md5('group:' || (1 + pg_temp.h(u * 16 + k, 2) % ${s.groups}))::uuid, md5('user:' || u)::uuid
         FROM generate_series(2, ${s.users}) u, generate_series(1, ${s.groupsPerUser}) k`,
    ],
    [
      'catalogs',
      `INSERT INTO catalogs (id, name, description, enabled)
       SELECT md5('catalog:' || n)::uuid, 'Catalog ' || n, 'Benchmark catalog ' || n,
              n <> ALL (ARRAY[${s.disabledCatalogs.join(', ')}])
         FROM generate_series(1, ${s.catalogs}) n`,
    ],
    [
      'resources',
      `INSERT INTO resources (id, catalog_id, type, origin_id, display_name)
       SELECT md5('resource:' || n)::uuid, md5('catalog:' || n)::uuid, 'm365Group', 'group-' || n,
              'Resource ' || n
         FROM generate_series(1, ${s.catalogs}) n`,
    ],
    [
      'resource_roles',
      `INSERT INTO resource_roles (id, resource_id, name)
       SELECT md5('role:' || n)::uuid, md5('resource:' || n)::uuid, 'member'
         FROM generate_series(1, ${s.catalogs}) n`,
    ],
    [
      'access_packages',
      `INSERT INTO access_packages (id, catalog_id, name, description, hidden, deleted_at)
       SELECT md5('package:' || n)::uuid, md5('catalog:' || (1 + pg_temp.h(n, 3) % ${s.catalogs}))::uuid,
              w.area || ' ' || w.thing || ' ' || lpad(n::text, 4, '0'),
              CASE WHEN pg_temp.h(n, 6) % 5 = 0 THEN 'Access for the ' || w.thing || ' project team'
                   ELSE 'Shared ' || lower(w.thing) || ' of the ' || lower(w.area) || ' department' END,
              pg_temp.h(n, 7) % 100 < ${s.hiddenPct},
              CASE WHEN pg_temp.h(n, 8) % 100 < ${s.deletedPct} THEN now() - interval '10 days' END
         FROM generate_series(1, ${s.packages}) n,
         LATERAL (SELECT
           (ARRAY['Project', 'Finance', 'Sales', 'Engineering', 'Marketing', 'Legal', 'Support',
                  'Data', 'Security', 'Operations'])[1 + pg_temp.h(n, 4) % 10] AS area,
           (ARRAY['Alpha', 'Portal', 'Reports', 'Admins', 'Readers', 'Writers', 'Analytics',
                  'Platform', 'Tools', 'Archive'])[1 + pg_temp.h(n, 5) % 10] AS thing) w`,
    ],
    [
      'access_package_resource_roles',
      `INSERT INTO access_package_resource_roles (package_id, resource_role_id)
       SELECT md5('package:' || n)::uuid, md5('role:' || (1 + pg_temp.h(n, 3) % ${s.catalogs}))::uuid
         FROM generate_series(1, ${s.packages}) n`,
    ],
    [
      'policies',
      // A package's policies address the same audience with different settings, so the
      // scope mix holds for packages and for policies alike.
      `INSERT INTO policies (id, package_id, name, enabled, requestor_scope, external_domains,
              approval_required, requestor_justification_required, approver_justification_required,
              approval_timeout_days, expiration_type, expiration_days, allow_custom_schedule,
              extension_allowed, extension_requires_approval, deleted_at)
       SELECT md5('policy:' || j)::uuid, md5('package:' || k.pkg)::uuid, 'Policy ' || j,
              pg_temp.h(j, 10) % 100 >= ${s.disabledPolicyPct}, sc.scope,
              CASE WHEN sc.scope = 'externalDomains'
                   THEN ARRAY[(ARRAY['fabrikam.example', 'partner.example', 'northwind.example',
                                     'tailspin.example'])[1 + pg_temp.h(j, 11) % 4]]
                   ELSE '{}' END,
              sc.scope <> 'none', sc.scope <> 'none', false, 14, 'afterDays', 365, false, false, false,
              CASE WHEN pg_temp.h(j, 12) % 100 < ${s.deletedPolicyPct} THEN now() END
         FROM generate_series(1, ${s.packages * s.policiesPerPackage}) j,
         LATERAL (SELECT (j - 1) / ${s.policiesPerPackage} + 1 AS pkg) k,
         LATERAL (SELECT pg_temp.h(k.pkg, 9) % 100 AS r) x,
         LATERAL (SELECT CASE WHEN x.r < ${m.allMembers} THEN 'allMembers'
                              WHEN x.r < ${m.allMembers + m.specificUsers} THEN 'specificUsers'
                              WHEN x.r < ${m.allMembers + m.specificUsers + m.externalDomains} THEN 'externalDomains'
                              ELSE 'none' END AS scope) sc`,
    ],
    [
      'policy_principals (requestors)',
      // 1-5 users or groups per specificUsers policy; the benchmark user is also named
      // directly by about 1% of them, so the direct branch is exercised too.
      `INSERT INTO policy_principals (policy_id, relation, user_id, group_id)
       SELECT pol.id, 'requestor',
              CASE WHEN NOT x.is_group THEN md5('user:' || (2 + x.pick / 100 % ${s.users - 1}))::uuid END,
              CASE WHEN x.is_group THEN md5('group:' || (1 + x.pick / 100 % ${s.groups}))::uuid END
         FROM generate_series(1, ${s.packages * s.policiesPerPackage}) j
         JOIN policies pol ON pol.id = md5('policy:' || j)::uuid AND pol.requestor_scope = 'specificUsers'
         CROSS JOIN generate_series(1, 5) k
         CROSS JOIN LATERAL (SELECT pg_temp.h(j * 8 + k, 14) AS pick) p
         CROSS JOIN LATERAL (SELECT p.pick % 100 < ${s.groupPrincipalPct} AS is_group, p.pick) x
        WHERE k <= 1 + pg_temp.h(j, 13) % 5
       UNION ALL
       SELECT pol.id, 'requestor', md5('user:1')::uuid, NULL
         FROM generate_series(1, ${s.packages * s.policiesPerPackage}) j
         JOIN policies pol ON pol.id = md5('policy:' || j)::uuid AND pol.requestor_scope = 'specificUsers'
        WHERE pg_temp.h(j, 15) % 100 = 0
       ON CONFLICT DO NOTHING`,
    ],
    [
      'policy_principals (approvers)',
      `INSERT INTO policy_principals (policy_id, relation, user_id)
       SELECT md5('policy:' || j)::uuid, 'approver', md5('user:' || (2 + pg_temp.h(j, 16) % ${s.users - 1}))::uuid
         FROM generate_series(1, ${s.packages * s.policiesPerPackage}) j
         JOIN policies pol ON pol.id = md5('policy:' || j)::uuid AND pol.approval_required`,
    ],
  ];
  const counts: Record<string, number> = {};
  for (const [name, sql] of steps) {
    const r = await db.query(sql);
    counts[name] = r.rowCount ?? 0;
  }
  await db.query('COMMIT');
  // VACUUM too: it sets the visibility map and flushes the trigram index's pending list, as
  // autovacuum would have done long ago on a live system.
  await db.query('VACUUM (ANALYZE)');
  return counts;
}

export interface DecisionData {
  /** pendingApproval requests to approve through DecisionService. */
  serviceRequestIds: string[];
  /** pendingApproval requests for the bare UPDATE baseline. */
  bareRequestIds: string[];
}

const DECISION_PACKAGES_PER_SET = 10;

/** Which decision benchmark the data is for: each has a catalog and ids of its own. */
const DECISION_SETS = {
  decisions: { label: 'Decision', channel: 'C0BENCH', prefix: 'd' },
  teams: { label: 'Teams', channel: 'C0TEAMS', prefix: 't' },
  slack: { label: 'Slack', channel: 'C0SLACK', prefix: 's' },
} as const;

/**
 * A catalog of 2 × 10 packages, each with one resource role and one approval policy naming
 * the approver; then `count` pendingApproval requests (with their request_approvers row) on
 * each set of packages, each for a distinct user × package.
 */
export async function seedDecisionData(
  db: Client,
  count: number,
  name: keyof typeof DECISION_SETS = 'decisions',
): Promise<DecisionData> {
  const { label, channel, prefix } = DECISION_SETS[name];
  const packages = 2 * DECISION_PACKAGES_PER_SET;
  await db.query('BEGIN');
  await db.query(`INSERT INTO catalogs (id, name, description) VALUES
    (md5('catalog:${name}')::uuid, '${label} benchmark', 'Packages for the ${name} benchmark')`);
  await db.query(`INSERT INTO resources (id, catalog_id, type, origin_id, display_name) VALUES
    (md5('resource:${name}')::uuid, md5('catalog:${name}')::uuid, 'slackChannel', '${channel}', '#${name}')`);
  await db.query(`INSERT INTO resource_roles (id, resource_id, name) VALUES
    (md5('role:${name}')::uuid, md5('resource:${name}')::uuid, 'member')`);
  await db.query(`INSERT INTO access_packages (id, catalog_id, name, description)
    SELECT md5('${prefix}package:' || n)::uuid, md5('catalog:${name}')::uuid, '${label} package ' || n, ''
      FROM generate_series(1, ${packages}) n`);
  await db.query(`INSERT INTO access_package_resource_roles (package_id, resource_role_id)
    SELECT md5('${prefix}package:' || n)::uuid, md5('role:${name}')::uuid FROM generate_series(1, ${packages}) n`);
  await db.query(`INSERT INTO policies (id, package_id, name, requestor_scope, approval_required,
           requestor_justification_required, approver_justification_required, approval_timeout_days,
           expiration_type, expiration_days, allow_custom_schedule, extension_allowed,
           extension_requires_approval)
    SELECT md5('${prefix}policy:' || n)::uuid, md5('${prefix}package:' || n)::uuid, '${label} policy ' || n,
           'allMembers', true, true, false, 14, 'afterDays', 30, false, false, false
      FROM generate_series(1, ${packages}) n`);
  await db.query(
    `INSERT INTO policy_principals (policy_id, relation, user_id)
    SELECT md5('${prefix}policy:' || n)::uuid, 'approver', $1::uuid FROM generate_series(1, ${packages}) n`,
    [APPROVER],
  );
  const requests = async (set: number) => {
    const r = await db.query<{ request_id: string }>(
      `WITH req AS (
         INSERT INTO access_requests (type, state, requestor_id, target_user_id, package_id, policy_id,
                policy_snapshot, justification, approval_due_at)
         SELECT 'userAdd', 'pendingApproval', x.u, x.u, md5('${prefix}package:' || x.p)::uuid,
                md5('${prefix}policy:' || x.p)::uuid,
                jsonb_build_object(
                  'policyId', md5('${prefix}policy:' || x.p)::uuid, 'name', '${label} policy ' || x.p,
                  'approvalRequired', true, 'requestorJustificationRequired', true,
                  'approverJustificationRequired', false, 'approvalTimeoutDays', 14,
                  'expiration', jsonb_build_object('type', 'afterDays', 'days', 30),
                  'allowCustomSchedule', false, 'extensionAllowed', false,
                  'extensionRequiresApproval', false),
                'Needed for the benchmark', now() + interval '14 days'
           FROM generate_series(0, $1 - 1) i,
           LATERAL (SELECT md5('user:' || (3 + i / ${DECISION_PACKAGES_PER_SET}))::uuid AS u,
                           ${set * DECISION_PACKAGES_PER_SET} + 1 + i % ${DECISION_PACKAGES_PER_SET} AS p) x
         RETURNING id, number)
       INSERT INTO request_approvers (request_id, user_id)
       SELECT id, $2::uuid FROM req ORDER BY number
       RETURNING request_id`,
      [count, APPROVER],
    );
    return r.rows.map((row) => row.request_id);
  };
  const serviceRequestIds = await requests(0);
  const bareRequestIds = await requests(1);
  await db.query('COMMIT');
  await db.query('ANALYZE');
  return { serviceRequestIds, bareRequestIds };
}
