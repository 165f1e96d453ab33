import { connectorsFor } from '../../server/connectors';
import type { WithLock } from '../../server/connectors/lock';
import { BOT_USER_ID, FakeSlack } from '../support/slack/fake-slack';
import { connectorsOn, person, target } from '../support/slack/connector-fixtures';

// The Slack channel connector against a fake Slack Web API over HTTP: invite and kick, what
// counts as already done, what is retried, and what an admin reads when Slack refuses.

let slack: FakeSlack;
const ana = person('U0ANA', 'Ana');
const ben = person('U0BEN', 'Ben');

beforeEach(async () => {
  slack = await new FakeSlack().start();
  slack.add(ana);
  slack.add(ben);
  slack.channels.set('C0PAY', { members: new Set([BOT_USER_ID, ben.id]) });
});
afterEach(() => slack.stop());

const channel = (id: string, email = ana.email) => target('slackChannel', id, email);
const members = (id: string) => [...slack.channels.get(id)!.members].sort();

test('a grant invites the person found by email; a revoke removes them', async () => {
  const { slackChannel } = connectorsOn(slack);
  await slackChannel.grant(channel('C0PAY'));
  expect(members('C0PAY')).toEqual([BOT_USER_ID, ana.id, ben.id].sort());
  expect(slack.callsOf('users.lookupByEmail')).toEqual([{ email: ana.email }]);
  expect(slack.callsOf('conversations.invite')).toEqual([{ channel: 'C0PAY', users: ana.id }]);

  await slackChannel.revoke(channel('C0PAY'));
  expect(members('C0PAY')).toEqual([BOT_USER_ID, ben.id].sort());
  expect(slack.callsOf('conversations.kick')).toEqual([{ channel: 'C0PAY', user: ana.id }]);
  // The id found for the grant served the revoke.
  expect(slack.callsOf('users.lookupByEmail')).toHaveLength(1);
});

test('inviting a member and removing a non-member succeed: a retry is harmless', async () => {
  const { slackChannel } = connectorsOn(slack);
  await slackChannel.grant(channel('C0PAY', ben.email));
  await slackChannel.grant(channel('C0PAY', ben.email));
  expect(members('C0PAY')).toEqual([BOT_USER_ID, ben.id].sort());
  await slackChannel.revoke(channel('C0PAY'));
  await slackChannel.revoke(channel('C0PAY'));
  expect(members('C0PAY')).toEqual([BOT_USER_ID, ben.id].sort());
  expect(slack.callsOf('conversations.invite')).toHaveLength(2);
  expect(slack.callsOf('conversations.kick')).toHaveLength(2);
});

test("a 429 waits for Slack's Retry-After, then the call succeeds", async () => {
  const { slackChannel, slept } = connectorsOn(slack);
  slack.failNext(429, 7, 'conversations.invite');
  await slackChannel.grant(channel('C0PAY'));
  expect(slept).toEqual([7000]);
  expect(members('C0PAY')).toContain(ana.id);
});

test('a 500 is retried with backoff; one that lasts fails the call with what Slack said', async () => {
  const { slackChannel, slept } = connectorsOn(slack);
  slack.failNext(500, undefined, 'conversations.kick');
  slack.failNext(503, undefined, 'conversations.kick');
  slack.channels.get('C0PAY')!.members.add(ana.id);
  await slackChannel.revoke(channel('C0PAY'));
  expect(slept).toEqual([500, 1000]);
  expect(members('C0PAY')).not.toContain(ana.id);

  for (let i = 0; i < 3; i++) slack.failNext(502, undefined, 'conversations.invite');
  await expect(slackChannel.grant(channel('C0PAY'))).rejects.toThrow(
    'Slack answered HTTP 502 to conversations.invite.',
  );
  expect(members('C0PAY')).not.toContain(ana.id);
});

test('a Retry-After longer than a worker should wait fails now, for the schedule to retry', async () => {
  const { slackChannel, slept } = connectorsOn(slack);
  slack.failNext(429, 120, 'users.lookupByEmail');
  await expect(slackChannel.grant(channel('C0PAY'))).rejects.toThrow(
    'Slack is rate limiting users.lookupByEmail (retry after 120 s).',
  );
  expect(slept).toEqual([]);
});

