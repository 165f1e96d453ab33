import { Client, type Notification } from 'pg';
import pino from 'pino';
import { NOTIFY_AFTER_COMMIT, NOTIFY_SETTING } from '../../db/notify-after-commit';
import { AFTER_COMMIT, AfterCommitNotifier } from '../../server/work/after-commit-notifier';
import { CHANNELS } from '../../server/work/wakeups';
import {
  createHarness,
  hourlyPollingWorker,
  packageWithPolicy,
  type Harness,
} from '../support/domain';

// A decision commits without NOTIFY (a notifying commit holds a database-wide lock until it is
// flushed) and notifies after. PostgreSQL delivers notifications in commit order, so a marker
// sent last shows that nothing came before it that the test did not see.

let h: Harness;
let listener: Client;
const heard: Array<Pick<Notification, 'channel' | 'payload'>> = [];
const waiting = new Set<() => void>();
beforeAll(async () => {
  h = await createHarness();
  listener = new Client({ connectionString: h.db.url });
  await listener.connect();
  listener.on('notification', ({ channel, payload }) => {
    heard.push({ channel, payload });
    waiting.forEach((check) => check());
  });
  for (const channel of Object.values(CHANNELS)) await listener.query(`LISTEN ${channel}`);
});
afterAll(async () => {
  await listener.end();
  await h.close();
});

/** Resolves once `done` holds of what has been heard (looked at as each notification comes). */
const heardWhen = (done: () => boolean) =>
  new Promise<void>((resolve) => {
    const check = () => {
      if (!done()) return;
      waiting.delete(check);
      resolve();
    };
    waiting.add(check);
    check();
  });

/** What was heard up to a marker sent now, on the channel; then forgets it all. */
async function heardUntilMarker(channel = CHANNELS.outbox) {
  const marker = `marker-${Math.random()}`;
  await h.db.dataSource.query('SELECT pg_notify($1, $2)', [channel, marker]);
  await heardWhen(() => heard.some((n) => n.payload === marker));
  const before = heard.splice(0).filter((n) => n.payload !== marker);
  return before.map((n) => `${n.channel}: ${n.payload}`);
}

/** A request waiting for its one approver's decision. */
async function awaitingApproval(name: string) {
  const approver = await h.user(`${name} Approver`);
  const requester = await h.user(`${name} Requester`);
  const fixture = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  const { request } = await h.services.requests.submit(await h.actor(requester), {
    packageId: fixture.pkg.id,
    justification: 'needed',
  });
  return { approver: await h.actor(approver), requester, request, packageId: fixture.pkg.id };
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
  const { approver, request, packageId } = await awaitingApproval('After Commit');
  await heardUntilMarker();
  await h.services.decisions.decide(approver, request.id, { decision: 'approve' });
  await heardWhen(() => new Set(heard.map((n) => n.channel)).size === 2);
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
    [request.id, packageId],
  );
  expect(row.grants).toBeGreaterThan(0);
  expect(row.grants).toBe(row.roles);
});

test('the background worker provisions what a decision queued, woken after its commit', async () => {
  const { approver, requester, request } = await awaitingApproval('Woken By Decision');
  const { granted, stop } = hourlyPollingWorker(h, requester.email);
  try {
    await h.services.decisions.decide(approver, request.id, { decision: 'approve' });
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
