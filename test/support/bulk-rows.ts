import type { Client } from 'pg';

/**
 * Rows written straight to the tables, from a connection of the test's own: the services
 * would take minutes to submit thousands of requests, and an export must cope with writers
 * it does not know about. Seeded requests are decided, so the one-open-request index allows
 * any number per user; seeded assignments have ended, for the one-active-assignment index.
 */
export interface Owner {
  packageId: string;
  userId: string;
}

export async function insertRequests(
  client: Client,
  { packageId, userId }: Owner,
  count: number,
  justification = 'seeded',
): Promise<number[]> {
  const { rows } = await client.query(
    `INSERT INTO access_requests (type, state, requestor_id, target_user_id, package_id, justification)
     SELECT 'userAdd', 'denied', $1, $1, $2, $3 || ' ' || g FROM generate_series(1, $4) g
     RETURNING number`,
    [userId, packageId, justification, count],
  );
  return rows.map((r) => Number(r.number));
}

/**
 * `createdAt` is an SQL expression of `g`, the row's place in the batch (1..count): tests
 * give many rows one timestamp, or timestamps a microsecond apart, to test the keyset's ties.
 */
export async function insertAssignments(
  client: Client,
  { packageId, userId, policyId }: Owner & { policyId: string },
  count: number,
  createdAt = 'now()',
): Promise<string[]> {
  const { rows } = await client.query(
    `INSERT INTO assignments (user_id, package_id, policy_id, policy_snapshot, state, start_at, created_at)
     SELECT $1, $2, $3, '{"name": "Policy"}', 'expired', now(), ${createdAt}
       FROM generate_series(1, $4) g
     RETURNING id`,
    [userId, packageId, policyId, count],
  );
  return rows.map((r) => r.id);
}

/** Each value's count, to tell "missing" and "repeated" apart in a failure message. */
export function tally<T>(values: T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** The expected values that are absent or present more than once; empty when all is well. */
export function notExactlyOnce<T>(expected: T[], seen: T[]): Array<[T, number]> {
  const counts = tally(seen);
  return expected.map((v): [T, number] => [v, counts.get(v) ?? 0]).filter(([, n]) => n !== 1);
}
