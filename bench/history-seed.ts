import type { Client } from 'pg';
import { BROWSE_SCALE } from './seed';

/**
 * Optional (BENCH_HISTORY=N): N requests delivered and expired long ago, each with its
 * assignment, so the decision benchmark runs against a table the size of a live system's.
 */
export async function seedHistory(db: Client, count: number): Promise<void> {
  const s = BROWSE_SCALE;
  await db.query('BEGIN');
  await db.query(
    `CREATE TEMP TABLE bench_history ON COMMIT DROP AS
    SELECT gen_random_uuid() AS assignment_id, md5('user:' || (1 + i % ${s.users}))::uuid AS user_id,
           md5('package:' || (1 + i % ${s.packages}))::uuid AS package_id,
           md5('policy:' || (${s.policiesPerPackage} * (i % ${s.packages}) + 1))::uuid AS policy_id,
           now() - make_interval(mins => i) AS at
      FROM generate_series(1, $1::int) i`,
    [count],
  );
  await db.query(`INSERT INTO assignments (id, user_id, package_id, policy_id, policy_snapshot, state,
           start_at, end_at, ended_at, end_reason)
    SELECT assignment_id, user_id, package_id, policy_id, '{}', 'expired', at - interval '30 days', at, at,
           'Expired.'
      FROM bench_history`);
  await db.query(`INSERT INTO access_requests (type, state, requestor_id, target_user_id, package_id,
           policy_id, assignment_id, decided_at, created_at, updated_at)
    SELECT 'userAdd', 'delivered', user_id, user_id, package_id, policy_id, assignment_id,
           at - interval '30 days', at - interval '31 days', at - interval '30 days'
      FROM bench_history`);
  await db.query('COMMIT');
  await db.query('ANALYZE access_requests, assignments');
}
