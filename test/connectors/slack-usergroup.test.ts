import { setTimeout as delay } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../db/data-source';
import { advisoryLock, type WithLock } from '../../server/connectors/lock';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { FakeSlack } from '../support/slack/fake-slack';
import { connectorsOn, person, target } from '../support/slack/connector-fixtures';

// The Slack user group connector against a fake Slack: Slack only replaces a group's whole
// member list, so each change reads, then writes, under a lock per group across processes.

let slack: FakeSlack;
const ana = person('U0ANA', 'Ana');
const ben = person('U0BEN', 'Ben');
const carl = person('U0CARL', 'Carl');

beforeEach(async () => {
  slack = await new FakeSlack().start();
  for (const p of [ana, ben, carl]) slack.add(p);
  slack.userGroups.set('S0OPS', [carl.id]);
});
afterEach(() => slack.stop());

const group = (email: string, id = 'S0OPS') => target('slackUserGroup', id, email);
const membersOf = (id = 'S0OPS') => [...slack.userGroups.get(id)!].sort();

test('a grant writes the list with the person added; a revoke writes it without them', async () => {
  const { slackUserGroup } = connectorsOn(slack);
  await slackUserGroup.grant(group(ana.email));
  expect(membersOf()).toEqual([ana.id, carl.id].sort());
  expect(slack.callsOf('usergroups.users.update')).toEqual([
    { usergroup: 'S0OPS', users: `${carl.id},${ana.id}` },
  ]);
  await slackUserGroup.revoke(group(ana.email));
  expect(membersOf()).toEqual([carl.id]);
  expect(slack.callsOf('usergroups.users.update')[1]).toEqual({
    usergroup: 'S0OPS',
    users: carl.id,
  });
});

test('a member granted again, or a non-member revoked, writes nothing', async () => {
  const { slackUserGroup } = connectorsOn(slack);
  slack.userGroups.set('S0OPS', [carl.id, ana.id]);
  await slackUserGroup.grant(group(ana.email));
  await slackUserGroup.revoke(group(ben.email));
  expect(slack.callsOf('usergroups.users.list')).toHaveLength(2);
  expect(slack.callsOf('usergroups.users.update')).toEqual([]);
  expect(membersOf()).toEqual([ana.id, carl.id].sort());
});

test('the last member cannot be revoked: Slack will not empty a group, and says why', async () => {
  const { slackUserGroup } = connectorsOn(slack);
  await expect(slackUserGroup.revoke(group(carl.email))).rejects.toThrow(
    'carl@woodgrove.example is the last member of Slack user group S0OPS, and Slack does not ' +
      'let a user group be emptied: add another member, or disable the group in Slack.',
  );
  expect(slack.callsOf('usergroups.users.update')).toEqual([]);
  expect(membersOf()).toEqual([carl.id]);
});

test("a 429 on the write waits for Slack's Retry-After, then writes", async () => {
  const { slackUserGroup, slept } = connectorsOn(slack);
  slack.failNext(429, 3, 'usergroups.users.update');
  await slackUserGroup.grant(group(ben.email));
  expect(slept).toEqual([3000]);
  expect(membersOf()).toEqual([ben.id, carl.id].sort());
});

test('refusals read as what to fix', async () => {
  const { slackUserGroup } = connectorsOn(slack);
  await expect(slackUserGroup.grant(group(ana.email, 'S0GONE'))).rejects.toThrow(
    'Slack user group S0GONE does not exist (or is disabled).',
  );
  slack.refuseNext('usergroups.users.update', 'permission_denied');
  await expect(slackUserGroup.grant(group(ana.email))).rejects.toThrow(
    "Slack's workspace settings do not let Accessbot change user group S0OPS: allow everyone " +
      'to modify user groups',
  );
  slack.refuseNext('usergroups.users.update', 'invalid_users');
  await expect(slackUserGroup.grant(group(ben.email))).rejects.toThrow(
    'Slack does not let ben@woodgrove.example be in user group S0OPS (invalid_users)',
  );
  slack.refuseNext('usergroups.users.list', 'missing_scope', { needed: 'usergroups:read' });
  await expect(slackUserGroup.grant(group(ben.email))).rejects.toThrow(
    "Accessbot's Slack app lacks the usergroups:read scope for usergroups.users.list",
  );
  await expect(slackUserGroup.grant(group('nobody@woodgrove.example'))).rejects.toThrow(
    'No Slack account with email nobody@woodgrove.example.',
  );
  expect(membersOf()).toEqual([carl.id]);
});

