import pino from 'pino';
import type { Agenda } from 'agenda';
import { DAY } from '../../server/domain/clock';
import { lifecycleBacklog } from '../../server/lifecycle/backlog';
import { LIFECYCLE_JOBS, runJob } from '../../server/lifecycle/jobs';
import { createScheduler } from '../../server/lifecycle/scheduler';
import { createMetrics } from '../../server/metrics';
import {
  createHarness,
  packageWithPolicy,
  withSeparateConnections,
  type Harness,
} from '../support/domain';

// Agenda says when; our tables say what is due. The domain runs on the harness's clock, moved
// past each due time; Agenda runs on real time with a short poll, and tests wait for its events.

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ poolSize: 6 });
});
afterEach(() => h.close());

const byName = (name: string) => LIFECYCLE_JOBS.find((j) => j.name === name)!;

/** A timed-out request, an assignment due to start, one due to end; the clock after all three. */
async function dueWork() {
  const approver = await h.user('Slow Approver');
  const requester = await h.user('Waiting Requester');
  const reviewed = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
    approvalTimeoutDays: 2,
  });
  const { request } = await h.services.requests.submit(await h.actor(requester), {
    packageId: reviewed.pkg.id,
    justification: 'x',
  });
  const direct = await packageWithPolicy(h, {
    requestorScope: 'none',
    expiration: { type: 'afterDays', days: 1 },
  });
  const later = await h.user('Starts Later');
  const scheduled = await h.services.assignments.assignDirectly(h.api, {
    userId: later.id,
    packageId: direct.pkg.id,
    policyId: direct.policy.id,
    start: new Date(h.clock.now().getTime() + DAY),
    end: new Date(h.clock.now().getTime() + 5 * DAY),
  });
  const now = await h.user('Ends Soon');
  const ending = await h.services.assignments.assignDirectly(h.api, {
    userId: now.id,
    packageId: direct.pkg.id,
    policyId: direct.policy.id,
  });
  await h.fulfil();
  h.clock.advance(3 * DAY);
  return { request, scheduled, ending };
}

async function states(w: Awaited<ReturnType<typeof dueWork>>) {
  return {
    request: (await h.services.requests.get(h.api, w.request.id)).state,
    scheduled: (await h.services.assignments.get(h.api, w.scheduled.id)).state,
    ending: (await h.services.assignments.get(h.api, w.ending.id)).state,
  };
}

/** Resolves when every lifecycle job has completed once, on any of these schedulers. */
function completedAll(...agendas: Agenda[]): Promise<void> {
  return Promise.all(
    LIFECYCLE_JOBS.map(
      (job) =>
        new Promise<void>((resolve) => {
          for (const agenda of agendas) agenda.once(`complete:${job.name}`, () => resolve());
        }),
    ),
  ).then(() => undefined);
}

const scheduler = (services = h.services) =>
  createScheduler({
    services,
    databaseUrl: h.db.url,
    logger: pino({ level: 'silent' }),
    processEvery: 50,
    lockLifetime: 2_000,
    drainMs: 1_000,
  });

test('the scheduler runs every lifecycle job on the app database: timeouts, starts, expiry', async () => {
  const work = await dueWork();
  expect(await states(work)).toEqual({
    request: 'pendingApproval',
    scheduled: 'scheduled',
    ending: 'delivered',
  });
  const s = scheduler();
  const done = completedAll(s.agenda);
  try {
    await s.start();
    await done;
  } finally {
    await s.stop();
  }
  expect(await states(work)).toEqual({
    request: 'canceled',
    scheduled: 'delivering',
    ending: 'expired',
  });
  // What follows goes through the outbox and the fulfillment queue, like any other change.
  expect(await h.notifications()).toContainEqual({
    kind: 'requestCanceled',
    requestId: work.request.id,
  });
  await h.fulfil();
  expect(h.provisioner.calls.filter((c) => c.user === 'ends.soon@woodgrove.example')).toEqual([
    expect.objectContaining({ action: 'grant' }),
    expect.objectContaining({ action: 'revoke' }),
  ]);
});

test('two schedulers share one schedule, and each change is made once', async () => {
  const work = await dueWork();
  const other = await withSeparateConnections(h, 4, async (services) => {
    const [a, b] = [scheduler(), scheduler(services)];
    const done = completedAll(a.agenda, b.agenda);
    try {
      await Promise.all([a.start(), b.start()]);
      await done;
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    return h.db.dataSource.query(
      `SELECT name, count(*)::int AS n FROM agenda_jobs GROUP BY name ORDER BY name`,
    );
  });
  expect(other).toEqual(
    LIFECYCLE_JOBS.map((j) => ({ name: j.name, n: 1 })).sort((x, y) =>
      x.name.localeCompare(y.name),
    ),
  );
  const audited = await h.db.dataSource.query(
    `SELECT action, count(*)::int AS n FROM audit_events
      WHERE action IN ('request.timedOut', 'assignment.started', 'assignment.expired')
      GROUP BY action ORDER BY action`,
  );
  expect(audited).toEqual([
    { action: 'assignment.expired', n: 1 },
    { action: 'assignment.started', n: 1 },
    { action: 'request.timedOut', n: 1 },
  ]);
  expect((await states(work)).ending).toBe('expired');
});

test('expiry run twice at once on separate connections ends each assignment once', async () => {
  const fixture = await packageWithPolicy(h, {
    requestorScope: 'none',
    expiration: { type: 'afterDays', days: 1 },
  });
  for (let i = 0; i < 40; i++) {
    const user = await h.user(`Expiring ${i}`);
    await h.services.assignments.assignDirectly(h.api, {
      userId: user.id,
      packageId: fixture.pkg.id,
      policyId: fixture.policy.id,
    });
  }
  await h.fulfil();
  h.clock.advance(2 * DAY);
  const expiry = byName('lifecycle: expiry');
  const handled = await withSeparateConnections(h, 4, (services) =>
    Promise.all([runJob(expiry, services), runJob(expiry, h.services)]),
  );
  expect(handled[0] + handled[1]).toBe(40);
  const [row] = await h.db.dataSource.query(
    `SELECT count(*)::int AS assignments,
            count(*) FILTER (WHERE a.state = 'expired')::int AS expired,
            (SELECT count(*)::int FROM audit_events e JOIN assignments x ON x.id::text = e.subject_id
              WHERE e.action = 'assignment.expired' AND x.package_id = $1) AS audited
       FROM assignments a WHERE a.package_id = $1`,
    [fixture.pkg.id],
  );
  expect(row).toEqual({ assignments: 40, expired: 40, audited: 40 });
  expect(await h.fulfil()).toBe(40);
});

test('/metrics shows what is due and how long it has waited', async () => {
  await dueWork();
  const backlog = await lifecycleBacklog(h.db.dataSource, h.clock);
  expect(backlog.due).toEqual({ approvalTimeout: 1, scheduledStart: 1, expiry: 1, fulfillment: 0 });
  expect(backlog.lagSeconds.approvalTimeout).toBe(DAY / 1000);
  expect(backlog.lagSeconds.expiry).toBe((2 * DAY) / 1000);
  const metrics = createMetrics(() => lifecycleBacklog(h.db.dataSource, h.clock));
  const text = await metrics.registry.metrics();
  expect(text).toContain('accessbot_lifecycle_due{work="expiry"} 1');
  expect(text).toContain(`accessbot_lifecycle_lag_seconds{work="approvalTimeout"} ${DAY / 1000}`);
  expect(text).toContain('accessbot_scheduler_jobs_failed 0');
});
