import { packageWithPolicy } from '../support/domain';
import { createSlackHarness, type PostOptions, type SlackHarness } from '../support/slack/harness';
import { slash as slashFrom } from '../support/slack/payloads';

// `/access` through the real Bolt app, with requests signed as Slack signs them, the Web API
// at a fake Slack on 127.0.0.1, and the reply posted to the command's response_url.

let t: SlackHarness;
beforeAll(async () => {
  t = await createSlackHarness();
});
afterAll(() => t.close());

const slash = (userId: string, text: string, opts?: PostOptions) =>
  slashFrom(t, userId, text, opts).sent;

const words = (reply: Record<string, unknown>) => JSON.stringify(reply.blocks);

test('/access help: acked, answered privately with the help card, the person registered', async () => {
  t.slack.add({
    id: 'U1',
    teamId: 'T1',
    name: 'Slack User',
    email: 'slack.user@woodgrove.example',
    emailConfirmed: true,
  });
  await slash('U1', 'help').expect(200);
  const reply = t.slack.responses.at(-1)!;
  expect(reply.response_type).toBe('ephemeral');
  expect(words(reply)).toContain('packages');
  const [identity] = await t.db.dataSource.query(
    `SELECT u.email FROM user_identities i JOIN users u ON u.id = i.user_id
      WHERE i.platform = 'slack' AND i.tenant_id = 'T1' AND i.platform_user_id = 'U1'`,
  );
  expect(identity).toEqual({ email: 'slack.user@woodgrove.example' });
  expect(t.slack.calls.filter((c) => c.method === 'users.info')).toHaveLength(1);
});

test('/access packages lists what the user may request, with Request buttons', async () => {
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvalRequired: false,
  });
  await slash('U1', `packages ${pkg.name}`).expect(200);
  const reply = t.slack.responses.at(-1)!;
  expect(words(reply)).toContain(pkg.name);
  expect(words(reply)).toMatch(/"action_id":"requestOpen#\d+"/);
  // Known now: no second profile lookup.
  expect(t.slack.calls.filter((c) => c.method === 'users.info')).toHaveLength(1);
});

test('a bad signature or a stale timestamp is refused, and nothing happens', async () => {
  const before = t.slack.responses.length;
  t.slack.add({
    id: 'U9',
    teamId: 'T1',
    name: 'Forger',
    email: 'f@woodgrove.example',
    emailConfirmed: true,
  });
  await slash('U9', 'help', { secret: 'not-the-secret' }).expect(401);
  await slash('U9', 'help', { age: 301 }).expect(401);
  expect(t.slack.responses).toHaveLength(before);
  const [{ n: users }] = await t.db.dataSource.query(
    `SELECT count(*)::int AS n FROM users WHERE email = 'f@woodgrove.example'`,
  );
  expect(users).toBe(0);
});

test('an unverified email is not trusted: the person is told, and not registered', async () => {
  t.slack.add({
    id: 'U2',
    teamId: 'T1',
    name: 'Unverified',
    email: 'someone.else@woodgrove.example',
    emailConfirmed: false,
  });
  await slash('U2', 'help').expect(200);
  const reply = t.slack.responses.at(-1)!;
  expect(words(reply)).toMatch(/email/i);
  expect(words(reply)).not.toContain('someone.else');
  const [{ n: users }] = await t.db.dataSource.query(
    `SELECT count(*)::int AS n FROM users WHERE email = 'someone.else@woodgrove.example'`,
  );
  expect(users).toBe(0);
});

test('a workspace not in ALLOWED_TEAMS is refused before anything is looked up', async () => {
  const guarded = await createSlackHarness({ allowedTeams: ['T9'] });
  try {
    guarded.slack.add({
      id: 'U5',
      teamId: 'T1',
      name: 'Outsider',
      email: 'outsider@woodgrove.example',
      emailConfirmed: true,
    });
    const body = new URLSearchParams({
      team_id: 'T1',
      user_id: 'U5',
      command: '/access',
      text: 'help',
      response_url: guarded.slack.responseUrl('guard'),
      trigger_id: 'trigger-guard',
    }).toString();
    await guarded.post(body).expect(200);
    expect(JSON.stringify(guarded.slack.responses.at(-1))).toMatch(/organisation|not allowed/i);
    expect(guarded.slack.calls.filter((c) => c.method === 'users.info')).toHaveLength(0);
  } finally {
    await guarded.close();
  }
});