test('Slack not answering in time is retried, then fails saying so', async () => {
  const { slackChannel } = connectorsOn(slack, { timeoutMs: 50 });
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  slack.beforeAnswer = (method) => (method === 'conversations.invite' ? held : Promise.resolve());
  try {
    await expect(slackChannel.grant(channel('C0PAY'))).rejects.toThrow(
      'Slack did not answer (conversations.invite).',
    );
    expect(slack.callsOf('conversations.invite')).toHaveLength(3);
  } finally {
    release();
  }
});

test.each([
  [
    'C0NONE',
    undefined,
    'Slack channel C0NONE does not exist, or it is private and Accessbot is not in it.',
  ],
  ['C0OLD', { archived: true }, 'Slack channel C0OLD is archived'],
  ['C0PRIV', { bot: false }, 'Accessbot is not a member of Slack channel C0PRIV: add the app'],
])('a grant to %s fails with a message an admin can act on', async (id, setup, message) => {
  if (setup) {
    const botIn = !('bot' in setup);
    slack.channels.set(id, { members: new Set(botIn ? [BOT_USER_ID] : []), ...setup });
  }
  await expect(connectorsOn(slack).slackChannel.grant(channel(id))).rejects.toThrow(message);
  expect(slack.callsOf('conversations.invite')).toHaveLength(1);
});

test('other refusals: no such person, the bot itself, #general, a missing scope', async () => {
  const { slackChannel } = connectorsOn(slack);
  await expect(slackChannel.grant(channel('C0PAY', 'nobody@woodgrove.example'))).rejects.toThrow(
    'No Slack account with email nobody@woodgrove.example.',
  );
  expect(slack.callsOf('conversations.invite')).toHaveLength(0);

  slack.add({ ...person(BOT_USER_ID, 'Accessbot') });
  await expect(slackChannel.grant(channel('C0PAY', 'accessbot@woodgrove.example'))).rejects.toThrow(
    "is Accessbot's own",
  );

  slack.channels.set('C0GEN', { members: new Set([BOT_USER_ID, ana.id]), general: true });
  await expect(slackChannel.revoke(channel('C0GEN'))).rejects.toThrow(
    "Slack does not let anyone be removed from the workspace's general channel (C0GEN).",
  );

  slack.refuseNext('conversations.kick', 'missing_scope', { needed: 'groups:write' });
  await expect(slackChannel.revoke(channel('C0PAY'))).rejects.toThrow(
    "Accessbot's Slack app lacks the groups:write scope for conversations.kick: add it under " +
      'OAuth & Permissions and reinstall the app.',
  );

  slack.refuseNext('users.lookupByEmail', 'invalid_auth');
  await expect(slackChannel.grant(channel('C0PAY', ben.email))).rejects.toThrow(
    "Slack does not accept Accessbot's bot token (invalid_auth): check SLACK_BOT_TOKEN.",
  );
});

test('a found id is kept a few minutes; a miss is asked again', async () => {
  let now = 1_700_000_000_000;
  const { slackChannel } = connectorsOn(slack, { now: () => now });
  await slackChannel.grant(channel('C0PAY'));
  now += 4 * 60_000;
  await slackChannel.revoke(channel('C0PAY'));
  expect(slack.callsOf('users.lookupByEmail')).toHaveLength(1);
  now += 2 * 60_000;
  await slackChannel.grant(channel('C0PAY'));
  expect(slack.callsOf('users.lookupByEmail')).toHaveLength(2);

  const carla = person('U0CARLA', 'Carla');
  await expect(slackChannel.grant(channel('C0PAY', carla.email))).rejects.toThrow(
    'No Slack account',
  );
  slack.add(carla);
  await slackChannel.grant(channel('C0PAY', carla.email));
  expect(members('C0PAY')).toContain(carla.id);
});

test('SLACK_BOT_TOKEN turns the Slack connectors on; without it, grants say none is set', async () => {
  const withLock: WithLock = (_key, fn) => fn();
  const on = connectorsFor(
    { slackBotToken: 'xoxb-test', slackApiUrl: `${slack.url}/api` },
    { withLock },
  );
  await on.grant(channel('C0PAY'));
  expect(members('C0PAY')).toContain(ana.id);
  slack.userGroups.set('S0OPS', [ben.id]);
  await on.grant(target('slackUserGroup', 'S0OPS', ana.email));
  expect(slack.userGroups.get('S0OPS')).toEqual([ben.id, ana.id]);

  const off = connectorsFor({}, { withLock });
  await expect(off.revoke(channel('C0PAY'))).rejects.toThrow(
    'No provisioning connector is configured for slackChannel resources.',
  );
  expect(members('C0PAY')).toContain(ana.id);
});
