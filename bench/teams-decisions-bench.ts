import express from 'express';
import { Pool, type Client } from 'pg';
import pino from 'pino';
import { ChatService } from '../bot/core/chat-service';
import { createTeamsAdapter } from '../bot/teams/adapter';
import { createTeamsRouter } from '../bot/teams/router';
import { createApp } from '../server/app';
import type { Clock } from '../server/domain/clock';
import { createMetrics } from '../server/metrics';
import type { Services } from '../server/domain/services';
import { cardAction, teamsMember } from '../test/support/teams/activities';
import type { Member } from '../test/support/teams/fake-connector';
import {
  alternating,
  closedLoop,
  jsonClient,
  listen,
  openLoop,
  type LoadResult,
} from './http-load';

/** Floor and bot take turns this many times in each mode (http-load.ts `alternating`). */
export const ROUNDS = 3;

/**
 * Decisions as Teams sends them: `adaptiveCard/action` invokes over HTTP to /api/messages,
 * through the real CloudAdapter and chat layer, next to a floor measured in the same run: a bare
 * express + pg app whose one transaction does the conditional UPDATE and the audit INSERT.
 */

export interface ModeResults {
  floor: LoadResult;
  bot: LoadResult;
}

export interface TeamsDecisionResults {
  full: ModeResults;
  rate: ModeResults;
  /** Null when every request of both sides was approved exactly once, with one audit event. */
  problem: string | null;
}

export interface TeamsDecisionOptions {
  poolSize: number;
  concurrency: number;
  warmup: number;
  fullSpeed: number;
  ratePerSecond: number;
  rateSeconds: number;
}

/** Requests each side needs for these options. */
export const requestsNeeded = (o: TeamsDecisionOptions) =>
  o.warmup + o.fullSpeed + o.ratePerSecond * o.rateSeconds;

/** The floor: conditional UPDATE + audit INSERT in one transaction, behind express. */
async function startFloor(dbUrl: string, poolSize: number) {
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
         VALUES (now(), $2, 'request.approved', 'request', $1, 'teams', '{}')`,
        [requestId, label],
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
 * The bot as deployed without an app id: the server's app (createApp, with its metrics and
 * error handling) with /api/messages mounted, ChatService on the services.
 */
export async function startBot(services: Services, clock: Clock) {
  const logger = pino({ level: 'silent' });
  const adapter = createTeamsAdapter({ microsoftAppType: 'MultiTenant' });
  const chat = new ChatService({
    services,
    clock,
    logger,
    publicUrl: 'http://accessbot.bench',
    allowedTenants: {},
  });
  const app = createApp({
    dataSource: services.ctx.db,
    logger,
    metrics: createMetrics(),
    routers: [
      ['/api/messages', createTeamsRouter({ adapter, chat, logger, authenticated: false })],
    ],
  });
  const server = await listen(app);
  return { url: `${server.url}/api/messages`, close: server.close };
}

/** What botbuilder would store as the conversation reference of a member's personal chat. */
export function referenceOf(member: Member, serviceUrl: string): Record<string, unknown> {
  const activity = cardAction(member, serviceUrl, 'refresh', {});
  return JSON.parse(
    JSON.stringify({
      activityId: activity.id,
      user: activity.from,
      bot: activity.recipient,
      conversation: activity.conversation,
      channelId: activity.channelId,
      locale: activity.locale,
      serviceUrl: activity.serviceUrl,
    }),
  ) as Record<string, unknown>;
}

/** A Teams member already known to Accessbot, as after their first message to the bot. */
export async function knownMember(
  services: Services,
  serviceUrl: string,
  name: string,
  email: string,
): Promise<Member> {
  const member = teamsMember(name, email);
  await services.directory.resolvePlatformUser({
    platform: 'teams',
    tenantId: member.tenantId,
    platformUserId: member.aadObjectId,
    email,
    displayName: name,
    conversationReference: referenceOf(member, serviceUrl),
  });
  return member;
}

export async function benchTeamsDecisions(args: {
  services: Services;
  clock: Clock;
  db: Client;
  dbUrl: string;
  connectorUrl: string;
  approver: { id: string; email: string; displayName: string };
  botRequestIds: string[];
  floorRequestIds: string[];
  options: TeamsDecisionOptions;
}): Promise<TeamsDecisionResults> {
  const o = args.options;
  const member = await knownMember(
    args.services,
    args.connectorUrl,
    args.approver.displayName,
    args.approver.email,
  );
  const floor = await startFloor(args.dbUrl, o.poolSize);
  const bot = await startBot(args.services, args.clock);
  const client = jsonClient();
  // The load generator's own work (building and serialising each activity) is done ahead.
  const activities = new Map(
    args.botRequestIds.map((requestId) => [
      requestId,
      Buffer.from(JSON.stringify(cardAction(member, args.connectorUrl, 'approve', { requestId }))),
    ]),
  );
  const clickApprove = async (requestId: string) => {
    const res = await client.post(bot.url, activities.get(requestId));
    const body = res.body as { statusCode?: number; type?: string } | undefined;
    if (
      res.status !== 200 ||
      body?.statusCode !== 200 ||
      body.type !== 'application/vnd.microsoft.card.adaptive' ||
      !res.text.includes('Approved:')
    ) {
      return `bot answered ${res.status}: ${res.text.slice(0, 300)}`;
    }
    return null;
  };
  const floorApprove = async (requestId: string) => {
    const res = await client.post(floor.url, {
      requestId,
      approverId: args.approver.id,
      label: args.approver.email,
    });
    return res.status === 200 ? null : `floor answered ${res.status}: ${JSON.stringify(res.body)}`;
  };
  const slices = (ids: string[]) => {
    const rate = o.ratePerSecond * o.rateSeconds;
    return {
      warm: ids.slice(0, o.warmup),
      full: ids.slice(o.warmup, o.warmup + o.fullSpeed),
      rate: ids.slice(o.warmup + o.fullSpeed, o.warmup + o.fullSpeed + rate),
    };
  };
  const f = slices(args.floorRequestIds);
  const b = slices(args.botRequestIds);
  try {
    await closedLoop(f.warm, o.concurrency, floorApprove);
    await closedLoop(b.warm, o.concurrency, clickApprove);
    const [fullFloor, fullBot] = await alternating(
      ROUNDS,
      { items: f.full, run: (ids) => closedLoop(ids, o.concurrency, floorApprove) },
      { items: b.full, run: (ids) => closedLoop(ids, o.concurrency, clickApprove) },
    );
    const [rateFloor, rateBot] = await alternating(
      ROUNDS,
      { items: f.rate, run: (ids) => openLoop(ids, o.ratePerSecond, floorApprove) },
      { items: b.rate, run: (ids) => openLoop(ids, o.ratePerSecond, clickApprove) },
    );
    const full = { floor: fullFloor, bot: fullBot };
    const rate = { floor: rateFloor, bot: rateBot };
    const used = (s: ReturnType<typeof slices>) => [...s.warm, ...s.full, ...s.rate];
    const problem =
      (await verifyApproved(args.db, 'bot', used(b), args.approver.id)) ??
      (await verifyApproved(args.db, 'floor', used(f), args.approver.id));
    return { full, rate, problem };
  } finally {
    client.close();
    await bot.close();
    await floor.close();
  }
}

/** Each request approved once, by the approver, with exactly one 'request.approved' event. */
async function verifyApproved(
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
