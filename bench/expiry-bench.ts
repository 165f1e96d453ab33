import { PostgresBackend } from '@agendajs/postgres-backend';
import { Agenda } from 'agenda';
import { Client } from 'pg';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from '../db/data-source';
import { ACTIVE_STATES_SQL } from '../db/entities';
import { WebhookConnector } from '../server/connectors/webhook';
import { SCHEDULER } from '../server/domain/actor';
import { audit } from '../server/domain/audit';
import { ManualClock } from '../server/domain/clock';
import { queueRevocations } from '../server/domain/fulfillment-queue';
import { enqueue } from '../server/domain/outbox-events';
import { createServices } from '../server/domain/services';
import { LIFECYCLE_JOBS, runJob } from '../server/lifecycle/jobs';
import { runInBackground } from '../server/work/background';
import { EXPIRY_MINUTE, seedExpiringAssignments } from './expiry-seed';
import { elapsed, sleep } from './stats';
import { spawnReceiver, type ReceiverTally } from './webhook-receiver';

const SECRET = 'bench-webhook-secret-bench-webhook-secret';
const ROLES_PER_ASSIGNMENT = 2;
/** Every assignment of the seeded minute is due by then. */
const AFTER_THE_MINUTE = new Date(EXPIRY_MINUTE.getTime() + 61_000);
const silent = pino({ level: 'silent' });

export interface ExpiryFigures {
  way: string;
  assignments: number;
  seconds: number;
  peakRssMb: number;
  /** Revocation calls the receiver counted, action ids it saw more than once, refusals. */
  receiver: ReceiverTally;
  /** Assignments left unexpired, or with a role not recorded as revoked: must be 0. */
  unfinished: number;
  /** When the last assignment had expired (its revocations queued), where known. */
  expiredSeconds?: number;
}

/** A database of its own on the bench's server, migrated; dropped by the returned function. */
async function freshDatabase(adminUrl: string, name: string) {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const ds = await createDataSource({ url: url.toString(), poolSize: 10 }).initialize();
  await migrate(ds);
  const db = new Client({ connectionString: url.toString() });
  await db.connect();
  return {
    url: url.toString(),
    ds,
    db,
    async drop() {
      await db.end();
      await ds.destroy();
      await admin.query(`DROP DATABASE ${name}`);
      await admin.end();
    },
  };
}

/** Samples this process's resident memory until stopped; the peak in MiB. */
function rssPeak() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return () => {
    clearInterval(timer);
    return Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20);
  };
}

/** Polls until `done` says so; a bench may poll, a test may not. */
async function until(done: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`not finished within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

async function unfinished(db: Client): Promise<number> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM assignments WHERE state <> 'expired')
          + (SELECT count(*) FROM fulfillments WHERE action <> 'revoke' OR state <> 'delivered')
            AS n`,
  );
  return Number(rows[0].n);
}

async function figures(
  way: string,
  assignments: number,
  t0: bigint,
  peak: () => number,
  receiver: Awaited<ReturnType<typeof spawnReceiver>>,
  db: Client,
): Promise<ExpiryFigures> {
  const seconds = elapsed(t0);
  return {
    way,
    assignments,
    seconds,
    peakRssMb: peak(),
    receiver: await receiver.tally(),
    unfinished: await unfinished(db),
  };
}

/**
 * Ours: the expiry job (what Agenda runs every minute) expires due assignments set-based and
 * queues their revocations; the fulfillment worker, woken by NOTIFY as in every server
 * process, makes the webhook calls and records them. Timed until every role is recorded.
 */
export async function benchSetBasedExpiry(adminUrl: string, count: number): Promise<ExpiryFigures> {
  const receiver = await spawnReceiver(SECRET);
  const base = receiver.url;
  const d = await freshDatabase(adminUrl, 'bench_expiry_set');
  try {
    await seedExpiringAssignments(d.db, count, base);
    const services = createServices({
      db: d.ds,
      clock: new ManualClock(AFTER_THE_MINUTE),
      provisioner: new WebhookConnector({ secret: SECRET }),
      admins: new Set(),
      logger: silent,
    });
    const expiry = LIFECYCLE_JOBS.find((j) => j.name === 'lifecycle: expiry')!;
    const peak = rssPeak();
    const t0 = process.hrtime.bigint();
    let expiredSeconds = 0;
    const stopWorker = runInBackground(services.fulfillment, 'fulfillment', d.url, silent);
    try {
      await runJob(expiry, services);
      expiredSeconds = elapsed(t0);
      await until(async () => (await unfinished(d.db)) === 0, 600_000);
    } finally {
      await stopWorker();
    }
    return {
      ...(await figures('set-based job + fulfillment worker', count, t0, peak, receiver, d.db)),
      expiredSeconds,
    };
  } finally {
    await d.drop();
    await receiver.stop();
  }
}

