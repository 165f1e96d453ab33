import { Client, type Notification } from 'pg';
import pino from 'pino';
import { NOTIFY_AFTER_COMMIT, NOTIFY_SETTING } from '../../db/notify-after-commit';
import type { ProvisioningTarget } from '../../server/domain/ports';
import { createServices } from '../../server/domain/services';
import { AFTER_COMMIT, AfterCommitNotifier } from '../../server/work/after-commit-notifier';
import { runInBackground } from '../../server/work/background';
import { CHANNELS } from '../../server/work/wakeups';
import { createHarness, packageWithPolicy, type Harness } from '../support/domain';

// A decision commits without NOTIFY (a notifying commit holds a database-wide lock until it is
// flushed) and notifies after. PostgreSQL delivers notifications in commit order, so a marker
// sent last shows that nothing came before it that the test did not see.

let h: Harness;
let listener: Client;
const heard: Array<Pick<Notification, 'channel' | 'payload'>> = [];
beforeAll(async () => {
  h = await createHarness();
  listener = new Client({ connectionString: h.db.url });
  await listener.connect();
  listener.on('notification', ({ channel, payload }) => heard.push({ channel, payload }));
  for (const channel of Object.values(CHANNELS)) await listener.query(`LISTEN ${channel}`);
});
afterAll(async () => {
  await listener.end();
  await h.close();
});

/** What was heard up to a marker sent now, on the channel; then forgets it all. */
async function heardUntilMarker(channel = CHANNELS.outbox) {
  const marker = `marker-${Math.random()}`;
  await h.db.dataSource.query('SELECT pg_notify($1, $2)', [channel, marker]);
  const deadline = Date.now() + 10_000;
  while (!heard.some((n) => n.payload === marker)) {
    if (Date.now() > deadline) throw new Error(`the marker never came; heard ${heard.length}`);
    await new Promise((r) => setImmediate(r));
  }
  const before = heard.splice(0).filter((n) => n.payload !== marker);
  return before.map((n) => `${n.channel}: ${n.payload}`);
}

test('a statement that will notify after commit queues outbox work without notifying', async () => {
  await heardUntilMarker();
  const insert = `INSERT INTO outbox_events (kind, subject_id) VALUES ('requestDecided', gen_random_uuid())`;
  await h.db.dataSource.query(
    `WITH s AS (SELECT set_config('${NOTIFY_SETTING}', '${NOTIFY_AFTER_COMMIT}', true)),
          i AS (${insert} RETURNING id)
     SELECT (SELECT count(*) FROM s) + (SELECT count(*) FROM i)`,
  );
  expect(await heardUntilMarker()).toEqual([]);
  // The setting was the statement's own: the next insert notifies as every other write does.
  await h.db.dataSource.query(insert);
  expect(await heardUntilMarker()).toEqual([`${CHANNELS.outbox}: outbox_events`]);
});

test('a decision notifies the outbox and fulfillment once it has committed', async () => {
  const approver = await h.user('After Commit Approver');
  const requester = await h.user('After Commit Requester');
  const fixture = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  const { request } = await h.services.requests.submit(await h.actor(requester), {
    packageId: fixture.pkg.id,
    justification: 'needed',
  });
  await heardUntilMarker();
  await h.services.decisions.decide(await h.actor(approver), request.id, { decision: 'approve' });
  const deadline = Date.now() + 10_000;
  while (new Set(heard.map((n) => n.channel)).size < 2) {
    if (Date.now() > deadline) throw new Error(`heard only ${JSON.stringify(heard)}`);
    await new Promise((r) => setImmediate(r));
  }
  // Only the notifier's two: none from the triggers inside the decision's transaction.
  expect((await heardUntilMarker()).sort()).toEqual([
    `${CHANNELS.fulfillment}: ${AFTER_COMMIT}`,
    `${CHANNELS.outbox}: ${AFTER_COMMIT}`,
  ]);
  // What the notifications were for: a grant waiting for each of the package's roles.
  const [row] = await h.db.dataSource.query(
    `SELECT (SELECT count(*)::int FROM fulfillments f JOIN access_requests r
               ON r.assignment_id = f.assignment_id WHERE r.id = $1 AND f.state = 'pending') AS grants,
            (SELECT count(*)::int FROM access_package_resource_roles WHERE package_id = $2) AS roles`,
    [request.id, fixture.pkg.id],
  );
  expect(row.grants).toBeGreaterThan(0);
  expect(row.grants).toBe(row.roles);
});

test('the background worker provisions what a decision queued, woken after its commit', async () => {
  let seen!: (email: string) => void;
  const granted = new Promise<string>((r) => (seen = r));
  const requester = await h.user('Woken By Decision');
  const worker = createServices({
    ...h.services.ctx,
    provisioner: {
      grant: async (t: ProvisioningTarget) => {
        if (t.user.email === requester.email) seen(t.user.email);
      },
      revoke: async () => undefined,
    },
  }).fulfillment;
  const approver = await h.user('Waking Approver');
  const fixture = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  const { request } = await h.services.requests.submit(await h.actor(requester), {
    packageId: fixture.pkg.id,
    justification: 'needed',
  });
  // An hour between polls: only the notification can wake it in time.
  const stop = runInBackground(
    worker,
    'fulfillment',
    h.db.url,
    pino({ level: 'silent' }),
    3_600_000,
  );
  try {
    await h.services.decisions.decide(await h.actor(approver), request.id, { decision: 'approve' });
    expect(await granted).toBe(requester.email);
  } finally {
    await stop();
  }
});

test('calls while a notification is in flight fold into one more, not one each', async () => {
  const notifier = new AfterCommitNotifier(h.db.dataSource, pino({ level: 'silent' }), 1);
  await heardUntilMarker(CHANNELS.fulfillment);
  for (let i = 0; i < 50; i++) notifier.notify('fulfillment');
  await notifier.settled();
  expect(await heardUntilMarker(CHANNELS.fulfillment)).toEqual([
    `${CHANNELS.fulfillment}: ${AFTER_COMMIT}`,
    `${CHANNELS.fulfillment}: ${AFTER_COMMIT}`,
  ]);
  // Idle again: the next call is sent at once, on its own.
  notifier.notify('outbox');
  await notifier.settled();
  expect(await heardUntilMarker()).toEqual([`${CHANNELS.outbox}: ${AFTER_COMMIT}`]);
});
