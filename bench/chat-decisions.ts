import express from 'express';
import { Pool, type Client } from 'pg';
import { postmasterPid } from './cpu-meter';
import { runDecisionLoad, slices } from './decision-load';
import { listen, type LoadResult } from './http-load';
import type { Target } from './load-senders';
import { seedDecisionData } from './seed';

/**
 * Decisions from a chat platform's Approve button next to a floor measured in the same run: a
 * bare express + pg app whose one transaction does the conditional UPDATE and the audit INSERT.
 * Written once; each platform brings only its click (teams-decisions-bench, slack-decisions-bench),
 * and the load generator runs on a thread of its own (decision-load.ts).
 */

export interface DecisionOptions {
  poolSize: number;
  concurrency: number;
  warmup: number;
  fullSpeed: number;
  ratePerSecond: number;
  rateSeconds: number;
}

export interface ModeResults {
  floor: LoadResult;
  bot: LoadResult;
}

export interface DecisionResults {
  full: ModeResults;
  rate: ModeResults;
  /** Null when every request of both sides was approved exactly once, with one audit event. */
  problem: string | null;
  /** Slack clicks after the warm-up: from the post leaving to Bolt's HTTP 200. */
  acks: number[];
}

/** Requests each side needs for these options. */
export const requestsNeeded = (o: DecisionOptions) =>
  o.warmup + o.fullSpeed + o.ratePerSecond * o.rateSeconds;

export interface ChatDecisionData {
  /** pendingApproval requests approved by clicks on the bot. */
  botRequestIds: string[];
  /** pendingApproval requests for the bare express + pg floor. */
  floorRequestIds: string[];
}

/** The decision benchmark's data shape, in a catalog of its own for the platform's section. */
export async function seedChatDecisionData(
  db: Client,
  count: number,
  platform: 'teams' | 'slack',
): Promise<ChatDecisionData> {
  const data = await seedDecisionData(db, count, platform);
  return { botRequestIds: data.serviceRequestIds, floorRequestIds: data.bareRequestIds };
}

/** The floor: conditional UPDATE + audit INSERT in one transaction, behind express. */
async function startFloor(dbUrl: string, poolSize: number, channel: string) {
  const pool = new Pool({ connectionString: dbUrl, max: poolSize });
  const app = express();
  app.post('/decide', express.json(), async (req, res) => {
    const { requestId, approverId, label } = req.body as Record<string, string>;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const r = await client.query(
        `UPDATE access_requests SET state = 'approved', decided_by = $2, decided_at = now()
          WHERE id = $1 AND state = 'pendingApproval' RETURNING id`,
        [requestId, approverId],
      );
      if (r.rowCount !== 1) {
        await client.query('ROLLBACK');
        return void res.status(409).json({ error: 'already decided' });
      }
      await client.query(
        `INSERT INTO audit_events (at, actor_label, action, subject_type, subject_id, channel, details)
         VALUES (now(), $2, 'request.approved', 'request', $1, $3, '{}')`,
        [requestId, label, channel],
      );
      await client.query('COMMIT');
      res.json({ id: requestId, state: 'approved' });
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      res.status(500).json({ error: String(err) });
    } finally {
      client.release();
    }
  });
  const server = await listen(app);
  return {
    url: `${server.url}/decide`,
    close: async () => {
      await server.close();
      await pool.end();
    },
  };
}

/**
 * Warm-up, then full speed (closed loop) and the fixed rate (open loop), floor and bot in
 * alternating rounds; then each request checked in SQL. `bot` says where the bot's clicks go.
 */
export async function benchDecisions(args: {
  db: Client;
  dbUrl: string;
  channel: 'teams' | 'slack';
  approver: { id: string; email: string };
  data: ChatDecisionData;
  options: DecisionOptions;
  bot: Target;
}): Promise<DecisionResults> {
  const o = args.options;
  const floor = await startFloor(args.dbUrl, o.poolSize, args.channel);
  try {
    const load = await runDecisionLoad({
      options: o,
      postmaster: postmasterPid(),
      floor: {
        target: {
          kind: 'floor',
          url: floor.url,
          approverId: args.approver.id,
          label: args.approver.email,
        },
        ids: args.data.floorRequestIds,
      },
      bot: { target: args.bot, ids: args.data.botRequestIds },
    });
    const used = (ids: string[]) => Object.values(slices(ids, o)).flat();
    const problem =
      (await verifyApproved(args.db, 'bot', used(args.data.botRequestIds), args.approver.id)) ??
      (await verifyApproved(args.db, 'floor', used(args.data.floorRequestIds), args.approver.id));
    return { ...load, problem };
  } finally {
    await floor.close();
  }
}

/** Each request approved once, by the approver, with exactly one 'request.approved' event. */
export async function verifyApproved(
  db: Client,
  side: string,
  ids: string[],
  approverId: string,
): Promise<string | null> {
  const { rows } = await db.query<{ decided: number; audited: number }>(
    `SELECT count(*) FILTER (WHERE r.state IN ('approved', 'delivering', 'delivered') AND r.decided_by = $2)::int AS decided,
            count(*) FILTER (WHERE (SELECT count(*) FROM audit_events a
                                     WHERE a.subject_type = 'request' AND a.subject_id = r.id::text
                                       AND a.action = 'request.approved') = 1)::int AS audited
       FROM access_requests r WHERE r.id = ANY($1)`,
    [ids, approverId],
  );
  const [c] = rows;
  if (c.decided === ids.length && c.audited === ids.length) return null;
  return `${side}: of ${ids.length} requests ${c.decided} approved by the approver, ${c.audited} with exactly one audit event`;
}
