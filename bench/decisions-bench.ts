import { Pool, type Client } from 'pg';
import type { Actor } from '../server/domain/actor';
import type { DecisionService } from '../server/domain/decisions';
import { recordStatements, statementKinds } from './sql-counter';
import { runConcurrently } from './stats';

export interface ThroughputResult {
  count: number;
  seconds: number;
  perSecond: number;
}

export interface DecideProfile {
  statements: number;
  kinds: string;
  transactions: number;
}

/** Runs one decide() alone and counts the statements it sends. */
export async function profileDecide(
  decisions: DecisionService,
  actor: Actor,
  requestId: string,
): Promise<DecideProfile> {
  const { statements } = await recordStatements(() =>
    decisions.decide(actor, requestId, { decision: 'approve' }),
  );
  return {
    statements: statements.length,
    kinds: statementKinds(statements),
    transactions: statements.filter((s) => /^\s*START TRANSACTION/i.test(s.sql)).length,
  };
}

export async function timeDecisions(
  decisions: DecisionService,
  actor: Actor,
  requestIds: string[],
  concurrency: number,
): Promise<ThroughputResult> {
  const seconds = await runConcurrently(requestIds, concurrency, (id) =>
    decisions.decide(actor, id, { decision: 'approve' }),
  );
  return { count: requestIds.length, seconds, perSecond: requestIds.length / seconds };
}

/** The first-decision-wins UPDATE alone, through a bare node-postgres pool. */
export async function timeBareUpdates(
  url: string,
  approverId: string,
  requestIds: string[],
  opts: { poolSize: number; concurrency: number; warmup: number },
): Promise<ThroughputResult> {
  const pool = new Pool({ connectionString: url, max: opts.poolSize });
  const update = async (id: string) => {
    const r = await pool.query(
      `UPDATE access_requests SET state = 'approved', decided_by = $2, decided_at = now()
        WHERE id = $1 AND state = 'pendingApproval' RETURNING id`,
      [id, approverId],
    );
    if (r.rowCount !== 1) throw new Error(`bare update of ${id} changed ${r.rowCount} rows`);
  };
  try {
    const warm = requestIds.slice(0, opts.warmup);
    const timed = requestIds.slice(opts.warmup);
    await runConcurrently(warm, opts.concurrency, update);
    const seconds = await runConcurrently(timed, opts.concurrency, update);
    return { count: timed.length, seconds, perSecond: timed.length / seconds };
  } finally {
    await pool.end();
  }
}

/** Every approved request was delivered: request, assignment and fulfillment all say so. */
export async function verifyDecisions(db: Client, requestIds: string[]): Promise<string | null> {
  const { rows } = await db.query<{ requests: string; assignments: string; fulfillments: string }>(
    `SELECT count(*) FILTER (WHERE r.state = 'delivered') AS requests,
            count(*) FILTER (WHERE a.state = 'delivered') AS assignments,
            (SELECT count(*) FROM fulfillments f JOIN access_requests r2 ON r2.assignment_id = f.assignment_id
              WHERE r2.id = ANY($1) AND f.state = 'delivered' AND f.action = 'grant') AS fulfillments
       FROM access_requests r LEFT JOIN assignments a ON a.id = r.assignment_id
      WHERE r.id = ANY($1)`,
    [requestIds],
  );
  const [c] = rows;
  const n = String(requestIds.length);
  if (c.requests === n && c.assignments === n && c.fulfillments === n) return null;
  return `expected ${n} delivered requests, assignments and fulfillments; got ${c.requests}, ${c.assignments}, ${c.fulfillments}`;
}
