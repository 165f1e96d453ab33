import type { Client } from 'pg';

export const EXPIRY_MINUTE = new Date('2026-12-01T09:00:00Z');

/**
 * `count` delivered assignments of one package whose two resource roles go through the webhook
 * connector to `receiverUrl`, all ending within the same minute, each with its delivered
 * request and its two delivered grants: what a live system holds before a mass expiry.
 */
export async function seedExpiringAssignments(
  db: Client,
  count: number,
  receiverUrl: string,
): Promise<{ packageId: string }> {
  await db.query('BEGIN');
  await db.query(`INSERT INTO catalogs (id, name, description) VALUES
    (md5('catalog:expiry')::uuid, 'Expiry benchmark', '')`);
  await db.query(
    `INSERT INTO resources (id, catalog_id, type, origin_id, display_name, attributes)
     SELECT md5('resource:expiry:' || n)::uuid, md5('catalog:expiry')::uuid, 'webhook',
            'system-' || n, 'System ' || n, jsonb_build_object('url', $1 || '/system-' || n)
       FROM generate_series(1, 2) n`,
    [receiverUrl],
  );
  await db.query(`INSERT INTO resource_roles (id, resource_id, name)
    SELECT md5('role:expiry:' || n)::uuid, md5('resource:expiry:' || n)::uuid, 'member'
      FROM generate_series(1, 2) n`);
  await db.query(`INSERT INTO access_packages (id, catalog_id, name, description) VALUES
    (md5('package:expiry')::uuid, md5('catalog:expiry')::uuid, 'Expiry package', '')`);
  await db.query(`INSERT INTO access_package_resource_roles (package_id, resource_role_id)
    SELECT md5('package:expiry')::uuid, md5('role:expiry:' || n)::uuid FROM generate_series(1, 2) n`);
  await db.query(`INSERT INTO policies (id, package_id, name, requestor_scope, approval_required,
           requestor_justification_required, approver_justification_required, approval_timeout_days,
           expiration_type, expiration_days, allow_custom_schedule, extension_allowed,
           extension_requires_approval)
    VALUES (md5('policy:expiry')::uuid, md5('package:expiry')::uuid, 'Expiry policy', 'allMembers',
            false, false, false, 14, 'afterDays', 30, false, false, false)`);
  await db.query(
    `CREATE TEMP TABLE seeded ON COMMIT DROP AS
     SELECT gen_random_uuid() AS user_id, gen_random_uuid() AS assignment_id, i,
            $2::timestamptz + make_interval(secs => (i % 60000) / 1000.0) AS end_at
       FROM generate_series(1, $1::int) i`,
    [count, EXPIRY_MINUTE],
  );
  await db.query(`INSERT INTO users (id, display_name, email, domain, kind)
    SELECT user_id, 'Holder ' || i, 'holder' || i || '@woodgrove.example', 'woodgrove.example',
           'internal' FROM seeded`);
  await db.query(`INSERT INTO assignments (id, user_id, package_id, policy_id, policy_snapshot,
           state, start_at, end_at)
    SELECT assignment_id, user_id, md5('package:expiry')::uuid, md5('policy:expiry')::uuid,
           '{"name": "Expiry policy"}', 'delivered', end_at - interval '30 days', end_at FROM seeded`);
  await db.query(`INSERT INTO access_requests (type, state, requestor_id, target_user_id,
           package_id, policy_id, assignment_id, decided_at)
    SELECT 'userAdd', 'delivered', user_id, user_id, md5('package:expiry')::uuid,
           md5('policy:expiry')::uuid, assignment_id, end_at - interval '30 days' FROM seeded`);
  await db.query(`INSERT INTO fulfillments (assignment_id, resource_role_id, action, state, attempts)
    SELECT assignment_id, md5('role:expiry:' || n)::uuid, 'grant', 'delivered', 1
      FROM seeded, generate_series(1, 2) n`);
  await db.query('COMMIT');
  await db.query('ANALYZE');
  const { rows } = await db.query(`SELECT md5('package:expiry')::uuid AS id`);
  return { packageId: rows[0].id };
}