/**
 * The way we did not take: one Agenda job per assignment, scheduled at its end, each expiring
 * its assignment and revoking its roles itself. Agenda as tuned for it: 50 jobs at once, no
 * lock limit, polling every 200 ms.
 */
export async function benchPerJobExpiry(adminUrl: string, count: number): Promise<ExpiryFigures> {
  const receiver = await spawnReceiver(SECRET);
  const base = receiver.url;
  const d = await freshDatabase(adminUrl, 'bench_expiry_jobs');
  const clock = new ManualClock(AFTER_THE_MINUTE);
  const connector = new WebhookConnector({ secret: SECRET });
  const agenda = new Agenda({
    backend: new PostgresBackend({
      ensureSchema: false,
      poolConfig: { connectionString: d.url, max: 4 },
    }),
    processEvery: 200,
    maxConcurrency: 50,
    defaultConcurrency: 50,
  });
  try {
    await seedExpiringAssignments(d.db, count, base);
    // The jobs were scheduled as the assignments were made; not part of the timing.
    await d.db.query(
      `INSERT INTO agenda_jobs (name, next_run_at, type, data)
       SELECT 'expire assignment', end_at, 'normal', jsonb_build_object('assignmentId', id)
         FROM assignments`,
    );
    agenda.define<{ assignmentId: string }>(
      'expire assignment',
      (job) => expireOne(d.ds, clock, connector, job.attrs.data.assignmentId),
      { concurrency: 50 },
    );
    const peak = rssPeak();
    const t0 = process.hrtime.bigint();
    await agenda.start();
    await until(async () => (await unfinished(d.db)) === 0, 1_800_000);
    return await figures('one Agenda job per assignment', count, t0, peak, receiver, d.db);
  } finally {
    await agenda.stop().catch(() => undefined);
    await d.drop();
    await receiver.stop();
  }
}

/** One job's work: the assignment expired and audited, then each role revoked and recorded. */
async function expireOne(
  ds: DataSource,
  clock: ManualClock,
  connector: WebhookConnector,
  assignmentId: string,
) {
  const now = clock.now();
  await ds.transaction(async (em) => {
    const [expired] = await em.query(
      `UPDATE assignments SET state = 'expired', ended_at = $2, end_reason = 'Expired.', updated_at = $2
        WHERE id = $1 AND state IN ${ACTIVE_STATES_SQL} RETURNING id`,
      [assignmentId, now],
    );
    if (!expired) return;
    await queueRevocations(em, { assignmentIds: [assignmentId] });
    await audit(em, clock, SCHEDULER, 'assignment.expired', {
      type: 'assignment',
      id: assignmentId,
    });
    await enqueue(em, { kind: 'assignmentChanged', assignmentId });
    await enqueue(em, { kind: 'assignmentEnded', assignmentId });
  });
  const roles: Array<Record<string, string>> = await ds.query(
    `SELECT f.id, f.generation, f.resource_role_id, rr.name, r.id AS resource_id, r.origin_id,
            r.attributes, u.id AS user_id, u.email
       FROM fulfillments f JOIN resource_roles rr ON rr.id = f.resource_role_id
       JOIN resources r ON r.id = rr.resource_id JOIN assignments a ON a.id = f.assignment_id
       JOIN users u ON u.id = a.user_id
      WHERE f.assignment_id = $1 AND f.action = 'revoke' AND f.state = 'pending'`,
    [assignmentId],
  );
  for (const role of roles) {
    await connector.revoke({
      user: { id: role.user_id, email: role.email },
      resource: {
        id: role.resource_id,
        type: 'webhook',
        originId: role.origin_id,
        attributes: role.attributes as unknown as Record<string, unknown>,
      },
      role: { id: role.resource_role_id, name: role.name },
      actionId: `${role.id}.${role.generation}`,
    });
    await ds.query(
      `UPDATE fulfillments SET state = 'delivered', updated_at = $3 WHERE id = $1 AND generation = $2`,
      [role.id, role.generation, now],
    );
  }
}

export { ROLES_PER_ASSIGNMENT };