describe('two processes granting to one group at once', () => {
  let db: TestDatabase;
  let other: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    other = await createDataSource({ url: db.url, poolSize: 2 }).initialize();
  });
  afterAll(async () => {
    await other.destroy();
    await db.drop();
  });

  /** Resolves once a connector lock of this database is waited for; `stop` ends the watch. */
  async function lockAwaited(stop: { done: boolean }) {
    while (!stop.done) {
      const [{ n }] = await db.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_locks
          WHERE locktype = 'advisory' AND NOT granted AND classid = 1392010 AND objsubid = 2
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      if (n > 0) return;
      await delay(10);
    }
  }

  /**
   * Ana's grant reads the members and its answer is held; Ben's grant starts; once Ben's read
   * has been answered too, or Ben waits for the lock, Ana's answer goes on.
   */
  async function race(lockA: WithLock, lockB: WithLock): Promise<string[]> {
    const a = connectorsOn(slack, { withLock: lockA }).slackUserGroup;
    const b = connectorsOn(slack, { withLock: lockB }).slackUserGroup;
    let reads = 0;
    let firstRead!: () => void;
    const firstReadSeen = new Promise<void>((r) => (firstRead = r));
    let secondRead!: () => void;
    const secondReadSeen = new Promise<void>((r) => (secondRead = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    slack.beforeAnswer = async (method) => {
      if (method !== 'usergroups.users.list') return;
      if (++reads === 1) {
        firstRead();
        await released;
      } else {
        secondRead();
      }
    };
    const grantA = a.grant(group(ana.email));
    await firstReadSeen;
    const grantB = b.grant(group(ben.email));
    const watch = { done: false };
    await Promise.race([secondReadSeen, lockAwaited(watch)]);
    watch.done = true;
    release();
    await Promise.all([grantA, grantB]);
    return membersOf();
  }

  test('under the advisory lock, each on its own connection, both end up members', async () => {
    const members = await race(advisoryLock(db.dataSource), advisoryLock(other));
    expect(members).toEqual([ana.id, ben.id, carl.id].sort());
    expect(slack.callsOf('usergroups.users.update')).toHaveLength(2);
  });

  test('without a lock the same interleaving loses one of them (what the lock prevents)', async () => {
    const none: WithLock = (_key, fn) => fn();
    const members = await race(none, none);
    expect(members).toHaveLength(2);
    expect(members).toContain(carl.id);
  });

  test('a holder that takes too long makes the waiter fail, to be retried later', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const started = new Promise<void>((r) => (holding = r));
    const holder = advisoryLock(db.dataSource)('slackUserGroup:S0OPS', async () => {
      holding();
      await held;
    });
    await started;
    try {
      await expect(
        advisoryLock(other, { waitMs: 100 })('slackUserGroup:S0OPS', async () => 'ran'),
      ).rejects.toThrow('Another change to slackUserGroup:S0OPS has taken over 0.1 s.');
      // Another group is not held up.
      await expect(advisoryLock(other)('slackUserGroup:S0DEV', async () => 'ran')).resolves.toBe(
        'ran',
      );
    } finally {
      release();
      await holder;
    }
    await expect(advisoryLock(other)('slackUserGroup:S0OPS', async () => 'ran')).resolves.toBe(
      'ran',
    );
  });
});
